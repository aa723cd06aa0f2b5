"""The double-random draw on the registers: building the pools, drawing, verifying.

``make_draw`` filters the pools (who may be drawn is decided here, never in
``registers.draw``), runs the pure draw and stores its inputs and selection in one
transaction. ``verify_draw`` re-runs a stored draw from its archived canonical input and
says exactly what differs, if anything.
"""

from __future__ import annotations

import datetime
import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from registers.core import permissions, workflow
from registers.core.constraints import message_text
from registers.core.services import require_change_permission
from registers.core.status import Status
from registers.draw import (
    ALGORITHM,
    MIN_INSPECTORS_PER_TARGET,
    DrawError,
    DrawResult,
    canonical_json,
    draw,
    verify,
)
from registers.models import (
    Conflict,
    DrawnInspector,
    DrawnTarget,
    EnforcementField,
    InspectionDraw,
    InspectionItem,
    InspectionTarget,
    Officer,
)

__all__ = [
    "DrawCheck",
    "Exclusion",
    "InspectorPool",
    "inspector_pool",
    "make_draw",
    "result_problems",
    "target_pool",
    "verify_draw",
]


@dataclass(frozen=True)
class Exclusion:
    """An officer of the item's unit who could not be drawn, and why."""

    officer_id: int
    name: str
    certificate_number: str
    reason: str

    def as_dict(self) -> dict:
        return {
            "officer_id": self.officer_id,
            "name": self.name,
            "certificate_number": self.certificate_number,
            "reason": self.reason,
        }


@dataclass
class InspectorPool:
    eligible: list[Officer] = field(default_factory=list)
    excluded: list[Exclusion] = field(default_factory=list)


def target_pool(item: InspectionItem):
    """The active targets of the item's unit's pool."""
    return InspectionTarget.objects.of_unit(item.unit_id).active().order_by("pk")


def _exclusion_reason(officer: Officer, item: InspectionItem, on: datetime.date) -> str | None:
    if officer.status != Status.APPROVED:
        return _("执法人员信息尚未审核通过")
    if officer.field != item.field:
        return _("执法领域不符（%(field)s，本事项为%(item_field)s）") % {
            "field": EnforcementField(officer.field).label,
            "item_field": EnforcementField(item.field).label,
        }
    if officer.expires_on < on:
        return _("执法证已于%(date)s过期") % {"date": f"{officer.expires_on:%Y-%m-%d}"}
    if officer.issued_on > on:
        return _("执法证%(date)s起才生效") % {"date": f"{officer.issued_on:%Y-%m-%d}"}
    return None


def inspector_pool(item: InspectionItem, on: datetime.date) -> InspectorPool:
    """The officers of the item's unit who may be drawn on ``on``, and the others with why.

    Eligible: approved, same field as the item, certificate valid on ``on``.
    """
    pool = InspectorPool()
    for officer in Officer.objects.of_unit(item.unit_id).order_by("pk"):
        reason = _exclusion_reason(officer, item, on)
        if reason is None:
            pool.eligible.append(officer)
        else:
            pool.excluded.append(
                Exclusion(officer.pk, officer.name, officer.certificate_number, reason)
            )
    return pool


def _conflict_map(targets: Iterable[int], officers: Iterable[int]) -> dict[int, set[int]]:
    conflicts: dict[int, set[int]] = {}
    pairs = Conflict.objects.filter(target__in=list(targets), officer__in=list(officers))
    for target_id, officer_id in pairs.values_list("target_id", "officer_id"):
        conflicts.setdefault(target_id, set()).add(officer_id)
    return conflicts


def _check_may_draw(item: InspectionItem, by, on: datetime.date) -> None:
    if not (permissions.may_submit(by) and permissions.may_read_unit(by, item.unit_id)):
        raise ValidationError(
            _("只有法制办工作人员或本单位联络员可以为该事项抽取。"), code="not_allowed"
        )
    if item.status != Status.APPROVED:
        raise ValidationError(_("抽查事项尚未审核通过，不能抽取。"), code="item_not_approved")
    if item.cancelled_on and item.cancelled_on <= on:
        raise ValidationError(_("抽查事项已取消，不能抽取。"), code="item_cancelled")


