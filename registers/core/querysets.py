"""Querysets every register shares: the scoping rule and the workflow's filters."""

from django.db import models

from registers.core.permissions import scope_queryset
from registers.core.status import Status


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
