"""The platform's models: the abstract record every register shares, the calendar's
override days, and the corrections of approved records. They belong to the ``registers``
app (its tables and migrations)."""

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from registers.core.querysets import ScopedQuerySet, WorkflowQuerySet
from registers.core.revisions import RevisionedModel
from registers.core.status import Action, Status


class WorkflowRecord(RevisionedModel):
    """Abstract base of every record a unit submits and the office reviews."""

    # Path from this model to the unit that owns it; scoping follows this path.
    scope_field = "unit"

    #: The date that puts a record in a year (a path such as ``"received_on"``, or to a year
    #: number such as ``"catalogue__year"``): the date the annual report's sentence about the
    #: register counts by, so the report and the dashboard's progress agree on it
    #: (``WorkflowQuerySet.in_year``). A record whose date is still empty is in no year yet.
    #: None for a standing list, which belongs to every year as it stands on 31 December.
    #: Every register declares it; a report sentence about another date is a named exception
    #: on the register's queryset (``concluded_in``…).
    year_field: str | None = None

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

    #: Whether the office may enter (or upload) a new record directly as approved. A register
    #: whose approval is a service of its own (a clean-up's confirmation writes its outcomes
    #: into the document register) says no; its approval refuses itself otherwise.
    enters_approved = True

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


class CalendarDay(RevisionedModel):
    """An override of the statutory holiday calendar for one day.

    The State Council publishes next year's holidays and make-up working days (调休) each
    November; the office enters them here until the calendar package catches up. An entry
    here always wins over the package.
    """

    # Reference data: every role reads the calendar; the office keeps it.
    reference_data = True

    date = models.DateField(_("日期"), unique=True)
    is_working_day = models.BooleanField(
        _("工作日"), help_text=_("勾选表示当天上班（含调休上班日）；不勾选表示放假。")
    )
    note = models.CharField(_("说明"), max_length=100, blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["date"]
        verbose_name = _("节假日调整")
        verbose_name_plural = _("节假日调整")

    def __str__(self) -> str:
        kind = _("工作日") if self.is_working_day else _("休息日")
        return f"{self.date:%Y-%m-%d} {kind}"


class CorrectionKind(models.TextChoices):
    REOPEN = "reopen", _("重新打开更正")
    EDIT = "edit", _("直接更正")


class CorrectionQuerySet(ScopedQuerySet):
    def of_record(self, record):
        return self.filter(
            content_type=ContentType.objects.get_for_model(type(record)), object_id=record.pk
        )

    def since(self, moment):
        return self.filter(corrected_at__gt=moment)


class Correction(models.Model):
    """A change of an approved record, kept with who made it, when, why and what changed.

    Written by the workflow only (``registers.core.workflow``): when the office reopens an
    approved record (``CorrectionKind.REOPEN``) or edits one (``CorrectionKind.EDIT``).
    The record's history rows (simple-history) hold its versions; this says which of those
    changes were corrections of something already approved, so a published report can list
    what moved since.
    """

    scope_field = "unit"

    content_type = models.ForeignKey(
        ContentType, verbose_name=_("记录类型"), on_delete=models.PROTECT, related_name="+"
    )
    object_id = models.PositiveBigIntegerField(_("记录编号"), db_index=True)
    record = GenericForeignKey("content_type", "object_id")
    record_label = models.CharField(_("记录"), max_length=300)
    unit = models.ForeignKey(
        "registers.Unit",
        verbose_name=_("填报单位"),
        on_delete=models.PROTECT,
        related_name="corrections",
    )
    kind = models.CharField(_("更正方式"), max_length=20, choices=CorrectionKind.choices)
    reason = models.TextField(_("更正原因"))
    #: ``[{"field", "label", "old", "new"}]``: each changed field as it read before and after.
    changes = models.JSONField(_("改动"), default=list, blank=True)
    revision = models.PositiveIntegerField(_("更正后的修订号"))
    corrected_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("更正人"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    corrected_at = models.DateTimeField(_("更正时间"), default=timezone.now, db_index=True)

    objects = CorrectionQuerySet.as_manager()

    class Meta:
        ordering = ["-corrected_at", "-id"]
        verbose_name = _("更正记录")
        verbose_name_plural = _("更正记录")
        indexes = [
            models.Index(fields=["content_type", "object_id"], name="registers_correction_record")
        ]

    def __str__(self) -> str:
        return f"{self.record_label}：{self.get_kind_display()}"
