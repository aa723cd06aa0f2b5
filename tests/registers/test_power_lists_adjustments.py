"""Dynamic management: each kind of adjustment, and the refusals that write nothing."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from registers.core.status import Status
from registers.core.workflow import approve, submit
from registers.models import (
    AdjustmentKind,
    AdjustmentReason,
    PowerAdjustment,
    PowerCategory,
    PowerItem,
    ResponsibilityItem,
    ResponsibilityStage,
    TownshipDuty,
    UnitKind,
)
from registers.power_services import adjust_item
from tests.factories import make_power_item, make_unit

DAY = datetime.date(2017, 10, 1)


@pytest.fixture
def township(db):
    return make_unit(name="横沟桥镇（测试）", code="TT", kind=UnitKind.TOWNSHIP)


@pytest.fixture
def item(unit_a, office):
    item = make_power_item(
        unit_a,
        code="CF-001",
        name="对无照经营行为的处罚",
        legal_basis="《无照经营查处取缔办法》第十四条",
        created_by=office,
    )
    for stage in (ResponsibilityStage.FILING, ResponsibilityStage.DECISION):
        ResponsibilityItem.objects.create(item=item, stage=stage, duty=f"{stage.label}责任")
    return item


def adjust(item, kind, by, **overrides):
    arguments = {
        "on": DAY,
        "reason": "《无照经营查处办法》2017年10月1日起施行",
        "reason_kind": AdjustmentReason.LAW_CHANGED,
        "document_number": "咸安审改办〔2017〕5号",
    }
    arguments.update(overrides)
    return adjust_item(item, kind, by=by, **arguments)


def test_approving_a_proposed_item_records_its_addition(liaison, office):
    draft = PowerItem.objects.create(
        unit=liaison.unit,
        code="XK-009",
        name="网络预约出租汽车运输证核发",
        category=PowerCategory.LICENSING,
        legal_basis="《网络预约出租汽车经营服务管理暂行办法》第十二条",
        effective_from=datetime.date(2017, 3, 1),
        basis_document="咸安审改办〔2017〕2号",
        addition_reason="新规章施行，新增事项",
        created_by=liaison,
    )
    submit(draft, by=liaison)
    assert not PowerItem.objects.as_of(datetime.date(2017, 3, 1)).filter(pk=draft.pk).exists()

    approve(draft, by=office)

    addition = draft.origin
    assert (addition.kind, addition.item, addition.adjusted_on) == (
        AdjustmentKind.ADD,
        draft,
        datetime.date(2017, 3, 1),
    )
    assert (addition.document_number, addition.reason) == (
        "咸安审改办〔2017〕2号",
        "新规章施行，新增事项",
    )
    assert addition.created_by == office
    assert PowerItem.objects.as_of(datetime.date(2017, 3, 1)).filter(pk=draft.pk).exists()


def test_cancelling_closes_the_item_and_keeps_it(item, office):
    adjustment = adjust(item, AdjustmentKind.CANCEL, office)

    item.refresh_from_db()
    assert item.closed_on == DAY
    assert item.closing_adjustment == adjustment
    assert (adjustment.kind, adjustment.document_number, adjustment.created_by) == (
        AdjustmentKind.CANCEL,
        "咸安审改办〔2017〕5号",
        office,
    )
    assert not adjustment.created_items.exists()
    assert item.history.first().history_user == office


def test_amending_creates_a_new_version_from_the_adjustment_date(item, office):
    adjustment = adjust(
        item,
        AdjustmentKind.AMEND,
        office,
        changes={"legal_basis": "《无照经营查处办法》第十三条"},
    )

    item.refresh_from_db()
    new = adjustment.created_items.get()
    assert item.closed_on == DAY
    assert (new.effective_from, new.version, new.closed_on) == (DAY, 2, None)
    assert new.predecessor == item
    assert list(item.successors) == [new]
    assert (new.code, new.name, new.unit) == (item.code, item.name, item.unit)
    assert new.legal_basis == "《无照经营查处办法》第十三条"
    assert item.legal_basis == "《无照经营查处取缔办法》第十四条"
    assert (new.status, new.basis_document) == (Status.APPROVED, "咸安审改办〔2017〕5号")
    assert [(r.stage, r.duty) for r in new.responsibilities.all()] == [
        (r.stage, r.duty) for r in item.responsibilities.all()
    ]
    assert adjustment.change_lines == [
        "设定依据：《无照经营查处取缔办法》第十四条 → 《无照经营查处办法》第十三条"
    ]


def test_an_amended_item_can_be_adjusted_again_through_its_new_version(item, office):
    first = adjust(item, AdjustmentKind.AMEND, office, changes={"name": "无照经营处罚"})
    second_version = first.created_items.get()
    adjust(second_version, AdjustmentKind.CANCEL, office, on=datetime.date(2018, 1, 1))
    assert list(PowerItem.objects.filter(code="CF-001").values_list("version", "closed_on")) == [
        (1, DAY),
        (2, datetime.date(2018, 1, 1)),
    ]


def test_delegating_closes_the_item_and_creates_it_for_each_receiving_township(
    item, office, township
):
    other = make_unit(name="贺胜桥镇（测试）", code="TU", kind=UnitKind.TOWNSHIP)
    adjustment = adjust(
        item,
        AdjustmentKind.DELEGATE,
        office,
        reason="委托乡镇实施",
        reason_kind=AdjustmentReason.SUPERIOR,
        receiving_units=[township, other],
    )

    item.refresh_from_db()
    assert item.closed_on == DAY
    received = adjustment.created_items.order_by("unit__code")
    assert [i.unit for i in received] == [township, other]
    for new in received:
        assert (new.code, new.effective_from, new.version) == (item.code, DAY, 1)
        assert (new.township_duty, new.partner_unit) == (TownshipDuty.BASIC, item.unit)
        assert new.predecessor == item
        assert new.responsibilities.count() == 2


def test_delegating_without_receiving_townships_only_closes_the_item(item, office):
    adjustment = adjust(item, AdjustmentKind.DELEGATE, office)
    item.refresh_from_db()
    assert item.closed_on == DAY
    assert not adjustment.created_items.exists()


def snapshot():
    return (
        list(PowerItem.objects.order_by("pk").values_list("pk", "closed_on", "version")),
        PowerAdjustment.objects.count(),
        ResponsibilityItem.objects.count(),
        PowerItem.history.count(),
    )


@pytest.mark.parametrize(
    ("kind", "overrides", "code"),
    [
        (AdjustmentKind.CANCEL, {"on": datetime.date(2015, 12, 31)}, "before_in_force"),
        (AdjustmentKind.CANCEL, {"on": datetime.date(2016, 1, 1)}, "before_in_force"),
        (AdjustmentKind.CANCEL, {"reason": "  "}, "reason_required"),
        (AdjustmentKind.CANCEL, {"document_number": ""}, "document_required"),
        (AdjustmentKind.CANCEL, {"reason_kind": ""}, "reason_kind_required"),
        (AdjustmentKind.CANCEL, {"changes": {"name": "改名"}}, "changes_only_when_amending"),
        (AdjustmentKind.AMEND, {"changes": {}}, "nothing_changed"),
        (
            AdjustmentKind.AMEND,
            {"changes": {"name": "对无照经营行为的处罚"}},
            "nothing_changed",
        ),
        (AdjustmentKind.ADD, {}, "addition_is_not_an_adjustment"),
        ("rename", {}, "kind_required"),
    ],
)
def test_bad_adjustments_are_refused_and_write_nothing(item, office, kind, overrides, code):
    before = snapshot()
    with pytest.raises(ValidationError) as refused:
        adjust(item, kind, office, **overrides)
    assert refused.value.code == code
    assert snapshot() == before


def test_an_amendment_that_breaks_the_item_is_refused_and_writes_nothing(item, office):
    before = snapshot()
    with pytest.raises(ValidationError) as refused:
        adjust(item, AdjustmentKind.AMEND, office, changes={"category": ""})
    assert "权责清单事项必须选择权力类别。" in refused.value.messages
    assert snapshot() == before


def test_a_closed_version_cannot_be_adjusted_again(item, office):
    adjust(item, AdjustmentKind.CANCEL, office)
    before = snapshot()
    with pytest.raises(ValidationError) as refused:
        adjust(
            item, AdjustmentKind.AMEND, office, on=datetime.date(2018, 1, 1), changes={"name": "x"}
        )
    assert refused.value.code == "already_closed"
    assert "2017-10-01 取消" in refused.value.messages[0]
    assert snapshot() == before


def test_only_approved_items_are_adjusted(unit_a, office):
    draft = make_power_item(unit_a, status=Status.DRAFT)
    with pytest.raises(ValidationError) as refused:
        adjust(draft, AdjustmentKind.CANCEL, office)
    assert refused.value.code == "not_approved"
    assert PowerAdjustment.objects.count() == 0


@pytest.mark.parametrize("role", ["liaison", "leader", "liaison2"])
def test_only_office_staff_adjust_items(item, users, role):
    before = snapshot()
    with pytest.raises(ValidationError) as refused:
        adjust(item, AdjustmentKind.CANCEL, users[role])
    assert refused.value.code == "office_only"
    assert snapshot() == before


def test_delegation_goes_to_townships_only(item, office, unit_b):
    before = snapshot()
    with pytest.raises(ValidationError) as refused:
        adjust(item, AdjustmentKind.DELEGATE, office, receiving_units=[unit_b])
    assert refused.value.code == "receiver_not_township"
    assert snapshot() == before


def test_a_township_item_is_not_delegated_further(office, township):
    township_item = make_power_item(township, code="CJ-001")
    with pytest.raises(ValidationError) as refused:
        adjust(township_item, AdjustmentKind.DELEGATE, office)
    assert refused.value.code == "already_township"


def test_delegation_refuses_a_township_that_already_lists_the_code(item, office, township):
    make_power_item(township, code=item.code)
    before = snapshot()
    with pytest.raises(ValidationError) as refused:
        adjust(item, AdjustmentKind.DELEGATE, office, receiving_units=[township])
    assert refused.value.code == "receiver_has_code"
    assert snapshot() == before


def test_an_approved_item_cannot_be_deleted(item):
    with pytest.raises(ValidationError) as refused:
        item.delete()
    assert refused.value.code == "approved_item_not_deletable"
    assert PowerItem.objects.filter(pk=item.pk).exists()


def test_a_draft_can_be_deleted_with_its_responsibilities(unit_a):
    draft = make_power_item(unit_a, status=Status.DRAFT)
    ResponsibilityItem.objects.create(item=draft, stage=ResponsibilityStage.FILING, duty="立案")
    draft.delete()
    assert not ResponsibilityItem.objects.exists()


def test_a_delegated_item_can_take_a_new_code_in_the_townships_list(item, office, township):
    make_power_item(township, code=item.code)
    adjustment = adjust(
        item,
        AdjustmentKind.DELEGATE,
        office,
        receiving_units=[township],
        receiving_code="CF-101",
    )
    assert adjustment.created_items.get().code == "CF-101"
