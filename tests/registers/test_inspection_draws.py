"""The double-random draw on the registers: pools, storage, re-running, tampering."""

import datetime
import io
import json
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command

from registers.core.status import Status
from registers.draw import DrawError
from registers.inspection_services import inspector_pool, make_draw, verify_draw
from registers.models import Conflict, DrawnInspector, DrawnTarget, EnforcementField, InspectionDraw
from tests.factories import make_item, make_officer, make_target

DRAW_DAY = datetime.date(2017, 9, 4)


@pytest.fixture
def item(unit_a):
    return make_item(unit_a)


@pytest.fixture
def targets(unit_a):
    return [make_target(unit_a) for _ in range(20)]


@pytest.fixture
def officers(unit_a):
    return [make_officer(unit_a) for _ in range(6)]


def draw_for(item, by, **kwargs):
    kwargs.setdefault("batch", "2017年第二批")
    kwargs.setdefault("on", DRAW_DAY)
    if "count" not in kwargs:
        kwargs.setdefault("ratio", Decimal("10"))
    return make_draw(item, by=by, **kwargs)


def selection(record):
    return [
        (row.target_id, [i.officer_id for i in row.inspectors.order_by("position")])
        for row in record.drawn_targets.order_by("position")
    ]


def test_draw_by_ratio_stores_targets_inspectors_and_inputs(item, targets, officers, office):
    record = draw_for(item, office, seed="fixed-seed")

    assert record.target_count == 2  # 10% of 20
    assert record.status == Status.DRAFT
    assert (record.drawn_by, record.drawn_on, record.unit) == (office, DRAW_DAY, item.unit)
    rows = selection(record)
    assert len(rows) == 2
    assert all(len(inspectors) == 2 for _, inspectors in rows)
    payload = json.loads(record.input_json)
    assert len(payload["targets"]) == 20 and len(payload["inspectors"]) == 6
    names = {t.pk: t.name for t in targets}
    assert [row.target_name for row in record.drawn_targets.all()] == [
        names[target_id] for target_id, _ in rows
    ]


def test_a_stored_draw_rerun_from_its_inputs_gives_the_same_selection(
    item, targets, officers, office
):
    record = draw_for(item, office, count=5, inspectors_per_target=3)
    check = verify_draw(record)
    assert check.ok, check.problems
    assert "已验证" in check.summary

    # The same inputs and seed give the same selection, whatever order rows come in.
    again = draw_for(item, office, count=5, inspectors_per_target=3, batch="复核", seed=record.seed)
    assert again.candidates_hash == record.candidates_hash
    assert selection(again) == selection(record)


def test_changing_a_drawn_inspector_is_detected(item, targets, officers, office):
    record = draw_for(item, office, seed="s1")
    row = DrawnInspector.objects.filter(drawn_target__draw=record).first()
    unused = next(o for o in officers if not DrawnInspector.objects.filter(officer=o).exists())
    DrawnInspector.objects.filter(pk=row.pk).update(officer=unused)

    check = verify_draw(record)
    assert not check.ok
    assert any("的检查人员：记录为" in p and unused.name in p for p in check.problems)


def test_swapping_the_drawn_target_is_detected_with_both_names(item, targets, officers, office):
    record = draw_for(item, office, seed="s2")
    first = record.drawn_targets.get(position=1)
    drawn_ids = set(record.drawn_targets.values_list("target_id", flat=True))
    other = next(t for t in targets if t.pk not in drawn_ids)
    DrawnTarget.objects.filter(pk=first.pk).update(target=other)

    problems = verify_draw(record).problems
    assert any(p.startswith("第1个抽中对象") and other.name in p for p in problems)


@pytest.mark.parametrize(
    "change",
    [
        {"seed": "another-seed"},
        {"candidates_hash": "0" * 64},
        {"target_count": 3},
    ],
)
def test_tampering_with_stored_inputs_is_detected(item, targets, officers, office, change):
    record = draw_for(item, office, seed="s3")
    InspectionDraw.objects.filter(pk=record.pk).update(**change)
    assert not verify_draw(InspectionDraw.objects.get(pk=record.pk)).ok


