"""The power list as of a date: what is listed and counted, before and after adjustments."""

import datetime

import pytest

from registers.core.status import Status
from registers.models import (
    AdjustmentKind,
    AdjustmentReason,
    ListKind,
    ListLevel,
    PowerAdjustment,
    PowerCategory,
    PowerItem,
    TownshipDuty,
    UnitKind,
)
from registers.power_services import adjust_item
from tests.factories import make_power_item, make_unit

END_2016 = datetime.date(2016, 12, 31)
END_2017 = datetime.date(2017, 12, 31)
END_2018 = datetime.date(2018, 12, 31)


@pytest.fixture
def township(db):
    return make_unit(name="横沟桥镇（测试）", code="TT", kind=UnitKind.TOWNSHIP)


@pytest.fixture
def lists(unit_a, unit_b, township):
    """Two departments' lists and a township's, as published from 2016 and changed in 2017."""
    return {
        "a_penalty": make_power_item(unit_a, code="CF-001"),
        "a_licence": make_power_item(unit_a, code="XK-001", category=PowerCategory.LICENSING),
        "a_added_2017": make_power_item(
            unit_a, code="CF-002", effective_from=datetime.date(2017, 6, 1)
        ),
        "b_inspection": make_power_item(unit_b, code="JC-001", category=PowerCategory.INSPECTION),
        "b_fee": make_power_item(
            unit_b,
            code="SF-001",
            list_kind=ListKind.FEE,
            category="",
            name="城市道路占用费",
            fee_standard="按占用面积和时间计收",
        ),
        "b_draft": make_power_item(unit_b, code="CF-009", status=Status.DRAFT),
        "township_basic": make_power_item(
            township,
            code="CJ-001",
            category=PowerCategory.ADJUDICATION,
            township_duty=TownshipDuty.BASIC,
            effective_from=datetime.date(2017, 9, 1),
        ),
    }


def adjust(item, kind, on, office, **kwargs):
    return adjust_item(
        item,
        kind,
        on=on,
        reason="测试调整",
        reason_kind=AdjustmentReason.LAW_CHANGED,
        document_number="咸安审改办〔2018〕1号",
        by=office,
        **kwargs,
    )


def adjust_in_2018(lists, office, township):
    adjust(lists["a_penalty"], AdjustmentKind.CANCEL, datetime.date(2018, 3, 1), office)
    adjust(
        lists["a_licence"],
        AdjustmentKind.AMEND,
        datetime.date(2018, 4, 1),
        office,
        changes={"category": PowerCategory.OTHER, "name": "备案"},
    )
    adjust(
        lists["b_inspection"],
        AdjustmentKind.DELEGATE,
        datetime.date(2018, 5, 1),
        office,
        receiving_units=[township],
    )


def counts(day, *dimensions):
    return {
        tuple(row[name] for name in dimensions): row["count"]
        for row in PowerItem.objects.counts_as_of(day, *dimensions)
    }


def test_the_list_as_of_a_date_holds_approved_items_in_force_that_day(lists):
    as_of_2016 = set(PowerItem.objects.as_of(END_2016))
    as_of_2017 = set(PowerItem.objects.approved().in_force_on(END_2017))
    assert as_of_2016 == {lists[k] for k in ("a_penalty", "a_licence", "b_inspection", "b_fee")}
    assert as_of_2017 == as_of_2016 | {lists["a_added_2017"], lists["township_basic"]}
    assert lists["b_draft"] not in as_of_2017


