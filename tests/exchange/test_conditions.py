"""A CHECK constraint's condition, evaluated on an unsaved row as the database would: a
comparison with an empty value is "unknown", and only a definite False breaks the rule.

Uploads check every row with these compiled conditions instead of one query per row
(``CheckConstraint.validate``), so every constraint of the project is compared with
Django's own evaluation on rows that try each side of each boundary, and NULLs."""

import datetime
import itertools
from decimal import Decimal

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q

from registers.core.exchange import checking
from registers.core.exchange.checking import compile_condition
from reviews.models import GovernmentContract


def evaluate(condition, **values):
    return compile_condition(condition, GovernmentContract)(GovernmentContract(**values))


MAY_1, MAY_2 = datetime.date(2017, 5, 1), datetime.date(2017, 5, 2)


@pytest.mark.parametrize(
    ("condition", "values", "expected"),
    [
        (Q(amount__gte=0), {"amount": Decimal("5")}, True),
        (Q(amount__gte=0), {"amount": Decimal("-1")}, False),
        (Q(amount__gte=0), {"amount": None}, None),
        (Q(filed_on__gte=F("signed_on")), {"signed_on": MAY_2, "filed_on": MAY_1}, False),
        (Q(filed_on__gte=F("signed_on")), {"signed_on": MAY_1, "filed_on": None}, None),
        (Q(filed_on__isnull=True), {"filed_on": None}, True),
        (Q(number="HT-1"), {"number": "HT-1"}, True),
        (Q(status__in=["draft", "submitted"]), {"status": "approved"}, False),
        # AND: one False decides; otherwise an unknown makes it unknown.
        (Q(amount__gte=0, filed_on__gte=F("signed_on")), {"amount": -1, "filed_on": None}, False),
        (Q(amount__gte=0, filed_on__gte=F("signed_on")), {"amount": 1, "filed_on": None}, None),
        # OR: one True decides; otherwise an unknown makes it unknown.
        (Q(amount__gte=0) | Q(filed_on__isnull=True), {"amount": None, "filed_on": None}, True),
        (Q(amount__gte=0) | Q(filed_on__isnull=False), {"amount": None, "filed_on": None}, None),
        (Q(amount__gte=0) | Q(filed_on__isnull=False), {"amount": -1, "filed_on": None}, False),
        # NOT of unknown stays unknown.
        (~Q(amount__gte=0), {"amount": None}, None),
        (~Q(amount__gte=0), {"amount": Decimal("-1")}, True),
    ],
)
def test_conditions_are_evaluated_with_sqls_three_values(condition, values, expected):
    assert evaluate(condition, **values) is expected


# --- Every constraint of the project, against Django's own evaluation -------------------------


def constraints_with_conditions():
    """(model, constraint) for every constraint with a condition in both apps and the
    workflow test app: CHECK constraints and conditional unique constraints."""
    for label in ("registers", "reviews", "workflowapp"):
        for model in apps.get_app_config(label).get_models():
            for constraint in model._meta.constraints:
                if checking.condition_of(constraint) is not None:
                    yield model, constraint


def lookups_of(condition: Q):
    """Every (field name, lookup, value) of a condition, nested ones included."""
    for child in condition.children:
        if isinstance(child, Q):
            yield from lookups_of(child)
        else:
            name, _sep, lookup = child[0].partition("__")
            yield name, lookup or "exact", child[1]


def step_of(field):
    """The smallest step of a field's values, to try each side of a boundary."""
    if isinstance(field, models.DateField):
        return datetime.timedelta(days=1)
    if isinstance(field, models.DecimalField):
        return Decimal(1).scaleb(-field.decimal_places)
    if isinstance(field, models.IntegerField | models.ForeignKey):
        return 1
    return None


def sample_of(field):
    """An ordinary value of the field, other than any the condition names."""
    if isinstance(field, models.ForeignKey):
        return 2
    if isinstance(field, models.DateField):
        return MAY_2
    if isinstance(field, models.DecimalField):
        return Decimal("10")
    if isinstance(field, models.IntegerField):
        return 10
    if isinstance(field, models.BooleanField):
        return True
    if field.choices:
        return field.choices[0][0]
    return "甲"


def values_to_try(model, name: str, literals: list) -> list:
    """NULL, an ordinary value, every value the condition names, and each one's
    neighbours on both sides (so every comparison is tried below, on and above its
    boundary); for text, the empty string and each choice."""
    field = model._meta.get_field(name)
    values = [None, sample_of(field), *literals]
    step = step_of(field)
    if step is not None:
        values += [value + sign * step for value in values[1:] for sign in (-1, 1)]
    if isinstance(field, models.BooleanField):
        values += [True, False]
    if isinstance(field, models.CharField | models.TextField):
        values += ["", *(value for value, _label in field.choices or [])]
    unique = []
    for value in values:
        if not any(type(value) is type(seen) and value == seen for seen in unique):
            unique.append(value)
    return unique


def instances_covering(model, condition: Q):
    """Unsaved instances with every combination of the tried values of the fields the
    condition reads (other fields keep their defaults)."""
    literals: dict[str, list] = {}
    for name, _lookup, value in lookups_of(condition):
        found = literals.setdefault(name, [])
        if isinstance(value, F):
            literals.setdefault(value.name, [])
        elif isinstance(value, list | tuple):
            found.extend(value)
        elif not isinstance(value, bool) or isinstance(
            model._meta.get_field(name), models.BooleanField
        ):
            found.append(value)
    names = sorted(literals)
    attnames = [model._meta.get_field(name).attname for name in names]
    tried = [values_to_try(model, name, literals[name]) for name in names]
    for combination in itertools.product(*tried):
        yield model(**dict(zip(attnames, combination, strict=True)))


def sql_truth(model, condition: Q, instance) -> bool | None:
    """What the database says of the condition on the instance's values: True, False, or
    None for SQL's "unknown" (``Q.check`` passes on unknown, so ask of its negation too)."""
    against = instance._get_field_expression_map(meta=model._meta)
    if not Q(condition).check(against):
        return False
    return None if (~Q(condition)).check(against) else True


CONSTRAINTS = list(constraints_with_conditions())


def test_the_project_has_constraints_to_compare():
    """A guard against the comparison below silently comparing nothing."""
    checks = [c for _m, c in CONSTRAINTS if isinstance(c, models.CheckConstraint)]
    assert len(checks) >= 25
    assert any(isinstance(c, models.UniqueConstraint) for _m, c in CONSTRAINTS)


@pytest.mark.parametrize(
    ("model", "constraint"),
    [pytest.param(model, constraint, id=constraint.name) for model, constraint in CONSTRAINTS],
)
def test_every_compiled_condition_agrees_with_django(model, constraint, db):
    condition = checking.condition_of(constraint)
    compiled = compile_condition(condition, model)  # every constraint has the fast path
    tried = 0
    for instance in instances_covering(model, condition):
        fast = compiled(instance)
        assert fast is sql_truth(model, condition, instance), vars(instance)
        if isinstance(constraint, models.CheckConstraint):
            try:
                constraint.validate(model, instance)
            except ValidationError:
                refused = True
            else:
                refused = False
            assert refused is (fast is False), vars(instance)
        tried += 1
    assert tried >= 3
