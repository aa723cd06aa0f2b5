"""Querysets every register shares: the scoping rule, the workflow's filters, the year."""

import datetime

from django.db import models
from django.db.models.functions import ExtractYear

from registers.core.permissions import scope_queryset
from registers.core.status import Status


def within_year(path: str, year: int) -> models.Q:
    """``path`` (a date) falls in calendar ``year``; a range, so an index on it is used."""
    return models.Q(
        **{
            f"{path}__gte": datetime.date(year, 1, 1),
            f"{path}__lt": datetime.date(year + 1, 1, 1),
        }
    )


def year_end(year: int) -> datetime.date:
    """The day a standing list is counted as of: 31 December."""
    return datetime.date(year, 12, 31)


def _is_date(model, path: str) -> bool:
    """Whether ``path`` from ``model`` ends at a date (else it is a year number)."""
    target = model
    for name in path.split("__"):
        field = target._meta.get_field(name)
        target = field.related_model or target
    return isinstance(field, models.DateField)


class ScopedQuerySet(models.QuerySet):
    """Records of a model that takes part in unit scoping (``scope_field``)."""

    def visible_to(self, user):
        """The records ``user`` may see: everything, their unit's, or nothing."""
        return scope_queryset(self, user)

    def of_unit(self, unit):
        return self.filter(**{self.model.scope_field: unit})


class WorkflowQuerySet(ScopedQuerySet):
    def approved(self):
        """What the annual report counts."""
        return self.filter(status=Status.APPROVED)

    def awaiting_review(self):
        return self.filter(status=Status.SUBMITTED)

    # --- The year a record belongs to (``WorkflowRecord.year_field``) ---------------------

    def year_condition(self, year: int) -> models.Q:
        """What puts a record in ``year``: its ``year_field`` falls in it.

        A standing list (no ``year_field``) belongs to every year as it stands on
        31 December; a list whose entries come and go says which stand by overriding this.
        """
        path = self.model.year_field
        if path is None:
            return models.Q()
        if _is_date(self.model, path):
            return within_year(path, year)
        return models.Q(**{path: year})

    def in_year(self, year: int):
        """The records of ``year``, whatever their status: what the annual report of that
        year counts once approved, and what the dashboard shows as the year's progress."""
        return self.filter(self.year_condition(year))

    def with_record_year(self):
        """Annotate ``record_year``: the year a record belongs to, None while the date that
        puts it in a year is empty. Only for a register that has ``year_field``."""
        path = self.model.year_field
        if path is None:
            raise TypeError(f"{self.model.__name__} is a standing list: use in_year(year)")
        return self.annotate(
            record_year=ExtractYear(path) if _is_date(self.model, path) else models.F(path)
        )
