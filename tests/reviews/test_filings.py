"""Filing (报备) of issued normative documents: due dates across holidays, on time or late."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.test import override_settings
from django.urls import reverse

from registers.core.models import CalendarDay
from registers.core.status import Status
from registers.models import DocumentKind
from reviews.models import Filing, FilingAuthority, FilingTimeliness, ReviewKind, ReviewResult
from reviews.services.documents import open_filing, record_issued_document
from tests.factories import make_document, make_filing, make_legality_review, make_unit

D = datetime.date

# Issued Monday 18 September 2017: day 15 is 3 October, inside the National Day holiday
# (1–8 October 2017), so the period ends on Monday 9 October.
ISSUED_BEFORE_NATIONAL_DAY = D(2017, 9, 18)


@pytest.fixture
def government(db):
    return make_unit(name="区政府（测试）", code="G01T")


@pytest.fixture
def document(government):
    return make_document(government, issued_on=ISSUED_BEFORE_NATIONAL_DAY)


def test_the_due_date_rolls_over_the_national_day_holiday(document):
    filing = make_filing(document)
    assert filing.due_on == D(2017, 10, 9)
    explanation = filing.due_deadline().explain()
    assert "2017-10-03" in explanation and "2017-10-09" in explanation


def test_filing_on_the_first_working_day_after_the_holiday_is_on_time(document):
    on_time = make_filing(document, filed_on=D(2017, 10, 9))
    late = make_filing(
        make_document(document.unit, issued_on=ISSUED_BEFORE_NATIONAL_DAY),
        filed_on=D(2017, 10, 10),
    )
    assert on_time.timeliness_on(D(2017, 12, 31)) == FilingTimeliness.ON_TIME
    assert late.timeliness_on(D(2017, 12, 31)) == FilingTimeliness.LATE
    assert list(Filing.objects.on_time()) == [on_time]
    assert list(Filing.objects.late()) == [late]


def test_an_unfiled_document_is_awaiting_until_the_due_date_then_overdue(document):
    filing = make_filing(document)
    assert filing.timeliness_on(D(2017, 10, 9)) == FilingTimeliness.AWAITING
    assert filing.timeliness_on(D(2017, 10, 10)) == FilingTimeliness.OVERDUE
    assert not Filing.objects.overdue(D(2017, 10, 9)).exists()
    assert list(Filing.objects.overdue(D(2017, 10, 10))) == [filing]
    assert list(Filing.objects.awaiting_filing()) == [filing]


def test_the_deadline_board_window_lists_unfiled_filings_due_by_a_day(document):
    due_soon = make_filing(document)
    make_filing(
        make_document(document.unit, issued_on=ISSUED_BEFORE_NATIONAL_DAY),
        filed_on=D(2017, 9, 30),
    )
    later = make_filing(make_document(document.unit, issued_on=D(2017, 10, 20)))
    assert list(Filing.objects.due_by(D(2017, 10, 9))) == [due_soon]
    assert set(Filing.objects.due_by(D(2017, 11, 30))) == {due_soon, later}


def test_a_calendar_change_moves_an_open_due_date(document):
    filing = make_filing(document)
    CalendarDay.objects.create(date=D(2017, 10, 9), is_working_day=False, note="测试调整")
    reloaded = Filing.objects.get(pk=filing.pk)
    assert reloaded.due_on == D(2017, 10, 10)
    assert Filing.objects.due_dates() == {filing.pk: D(2017, 10, 10)}


@override_settings(
    LAWGOV={
        "FILING_DAYS": 30,
        "DOCUMENT_VALIDITY_YEARS": 5,
        "PROVISIONAL_DOCUMENT_VALIDITY_YEARS": 2,
    }
)
def test_the_number_of_days_is_a_setting(document):
    # 30 days after 18 September 2017 is Wednesday 18 October.
    assert make_filing(document).due_on == D(2017, 10, 18)


def test_figures_for_a_year_count_by_filing_date_with_timeliness(government):
    make_filing(make_document(government, issued_on=D(2017, 3, 20)), filed_on=D(2017, 3, 29))
    make_filing(make_document(government, issued_on=D(2017, 6, 1)), filed_on=D(2017, 7, 20))
    make_filing(make_document(government, issued_on=D(2017, 12, 20)), filed_on=D(2018, 1, 3))
    make_filing(make_document(government, issued_on=D(2017, 12, 22)))
    make_filing(
        make_document(government, issued_on=D(2017, 5, 2)),
        filed_on=D(2017, 5, 10),
        status=Status.DRAFT,
    )
    figures = Filing.objects.approved().filed_in(2017).figures()
    assert figures == {"filed": 2, "on_time": 1, "late": 1}
    assert Filing.objects.approved().filed_in(2017).on_time().count() == 1


def test_only_normative_documents_are_filed(government):
    notice = make_document(government, kind=DocumentKind.NON_NORMATIVE)
    filing = Filing(document=notice)
    with pytest.raises(ValidationError) as caught:
        filing.full_clean()
    codes = [error.code for error in caught.value.error_dict["document"]]
    assert "not_normative" in codes


def test_a_filing_cannot_predate_the_document(document):
    filing = Filing(document=document, filed_on=D(2017, 9, 1))
    with pytest.raises(ValidationError, match="不能早于文件印发日期"):
        filing.full_clean()


def test_a_filing_belongs_to_the_documents_issuer(document):
    filing = Filing(document=document)
    filing.full_clean()
    filing.save()
    assert filing.unit == document.unit


def test_linking_a_reviewed_normative_draft_to_its_document_opens_the_filing(document, office):
    review = make_legality_review(
        document.unit,
        kind=ReviewKind.NORMATIVE,
        received_on=D(2017, 9, 1),
        completed_on=D(2017, 9, 8),
        result=ReviewResult.AGREED_AFTER_CHANGES,
    )
    record_issued_document(review, document, by=office)
    filing = Filing.objects.get(document=document)
    assert filing.filed_with == FilingAuthority.MUNICIPAL_GOVERNMENT
    assert filing.filed_on is None
    assert filing.status == Status.APPROVED
    # Opening it again finds the same obligation.
    assert open_filing(document, by=office) == filing


@pytest.mark.parametrize("timeliness", [None, "overdue"])
def test_filing_changelist_queries_do_not_grow_with_rows(
    client, office, government, timeliness, django_assert_max_num_queries
):
    """Every row's due date and timeliness are counted on the request's one calendar."""
    url = reverse("admin:reviews_filing_changelist")
    query = {"timeliness": timeliness} if timeliness else {}
    client.force_login(office)
    make_filing(make_document(government, issued_on=datetime.date(2017, 9, 20)))
    with django_assert_max_num_queries(40) as one_row:
        assert client.get(url, query).status_code == 200
    for _ in range(15):
        make_filing(make_document(government, issued_on=datetime.date(2017, 9, 20)))
    with django_assert_max_num_queries(len(one_row.captured_queries)):
        page = client.get(url, query).content.decode()
    assert page.count("2017年10月9日") == 16
