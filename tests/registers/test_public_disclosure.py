"""The public disclosure pages (政务公开): power lists, normative documents, clean-up results,
enforcement bodies and officers. No login, only approved records, no personal data, the same
rows as CSV with labels, and a query count that does not grow with the rows."""

import csv
import datetime
import io

import pytest
import time_machine

from registers.core.status import Status
from registers.models import (
    DocumentChange,
    DocumentChangeKind,
    DocumentKind,
    ListKind,
    PowerCategory,
)
from registers.power_services import adjust_item
from reviews.models import CleanupOutcome
from reviews.services.documents import confirm_cleanup
from tests.factories import (
    make_body,
    make_campaign,
    make_cleanup_item,
    make_document,
    make_officer,
    make_power_item,
)

TODAY = datetime.datetime(2018, 1, 10, 9, 0)

pytestmark = pytest.mark.django_db


def csv_rows(response) -> list[list[str]]:
    assert response["Content-Type"].startswith("text/csv")
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    return list(csv.reader(io.StringIO(text)))


# --- Power lists -----------------------------------------------------------------------------


@time_machine.travel(TODAY)
def test_power_page_lists_items_in_force_with_their_legal_basis_to_anyone(client, unit_a):
    make_power_item(
        unit_a,
        name="对无照经营行为的处罚",
        legal_basis="《无证无照经营查处办法》第十三条",
    )
    page = client.get("/public/power/")
    assert page.status_code == 200
    text = page.content.decode()
    assert "对无照经营行为的处罚" in text
    assert "《无证无照经营查处办法》第十三条" in text
    assert unit_a.name in text
    assert "行政处罚" in text  # the category's label, not its code
    assert ">penalty<" not in text


@time_machine.travel(TODAY)
def test_power_page_leaves_out_unapproved_closed_and_future_items(client, unit_a):
    make_power_item(unit_a, name="报送中的事项", status=Status.SUBMITTED)
    make_power_item(unit_a, name="明年生效的事项", effective_from=datetime.date(2018, 6, 1))
    make_power_item(unit_a, name="现行事项")
    closed = make_power_item(unit_a, name="已取消的事项")
    closed.closed_on = datetime.date(2017, 6, 1)
    closed.save(update_fields=["closed_on"])

    text = client.get("/public/power/").content.decode()

    assert "现行事项" in text
    assert "报送中的事项" not in text
    assert "明年生效的事项" not in text
    assert "已取消的事项" not in text


@time_machine.travel(TODAY)
def test_power_page_filters_by_unit_category_and_search(client, unit_a, unit_b):
    make_power_item(unit_a, name="食品经营许可", category=PowerCategory.LICENSING)
    make_power_item(unit_a, name="对超范围经营的处罚", legal_basis="《食品安全法》第一百二十二条")
    make_power_item(unit_b, name="道路运输经营许可", category=PowerCategory.LICENSING)

    by_unit = client.get("/public/power/", {"unit": unit_b.pk}).content.decode()
    assert "道路运输经营许可" in by_unit and "食品经营许可" not in by_unit

    by_category = client.get("/public/power/", {"category": "licensing"}).content.decode()
    assert "食品经营许可" in by_category and "道路运输经营许可" in by_category
    assert "对超范围经营的处罚" not in by_category

    by_basis = client.get("/public/power/", {"q": "第一百二十二条"}).content.decode()
    assert "对超范围经营的处罚" in by_basis and "食品经营许可" not in by_basis

    nothing = client.get("/public/power/", {"q": "不存在的事项"}).content.decode()
    assert "没有符合条件的现行清单事项" in nothing
    # Nonsense in the filters is ignored, not an error page.
    assert client.get("/public/power/", {"unit": "x", "category": "nope"}).status_code == 200


@time_machine.travel(TODAY)
def test_power_csv_has_the_filtered_rows_with_labels(client, unit_a, unit_b):
    make_power_item(unit_a, name="食品经营许可", category=PowerCategory.LICENSING)
    make_power_item(unit_b, name="道路运输经营许可", category=PowerCategory.LICENSING)
    make_power_item(unit_a, name="对超范围经营的处罚")

    rows = csv_rows(client.get("/public/power/", {"unit": unit_a.pk, "format": "csv"}))

    header, *body = rows
    assert header[:6] == ["实施主体", "清单类别", "事项编码", "事项名称", "权力类别", "设定依据"]
    assert sorted(row[3] for row in body) == ["对超范围经营的处罚", "食品经营许可"]
    assert {row[1] for row in body} == {str(ListKind.POWER.label)}
    assert {row[4] for row in body} == {"行政许可", "行政处罚"}


