"""Pages whose heavy parts are kept until the data changes (``registers/core/stamps.py``,
``{% kept %}``): a change is on the next page at once, and a fragment made for one user's
records is never shown to a user who sees other records."""

import datetime
import re

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from registers.core.calendar import read_calendar
from registers.core.roles import Role
from registers.core.status import Action, Status
from registers.core.workflow import transition
from registers.models import CalendarDay, User
from tests.factories import make_document, make_reconsideration, make_unit, make_user
from xianan_lawgov.audit.log import record
from xianan_lawgov.audit.models import Event, Outcome

pytestmark = pytest.mark.django_db(transaction=True)


def progress_section(html: str) -> str:
    return html[html.index('id="progress-heading"') :]


def started(html: str) -> str:
    """The progress section's units that have records (before the ones that have none)."""
    return progress_section(html).split("尚未开始填报")[0]


def test_the_office_home_shows_a_new_record_at_once(client, office, unit_a, unit_b):
    make_reconsideration(unit_a, status=Status.APPROVED)
    client.force_login(office)
    first = started(client.get("/?year=2017").content.decode())
    assert f"<li>{unit_a.short_name} 1 条</li>" in first and unit_b.short_name not in first
    make_reconsideration(unit_b)
    second = started(client.get("/?year=2017").content.decode())
    assert f'<th scope="row">{unit_b.name}</th>' in second


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


# --- The review queue ---------------------------------------------------------------------


def test_the_review_queue_follows_submissions_and_approvals_at_once(
    client, office, liaison, unit_a
):
    first = make_reconsideration(unit_a, status=Status.SUBMITTED)
    client.force_login(office)
    queue = client.get("/review/").content.decode()
    assert first.number in queue and "待审核 1 条" in queue
    second = make_reconsideration(unit_a, status=Status.SUBMITTED)
    queue = client.get("/review/").content.decode()
    assert second.number in queue and "待审核 2 条" in queue
    transition(first, Action.APPROVE, by=office)
    queue = client.get("/review/").content.decode()
    assert first.number not in queue and second.number in queue and "待审核 1 条" in queue


def test_a_kept_review_queue_carries_each_readers_own_form_token(client, office, unit_a):
    """The listing is kept, the form around it is not: a second reviewer approving from
    the page the first one made uses their own CSRF token."""
    case = make_reconsideration(unit_a, status=Status.SUBMITTED)
    client.force_login(office)
    client.get("/review/")
    other = Client(enforce_csrf_checks=True)
    other.force_login(make_user(Role.OFFICE, username="office_other"))
    page = other.get("/review/").content.decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    response = other.post(
        "/review/approve/",
        {"csrfmiddlewaretoken": token, "record": f"reviews.reconsiderationcase:{case.pk}"},
    )
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.status == Status.APPROVED


# --- The admin's lists --------------------------------------------------------------------

DOCUMENTS = "/admin/registers/document/"
#: A document form's inline rows (its changes to other documents): none.
NO_CHANGES = {"changes-TOTAL_FORMS": "0", "changes-INITIAL_FORMS": "0"}


@pytest.mark.parametrize("page", ["list", "form"])
def test_an_admin_page_shows_a_change_at_once(client, office, unit_a, page):
    document = make_document(unit_a, title="咸安区甲管理办法")
    address = DOCUMENTS if page == "list" else f"{DOCUMENTS}{document.pk}/change/"
    client.force_login(office)
    assert "咸安区甲管理办法" in client.get(address).content.decode()
    document.title = "咸安区乙管理办法"
    document.save()
    shown = client.get(address).content.decode()
    assert "咸安区乙管理办法" in shown and "咸安区甲管理办法" not in shown


def test_an_admin_list_shows_a_new_record_and_its_year_at_once(client, office, unit_a):
    make_document(unit_a, title="咸安区甲管理办法")
    client.force_login(office)
    assert "咸安区丙管理办法" not in client.get(DOCUMENTS).content.decode()
    make_document(unit_a, title="咸安区丙管理办法", issued_on=datetime.date(2019, 5, 1))
    listing = client.get(DOCUMENTS).content.decode()
    assert "咸安区丙管理办法" in listing
    assert "?issued_on__year=2019" in listing  # the date hierarchy's new year


def test_admin_list_rows_are_kept_per_reader(client, office, liaison, unit_a, unit_b):
    make_document(unit_a, title="甲单位的办法")
    make_document(unit_b, title="乙单位的办法")
    client.force_login(office)
    listing = client.get(DOCUMENTS).content.decode()
    assert "甲单位的办法" in listing and "乙单位的办法" in listing
    client.force_login(liaison)
    listing = client.get(DOCUMENTS).content.decode()
    assert "甲单位的办法" in listing and "乙单位的办法" not in listing


