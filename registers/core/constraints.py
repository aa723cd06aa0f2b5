"""The database constraints of every register, written once per kind of rule.

Each constraint carries its own message and code (the admin, the API and the upload show
them; a test checks every model has both). Unless given, the code is the constraint's name
without its app label: ``registers_document_effective_after_issue`` refuses with
``document_effective_after_issue``.

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


def code_of(name: str) -> str:
    """The code a constraint named ``name`` refuses with: its name without the app label."""
    return name.split("_", 1)[1]


def check(condition: Q, *, name: str, message, code: str | None = None) -> CheckConstraint:
    """A row must satisfy ``condition``."""
    return CheckConstraint(
        condition=condition,
        name=name,
        violation_error_message=message,
        violation_error_code=code or code_of(name),
    )


def unique(
    *fields: str, name: str, message, code: str | None = None, condition: Q | None = None
) -> UniqueConstraint:
    """No two rows (among those matching ``condition``) have the same ``fields``."""
    return UniqueConstraint(
        fields=list(fields),
        condition=condition,
        name=name,
        violation_error_message=message,
        violation_error_code=code or code_of(name),
    )


def not_before(
    later: str,
    earlier: str,
    *,
    name: str,
    message,
    code: str | None = None,
    optional: bool = True,
    strictly: bool = False,
) -> CheckConstraint:
    """The date ``later`` is not before ``earlier`` (``strictly``: after it). An ``optional``
    later date may be empty (not known yet); an empty ``earlier`` date leaves it unchecked."""
    order = Q(**{f"{later}__{'gt' if strictly else 'gte'}": F(earlier)})
    condition = Q(**{f"{later}__isnull": True}) | order if optional else order
    return check(condition, name=name, message=message, code=code)


def only_with(
    field: str, required: str, *, name: str, message, code: str | None = None
) -> CheckConstraint:
    """The text field ``field`` stays empty until the field ``required`` is filled."""
    return check(
        Q(**{field: ""}) | Q(**{f"{required}__isnull": False}),
        name=name,
        message=message,
        code=code,
    )


def required_when(
    field: str, when: Q, *, name: str, message, code: str | None = None, text: bool = False
) -> CheckConstraint:
    """Where ``when`` holds, ``field`` is filled: not null, or for a ``text`` field not
    empty."""
    filled = ~Q(**{field: ""}) if text else Q(**{f"{field}__isnull": False})
    return check(~when | filled, name=name, message=message, code=code)
