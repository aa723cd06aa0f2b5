"""Where a page sends its user after its work (``next``): a path on this site, or the page's
own default. Never another site, and never a 500 after the work is done (a word such as
"abc" would be read by ``redirect`` as a URL's name)."""

import pytest
from django.conf import settings
from django.urls import reverse

from registers.core.status import Action, Status
from registers.core.workflow import submit
from tests.factories import make_user
from tests.workspace.test_review_queue import detail_url, memo

pytestmark = pytest.mark.django_db

NOT_PATHS = ["abc", "0", "//evil.example/", "https://evil.example/", "/\\evil.example", "https:x"]


@pytest.mark.parametrize("target", NOT_PATHS)
def test_a_review_that_is_done_returns_to_the_queue_whatever_next_says(
    client, office, liaison, unit_a, target
):
    record = submit(memo(unit_a, by=liaison), by=liaison)
    client.force_login(office)
    response = client.post(detail_url(record), {"action": Action.APPROVE, "next": target})
    assert (response.status_code, response["Location"]) == (302, reverse("workspace:review_queue"))
    record.refresh_from_db()
    assert record.status == Status.APPROVED


def test_a_review_returns_to_the_page_of_the_queue_it_came_from(client, office, liaison, unit_a):
    record = submit(memo(unit_a, by=liaison), by=liaison)
    client.force_login(office)
    back = "/review/?page=2"
    response = client.post(detail_url(record), {"action": Action.APPROVE, "next": back})
    assert response["Location"] == back


@pytest.mark.parametrize("target", NOT_PATHS)
def test_a_changed_password_goes_home_whatever_next_says(client, target):
    from tests.accounts.test_passwords import NEW_PASSWORD

    user = make_user("leader", username="walker")
    user.set_password("demo")
    user.save()
    client.force_login(user)
    response = client.post(
        f"/account/password/?next={target}",
        {"old_password": "demo", "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    assert (response.status_code, response["Location"]) == (
        302,
        reverse(settings.LOGIN_REDIRECT_URL),
    )
    user.refresh_from_db()
    assert user.check_password(NEW_PASSWORD)


@pytest.mark.parametrize("target", NOT_PATHS)
def test_the_second_step_sends_a_user_without_it_home(client, leader, target):
    client.force_login(leader)
    response = client.get("/account/two-factor/", {"next": target})
    assert (response.status_code, response["Location"]) == (
        302,
        reverse(settings.LOGIN_REDIRECT_URL),
    )