def make_draw(
    item: InspectionItem,
    *,
    batch: str,
    by,
    count: int | None = None,
    ratio: Decimal | None = None,
    inspectors_per_target: int = MIN_INSPECTORS_PER_TARGET,
    on: datetime.date | None = None,
    seed: str | None = None,
) -> InspectionDraw:
    """Draw targets and inspectors for ``item`` and store the draw, all or nothing.

    ``ratio`` is a percentage (``Decimal("5")`` = 5%); give it or ``count``. ``on`` is the
    draw date (today by default) against which certificates are checked; ``seed`` is random
    unless given (demo data and tests fix it). Raises ``DrawError`` or ``ValidationError``
    with a message for the user; nothing is written then.
    """
    on = on or timezone.localdate()
    batch = (batch or "").strip()
    _check_may_draw(item, by, on)
    if not batch:
        raise ValidationError(_("请填写抽查批次。"), code="batch_required")
    if InspectionDraw.objects.filter(item=item, batch=batch).exists():
        raise ValidationError(
            _("该事项的“%(batch)s”已经抽取过，不能重复抽取。") % {"batch": batch},
            code="duplicate_batch",
        )

    targets = list(target_pool(item))
    pool = inspector_pool(item, on)
    conflicts = _conflict_map((t.pk for t in targets), (o.pk for o in pool.eligible))
    fraction = None if ratio is None else Decimal(ratio) / 100
    arguments = {
        "targets": [(t.pk, t.credit_code) for t in targets],
        "inspectors": [(o.pk, o.certificate_number) for o in pool.eligible],
        "conflicts": conflicts,
        "count": count,
        "ratio": fraction,
        "inspectors_per_target": inspectors_per_target,
    }
    result = draw(**arguments, seed=seed)
    payload = canonical_json(**arguments)
    assert hashlib.sha256(payload.encode()).hexdigest() == result.candidates_hash

    targets_by_id = {t.pk: t for t in targets}
    record = InspectionDraw(
        unit_id=item.unit_id,
        item=item,
        batch=batch,
        drawn_on=on,
        drawn_at=timezone.now(),
        drawn_by=by,
        ratio=ratio,
        target_count=len(result.targets),
        inspectors_per_target=inspectors_per_target,
        balance_load=True,
        seed=result.seed,
        algorithm=ALGORITHM,
        candidates_hash=result.candidates_hash,
        input_json=payload,
        exclusions=[exclusion.as_dict() for exclusion in pool.excluded],
    )
    try:
        with transaction.atomic():
            workflow.create(record, by=by, reason=_("双随机抽取"))
            for position, target_id in enumerate(result.targets, start=1):
                drawn = DrawnTarget.objects.create(
                    draw=record,
                    position=position,
                    target_id=target_id,
                    target_name=targets_by_id[target_id].name,
                )
                for rank, officer_id in enumerate(result.assignments[target_id], start=1):
                    DrawnInspector.objects.create(
                        drawn_target=drawn, position=rank, officer_id=officer_id
                    )
    except IntegrityError as error:
        # Someone drew the same batch a moment earlier.
        raise ValidationError(
            _("该事项的“%(batch)s”已经抽取过，不能重复抽取。") % {"batch": batch},
            code="duplicate_batch",
        ) from error
    return record


# --- Verification --------------------------------------------------------------------------


@dataclass
class DrawCheck:
    """The outcome of re-running a stored draw: ``ok``, or every difference found."""

    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems

    @property
    def summary(self) -> str:
        if self.ok:
            return _("已验证：按存档输入和随机种子重新抽取，结果与记录完全一致。")
        return _("验证未通过，发现%(count)d处不一致。") % {"count": len(self.problems)}


def _stored_selection(record: InspectionDraw) -> tuple[list[int], dict[int, list[int]]]:
    targets: list[int] = []
    assignments: dict[int, list[int]] = {}
    rows = record.drawn_targets.order_by("position").prefetch_related("inspectors")
    for row in rows:
        targets.append(row.target_id)
        assignments[row.target_id] = [
            i.officer_id for i in sorted(row.inspectors.all(), key=lambda i: i.position)
        ]
    return targets, assignments


def _percent_as_fraction(ratio: Decimal | None) -> str | None:
    if ratio is None:
        return None
    return format((Decimal(ratio) / 100).normalize(), "f")


