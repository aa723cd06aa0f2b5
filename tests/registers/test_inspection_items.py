"""The random-inspection item list: the published list of a year and its counts."""

import datetime

import pytest
from django.db import IntegrityError

from registers.core.status import Status
from registers.models import InspectionItem, InspectionKind
from tests.factories import make_item


def test_published_list_counts_approved_items_of_the_year_as_of_31_december(unit_a, unit_b):
    make_item(unit_a, kind=InspectionKind.ADMINISTRATIVE)
    make_item(unit_a, kind=InspectionKind.ADMINISTRATIVE)
    make_item(unit_b, kind=InspectionKind.OTHER)
    make_item(unit_b, kind=InspectionKind.ADMINISTRATIVE, cancelled_on=datetime.date(2018, 3, 1))
    # Not counted: a draft, a cancelled item, another year's list, an unpublished one.
    make_item(unit_a, status=Status.DRAFT)
    make_item(unit_a, cancelled_on=datetime.date(2017, 11, 1))
    make_item(unit_a, year=2018, published_on=datetime.date(2018, 5, 1))
    make_item(unit_a, published_on=None)

    tally = InspectionItem.objects.published_list(2017).tally()

    assert tally.total == 4
    assert tally.count(InspectionKind.ADMINISTRATIVE) == 3
    assert tally.count(InspectionKind.OTHER) == 1
    assert tally.by_unit[unit_a.name] == {InspectionKind.ADMINISTRATIVE: 2}
    assert tally.by_unit[unit_b.name] == {
        InspectionKind.ADMINISTRATIVE: 1,
        InspectionKind.OTHER: 1,
    }
    assert tally.parts_add_up


def test_tally_is_one_query(unit_a, django_assert_num_queries):
    make_item(unit_a)
    with django_assert_num_queries(1):
        InspectionItem.objects.published_list(2017).tally()


def test_ratio_must_be_a_percentage_above_zero(unit_a):
    with pytest.raises(IntegrityError):
        make_item(unit_a, ratio=0)
