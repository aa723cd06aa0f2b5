"""A page of an API list is kept until the data changes (``ScopedViewSet.list``,
``registers/core/stamps.py``): the next pull after any change has it, and a page kept for
one client is never given to a client who sees other records."""

import pytest
from rest_framework.test import APIClient

from registers.core.roles import Role
from registers.core.status import Status
from tests.api.conftest import client_for
from tests.factories import make_reconsideration, make_token, make_user

pytestmark = pytest.mark.django_db(transaction=True)

CASES = "/api/v1/reconsideration-cases/?page=1"


def numbers(client) -> set[str]:
    return {row["number"] for row in client.get(CASES).json()["results"]}


def test_the_next_pull_after_a_change_has_it(users, unit_a):
    first = make_reconsideration(unit_a, status=Status.APPROVED)
    client = client_for(users["municipal"])
    assert numbers(client) == {first.number}
    second = make_reconsideration(unit_a, status=Status.APPROVED)
    assert numbers(client) == {first.number, second.number}
    first.number = "咸安复〔2017〕99号"
    first.save()
    assert numbers(client) == {"咸安复〔2017〕99号", second.number}
    second.delete()
    assert numbers(client) == {"咸安复〔2017〕99号"}


def test_a_kept_page_is_given_only_to_clients_who_see_the_same_records(users, unit_a, unit_b):
    mine = make_reconsideration(unit_a)
    theirs = make_reconsideration(unit_b)
    assert numbers(client_for(users["office"])) == {mine.number, theirs.number}
    assert numbers(client_for(users["liaison"])) == {mine.number}
    assert numbers(client_for(users["liaison2"])) == {theirs.number}
    assert numbers(client_for(users["office"])) == {mine.number, theirs.number}


@pytest.mark.parametrize("granted_first", [True, False])
def test_a_kept_page_is_never_given_to_a_token_with_another_grant(granted_first, unit_a):
    """One system, two tokens: one granted personal data, one not. Each gets its own names."""
    make_reconsideration(unit_a, applicant="欧阳娜娜", status=Status.APPROVED)
    system = make_user(Role.API_CLIENT, username="city")
    granted, masked = APIClient(), APIClient()
    granted.credentials(HTTP_AUTHORIZATION=f"Token {make_token(system, grants_personal_data=True)}")
    masked.credentials(HTTP_AUTHORIZATION=f"Token {make_token(system, name='脱敏')}")
    order = [(granted, "欧阳娜娜"), (masked, "欧**")]
    for client, applicant in order if granted_first else order[::-1]:
        rows = client.get(CASES).json()["results"]
        assert [row["applicant"] for row in rows] == [applicant]