def verify_draw(record: InspectionDraw) -> DrawCheck:
    """Re-run ``record`` from its stored canonical input and seed; list every difference."""
    check = DrawCheck()
    problems = check.problems
    if record.algorithm != ALGORITHM:
        problems.append(
            _("记录的算法版本“%(stored)s”不是本系统的“%(current)s”，无法重新抽取。")
            % {"stored": record.algorithm, "current": ALGORITHM}
        )
        return check
    try:
        data = json.loads(record.input_json)
        target_rows = [(row[1], row[0]) for row in data["targets"]]
        inspector_rows = [(row[1], row[0]) for row in data["inspectors"]]
        params = data["parameters"]
        pairs = data["conflicts"]
    except (ValueError, KeyError, TypeError, IndexError):
        problems.append(_("存档的抽取输入不是有效的JSON或缺少内容，无法重新抽取。"))
        return check

    actual_hash = hashlib.sha256(record.input_json.encode("utf-8")).hexdigest()
    if actual_hash != record.candidates_hash:
        problems.append(
            _("候选名单哈希不符：记录为 %(stored)s，按存档输入计算为 %(actual)s。")
            % {"stored": record.candidates_hash, "actual": actual_hash}
        )

    stored_params = {
        "count": record.target_count,
        "ratio": _percent_as_fraction(record.ratio),
        "inspectors_per_target": record.inspectors_per_target,
        "balance_load": record.balance_load,
    }
    labels = {
        "count": _("抽取对象数"),
        "ratio": _("抽取比例"),
        "inspectors_per_target": _("每个对象检查人员数"),
        "balance_load": _("均衡分配"),
    }
    for name, value in stored_params.items():
        if params.get(name) != value:
            problems.append(
                _("参数“%(name)s”不一致：抽取记录为 %(stored)s，存档输入为 %(archived)s。")
                % {"name": labels[name], "stored": value, "archived": params.get(name)}
            )

    target_ids = {key: pk for pk, key in target_rows}
    inspector_ids = {key: pk for pk, key in inspector_rows}
    conflicts: dict[int, set[int]] = {}
    for target_key, inspector_key in pairs:
        if target_key in target_ids and inspector_key in inspector_ids:
            conflicts.setdefault(target_ids[target_key], set()).add(inspector_ids[inspector_key])
    arguments = {
        "targets": target_rows,
        "inspectors": inspector_rows,
        "conflicts": conflicts,
        "count": None if params.get("ratio") is not None else params.get("count"),
        "ratio": params.get("ratio"),
        "inspectors_per_target": params.get("inspectors_per_target"),
        "balance_load": params.get("balance_load"),
    }
    try:
        if canonical_json(**arguments) != record.input_json:
            problems.append(_("存档的抽取输入不是规范化形式，可能被改动过。"))
        fresh = draw(**arguments, seed=record.seed)
    except (DrawError, TypeError, ValueError) as error:
        detail = " ".join(error.messages) if isinstance(error, ValidationError) else str(error)
        problems.append(_("按存档输入无法重新抽取：%(detail)s") % {"detail": detail})
        return check

    stored_targets, stored_assignments = _stored_selection(record)
    names = _names(record, stored_targets, stored_assignments, fresh)
    _compare_selection(problems, names, stored_targets, stored_assignments, fresh)

    stored_result = DrawResult(
        seed=record.seed,
        candidates_hash=record.candidates_hash,
        targets=stored_targets,
        assignments=stored_assignments,
    )
    if not problems and not verify(stored_result, **arguments):
        problems.append(_("重新抽取的结果与记录不一致。"))
    return check


def _names(record, stored_targets, stored_assignments, fresh: DrawResult) -> dict:
    target_ids = set(stored_targets) | set(fresh.targets)
    officer_ids = {i for ids in stored_assignments.values() for i in ids}
    officer_ids |= {i for ids in fresh.assignments.values() for i in ids}
    names = {
        ("target", pk): f"{name}（{code}）"
        for pk, name, code in InspectionTarget.objects.filter(pk__in=target_ids).values_list(
            "pk", "name", "credit_code"
        )
    }
    names.update(
        {
            ("officer", pk): f"{name}（{number}）"
            for pk, name, number in Officer.objects.filter(pk__in=officer_ids).values_list(
                "pk", "name", "certificate_number"
            )
        }
    )
    return names


def _compare_selection(problems, names, stored_targets, stored_assignments, fresh) -> None:
    def target(pk):
        return names.get(("target", pk), _("编号%(pk)s的对象") % {"pk": pk}) if pk else _("（无）")

    def officers(ids):
        if not ids:
            return _("（无）")
        return "、".join(names.get(("officer", pk), str(pk)) for pk in ids)

    for index in range(max(len(stored_targets), len(fresh.targets))):
        stored = stored_targets[index] if index < len(stored_targets) else None
        again = fresh.targets[index] if index < len(fresh.targets) else None
        if stored != again:
            problems.append(
                _("第%(n)d个抽中对象：记录为 %(stored)s，重新抽取为 %(again)s。")
                % {"n": index + 1, "stored": target(stored), "again": target(again)}
            )
    for pk in fresh.targets:
        if pk in stored_assignments and stored_assignments[pk] != fresh.assignments[pk]:
            problems.append(
                _("%(target)s的检查人员：记录为 %(stored)s，重新抽取为 %(again)s。")
                % {
                    "target": target(pk),
                    "stored": officers(stored_assignments[pk]),
                    "again": officers(fresh.assignments[pk]),
                }
            )