@time_machine.travel(TODAY)
def test_power_page_is_paginated_and_its_queries_do_not_grow(
    client, unit_a, django_assert_max_num_queries
):
    for n in range(3):
        make_power_item(unit_a, name=f"对违法行为甲{n}的处罚")
    with django_assert_max_num_queries(4) as few:
        client.get("/public/power/")
    for n in range(60):
        make_power_item(unit_a, name=f"对违法行为乙{n}的处罚")
    with django_assert_max_num_queries(len(few.captured_queries)):
        page = client.get("/public/power/")
    text = page.content.decode()
    assert "共 63 条" in text
    assert "第 1 / 2 页" in text
    assert "page=2" in text


@time_machine.travel(TODAY)
def test_an_adjusted_item_shows_its_version_in_force(client, unit_a, office):
    item = make_power_item(unit_a, name="旧名称的处罚事项")
    adjust_item(
        item,
        kind="amend",
        on=datetime.date(2017, 7, 1),
        reason="法律修改",
        reason_kind="law_changed",
        document_number="咸安政办发〔2017〕3号",
        changes={"name": "新名称的处罚事项"},
        by=office,
    )
    text = client.get("/public/power/").content.decode()
    assert "新名称的处罚事项" in text
    assert "旧名称的处罚事项" not in text


# --- Normative documents ---------------------------------------------------------------------


@time_machine.travel(TODAY)
def test_documents_page_shows_each_documents_status_today(client, unit_a):
    make_document(unit_a, title="现行管理办法", issued_on=datetime.date(2017, 3, 1))
    old = make_document(
        unit_a,
        title="过期管理办法",
        issued_on=datetime.date(2012, 3, 1),
        valid_until=datetime.date(2017, 2, 28),
    )
    repealed = make_document(unit_a, title="被废止的办法", issued_on=datetime.date(2016, 3, 1))
    DocumentChange.objects.create(
        document=repealed, kind=DocumentChangeKind.REPEALED, changed_on=datetime.date(2017, 12, 1)
    )
    make_document(unit_a, title="草稿中的办法", status=Status.DRAFT)
    make_document(unit_a, title="内部会议纪要", kind=DocumentKind.NON_NORMATIVE)

    page = client.get("/public/documents/")
    text = page.content.decode()
    assert page.status_code == 200
    assert "现行管理办法" in text and "过期管理办法" in text and "被废止的办法" in text
    assert "草稿中的办法" not in text
    assert "内部会议纪要" not in text
    assert old.number in text

    rows = {row[0]: row for row in csv_rows(client.get("/public/documents/", {"format": "csv"}))}
    status = rows["文件标题"].index("效力状态")
    assert rows["现行管理办法"][status] == "有效"
    assert rows["过期管理办法"][status] == "失效"
    assert rows["被废止的办法"][status] == "废止"

    repealed_only = client.get("/public/documents/", {"status": "repealed"}).content.decode()
    assert "被废止的办法" in repealed_only and "现行管理办法" not in repealed_only


@time_machine.travel(TODAY)
def test_documents_page_queries_do_not_grow(client, unit_a, django_assert_max_num_queries):
    make_document(unit_a)
    with django_assert_max_num_queries(4) as few:
        client.get("/public/documents/")
    for _n in range(20):
        make_document(unit_a)
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get("/public/documents/")


# --- Clean-up results ------------------------------------------------------------------------


