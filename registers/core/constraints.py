"""The database constraints of every register, written once per kind of rule.

Each constraint carries its own message and code (the admin, the API and the upload show
them; a test checks every model has both). A constraint is named by its ``rule``, after its
model: the rule ``effective_after_issue`` of ``Document`` is the constraint
``registers_document_effective_after_issue`` (Django fills in the app and the model when the
model is created). Unless given, the code is the name without its app label:
``document_effective_after_issue``. A constraint named otherwise gives its whole ``name``.

- ``unique``: a unique key (its refusal shown on its one field, ``RevisionedModel``);
- ``not_before``: a date that may not come before another (``strictly``: must come after);
  optional by default, so an empty later date passes;
- ``only_with``: a field filled only once another is (an outcome only with the date of the
  conclusion);
- ``required_when``: a field that must be filled in some case (a liaison's unit, a power
  item's category);
- ``check``: any other rule, stated as its condition.
"""

from __future__ import annotations

from django.db.models import CheckConstraint, F, Q, UniqueConstraint
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


def _fill_in_codes(sender, **kwargs) -> None:
    """Fill the model's name into the codes of its rules, as Django does into their names."""
    for constraint in sender._meta.constraints:
        if MODEL_CODE in (constraint.violation_error_code or ""):
            constraint.violation_error_code %= {"class": sender._meta.model_name}


class_prepared.connect(_fill_in_codes, dispatch_uid="registers.core.constraints.codes")


def check(
    condition: Q,
    *,
    rule: str | None = None,
    name: str | None = None,
    message,
    code: str | None = None,
) -> CheckConstraint:
    """A row must satisfy ``condition``. Every factory is named (``rule`` or ``name``) and
    refuses (``message``, ``code``) as this one is."""
    return CheckConstraint(
        condition=condition, violation_error_message=message, **naming(rule, name, code)
    )


def unique(
    *fields: str,
    rule: str | None = None,
    name: str | None = None,
    message,
    code: str | None = None,
    condition: Q | None = None,
) -> UniqueConstraint:
    """No two rows (among those matching ``condition``) have the same ``fields``."""
    return UniqueConstraint(
        fields=list(fields),
        condition=condition,
        violation_error_message=message,
        **naming(rule, name, code),
    )


def not_before(
    later: str, earlier: str, *, optional: bool = True, strictly: bool = False, **named
) -> CheckConstraint:
    """The date ``later`` is not before ``earlier`` (``strictly``: after it). An ``optional``
    later date may be empty (not known yet); an empty ``earlier`` date leaves it unchecked."""
    order = Q(**{f"{later}__{'gt' if strictly else 'gte'}": F(earlier)})
    condition = Q(**{f"{later}__isnull": True}) | order if optional else order
    return check(condition, **named)


def only_with(field: str, required: str, **named) -> CheckConstraint:
    """The text field ``field`` stays empty until the field ``required`` is filled."""
    return check(Q(**{field: ""}) | Q(**{f"{required}__isnull": False}), **named)


def required_when(field: str, when: Q, *, text: bool = False, **named) -> CheckConstraint:
    """Where ``when`` holds, ``field`` is filled: not null, or for a ``text`` field not
    empty."""
    filled = ~Q(**{field: ""}) if text else Q(**{f"{field}__isnull": False})
    return check(~when | filled, **named)
