"""Every workspace page: the right status for each role, on an empty database and on the
demo data, with a bounded number of queries."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse

from registers.models import User

PAGES = {
    "home": reverse("workspace:home"),
    "registers": reverse("workspace:registers"),
    "cases": reverse("workspace:cases"),
    "review": reverse("workspace:review_queue"),
    "notifications": reverse("workspace:notifications"),
    "deadlines": reverse("reviews:deadline_board"),
    "reports": reverse("reports:index"),
    "jobs": reverse("workspace:jobs"),
}
OFFICE_ONLY = {"review"}
MAX_QUERIES = 200  # the office home computes every report figure for two years


def expected_status(page: str, role: str) -> int:
    if role == "municipal":
        return 403
    if page in OFFICE_ONLY and role != "office":
        return 403
    return 200


@pytest.mark.parametrize("page", PAGES)
@pytest.mark.parametrize("role", ["office", "leader", "liaison", "liaison2", "municipal"])
def test_page_answers_each_role_on_an_empty_database(
    client, users, role, page, django_assert_max_num_queries
):
    client.force_login(users[role])
    with django_assert_max_num_queries(MAX_QUERIES):
        response = client.get(PAGES[page])
    assert response.status_code == expected_status(page, role)


@pytest.mark.parametrize("page", PAGES)
def test_anonymous_visitors_are_sent_to_the_login_page(client, page, db):
    response = client.get(PAGES[page])
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("workspace:login"))


def test_login_page_and_logout_by_post(client, liaison):
    page = client.get(reverse("workspace:login")).content.decode()
    assert '<label for="id_username">用户名</label>' in page
    assert '<label for="id_password">密码</label>' in page
    response = client.post(
        reverse("workspace:login"), {"username": liaison.username, "password": "pw"}
    )
    assert response["Location"] == reverse("workspace:home")
    assert client.get(reverse("workspace:logout")).status_code == 405
    response = client.post(reverse("workspace:logout"))
    assert response["Location"] == reverse("workspace:login")
    assert client.get(PAGES["home"]).status_code == 302


def test_navigation_shows_the_review_queue_to_office_staff_only(client, office, leader):
    client.force_login(office)
    office_home = client.get(PAGES["home"]).content.decode()
    assert f'href="{PAGES["review"]}"' in office_home
    assert ">数据报送</a>" in office_home
    client.force_login(leader)
    home = client.get(PAGES["home"]).content.decode()
    assert f'href="{PAGES["review"]}"' not in home
    for label in ["工作台", "台账", "审查与案件", "期限提醒", "年度报告", "后台任务", "管理后台"]:
        assert f">{label}</a>" in home
    # Leaders read; the upload page is for those who submit data.
    assert ">数据报送</a>" not in home


@pytest.mark.django_db
def test_every_page_works_on_the_demo_data_within_the_query_bound(
    client, settings, django_assert_max_num_queries
):
    call_command("load_demo", force=True, stdout=StringIO())
    for username in ["office", "leader", "liaison", "liaison2"]:
        client.force_login(User.objects.get(username=username))
        role = "office" if username == "office" else "other"
        for page, url in PAGES.items():
            with django_assert_max_num_queries(MAX_QUERIES):
                response = client.get(url)
            assert response.status_code == expected_status(page, role), (username, page)
    client.force_login(User.objects.get(username="office"))
    home = client.get(PAGES["home"])
    assert home.context["board"].year == 2017
    cards = {card.figure.key: card.figure.display for card in home.context["board"].cards}
    assert cards["legality.comment_drafts_answered"] == "6"
    assert cards["inspection.items"] == "208"
    liaison_home = client.get(PAGES["home"]).content.decode()
    assert "2017年主要数字" in liaison_home


@pytest.mark.django_db
def test_the_demo_accounts_have_deadlines_of_their_own(client):
    """The demo's open records name a person in charge (承办人): each demo account finds
    its own on 我的期限."""
    call_command("load_demo", force=True, stdout=StringIO())
    expected = {
        "office": ["咸安复〔2026〕18号", "咸安复〔2026〕21号", "咸安区某药店销售假药案"],
        "liaison": ["部分行政处罚决定未在7个工作日内公示"],
        "liaison2": ["（2026）鄂1202行初58号", "行政检查未使用统一检查表"],
    }
    for username, records in expected.items():
        client.force_login(User.objects.get(username=username))
        page = client.get("/my-deadlines/").content.decode()
        assert all(record in page for record in records), username
