"""Pages whose heavy parts are kept until the data changes (``registers/core/stamps.py``,
``{% kept %}``): a change is on the next page at once, and a fragment made for one user's
records is never shown to a user who sees other records."""

import pytest

from registers.core.status import Status
from tests.factories import make_reconsideration

pytestmark = pytest.mark.django_db(transaction=True)


def progress_section(html: str) -> str:
    return html[html.index('id="progress-heading"') :]


def test_the_office_home_shows_a_new_record_at_once(client, office, unit_a, unit_b):
    make_reconsideration(unit_a, status=Status.APPROVED)
    client.force_login(office)
    first = progress_section(client.get("/?year=2017").content.decode())
    assert unit_a.name in first and unit_b.name not in first.split("尚未开始填报")[0]
    make_reconsideration(unit_b, status=Status.APPROVED)
    second = progress_section(client.get("/?year=2017").content.decode())
    assert unit_b.name in second.split("尚未开始填报")[0]


def test_the_deadline_board_is_kept_per_scope_and_follows_changes(
    client, office, liaison, liaison2, unit_a, unit_b
):
    case_a = make_reconsideration(unit_a)
    client.force_login(office)
    assert case_a.number in client.get("/deadlines/").content.decode()
    client.force_login(liaison2)
    assert case_a.number not in client.get("/deadlines/").content.decode()
    case_b = make_reconsideration(unit_b)
    board = client.get("/deadlines/").content.decode()
    assert case_b.number in board and case_a.number not in board
    client.force_login(liaison)
    board = client.get("/deadlines/").content.decode()
    assert case_a.number in board and case_b.number not in board
    client.force_login(office)
    board = client.get("/deadlines/").content.decode()
    assert case_a.number in board and case_b.number in board
