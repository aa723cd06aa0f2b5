"""The register's status of a document on any date, and its default validity."""

import datetime

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.test import override_settings

from registers.models import (
    Document,
    DocumentChange,
    DocumentChangeKind,
    DocumentKind,
    DocumentStatus,
)
from tests.factories import make_document, make_unit

D = datetime.date


@pytest.fixture
def government(db):
    return make_unit(name="区政府（测试）", code="G01T")


def status_in_sql(document, day):
    return Document.objects.with_status_as_of(day).get(pk=document.pk).status_as_of


def assert_status(document, day, expected):
    """Python and SQL must agree, or counts would differ from the change page."""
    document = Document.objects.prefetch_related("changes").get(pk=document.pk)
    assert document.status_on(day) == expected
    assert status_in_sql(document, day) == (expected.value if expected else None)


def test_default_validity_is_five_years_from_the_effective_date(government):
    document = make_document(government, title="咸安区城区养犬管理办法", issued_on=D(2017, 3, 1))
    assert document.effective_on == D(2017, 3, 1)
    assert document.valid_until == D(2022, 2, 28)


@pytest.mark.parametrize(
    ("effective_on", "valid_until"),
    [
        (D(2024, 2, 28), D(2029, 2, 27)),
        # No 29 February in 2029: five years begun on the 29th end on the 28th (民法典
        # 第二百零三条: with no matching day, the month's last), a day after the 28th's.
        (D(2024, 2, 29), D(2029, 2, 28)),
        (D(2024, 3, 1), D(2029, 2, 28)),
    ],
)
def test_default_validity_around_29_february(government, effective_on, valid_until):
    document = make_document(government, title="管理办法", issued_on=effective_on)
    assert document.valid_until == valid_until


@pytest.mark.parametrize("word", ["暂行", "试行"])
def test_provisional_documents_are_valid_for_two_years(government, word):
    document = make_document(
        government, title=f"咸安区行政执法全过程记录{word}办法", issued_on=D(2017, 6, 15)
    )
    assert document.valid_until == D(2019, 6, 14)


@override_settings(
    LAWGOV={
        "FILING_DAYS": 15,
        "DOCUMENT_VALIDITY_YEARS": 3,
        "PROVISIONAL_DOCUMENT_VALIDITY_YEARS": 1,
    }
)
def test_default_validity_follows_the_settings(government):
    ordinary = make_document(government, title="管理办法", issued_on=D(2017, 6, 15))
    provisional = make_document(government, title="暂行办法", issued_on=D(2017, 6, 15))
    assert (ordinary.valid_until, provisional.valid_until) == (D(2020, 6, 14), D(2018, 6, 14))


def test_an_explicit_valid_until_is_kept(government):
    document = make_document(government, issued_on=D(2017, 6, 15), valid_until=D(2018, 12, 31))
    assert document.valid_until == D(2018, 12, 31)


def test_a_document_becomes_expired_the_day_after_valid_until_without_any_job(government):
    document = make_document(
        government, issued_on=D(2017, 3, 1), effective_on=D(2017, 4, 1), valid_until=D(2019, 3, 31)
    )
    assert_status(document, D(2017, 2, 28), None)
    assert_status(document, D(2017, 3, 15), DocumentStatus.PENDING)
    assert_status(document, D(2017, 4, 1), DocumentStatus.IN_FORCE)
    assert_status(document, D(2019, 3, 31), DocumentStatus.IN_FORCE)
    assert_status(document, D(2019, 4, 1), DocumentStatus.EXPIRED)


def test_today_status_follows_the_clock(government):
    document = make_document(government, issued_on=D(2017, 3, 1), valid_until=D(2019, 3, 31))
    with time_machine.travel(D(2019, 3, 31)):
        assert document.status_today == DocumentStatus.IN_FORCE
    with time_machine.travel(D(2019, 4, 1)):
        assert document.status_today == DocumentStatus.EXPIRED


def test_repeal_by_a_later_document_applies_from_its_date(government):
    old = make_document(government, issued_on=D(2015, 1, 19))
    new = make_document(government, issued_on=D(2017, 5, 2))
    DocumentChange.objects.create(
        document=old, kind=DocumentChangeKind.REPEALED, changed_on=D(2017, 6, 1), by_document=new
    )
    assert_status(old, D(2017, 5, 31), DocumentStatus.IN_FORCE)
    assert_status(old, D(2017, 6, 1), DocumentStatus.REPEALED)
    # Repeal outranks a later end of validity: the document stays 废止.
    assert_status(old, D(2021, 1, 1), DocumentStatus.REPEALED)
    assert list(new.changes_made.values_list("document", flat=True)) == [old.pk]


def test_amendment_shows_from_its_date_until_the_document_expires(government):
    original = make_document(government, issued_on=D(2016, 1, 18))
    amending = make_document(government, issued_on=D(2017, 9, 1))
    DocumentChange.objects.create(
        document=original,
        kind=DocumentChangeKind.AMENDED,
        changed_on=D(2017, 9, 1),
        by_document=amending,
    )
    assert_status(original, D(2017, 8, 31), DocumentStatus.IN_FORCE)
    assert_status(original, D(2017, 9, 1), DocumentStatus.AMENDED)
    assert_status(original, D(2021, 1, 18), DocumentStatus.EXPIRED)


