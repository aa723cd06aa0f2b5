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


# --- Inspections and enforcement ----------------------------------------------------------


def make_credit_code_for(n: int) -> str:
    """A valid credit code of a 咸安 enterprise, distinct for each ``n``."""
    from registers.creditcode import make_credit_code, organisation_code_check_character

    body8 = f"MA4{n:05d}"
    return make_credit_code("91421202" + body8 + organisation_code_check_character(body8))


def make_item(unit: Unit, **overrides):
    import datetime
    from decimal import Decimal

    from registers.models import EnforcementField, InspectionItem, InspectionKind, Status

    n = next(_sequence)
    values = {
        "unit": unit,
        "year": 2017,
        "code": f"T-{n:04d}",
        "name": f"测试抽查事项{n}",
        "kind": InspectionKind.ADMINISTRATIVE,
        "field": EnforcementField.MARKET,
        "legal_basis": "《企业信息公示暂行条例》第十四条",
        "method": "实地核查",
        "content": "企业公示信息的真实性",
        "ratio": Decimal("10"),
        "frequency": "每年1次",
        "published_on": datetime.date(2017, 6, 1),
        "status": Status.APPROVED,
    }
    values.update(overrides)
    return InspectionItem.objects.create(**values)


def make_target(unit: Unit, **overrides):
    from registers.models import InspectionTarget

    n = next(_sequence)
    values = {
        "unit": unit,
        "name": f"咸安区测试企业{n}有限公司",
        "credit_code": make_credit_code_for(n),
        "legal_representative": "张三",
        "address": f"咸安区永安大道{n}号",
    }
    values.update(overrides)
    return InspectionTarget.objects.create(**values)


def make_body(unit: Unit, **overrides):
    from registers.models import BodyKind, EnforcementBody, Status

    values = {
        "unit": unit,
        "name": f"{unit.name}执法主体",
        "kind": BodyKind.STATUTORY,
        "legal_basis": "《中华人民共和国行政处罚法》第十五条",
        "status": Status.APPROVED,
    }
    values.update(overrides)
    body = EnforcementBody.objects.filter(unit=unit, name=values["name"]).first()
    return body or EnforcementBody.objects.create(**values)


def make_officer(unit: Unit, **overrides):
    import datetime

    from registers.models import EnforcementField, Officer, Status

    n = next(_sequence)
    values = {
        "unit": unit,
        "name": f"执法员{n}",
        "certificate_number": f"4212020{n:05d}",
        "field": EnforcementField.MARKET,
        "issued_on": datetime.date(2016, 1, 1),
        "expires_on": datetime.date(2020, 12, 31),
        "status": Status.APPROVED,
    }
    values.update(overrides)
    if "body" not in values:
        values["body"] = make_body(unit)
    return Officer.objects.create(**values)