# --- Results -------------------------------------------------------------------------------


def result_problems(
    record: InspectionDraw, rows: Iterable[tuple[str, datetime.date | None, str]]
) -> list[str]:
    """What is wrong with the results ``rows`` (``(target name, checked_on, result)``).

    Checked dates lie between the draw and the end of the check; results may be published
    only when every drawn target has a result.
    """
    problems = []
    for name, checked_on, result in rows:
        if checked_on and checked_on < record.drawn_on:
            problems.append(
                _("%(name)s的检查日期早于抽取日期%(date)s。")
                % {"name": name, "date": f"{record.drawn_on:%Y-%m-%d}"}
            )
        if checked_on and record.check_ended_on and checked_on > record.check_ended_on:
            problems.append(
                _("%(name)s的检查日期晚于检查结束日期%(date)s。")
                % {"name": name, "date": f"{record.check_ended_on:%Y-%m-%d}"}
            )
        if record.check_ended_on and not (checked_on and result):
            problems.append(
                _("检查已结束，但%(name)s还没有填写检查日期和检查结果。") % {"name": name}
            )
    return problems


#: A value not given: what is recorded stays.
_UNSET: Any = object()

#: What a drawn target's results are.
RESULT_FIELDS = ("checked_on", "result", "findings")


def _result_refusals(target: DrawnTarget) -> list[ValidationError]:
    """The drawn target's own rules on its results (a result needs its date…), each
    refusal naming the target."""
    others = [f.name for f in target._meta.concrete_fields if f.name not in RESULT_FIELDS]
    try:
        target.full_clean(exclude=others, validate_unique=False)
    except ValidationError as error:
        return [
            ValidationError(
                _("%(name)s：%(message)s"),
                code=item.code,
                params={"name": target.target_name, "message": message_text(item)},
            )
            for items in error.error_dict.values()
            for item in items
        ]
    return []


@dataclass(frozen=True)
class ResultRow:
    """One drawn target's result as reported: which target (its draw position) and what
    changes; a value not given keeps what is recorded (give ``None`` or "" to clear it)."""

    position: int
    checked_on: datetime.date | None = _UNSET
    result: str = _UNSET
    findings: str = _UNSET


def record_results(
    record: InspectionDraw,
    rows: Iterable[ResultRow],
    *,
    by,
    check_ended_on=_UNSET,
    published_on=_UNSET,
) -> InspectionDraw:
    """Record the check's results on a stored draw, all of them or none.

    The same rules as the draw's page in the admin: each row names a drawn target by its
    position; checked dates lie between the draw and the end of the check; once the check
    has ended every target needs a date and a result; publication follows the end of the
    check. Nothing is saved unless everything holds. Raises ``ValidationError``.
    """
    rows = list(rows)
    with transaction.atomic():
        record = InspectionDraw.objects.select_for_update().get(pk=record.pk)
        # An approved draw's results are the office's to correct (permissions.can_change).
        require_change_permission(by, record)
        targets = {target.position: target for target in record.drawn_targets.all()}
        errors = []
        seen = set()
        for row in rows:
            if row.position not in targets:
                errors.append(
                    ValidationError(
                        _("这次抽取没有第 %(position)s 个抽中对象。"),
                        code="unknown_position",
                        params={"position": row.position},
                    )
                )
            elif row.position in seen:
                errors.append(
                    ValidationError(
                        _("第 %(position)s 个抽中对象填写了两次。"),
                        code="duplicate_position",
                        params={"position": row.position},
                    )
                )
            seen.add(row.position)
        if errors:
            raise ValidationError(errors)
        if check_ended_on is not _UNSET:
            record.check_ended_on = check_ended_on
        if published_on is not _UNSET:
            record.published_on = published_on
        for row in rows:
            target = targets[row.position]
            for name in RESULT_FIELDS:
                if getattr(row, name) is not _UNSET:
                    setattr(target, name, getattr(row, name))
            errors += _result_refusals(target)
        problems = result_problems(
            record,
            [(target.target_name, target.checked_on, target.result) for target in targets.values()],
        )
        errors += [ValidationError(problem, code="result_problem") for problem in problems]
        try:
            record.full_clean(exclude=["item", "drawn_by"], validate_unique=False)
        except ValidationError as error:
            errors.append(error)
        if errors:
            raise ValidationError(errors)
        record._history_user = by
        record._change_reason = _("录入检查结果")
        record.save(update_fields=["check_ended_on", "published_on", "updated_at"])
        for row in rows:
            target = targets[row.position]
            target._history_user = by
            target.save(update_fields=list(RESULT_FIELDS))
    return record
