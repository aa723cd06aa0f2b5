"""The review workflow every register and review record shares.

draft → submitted → approved, or submitted → returned (with the reviewer's comment) →
submitted again. The transitions themselves live in ``registers.workflow``; who may do what
lives in ``registers.permissions``.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Status(models.TextChoices):
    DRAFT = "draft", _("草稿")
    SUBMITTED = "submitted", _("已报送")
    RETURNED = "returned", _("已退回")
    APPROVED = "approved", _("已审核")

    @property
    def editable_by_liaison(self) -> bool:
        return self in {Status.DRAFT, Status.RETURNED}


class Action(models.TextChoices):
    SUBMIT = "submit", _("报送审核")
    APPROVE = "approve", _("审核通过")
    RETURN = "return", _("退回修改")

    @property
    def from_statuses(self) -> frozenset[Status]:
        return {
            Action.SUBMIT: frozenset({Status.DRAFT, Status.RETURNED}),
            Action.APPROVE: frozenset({Status.SUBMITTED}),
            Action.RETURN: frozenset({Status.SUBMITTED}),
        }[self]

    @property
    def to_status(self) -> Status:
        return {
            Action.SUBMIT: Status.SUBMITTED,
            Action.APPROVE: Status.APPROVED,
            Action.RETURN: Status.RETURNED,
        }[self]


class WorkflowQuerySet(models.QuerySet):
    def visible_to(self, user):
        """The records ``user`` may see: everything, their unit's, or nothing."""
        from registers.permissions import scope_queryset

        return scope_queryset(self, user)

    def approved(self):
        """What the annual report counts."""
        return self.filter(status=Status.APPROVED)

    def awaiting_review(self):
        return self.filter(status=Status.SUBMITTED)

    def of_unit(self, unit):
        return self.filter(**{self.model.scope_field: unit})


class WorkflowRecord(models.Model):
    """Abstract base of every record a unit submits and the office reviews."""

    # Path from this model to the unit that owns it; scoping follows this path.
    scope_field = "unit"

    unit = models.ForeignKey(
        "registers.Unit",
        verbose_name=_("填报单位"),
        on_delete=models.PROTECT,
        related_name="%(app_label)s_%(class)s_set",
    )
    status = models.CharField(
        _("审核状态"), max_length=20, choices=Status.choices, default=Status.DRAFT, db_index=True
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("录入人"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("录入时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True, db_index=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("报送人"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    submitted_at = models.DateTimeField(_("报送时间"), null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("审核人"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    reviewed_at = models.DateTimeField(_("审核时间"), null=True, blank=True)
    review_comment = models.TextField(_("审核意见"), blank=True)

    objects = WorkflowQuerySet.as_manager()

    # Bookkeeping fields the workflow sets; forms never edit them directly.
    WORKFLOW_FIELDS = (
        "status",
        "created_by",
        "created_at",
        "updated_at",
        "submitted_by",
        "submitted_at",
        "reviewed_by",
        "reviewed_at",
        "review_comment",
    )

    class Meta:
        abstract = True

    @property
    def is_approved(self) -> bool:
        return self.status == Status.APPROVED

    def after_transition(self, action: Action, *, by) -> None:
        """Run inside the transition's transaction, after the new status is saved.

        A register whose approval has consequences (a power-list item coming into force)
        overrides this; raising a ``WorkflowError`` undoes the whole transition.
        """
