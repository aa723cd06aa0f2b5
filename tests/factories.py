"""Small factory helpers with keyword overrides."""

from __future__ import annotations

import datetime
import itertools
from decimal import Decimal

from registers.models import Role, Unit, UnitKind, User
from reviews.models import (
    CaseType,
    DecisionCatalogue,
    DecisionCategory,
    EvaluatedFile,
    EvaluationProblem,
    EvaluationRound,
    GovernmentContract,
    MajorDecision,
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


# --- reviews: contracts, major decisions, case-file evaluations -------------------------------


def make_contract(unit: Unit, **overrides):
    n = next(_sequence)
    values = {
        "unit": unit,
        "title": f"测试合同{n}",
        "project": "咸安区测试道路工程",
        "counterparty": "咸宁市测试建设有限公司",
        "amount": Decimal("100000"),
    }
    values.update(overrides)
    return GovernmentContract.objects.create(**values)


def make_catalogue(**overrides):
    values = {"year": 2017, "title": "2017年度重大行政决策事项目录"}
    values.update(overrides)
    if "decision_body" not in values:
        values["decision_body"] = make_unit()
    return DecisionCatalogue.objects.create(**values)


def make_decision(unit: Unit, **overrides):
    n = next(_sequence)
    values = {
        "unit": unit,
        "title": f"测试决策事项{n}",
        "category": DecisionCategory.PUBLIC_POLICY,
    }
    values.update(overrides)
    if "catalogue" not in values:
        values["catalogue"] = make_catalogue(year=2017 + n)
    return MajorDecision.objects.create(**values)


def make_round(**overrides):
    n = next(_sequence)
    values = {
        "name": f"测试评查活动{n}",
        "year": 2017,
        "plan_title": "《测试评查工作方案》",
        "started_on": datetime.date(2017, 6, 1),
        "ended_on": datetime.date(2017, 6, 30),
    }
    values.update(overrides)
    return EvaluationRound.objects.create(**values)


def make_evaluated_file(unit: Unit, **overrides):
    n = next(_sequence)
    values = {
        "unit": unit,
        "case_type": CaseType.PENALTY,
        "case_number": f"测罚字〔2017〕{n}号",
        "case_title": f"测试案件{n}",
    }
    values.update(overrides)
    if "round" not in values:
        values["round"] = make_round()
    return EvaluatedFile.objects.create(**values)


def make_problem(file, **overrides):
    values = {
        "file": file,
        "description": "处罚决定书未载明履行期限。",
        "due_on": datetime.date(2017, 12, 31),
    }
    values.update(overrides)
    return EvaluationProblem.objects.create(**values)
