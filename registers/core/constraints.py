"""The database constraints of every register, written once per kind of rule.

Each constraint carries its own message and code (the admin, the API and the upload show
them; a test checks every model has both). A constraint is named by its ``rule``, after its
model: the rule ``effective_after_issue`` of ``Document`` is the constraint
``registers_document_effective_after_issue`` (Django fills in the app and the model when the
model is created). Unless given, the code is the name without its app label:
``document_effective_after_issue``. A constraint named otherwise gives its whole ``name``.

- ``unique``: a unique key;
- ``not_before``: a date that may not come before another (``strictly``: must come after);
  optional by default, so an empty later date passes;
- ``only_with``: a field filled only once another is (an outcome only with the date of the
  conclusion);
- ``required_when``: a field that must be filled in some case (a liaison's unit, a power
  item's category);
- ``check``: any other rule, stated as its condition.

A refusal is shown on the field it is about (``refused_field``): the later date, the field
that must be filled or stay empty, a unique key's text field besides the unit (a code, a
number, a name), or the field a rule names with ``on=``. The admin's forms, the API and
the upload's checks all place it there; a model's ``clean`` does not check a constraint
again.
"""

from __future__ import annotations

import operator

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db.models import CharField, CheckConstraint, F, Q, UniqueConstraint
from django.db.models.signals import class_prepared

#: How Django names a model's own constraint (``Options``), and how its code is filled in.
OF_MODEL = "%(app_label)s_%(class)s_"
MODEL_CODE = "%(class)s_"


def naming(rule: str | None, name: str | None, code: str | None) -> dict:
    """The name and code of a constraint given its ``rule`` (or its whole ``name``)."""
    if (rule is None) == (name is None):
        raise TypeError("a constraint is named by its rule or by its whole name")
    if rule is not None:
        return {"name": OF_MODEL + rule, "violation_error_code": code or MODEL_CODE + rule}
    return {"name": name, "violation_error_code": code or name.split("_", 1)[1]}


def _finish(sender, **kwargs) -> None:
    """Fill the model's name into the codes of its rules, as Django does into their names,
    and keep the field each refusal is shown on: Django's copies of the declared rules (the
    names filled in) are made from their deconstruction, which does not carry it."""
    names = {"app_label": sender._meta.app_label.lower(), "class": sender._meta.model_name}
    declared = {
        constraint.name % names: constraint
        for constraint in sender._meta.original_attrs.get("constraints", ())
    }
    for constraint in sender._meta.constraints:
        if MODEL_CODE in (constraint.violation_error_code or ""):
            constraint.violation_error_code %= {"class": sender._meta.model_name}
        original = declared.get(constraint.name)
        if original is not None and original is not constraint:
            constraint.refused_field = getattr(original, "refused_field", None)


class_prepared.connect(_finish, dispatch_uid="registers.core.constraints.codes")


def check(
    condition: Q,
    *,
    rule: str | None = None,
    name: str | None = None,
    message,
    code: str | None = None,
    on: str | None = None,
) -> CheckConstraint:
    """A row must satisfy ``condition``. Every factory is named (``rule`` or ``name``) and
    refuses (``message``, ``code``, shown on the field ``on``) as this one is."""
    constraint = CheckConstraint(
        condition=condition, violation_error_message=message, **naming(rule, name, code)
    )
    return refused_on(constraint, on)


def unique(
    *fields: str,
    rule: str | None = None,
    name: str | None = None,
    message,
    code: str | None = None,
    condition: Q | None = None,
    on: str | None = None,
) -> UniqueConstraint:
    """No two rows (among those matching ``condition``) have the same ``fields``; the
    refusal shown on the field ``on`` (by default as ``refused_field`` finds it)."""
    constraint = UniqueConstraint(
        fields=list(fields),
        condition=condition,
        violation_error_message=message,
        **naming(rule, name, code),
    )
    return refused_on(constraint, on)


def not_before(
    later: str, earlier: str, *, optional: bool = True, strictly: bool = False, **named
) -> CheckConstraint:
    """The date ``later`` is not before ``earlier`` (``strictly``: after it). An ``optional``
    later date may be empty (not known yet); an empty ``earlier`` date leaves it unchecked."""
    order = Q(**{f"{later}__{'gt' if strictly else 'gte'}": F(earlier)})
    condition = Q(**{f"{later}__isnull": True}) | order if optional else order
    return check(condition, **{"on": later, **named})


