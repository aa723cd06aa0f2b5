"""Small factory helpers with keyword overrides."""

from __future__ import annotations

import datetime
import itertools

from registers.models import (
    ListKind,
    PowerCategory,
    PowerItem,
    Role,
    Status,
    TownshipDuty,
    Unit,
    UnitKind,
    User,
)

_sequence = itertools.count(1)


def make_unit(**overrides) -> Unit:
    n = next(_sequence)
    values = {
        "name": f"测试单位{n}",
        "short_name": f"单位{n}",
        "kind": UnitKind.DEPARTMENT,
        "code": f"X{n:04d}",
        "is_enforcement_body": True,
    }
    values.update(overrides)
    return Unit.objects.create(**values)


def make_user(role: Role = Role.OFFICE, unit: Unit | None = None, **overrides) -> User:
    n = next(_sequence)
    if role == Role.LIAISON and unit is None:
        unit = make_unit()
    values = {"username": f"user{n}", "role": role, "unit": unit}
    values.update(overrides)
    user = User(**values)
    user.set_password("pw")
    user.save()
    return user


def make_power_item(unit: Unit, **overrides) -> PowerItem:
    """An approved power-list item of ``unit`` with its 新增 recorded, unless overridden."""
    n = next(_sequence)
    values = {
        "unit": unit,
        "list_kind": ListKind.POWER,
        "code": f"CF-{n:03d}",
        "name": f"对违法行为{n}的处罚",
        "category": PowerCategory.PENALTY,
        "township_duty": TownshipDuty.BASIC if unit.kind == UnitKind.TOWNSHIP else "",
        "legal_basis": "《中华人民共和国行政处罚法》第八条",
        "handling_office": "执法大队",
        "effective_from": datetime.date(2016, 1, 1),
        "status": Status.APPROVED,
    }
    values.update(overrides)
    item = PowerItem.objects.create(**values)
    if item.is_approved:
        from registers.power_services import record_addition

        record_addition(item, by=values.get("created_by"))
    return item