def test_a_declared_expiry_ends_a_document_before_its_valid_until(government):
    document = make_document(government, issued_on=D(2016, 1, 18))
    DocumentChange.objects.create(
        document=document, kind=DocumentChangeKind.EXPIRED, changed_on=D(2017, 11, 30), basis="清理"
    )
    assert_status(document, D(2017, 11, 29), DocumentStatus.IN_FORCE)
    assert_status(document, D(2017, 11, 30), DocumentStatus.EXPIRED)


def test_marked_for_amendment_keeps_the_document_in_force_until_it_is_amended(government):
    document = make_document(government, issued_on=D(2016, 1, 18))
    amending = make_document(government, issued_on=D(2018, 3, 1))
    DocumentChange.objects.create(
        document=document, kind=DocumentChangeKind.AMENDMENT_PLANNED, changed_on=D(2017, 11, 30)
    )
    document = Document.objects.prefetch_related("changes").get(pk=document.pk)
    assert document.status_on(D(2017, 12, 1)) == DocumentStatus.IN_FORCE
    assert document.is_marked_for_amendment_on(D(2017, 12, 1))

    DocumentChange.objects.create(
        document=document,
        kind=DocumentChangeKind.AMENDED,
        changed_on=D(2018, 3, 1),
        by_document=amending,
    )
    document = Document.objects.prefetch_related("changes").get(pk=document.pk)
    assert not document.is_marked_for_amendment_on(D(2018, 3, 1))
    assert document.status_on(D(2018, 3, 1)) == DocumentStatus.AMENDED


def test_counts_by_status_on_a_date_do_not_change_when_later_events_are_recorded(government):
    in_force = make_document(government, issued_on=D(2016, 1, 4))
    make_document(government, issued_on=D(2012, 3, 1))  # expired 2017-02-28
    make_document(government, issued_on=D(2018, 1, 5))  # not yet issued at the end of 2017
    make_document(government, issued_on=D(2017, 12, 20), effective_on=D(2018, 1, 20))
    year_end = D(2017, 12, 31)
    before = Document.objects.status_counts_on(year_end)
    assert before[DocumentStatus.IN_FORCE] == 1
    assert before[DocumentStatus.EXPIRED] == 1
    assert before[DocumentStatus.PENDING] == 1
    assert sum(before.values()) == 3

    DocumentChange.objects.create(
        document=in_force, kind=DocumentChangeKind.REPEALED, changed_on=D(2018, 6, 1)
    )
    assert Document.objects.status_counts_on(year_end) == before
    assert Document.objects.status_counts_on(D(2018, 6, 1))[DocumentStatus.REPEALED] == 1


def test_status_counts_are_one_query(government, django_assert_num_queries):
    for year in (2013, 2015, 2017):
        make_document(government, issued_on=D(year, 5, 4))
    with django_assert_num_queries(1):
        Document.objects.status_counts_on(D(2018, 12, 31))


def test_in_force_on_includes_amended_documents(government):
    amended = make_document(government, issued_on=D(2016, 1, 4))
    amending = make_document(government, issued_on=D(2017, 2, 3))
    DocumentChange.objects.create(
        document=amended,
        kind=DocumentChangeKind.AMENDED,
        changed_on=D(2017, 2, 3),
        by_document=amending,
    )
    make_document(government, issued_on=D(2010, 1, 4))
    in_force = set(Document.objects.in_force_on(D(2017, 6, 1)).values_list("pk", flat=True))
    assert in_force == {amended.pk, amending.pk}


def test_the_number_year_must_match_the_issue_year(government):
    document = Document(
        unit=government,
        title="咸安区城区养犬管理办法",
        number="咸安政规〔2016〕1号",
        kind=DocumentKind.NORMATIVE,
        issued_on=D(2017, 1, 5),
    )
    with pytest.raises(ValidationError) as caught:
        document.full_clean()
    assert caught.value.error_dict["number"][0].code == "number_year_mismatch"


def test_a_bracket_variant_is_stored_normalised_and_cannot_duplicate(government):
    make_document(government, number="咸安政规〔2017〕1号", issued_on=D(2017, 3, 20))
    twin = Document(
        unit=government,
        title="另一份文件",
        number="咸安政规[2017]1号",
        kind=DocumentKind.NORMATIVE,
        issued_on=D(2017, 3, 21),
    )
    with pytest.raises(ValidationError) as caught:
        twin.full_clean()
    assert twin.number == "咸安政规〔2017〕1号"
    assert "number" in caught.value.error_dict


def test_a_change_cannot_predate_the_document_or_rely_on_a_later_one(government):
    document = make_document(government, issued_on=D(2017, 3, 20))
    later = make_document(government, issued_on=D(2017, 9, 1))
    early = DocumentChange(
        document=document, kind=DocumentChangeKind.REPEALED, changed_on=D(2017, 1, 1)
    )
    with pytest.raises(ValidationError, match="不能早于文件印发日期"):
        early.full_clean()
    premature = DocumentChange(
        document=document,
        kind=DocumentChangeKind.AMENDED,
        changed_on=D(2017, 6, 1),
        by_document=later,
    )
    with pytest.raises(ValidationError, match="晚于变动日期"):
        premature.full_clean()


def test_a_document_is_repealed_only_once(government):
    document = make_document(government, issued_on=D(2016, 1, 4))
    DocumentChange.objects.create(
        document=document, kind=DocumentChangeKind.REPEALED, changed_on=D(2017, 1, 5)
    )
    second = DocumentChange(
        document=document, kind=DocumentChangeKind.REPEALED, changed_on=D(2017, 2, 5)
    )
    with pytest.raises(ValidationError, match="已有废止记录"):
        second.full_clean()