def test_counts_by_unit_category_level_and_list_kind(lists, unit_a, unit_b, township):
    assert counts(END_2017, "unit") == {(unit_a.pk,): 3, (unit_b.pk,): 2, (township.pk,): 1}
    assert counts(END_2017, "level", "list_kind") == {
        (ListLevel.DISTRICT, ListKind.POWER): 4,
        (ListLevel.DISTRICT, ListKind.FEE): 1,
        (ListLevel.TOWNSHIP, ListKind.POWER): 1,
    }
    assert PowerItem.objects.as_of(END_2017).power_list().count_by("level", "category") == [
        {"level": ListLevel.DISTRICT, "category": PowerCategory.INSPECTION, "count": 1},
        {"level": ListLevel.DISTRICT, "category": PowerCategory.LICENSING, "count": 1},
        {"level": ListLevel.DISTRICT, "category": PowerCategory.PENALTY, "count": 2},
        {"level": ListLevel.TOWNSHIP, "category": PowerCategory.ADJUDICATION, "count": 1},
    ]
    assert counts(END_2016, "level") == {(ListLevel.DISTRICT,): 4}


def test_counting_is_one_aggregate_query(lists, django_assert_num_queries):
    with django_assert_num_queries(1):
        PowerItem.objects.counts_as_of(END_2017, "unit", "level", "category", "list_kind")


def test_counting_by_an_unknown_dimension_is_a_programming_error(lists):
    with pytest.raises(ValueError, match="status"):
        PowerItem.objects.count_by("status")


def test_adjustments_in_2018_leave_the_2017_counts_unchanged(lists, office, township):
    dimensions = ("unit", "level", "category", "list_kind")
    before_2016, before_2017 = counts(END_2016, *dimensions), counts(END_2017, *dimensions)
    listed_2017 = set(PowerItem.objects.as_of(END_2017))

    adjust_in_2018(lists, office, township)

    assert counts(END_2016, *dimensions) == before_2016
    assert counts(END_2017, *dimensions) == before_2017
    assert set(PowerItem.objects.as_of(END_2017)) == listed_2017


def test_adjustments_in_2018_change_the_2018_counts(lists, office, unit_a, unit_b, township):
    adjust_in_2018(lists, office, township)

    # unit_a: penalty cancelled, licence replaced by an "other" version; unit_b: inspection
    # delegated to the township, fee item unchanged.
    assert counts(END_2018, "unit") == {(unit_a.pk,): 2, (unit_b.pk,): 1, (township.pk,): 2}
    assert counts(END_2018, "unit", "category")[(unit_a.pk, PowerCategory.OTHER)] == 1
    assert (unit_a.pk, PowerCategory.LICENSING) not in counts(END_2018, "unit", "category")
    assert counts(END_2018, "level", "list_kind") == {
        (ListLevel.DISTRICT, ListKind.POWER): 2,
        (ListLevel.DISTRICT, ListKind.FEE): 1,
        (ListLevel.TOWNSHIP, ListKind.POWER): 2,
    }


def test_an_item_is_in_force_up_to_the_day_before_its_adjustment(lists, office):
    item = lists["a_penalty"]
    adjust(item, AdjustmentKind.CANCEL, datetime.date(2018, 3, 1), office)
    item.refresh_from_db()
    assert item.is_in_force_on(datetime.date(2018, 2, 28))
    assert not item.is_in_force_on(datetime.date(2018, 3, 1))
    assert PowerItem.objects.as_of(datetime.date(2018, 2, 28)).filter(pk=item.pk).exists()
    assert not PowerItem.objects.as_of(datetime.date(2018, 3, 1)).filter(pk=item.pk).exists()


def test_adjustments_are_counted_by_year_and_kind(lists, office, township, unit_a):
    adjust_in_2018(lists, office, township)
    rows = PowerAdjustment.objects.adjusted_in(2018).count_by("kind")
    assert rows == [
        {"kind": AdjustmentKind.AMEND, "count": 1},
        {"kind": AdjustmentKind.CANCEL, "count": 1},
        {"kind": AdjustmentKind.DELEGATE, "count": 1},
    ]
    # The 2017 additions: the item added in June and the township's list from September.
    additions_2017 = PowerAdjustment.objects.adjusted_in(2017).count_by("unit", "kind")
    assert additions_2017 == [
        {"unit": unit_a.pk, "kind": AdjustmentKind.ADD, "count": 1},
        {"unit": township.pk, "kind": AdjustmentKind.ADD, "count": 1},
    ]