def only_with(field: str, required: str, **named) -> CheckConstraint:
    """The text field ``field`` stays empty until the field ``required`` is filled."""
    condition = Q(**{field: ""}) | Q(**{f"{required}__isnull": False})
    return check(condition, **{"on": field, **named})


def required_when(field: str, when: Q, *, text: bool = False, **named) -> CheckConstraint:
    """Where ``when`` holds, ``field`` is filled: not null, or for a ``text`` field not
    empty."""
    filled = ~Q(**{field: ""}) if text else Q(**{f"{field}__isnull": False})
    return check(~when | filled, **{"on": field, **named})


#: Lookups that compare a field with a value or another field, and how.
COMPARISONS = {"gt": operator.gt, "gte": operator.ge, "lt": operator.lt, "lte": operator.le}


def refused_on(constraint, field: str | None):
    """``constraint``, its refusal to be shown on ``field`` (None: as ``refused_field``
    finds it). Not part of the constraint's deconstruction: no migration carries it."""
    constraint.refused_field = field
    return constraint


def refused_field(model, constraint) -> str | None:
    """The field of ``model`` that ``constraint``'s refusal is about, or None for the record
    as a whole: the one it names; for a unique key, its last free-text field (a code, a
    number, a title) besides the unit, else its last field besides the unit; for a check,
    the first field its condition compares (a date after another, a ratio in range), else
    the last it names."""
    field = getattr(constraint, "refused_field", None)
    if field is not None:
        return field
    if isinstance(constraint, UniqueConstraint):
        keys = [name for name in constraint.fields if name != "unit"] or list(constraint.fields)
        texts = [
            name
            for name in keys
            if isinstance(model._meta.get_field(name), CharField)
            and not model._meta.get_field(name).choices
        ]
        return (texts or keys or [None])[-1]
    condition = getattr(constraint, "condition", None)
    if condition is None:
        return None
    compared, named = [], []

    def walk(node):
        for child in node.children:
            if isinstance(child, Q):
                walk(child)
            elif isinstance(child, tuple):
                name, _sep, lookup = child[0].partition("__")
                named.append(name)
                if lookup in COMPARISONS:
                    compared.append(name)

    walk(condition)
    return (compared or named[::-1] or [None])[0]


class RefusalsOnFields:
    """Model mixin: each constraint's refusal is shown on its field (``refused_field``), and
    the fields the code keeps (not editable, so on no form) are checked with the rest: a
    form leaves them out of its checks, which would skip a rule such as "one item in force
    per code" (the closing date of a power-list item)."""

    def validate_constraints(self, exclude=None):
        left_out = set(exclude or ())
        kept = {field.name for field in self._meta.concrete_fields if not field.editable}
        try:
            super().validate_constraints(exclude=left_out - kept)
        except ValidationError as error:
            errors = place_refusals(type(self), error.update_error_dict({}), left_out)
            raise ValidationError(errors) from None


def place_refusals(model, errors: dict, left_out=frozenset()) -> dict:
    """``errors`` with each constraint's refusal moved onto its field, unless that field
    was left out (a form cannot show an error on a field it does not have)."""
    placed: dict = {}
    for name, items in errors.items():
        for item in items:
            field = _field_of_refusal(model, item) if name == NON_FIELD_ERRORS else None
            target = field if field and field not in left_out else name
            placed.setdefault(target, []).append(item)
    return placed


def _field_of_refusal(model, item: ValidationError) -> str | None:
    for constraint in model._meta.constraints:
        if item.code == constraint.violation_error_code and message_text(item) == violation_message(
            constraint
        ):
            return refused_field(model, constraint)
    return None


def message_text(item: ValidationError) -> str:
    """The text ``item`` shows, its parameters filled in."""
    return str(item.message % item.params if item.params else item.message)


def violation_message(constraint) -> str:
    """The message ``constraint`` refuses with."""
    try:
        return str(constraint.get_violation_error_message())
    except (ValueError, TypeError, KeyError):  # a message with a stray "%"
        return str(constraint.violation_error_message)