def test_a_reader_whose_role_changes_sees_the_rows_of_the_new_role(client, office, unit_a, unit_b):
    make_document(unit_a, title="甲单位的办法")
    make_document(unit_b, title="乙单位的办法")
    client.force_login(office)
    assert "乙单位的办法" in client.get(DOCUMENTS).content.decode()
    User.objects.filter(pk=office.pk).update(role=Role.LIAISON, unit=unit_a)
    listing = client.get(DOCUMENTS).content.decode()
    assert "甲单位的办法" in listing and "乙单位的办法" not in listing


def admin_links(client) -> set[str]:
    html = client.get("/admin/").content.decode()
    return set(re.findall(r'href="(/admin/[a-z_]+/[a-z_]+/)"', html))


def test_the_admin_index_lists_what_the_reader_may_open_now(client, office, caplog):
    """The list of registers is kept per account (shared with the other processes): a role
    changed is seen at once."""
    client.force_login(make_user(Role.SYSTEM_ADMIN, username="sysadmin_t"))
    system_admins = admin_links(client)
    client.force_login(office)
    offices = admin_links(client)
    assert system_admins and "/admin/registers/document/" in offices - system_admins
    User.objects.filter(pk=office.pk).update(role=Role.SYSTEM_ADMIN)
    assert admin_links(client) == system_admins
    assert "cannot keep" not in caplog.text


def liaison_lists(client) -> tuple[str, str]:
    html = client.get("/").content.decode()
    drafts = html[html.index('id="drafts-heading"') :]
    return html[html.index('id="returned-heading"') : html.index('id="drafts-heading"')], drafts


def test_the_liaison_home_follows_a_new_draft_and_a_return_at_once(client, office, liaison, unit_a):
    client.force_login(liaison)
    returned, drafts = liaison_lists(client)
    case = make_reconsideration(unit_a, status=Status.DRAFT)
    returned, drafts = liaison_lists(client)
    assert case.number in drafts and case.number not in returned
    case.status = Status.SUBMITTED
    case.save()
    transition(case, Action.RETURN, by=office, comment="请补充材料")
    returned, drafts = liaison_lists(client)
    assert case.number in returned


def listed_count(client, address: str) -> int:
    html = client.get(address).content.decode()
    return int(re.search(r'class="paginator">\s*(\d+)', html).group(1))


def test_an_admin_lists_count_follows_changes_at_once(client, office, liaison, unit_a, unit_b):
    searched = DOCUMENTS + "?q=%E5%8A%9E%E6%B3%95"  # 办法
    make_document(unit_a, title="甲管理办法")
    client.force_login(office)
    assert listed_count(client, searched) == 1
    make_document(unit_b, title="乙管理办法")
    assert listed_count(client, searched) == 2
    client.force_login(liaison)
    assert listed_count(client, searched) == 1


def received_on_report_page(client) -> str:
    html = client.get("/reports/2017/").content.decode()
    return re.search(r'data-figure="reconsideration.received">([^<]*)<', html).group(1)


def test_the_report_page_shows_a_new_record_at_once(client, office, unit_a):
    make_reconsideration(unit_a, status=Status.APPROVED)
    client.force_login(office)
    assert received_on_report_page(client) == "1"
    make_reconsideration(unit_a, status=Status.APPROVED)
    assert received_on_report_page(client) == "2"


def test_an_admin_lists_selection_counter_counts_the_rows_on_the_page(client, office, unit_a):
    """The page's rows are kept; how many there are (the actions bar's "0 of N selected")
    is still the page's own: the hundred of a full page, the rest on the last."""
    for n in range(102):
        make_document(unit_a, title=f"管理办法{n}", number=f"咸安规〔2017〕{n}号")
    client.force_login(office)
    assert "100 个中 0 个被选" in client.get(DOCUMENTS).content.decode()
    last = client.get(DOCUMENTS + "?p=2").content.decode()
    assert "2 个中 0 个被选" in last and "管理办法" in last


def result_list(html: str) -> str:
    return html[html.index('id="result_list"') : html.index("</table>")]


def test_a_kept_admin_list_reads_neither_its_rows_nor_its_units_again(client, office, unit_a):
    make_document(unit_a, title="咸安区甲管理办法")
    client.force_login(office)
    first = result_list(client.get(DOCUMENTS).content.decode())
    with CaptureQueriesContext(connection) as queries:
        again = client.get(DOCUMENTS).content.decode()
    assert result_list(again) == first and "咸安区甲管理办法" in first
    assert "1 个中 0 个被选" in again
    read = " ".join(query["sql"] for query in queries.captured_queries)
    assert 'FROM "registers_document"' not in read and 'FROM "registers_unit"' not in read


