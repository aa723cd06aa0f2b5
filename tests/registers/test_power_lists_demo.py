"""The demo power lists: idempotent, with a 2016–2017 history the as-of counts reflect."""

import datetime
import io
from types import SimpleNamespace

import pytest
from django.core.management import call_command
from django.test import override_settings

from registers.core.status import Status
from registers.demo import power_lists
from registers.demo import units as units_demo
from registers.models import (
    AdjustmentKind,
    ListKind,
    ListLevel,
    PowerAdjustment,
    PowerItem,
    ResponsibilityItem,
    TownshipDuty,
    UnitKind,
)

END_2016 = datetime.date(2016, 12, 31)
END_2017 = datetime.date(2017, 12, 31)


def snapshot():
    return (
        sorted(
            PowerItem.objects.values_list(
                "unit__code", "list_kind", "code", "version", "effective_from", "closed_on", "name"
            )
        ),
        sorted(PowerAdjustment.objects.values_list("item__code", "kind", "adjusted_on")),
        ResponsibilityItem.objects.count(),
        PowerItem.history.count(),
        PowerAdjustment.history.count(),
        ResponsibilityItem.history.count(),
    )


def load_power_lists():
    """The units, the accounts and this module only, so other registers' demos don't slow it."""
    command = SimpleNamespace(stdout=io.StringIO())
    units = units_demo.load(command)
    power_lists.load(command, units)
    return command.stdout.getvalue()


@pytest.fixture
def demo(db):
    return load_power_lists()


def test_loading_the_demo_twice_changes_nothing(demo):
    first = snapshot()
    assert load_power_lists() == demo
    assert snapshot() == first


@override_settings(DEBUG=True)
def test_load_demo_loads_the_power_lists(db):
    output = io.StringIO()
    call_command("load_demo", stdout=output)
    assert PowerItem.objects.township_level().exists()
    assert "权责清单等（截至2017-12-31）" in output.getvalue()


def test_every_demo_item_came_into_force_through_an_adjustment(demo):
    assert not PowerItem.objects.filter(origin__isnull=True).exists()
    assert not PowerItem.objects.exclude(status=Status.APPROVED).exists()


def test_the_2017_adjustments_change_the_year_end_counts(demo):
    adjusted_2017 = {
        row["kind"]: row["count"]
        for row in PowerAdjustment.objects.adjusted_in(2017).count_by("kind")
    }
    closing = adjusted_2017[AdjustmentKind.CANCEL] + adjusted_2017[AdjustmentKind.DELEGATE]
    added_district = (
        PowerAdjustment.objects.adjusted_in(2017)
        .of_kind(AdjustmentKind.ADD)
        .exclude(item__unit__kind=UnitKind.TOWNSHIP)
        .count()
    )
    assert adjusted_2017[AdjustmentKind.CANCEL] >= 1 and adjusted_2017[AdjustmentKind.DELEGATE] >= 1

    district_2016 = PowerItem.objects.as_of(END_2016).at_level(ListLevel.DISTRICT).count()
    district_2017 = PowerItem.objects.as_of(END_2017).at_level(ListLevel.DISTRICT).count()
    assert district_2017 == district_2016 - closing + added_district
    assert district_2017 != district_2016


def test_the_township_list_starts_in_2017_with_its_three_kinds_of_duty(demo):
    assert not PowerItem.objects.as_of(END_2016).township_level().exists()
    duties = {
        row["township_duty"]
        for row in PowerItem.objects.as_of(END_2017).township_level().count_by("township_duty")
    }
    assert duties == set(TownshipDuty.values)
    delegated = PowerItem.objects.as_of(END_2017).township_level().get(code="CF-001")
    assert delegated.predecessor.unit.code == "D23"


def test_the_demo_has_all_three_kinds_of_list(demo):
    kinds = {row["list_kind"] for row in PowerItem.objects.as_of(END_2017).count_by("list_kind")}
    assert kinds == set(ListKind.values)


def test_the_demo_items_are_those_declared_in_the_module(demo):
    declared = {(spec.unit, spec.list_kind, spec.code) for spec in power_lists.ITEMS}
    first_versions = set(
        PowerItem.objects.filter(version=1)
        .exclude(origin__kind=AdjustmentKind.DELEGATE)
        .values_list("unit__code", "list_kind", "code")
    )
    assert first_versions == declared
