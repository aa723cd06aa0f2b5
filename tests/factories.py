"""Small factory helpers with keyword overrides."""

from __future__ import annotations

import itertools

from registers.models import Role, Unit, UnitKind, User

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