def test_the_unit_filter_lists_a_new_unit_at_once(client, office, unit_a):
    make_document(unit_a)
    client.force_login(office)
    assert "区新设机构" not in client.get(DOCUMENTS).content.decode()
    make_unit(name="区新设机构", code="NEW")
    assert "区新设机构" in client.get(DOCUMENTS).content.decode()


# --- The admin's forms ---------------------------------------------------------------------


def test_an_admin_form_sent_back_shows_what_was_posted(client, office, unit_a):
    """A form refused for an error shows the user's input, never the kept empty form."""
    document = make_document(unit_a, title="咸安区甲管理办法")
    address = f"{DOCUMENTS}{document.pk}/change/"
    client.force_login(office)
    client.get(address)
    posted = client.post(
        address,
        {
            "title": "咸安区改过的管理办法",
            "number": "",
            "kind": document.kind,
            "unit": unit_a.pk,
            "issued_on": "2017-03-20",
            "based_on_revision": document.revision,
            **NO_CHANGES,
        },
    )
    assert posted.status_code == 200
    form = posted.content.decode()
    assert 'value="咸安区改过的管理办法"' in form and "errornote" in form and "文号" in form
    assert 'value="咸安区甲管理办法"' in client.get(address).content.decode()


def hidden_fields(page: str) -> dict[str, str]:
    """A form's hidden inputs as the browser sends them back (the CSRF token, the revision,
    the inline rows' counts)."""
    return dict(re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', page))


def test_a_kept_admin_form_carries_the_token_of_each_browser(client, office, unit_a):
    """The same clerk in two browsers (two CSRF cookies) is shown one kept form: each
    browser's page carries its own token, and saving from the second works."""
    document = make_document(unit_a, title="咸安区甲管理办法", status=Status.DRAFT)
    address = f"{DOCUMENTS}{document.pk}/change/"
    client.force_login(office)
    client.get(address)
    other = Client(enforce_csrf_checks=True)
    other.force_login(office)
    sent = hidden_fields(other.get(address).content.decode())
    saved = other.post(
        address,
        {
            **sent,
            "title": "咸安区乙管理办法",
            "number": document.number,
            "kind": document.kind,
            "unit": unit_a.pk,
            "issued_on": "2017-03-20",
        },
    )
    assert saved.status_code == 302
    document.refresh_from_db()
    assert document.title == "咸安区乙管理办法"


def test_admin_forms_are_kept_per_reader(client, office, leader, unit_a):
    """The office may change the record, the leader only reads it: neither is shown the
    other's form."""
    document = make_document(unit_a, title="咸安区甲管理办法", status=Status.APPROVED)
    address = f"{DOCUMENTS}{document.pk}/change/"
    client.force_login(office)
    assert 'name="title"' in client.get(address).content.decode()
    client.force_login(leader)
    form = client.get(address).content.decode()
    assert "咸安区甲管理办法" in form and 'name="title"' not in form
    client.force_login(office)
    assert 'name="title"' in client.get(address).content.decode()


# --- The calendar --------------------------------------------------------------------------


def first_deadline_shown(client, case) -> str:
    page = client.get(f"/admin/reviews/reconsiderationcase/{case.pk}/change/").content.decode()
    label = case.deadlines(read_calendar())[0].label
    return re.search(f"<th scope='row'>{label}</th><td>([^<]*)</td>", page).group(1)


def test_a_holiday_entered_moves_the_deadlines_at_once(client, office, unit_a):
    """The calendar is kept until the data changes: a day made a holiday is counted so by
    the next page."""
    case = make_reconsideration(unit_a)
    client.force_login(office)
    due = first_deadline_shown(client, case)
    CalendarDay.objects.create(date=datetime.date.fromisoformat(due), is_working_day=False)
    moved = first_deadline_shown(client, case)
    assert moved > due


# --- Admin pages of what the stamp does not follow -----------------------------------------


def test_the_security_log_shows_a_new_event_at_once(client, auditor):
    """The audit log, the accounts' tokens and lockouts are not registers: no change to
    them moves the stamp, so their admin pages are never kept."""
    client.force_login(auditor)
    assert "unknown_t" not in client.get("/admin/audit/securityevent/").content.decode()
    record(Event.LOGIN, outcome=Outcome.FAILURE, username="unknown_t")
    assert "unknown_t" in client.get("/admin/audit/securityevent/").content.decode()