def test_editing_the_archived_candidate_list_is_detected(item, targets, officers, office):
    record = draw_for(item, office, seed="s4")
    payload = json.loads(record.input_json)
    payload["targets"] = payload["targets"][1:]  # quietly drop a candidate
    edited = json.dumps(payload, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    InspectionDraw.objects.filter(pk=record.pk).update(input_json=edited)

    problems = verify_draw(InspectionDraw.objects.get(pk=record.pk)).problems
    assert any("候选名单哈希不符" in p for p in problems)


def test_recused_expired_and_other_field_officers_are_never_drawn(unit_a, office):
    item = make_item(unit_a, field=EnforcementField.FOOD_DRUG)
    target = make_target(unit_a)
    fine = [make_officer(unit_a, field=EnforcementField.FOOD_DRUG) for _ in range(2)]
    recused = make_officer(unit_a, field=EnforcementField.FOOD_DRUG)
    Conflict.objects.create(
        officer=recused, target=target, reason="配偶任该企业股东", declared_on=DRAW_DAY
    )
    expired = make_officer(
        unit_a, field=EnforcementField.FOOD_DRUG, expires_on=datetime.date(2017, 9, 3)
    )
    other_field = make_officer(unit_a, field=EnforcementField.WORK_SAFETY)
    draft = make_officer(unit_a, field=EnforcementField.FOOD_DRUG, status=Status.DRAFT)

    record = draw_for(item, office, count=1)

    [(drawn_target, inspectors)] = selection(record)
    assert drawn_target == target.pk
    assert sorted(inspectors) == sorted(o.pk for o in fine)
    reasons = {row["officer_id"]: row["reason"] for row in record.exclusions}
    assert reasons[expired.pk] == "执法证已于2017-09-03过期"
    assert "执法领域不符" in reasons[other_field.pk]
    assert reasons[draft.pk] == "执法人员信息尚未审核通过"
    assert recused.pk not in reasons  # a candidate, but never for the target it recused from
    assert json.loads(record.input_json)["conflicts"] == [
        [target.credit_code, recused.certificate_number]
    ]


def test_a_certificate_expiring_on_the_draw_day_is_still_valid(unit_a, item):
    officer = make_officer(unit_a, expires_on=DRAW_DAY)
    assert officer in inspector_pool(item, DRAW_DAY).eligible
    assert officer not in inspector_pool(item, DRAW_DAY + datetime.timedelta(days=1)).eligible


def test_too_few_inspectors_after_recusal_refuses_and_saves_nothing(unit_a, item, office):
    target = make_target(unit_a)
    officers = [make_officer(unit_a) for _ in range(2)]
    Conflict.objects.create(
        officer=officers[0], target=target, reason="近亲属", declared_on=DRAW_DAY
    )

    with pytest.raises(DrawError) as error:
        draw_for(item, office, count=1)

    assert error.value.code == "too_few_inspectors"
    assert "回避后可分配的执法检查人员不足" in error.value.messages[0]
    assert not InspectionDraw.objects.exists()
    assert not DrawnTarget.objects.exists()


def test_too_few_targets_refuses_and_saves_nothing(unit_a, item, officers, office):
    make_target(unit_a)
    make_target(unit_a, is_active=False)  # left the pool: not a candidate

    with pytest.raises(DrawError) as error:
        draw_for(item, office, count=2)

    assert error.value.code == "too_few_targets"
    assert "符合条件的只有1个" in error.value.messages[0]
    assert not InspectionDraw.objects.exists()


def test_a_batch_is_drawn_once(item, targets, officers, office):
    draw_for(item, office)
    with pytest.raises(ValidationError) as error:
        draw_for(item, office)
    assert error.value.code == "duplicate_batch"
    assert InspectionDraw.objects.count() == 1


def test_a_liaison_draws_only_for_their_own_units_approved_items(
    unit_a, unit_b, targets, officers, liaison, liaison2
):
    item = make_item(unit_a)
    with pytest.raises(ValidationError) as error:
        draw_for(item, liaison2)
    assert error.value.code == "not_allowed"

    draft_item = make_item(unit_a, status=Status.DRAFT)
    with pytest.raises(ValidationError) as error:
        draw_for(draft_item, liaison)
    assert error.value.code == "item_not_approved"

    record = draw_for(item, liaison)
    assert (record.unit, record.status, record.created_by) == (unit_a, Status.DRAFT, liaison)


def test_verify_draw_command_says_verified_or_lists_differences(item, targets, officers, office):
    record = draw_for(item, office, seed="cmd")
    out = _run("verify_draw", str(record.pk))
    assert "已验证" in out

    InspectionDraw.objects.filter(pk=record.pk).update(seed="changed")
    with pytest.raises(CommandError, match="1 条抽取记录验证未通过"):
        _run("verify_draw", str(record.pk))


def test_verify_draw_command_refuses_unknown_ids(db):
    with pytest.raises(CommandError, match="找不到抽取记录：999"):
        _run("verify_draw", "999")


def _run(*args):
    out = io.StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()