@time_machine.travel(TODAY)
def test_cleanup_page_shows_confirmed_outcomes_only(client, unit_a, office):
    confirmed = make_campaign(unit_a, name="2017年规范性文件清理")
    make_cleanup_item(
        confirmed,
        make_document(unit_a, title="继续执行的办法"),
        outcome=CleanupOutcome.CONTINUE,
    )
    make_cleanup_item(
        confirmed, make_document(unit_a, title="清理废止的办法"), outcome=CleanupOutcome.REPEAL
    )
    confirm_cleanup(confirmed, by=office, on=datetime.date(2017, 11, 30))
    pending = make_campaign(unit_a, name="尚未确认的清理")
    make_cleanup_item(
        pending, make_document(unit_a, title="待定的办法"), outcome=CleanupOutcome.CONTINUE
    )

    text = client.get("/public/cleanups/").content.decode()

    assert "2017年规范性文件清理" in text
    assert "继续执行的办法" in text and "继续有效" in text
    assert "清理废止的办法" in text
    assert "待定的办法" not in text and "尚未确认的清理" not in text

    rows = csv_rows(client.get("/public/cleanups/", {"format": "csv", "outcome": "repeal"}))
    assert [row[2] for row in rows[1:]] == ["清理废止的办法"]
    assert rows[1][-1] == "废止" and rows[1][-2] == "规范性文件"


# --- Enforcement bodies and officers ---------------------------------------------------------


@time_machine.travel(TODAY)
def test_officers_page_shows_name_unit_and_certificate_number_only(client, unit_a):
    body = make_body(unit_a, name="咸安区测试执法大队")
    officer = make_officer(
        unit_a,
        body=body,
        name="王执法",
        certificate_number="42120201234",
        issued_on=datetime.date(2016, 1, 1),
        expires_on=datetime.date(2020, 12, 31),
    )
    make_officer(unit_a, name="证件过期者", expires_on=datetime.date(2017, 12, 31))
    make_officer(unit_a, name="未审核者", status=Status.SUBMITTED)

    text = client.get("/public/officers/").content.decode()

    assert "王执法" in text and "42120201234" in text
    assert unit_a.name in text and "咸安区测试执法大队" in text
    assert "证件过期者" not in text
    assert "未审核者" not in text
    # Dates of the certificate and the record's bookkeeping are not published.
    assert officer.issued_on.isoformat() not in text
    assert officer.expires_on.isoformat() not in text

    header, *body_rows = csv_rows(client.get("/public/officers/", {"format": "csv"}))
    assert header == ["姓名", "所在单位", "执法主体", "执法领域", "执法证号"]
    assert body_rows == [
        ["王执法", unit_a.name, "咸安区测试执法大队", "工商市场监管", "42120201234"]
    ]


@time_machine.travel(TODAY)
def test_bodies_page_lists_approved_bodies_with_their_basis(client, unit_a, unit_b):
    make_body(unit_a, name="咸安区测试局", legal_basis="《测试法》第三条")
    make_body(unit_b, name="报送中的主体", status=Status.SUBMITTED)
    text = client.get("/public/enforcement/").content.decode()
    assert "咸安区测试局" in text and "《测试法》第三条" in text and "法定行政机关" in text
    assert "报送中的主体" not in text


@pytest.mark.parametrize(
    "url",
    [
        "/public/power/",
        "/public/documents/",
        "/public/cleanups/",
        "/public/enforcement/",
        "/public/officers/",
    ],
)
def test_public_pages_need_no_login_and_load_nothing_from_elsewhere(client, url):
    page = client.get(url)
    assert page.status_code == 200
    text = page.content.decode()
    assert "http://" not in text and "https://" not in text and 'src="//' not in text
    # Every public page leads to the others.
    for other in ("/public/power/", "/public/documents/", "/public/officers/"):
        assert f'href="{other}"' in text


def _add_officers(unit, n):
    for _i in range(n):
        make_officer(unit)


def _add_cleanup_items(unit, n, office):
    campaign = make_campaign(unit)
    for _i in range(n):
        make_cleanup_item(campaign, make_document(unit), outcome=CleanupOutcome.CONTINUE)
    confirm_cleanup(campaign, by=office, on=datetime.date(2017, 11, 30))


@pytest.mark.parametrize(
    ("url", "add"),
    [
        ("/public/officers/", lambda unit, n, office: _add_officers(unit, n)),
        (
            "/public/enforcement/",
            lambda unit, n, office: [make_body(unit, name=f"执法队{i}") for i in range(n)],
        ),
        ("/public/cleanups/", _add_cleanup_items),
    ],
)
@time_machine.travel(datetime.datetime(2017, 12, 20, 9, 0))
def test_other_public_pages_queries_do_not_grow(
    client, unit_a, office, url, add, django_assert_max_num_queries
):
    add(unit_a, 2, office)
    with django_assert_max_num_queries(6) as few:
        client.get(url)
    add(unit_a, 15, office)
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert client.get(url).status_code == 200
