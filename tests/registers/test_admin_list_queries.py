"""The admin's lists of the largest registers cost the same number of queries for a few
records as for many, and their date hierarchy (years and months read by index probes,
``registers/templatetags/admin_dates.py``) shows exactly what Django's own tag shows."""

import datetime

import pytest
from django.contrib import admin
from django.contrib.admin.templatetags import admin_list
from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from registers.models import Document, DocumentChange, DocumentChangeKind
from registers.templatetags import admin_dates
from reviews.models import GovernmentContract
from tests.factories import make_contract, make_document, make_unit

D = datetime.date

#: Dates spread over years with gaps (2013, 2014, 2016 have none) and over months.
DATES = [D(2012, 5, 4), D(2015, 1, 1), D(2015, 12, 31), D(2015, 6, 30), D(2017, 3, 20)]

#: The pages measured: each model's list plain, searched, filtered, and one year of it.
LISTS = [
    ("registers_document", {}),
    ("registers_document", {"q": "办法"}),
    ("registers_document", {"status__exact": "approved"}),
    ("registers_document", {"issued_on__year": "2015"}),
    ("reviews_governmentcontract", {}),
    ("reviews_governmentcontract", {"q": "合同"}),
]

#: The most queries a list page may take (session, user, units, count, rows, the date
#: hierarchy's bounds and probes, the calendar…), whatever the number of records.
MAX_QUERIES = 14


def add_records(model: str, count: int, *, start: int = 0) -> None:
    for n in range(start, start + count):
        unit = make_unit()
        day = DATES[n % len(DATES)]
        if model == "registers_document":
            document = make_document(unit, issued_on=day, effective_on=day, valid_until=day)
            DocumentChange.objects.create(
                document=document, kind=DocumentChangeKind.AMENDMENT_PLANNED, changed_on=day
            )
        else:
            make_contract(unit, signed_on=day)


@pytest.mark.parametrize(("model", "query"), LISTS)
def test_a_lists_queries_do_not_grow_with_its_records(
    client, office, model, query, django_assert_max_num_queries
):
    client.force_login(office)
    url = reverse(f"admin:{model}_changelist")
    add_records(model, 3)
    client.get(url, query)  # the session's end pushed on (at most once a minute)
    with django_assert_max_num_queries(MAX_QUERIES) as few:
        assert client.get(url, query).status_code == 200
    add_records(model, 40, start=3)
    with CaptureQueriesContext(connection) as many:
        response = client.get(url, query)
    assert response.status_code == 200
    assert len(many) == len(few)


@pytest.mark.parametrize(("model", "query"), LISTS)
def test_a_liaisons_list_costs_no_more(
    client, liaison, model, query, django_assert_max_num_queries
):
    client.force_login(liaison)
    add_records(model, 20)
    with django_assert_max_num_queries(MAX_QUERIES):
        assert client.get(reverse(f"admin:{model}_changelist"), query).status_code == 200


def test_the_document_list_reads_no_changes(client, office):
    """The list shows the status the query computes; the changes are read on a record's
    page only (its explanation of the status)."""
    client.force_login(office)
    add_records("registers_document", 5)
    with CaptureQueriesContext(connection) as captured:
        client.get(reverse("admin:registers_document_changelist"))
    reads_changes = 'SELECT "registers_documentchange".'
    assert not [q for q in captured if q["sql"].startswith(reads_changes)]
    document = Document.objects.first()
    with CaptureQueriesContext(connection) as captured:
        page = client.get(reverse("admin:registers_document_change", args=[document.pk]))
    assert page.status_code == 200
    assert [q for q in captured if q["sql"].startswith(reads_changes)]


def test_the_list_pages_years_are_probed_not_truncated_from_every_row(client, office):
    """The page itself uses the probing tag (a template that loads Django's ``admin_list``
    after it would silently put Django's back: a ``DATE_TRUNC`` over every row shown)."""
    client.force_login(office)
    add_records("registers_document", 5)
    with CaptureQueriesContext(connection) as captured:
        page = client.get(reverse("admin:registers_document_changelist"))
    assert "?issued_on__year=2015" in page.content.decode()
    assert not [q for q in captured if "date_trunc" in q["sql"].lower()]


# --- The probed date hierarchy against Django's --------------------------------------------


def changelist(model, user, query):
    model_admin = admin.site._registry[model]
    request = RequestFactory().get("/", query)
    request.user = user
    return model_admin.get_changelist_instance(request)


HIERARCHIES = [
    {},
    {"issued_on__year": "2015"},
    {"issued_on__year": "2013"},  # a year without documents: no months
    {"issued_on__year": "2015", "issued_on__month": "12"},  # days: Django's own
    {"status__exact": "approved"},
    {"q": "办法"},
    {"q": "没有这样的文件"},  # nothing found: no years
    {"unit__kind__exact": "township"},  # no township's documents: nothing
]


@pytest.mark.parametrize("query", HIERARCHIES)
def test_the_years_and_months_are_djangos(office, query):
    add_records("registers_document", 12)
    make_document(make_unit(), issued_on=D(2016, 8, 1), status="draft")
    cl = changelist(Document, office, query)
    assert admin_dates.date_hierarchy(cl) == admin_list.date_hierarchy(cl)


def test_the_years_are_the_liaisons_own(liaison, unit_a):
    for day in (D(2012, 1, 1), D(2014, 7, 1)):
        make_document(unit_a, issued_on=day, effective_on=day, valid_until=day)
    add_records("registers_document", 10)  # other units' years: 2015, 2017
    cl = changelist(Document, liaison, {})
    shown = admin_dates.date_hierarchy(cl)
    assert [choice["title"] for choice in shown["choices"]] == ["2012", "2014"]
    assert shown == admin_list.date_hierarchy(cl)


def test_one_year_starts_at_its_months_and_one_month_at_its_days_as_django_does(office):
    make_document(make_unit(), issued_on=D(2017, 3, 20))
    make_document(make_unit(), issued_on=D(2017, 3, 22))
    cl = changelist(Document, office, {})
    assert admin_dates.probed_date_hierarchy(cl) is None  # the days: left to Django's tag
    assert admin_dates.date_hierarchy(cl) == admin_list.date_hierarchy(cl)

    make_document(make_unit(), issued_on=D(2017, 9, 1))
    cl = changelist(Document, office, {})
    shown = admin_dates.probed_date_hierarchy(cl)
    assert len(shown["choices"]) == 2  # March and September
    assert shown == admin_list.date_hierarchy(cl)


def test_the_contracts_years_and_the_page(client, office):
    add_records("reviews_governmentcontract", 10)
    make_contract(make_unit(), signed_on=None)  # unsigned: in no year
    cl = changelist(GovernmentContract, office, {})
    assert admin_dates.date_hierarchy(cl) == admin_list.date_hierarchy(cl)
    client.force_login(office)
    page = client.get(reverse("admin:reviews_governmentcontract_changelist")).content.decode()
    for year in (2012, 2015, 2017):
        assert f"signed_on__year={year}" in page
    assert "signed_on__year=2013" not in page


def test_a_date_without_an_index_is_left_to_django():
    assert admin_dates.has_leading_index(Document, Document._meta.get_field("issued_on"))
    assert admin_dates.has_leading_index(
        GovernmentContract, GovernmentContract._meta.get_field("signed_on")
    )
    assert not admin_dates.has_leading_index(Document, Document._meta.get_field("valid_until"))
