"""Dynamic management of the power lists (动态调整): every change is an adjustment record.

- 新增 is recorded when an item comes into force (``PowerItem.record_addition``, run on
  approval).
- 取消 closes the version in force.
- 下放 closes it and may create the item in the receiving townships' lists.
- 调整 closes it and creates the next version, in force from the adjustment date.

Approved items are never edited or deleted; office staff change them only through
``adjust_item``, which runs in one transaction and refuses bad input without writing
anything.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from registers.core import permissions, workflow
from registers.core.status import Status
from registers.models import Unit, UnitKind
from registers.models.power import (
    AdjustmentKind,
    AdjustmentReason,
    ListKind,
    ListLevel,
    PowerAdjustment,
    PowerItem,
    ResponsibilityItem,
    TownshipDuty,
)

#: What a new version copies from the one it replaces.
CONTENT_FIELDS = ("unit", *PowerItem.content_fields)

#: What a 调整 may change; moving an item to another unit or list is 下放 or 取消 + 新增.
AMENDABLE_FIELDS = tuple(name for name in CONTENT_FIELDS if name not in ("unit", "list_kind"))


def _display(item: PowerItem, name: str) -> str:
    field = item._meta.get_field(name)
    value = getattr(item, name)
    if value in (None, ""):
        return ""
    if field.choices:
        return str(dict(field.flatchoices).get(value, value))
    return str(value)


def _refuse(message: str, error_code: str, **params) -> ValidationError:
    return ValidationError(message % params if params else message, code=error_code)


def _check_adjustable(
    item: PowerItem, *, on: datetime.date, reason: str, reason_kind: str, document_number: str, by
) -> None:
    if not permissions.is_office(by):
        raise _refuse(_("只有法制办工作人员可以调整已审核的清单事项。"), "office_only")
    if item.status != Status.APPROVED:
        raise _refuse(
            _("“%(item)s”尚未审核生效，不能调整；未生效的事项请直接修改。"),
            "not_approved",
            item=item,
        )
    if item.closed_on is not None:
        closing = item.closing_adjustment
        raise _refuse(
            _("“%(item)s”已于 %(date)s %(kind)s，不能再调整；请调整它的现行版本。"),
            "already_closed",
            item=item,
            date=f"{item.closed_on:%Y-%m-%d}",
            kind=closing.get_kind_display() if closing else _("失效"),
        )
    if on is None:
        raise _refuse(_("请填写调整日期。"), "date_required")
    if on <= item.effective_from:
        raise _refuse(
            _("调整日期 %(on)s 必须晚于该事项的生效日期 %(start)s。"),
            "before_in_force",
            on=f"{on:%Y-%m-%d}",
            start=f"{item.effective_from:%Y-%m-%d}",
        )
    if not (reason or "").strip():
        raise _refuse(_("请填写调整理由。"), "reason_required")
    if reason_kind not in AdjustmentReason.values:
        raise _refuse(_("请选择调整原因类别。"), "reason_kind_required")
    if not (document_number or "").strip():
        raise _refuse(_("请填写批准文号。"), "document_required")


def _next_version(
    item: PowerItem, adjustment: PowerAdjustment, *, by, **overrides: Any
) -> PowerItem:
    values = {name: getattr(item, name) for name in CONTENT_FIELDS}
    values.update(overrides)
    return PowerItem(
        **values,
        effective_from=adjustment.adjusted_on,
        origin=adjustment,
        basis_document=adjustment.document_number,
    )


def _save_new_version(new: PowerItem, copy_from: PowerItem, *, by, reason: str) -> PowerItem:
    """Enter the version the office's adjustment created, approved as it is saved."""
    new.full_clean()
    workflow.create(new, by=by, approved=True, reason=reason)
    for row in copy_from.responsibilities.all():
        copy = ResponsibilityItem(item=new, stage=row.stage, duty=row.duty)
        copy._history_user = by
        copy.save()
    return new


def _changes(item: PowerItem, changes: Mapping[str, Any]) -> list[dict]:
    unknown = set(changes) - set(AMENDABLE_FIELDS)
    if unknown:
        raise ValueError(f"not amendable: {sorted(unknown)}")
    probe = PowerItem(**{name: getattr(item, name) for name in CONTENT_FIELDS})
    recorded = []
    for name, value in changes.items():
        old = _display(item, name)
        setattr(probe, name, value)
        new = _display(probe, name)
        if old != new:
            label = str(PowerItem._meta.get_field(name).verbose_name)
            recorded.append({"field": name, "label": label, "from": old, "to": new})
    return recorded


