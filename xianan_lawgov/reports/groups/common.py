"""What the group modules share to declare their figures: the records a scope counts, one
figure per member of a choice, and a summary's figures by name."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet

from ..figures import FigureDef, Scope


def approved_records(model, *, of_year: bool = True) -> Callable[[Scope], QuerySet]:
    """The records of ``model`` a scope counts: the approved ones of its unit (all units for
    the district) and, ``of_year``, of its year by the model's own rule (``in_year``)."""

    def records(scope: Scope) -> QuerySet:
        approved = model.objects.approved()
        return scope.restrict(approved.in_year(scope.year) if of_year else approved)

    return records


def counted_in_year(
    records: Callable[[Scope], QuerySet], rule: str = "in_year"
) -> Callable[[Scope], QuerySet]:
    """``records`` of a scope that its year counts by the queryset's own rule named ``rule``
    (``in_year``, ``accepted_in``, ``concluded_in``…, each taking the year)."""
    return lambda scope: getattr(records(scope), rule)(scope.year)


@dataclass(frozen=True)
class ChoiceFigures:
    """One figure per member of a ``TextChoices`` (a count per kind, outcome, grade…), each
    keyed ``{prefix}_{value}``: the figures, the keys a check adds up and the computed values
    all follow this one naming."""

    prefix: str
    choices: Any  # a TextChoices class

    def key(self, member) -> str:
        return f"{self.prefix}_{member.value}"

    def keys(self) -> tuple[str, ...]:
        return tuple(self.key(member) for member in self.choices)

    def figures(
        self,
        measure: str,
        label: str | None = None,
        records: Callable[[Scope, Any], QuerySet] | None = None,
    ) -> tuple[FigureDef, ...]:
        """The figures, labelled by ``label`` with the member's label as ``%(choice)s`` (the
        member's label alone without one); ``records(scope, member)`` behind each."""
        return tuple(
            FigureDef(
                self.key(member),
                member.label if label is None else label % {"choice": member.label},
                measure,
                records=None if records is None else (lambda s, m=member: records(s, m)),
            )
            for member in self.choices
        )

    def values(self, counts) -> dict[str, Any]:
        """Each member's value in ``counts`` (a mapping by member), 0 for one not counted."""
        return {self.key(member): counts.get(member, 0) for member in self.choices}


def picked(values: Any, *names: str) -> dict[str, Any]:
    """The figures a group's summary object holds under the figures' own keys."""
    return {name: getattr(values, name) for name in names}