def adjust_item(
    item: PowerItem,
    kind: AdjustmentKind | str,
    *,
    on: datetime.date,
    reason: str,
    reason_kind: AdjustmentReason | str,
    document_number: str,
    by,
    changes: Mapping[str, Any] | None = None,
    receiving_units: Iterable[Unit] = (),
    receiving_duty: TownshipDuty | str = TownshipDuty.BASIC,
    receiving_code: str = "",
) -> PowerAdjustment:
    """Cancel, delegate or amend the version of ``item`` in force, from ``on``.

    ``changes`` (调整 only) maps fields of ``AMENDABLE_FIELDS`` to their new values;
    ``receiving_units`` (下放 only) are the townships that take the item over, as a
    ``receiving_duty`` item coded ``receiving_code`` (the item's own code by default).
    Returns the adjustment; raises ``ValidationError`` and writes nothing when the
    adjustment is not allowed.
    """
    try:
        kind = AdjustmentKind(kind)
    except ValueError as exc:
        raise _refuse(_("请选择调整方式。"), "kind_required") from exc
    if kind == AdjustmentKind.ADD:
        raise _refuse(
            _("新增事项请录入新的清单事项，经审核通过后自动记录“新增”。"),
            "addition_is_not_an_adjustment",
        )
    changes = dict(changes or {})
    receiving_units = list(receiving_units)
    with transaction.atomic():
        locked = PowerItem.objects.select_for_update().get(pk=item.pk)
        _check_adjustable(
            locked,
            on=on,
            reason=reason,
            reason_kind=reason_kind,
            document_number=document_number,
            by=by,
        )
        recorded = _changes(locked, changes)
        if kind == AdjustmentKind.AMEND and not recorded:
            raise _refuse(
                _("调整后的内容与原事项完全相同；请修改需要调整的内容。"), "nothing_changed"
            )
        if kind != AdjustmentKind.AMEND and recorded:
            raise _refuse(
                _("只有“调整”可以修改事项内容；“%(kind)s”请不要修改事项内容。"),
                "changes_only_when_amending",
                kind=kind.label,
            )
        if kind != AdjustmentKind.DELEGATE and receiving_units:
            raise _refuse(
                _("只有“下放”需要选择承接的乡镇（街道）。"), "receivers_only_when_delegating"
            )
        receiving_code = (receiving_code or "").strip() or locked.code
        if kind == AdjustmentKind.DELEGATE:
            _check_delegation(locked, receiving_units, on=on, code=receiving_code)

        adjustment = PowerAdjustment.objects.create(
            item=locked,
            kind=kind,
            adjusted_on=on,
            reason=reason.strip(),
            reason_kind=reason_kind,
            document_number=document_number.strip(),
            changes=recorded,
            created_by=by,
        )
        locked.closed_on = on
        locked._history_user = by
        locked._change_reason = f"{kind.label}：{adjustment.document_number}"
        locked.save(update_fields=["closed_on", "updated_at"])

        if kind == AdjustmentKind.AMEND:
            new = _next_version(locked, adjustment, by=by, **changes)
            new.version = locked.version + 1
            _save_new_version(new, locked, by=by, reason=str(kind.label))
        elif kind == AdjustmentKind.DELEGATE:
            for unit in receiving_units:
                new = _next_version(
                    locked,
                    adjustment,
                    by=by,
                    unit=unit,
                    code=receiving_code,
                    township_duty=receiving_duty if locked.list_kind == ListKind.POWER else "",
                    partner_unit=locked.unit,
                )
                new.version = 1
                _save_new_version(new, locked, by=by, reason=str(kind.label))
    item.refresh_from_db()
    return adjustment


def _check_delegation(
    item: PowerItem, receiving_units: list[Unit], *, on: datetime.date, code: str
) -> None:
    if item.level == ListLevel.TOWNSHIP:
        raise _refuse(_("乡镇（街道）的事项不能再下放。"), "already_township")
    for unit in receiving_units:
        if unit.kind != UnitKind.TOWNSHIP:
            raise _refuse(
                _("事项只能下放到乡镇（街道），“%(unit)s”不是乡镇（街道）。"),
                "receiver_not_township",
                unit=unit,
            )
        if unit.closed_on is not None and unit.closed_on <= on:
            raise _refuse(
                _("“%(unit)s”已于 %(date)s 撤销，不能承接下放事项。"),
                "receiver_closed",
                unit=unit,
                date=f"{unit.closed_on:%Y-%m-%d}",
            )
        clash = PowerItem.objects.filter(
            unit=unit, list_kind=item.list_kind, code=code, closed_on__isnull=True
        )
        if clash.exists():
            raise _refuse(
                _("“%(unit)s”已有编码为 %(code)s 的现行事项；请为承接事项另行编码。"),
                "receiver_has_code",
                unit=unit,
                code=code,
            )
