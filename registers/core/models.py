"""The platform's models: the abstract record every register shares, the evidence files
attached to records, the calendar's override days and holiday schedules, the background jobs,
and the corrections of approved records. They belong to the ``registers`` app
(its tables and migrations)."""

import datetime
import uuid

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey, GenericRelation
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from registers.core import permissions
from registers.core.constraints import check, unique
from registers.core.fields import optional_moment, part_of, person_field, reference, unit_field
from registers.core.holiday_notice import FESTIVAL_MAX_LENGTH
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

    unit = unit_field(_("填报单位"))
    status = models.CharField(
        _("审核状态"), max_length=20, choices=Status.choices, default=Status.DRAFT, db_index=True
    )
    created_by = person_field(_("录入人"))
    created_at = models.DateTimeField(_("录入时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True, db_index=True)
    submitted_by = person_field(_("报送人"))
    submitted_at = optional_moment(_("报送时间"))
    reviewed_by = person_field(_("审核人"))
    reviewed_at = optional_moment(_("审核时间"))
    review_comment = models.TextField(_("审核意见"), blank=True)

    #: Evidence files (registers.core.attachments); they go with the record when it is deleted.
    attachments = GenericRelation("registers.Attachment")

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

    def changes_kept_elsewhere(self, since: datetime.datetime) -> list[tuple[str, str, str]]:
        """What changed since ``since`` in content the record keeps in other rows (a unit
        report's text), as (what, then, now); its review page lists it with the fields."""
        return []


class HandledRecord(WorkflowRecord):
    """Abstract base of a record that runs against deadlines and has a person in charge
    (承办人): its reminders go to that person first, and it is on their own deadline list
    and calendar feed.

    The choice is checked with the fields (``clean_fields``), so its refusal is shown beside
    the record's other errors rather than instead of them.
    """

    handler = person_field(
        _("承办人"),
        help_text=_("负责办理并跟踪期限的人：法制办工作人员或本单位联络员。期限提醒先发给承办人。"),
    )

    class Meta:
        abstract = True

    def clean_fields(self, exclude=None) -> None:
        errors: dict = {}
        try:
            super().clean_fields(exclude=exclude)
        except ValidationError as error:
            errors = error.update_error_dict(errors)
        if "handler" not in (exclude or ()) and "handler" not in errors:
            refusal = self.handler_refusal()
            if refusal is not None:
                errors.setdefault("handler", []).append(refusal)
        if errors:
            raise ValidationError(errors)

    def handler_refusal(self) -> ValidationError | None:
        """Why the chosen person may not be in charge of this record, or None."""
        handler = self.handler if self.handler_id else None
        if handler is None:
            return None
        if not handler.is_active:
            return ValidationError(
                _("承办人“%(user)s”的账号已停用，请另选承办人。"),
                code="handler_inactive",
                params={"user": handler},
            )
        if not permissions.may_handle(handler, self.unit_id):
            return ValidationError(
                _("承办人须是法制办工作人员或本记录所属单位的联络员，“%(user)s”不是。"),
                code="handler_not_of_unit",
                params={"user": handler},
            )
        return None


class CalendarDay(RevisionedModel):
    """An override of the holiday calendar for one day.

    A year's official schedule is confirmed as a whole (``HolidaySchedule``); an entry here
    corrects a single day and always wins over the schedule, the package and the statutory
    holidays.
    """

    # Reference data: every role reads the calendar; the office keeps it.
    reference_data = True

    date = models.DateField(_("日期"), unique=True)
    is_working_day = models.BooleanField(
        _("工作日"), help_text=_("勾选表示当天上班（含调休上班日）；不勾选表示放假。")
    )
    note = models.CharField(_("说明"), max_length=100, blank=True)

    class Meta:
        ordering = ["date"]
        verbose_name = verbose_name_plural = _("节假日调整")

    def __str__(self) -> str:
        kind = _("工作日") if self.is_working_day else _("休息日")
        return f"{self.date:%Y-%m-%d} {kind}"


class HolidayScheduleQuerySet(models.QuerySet):
    def confirmed(self):
        """The schedules in force: confirmed and not withdrawn."""
        return self.filter(withdrawn_at__isnull=True)


class HolidaySchedule(models.Model):
    """A year's official holiday schedule as the office confirmed it from the State
    Council's notice (国务院办公厅关于某年部分节假日安排的通知).

    Until one is in force (and when the holiday package does not know the year), the year's
    deadlines are counted on the statutory holidays alone and marked provisional. Its days
    are ``HolidayScheduleDay`` rows; a ``CalendarDay`` override still wins over them. A
    schedule confirmed by mistake is withdrawn with a reason (``withdrawn_at``), not deleted:
    it stays listed, counts no more, and the year may be confirmed again.
    """

    year = models.PositiveIntegerField(_("年度"))
    notice_text = models.TextField(_("通知原文"), blank=True)
    confirmed_by = person_field(_("确认人"), protect=True)
    confirmed_at = models.DateTimeField(_("确认时间"), auto_now_add=True)
    withdrawn_at = optional_moment(_("撤销时间"))
    withdrawn_by = person_field(_("撤销人"), protect=True, null=True, blank=True)
    withdrawal_reason = models.TextField(_("撤销原因"), blank=True)

    objects = HolidayScheduleQuerySet.as_manager()

    class Meta:
        ordering = ["-year", "-confirmed_at"]
        verbose_name = verbose_name_plural = _("节假日安排")
        constraints = [
            unique(
                "year",
                rule="one_in_force",
                message=_("该年度已有确认的节假日安排。"),
                code="schedule_already_confirmed",
                condition=models.Q(withdrawn_at__isnull=True),
            )
        ]

    def __str__(self) -> str:
        return _("%(year)s年节假日安排") % {"year": self.year}

    def days_map(self) -> dict:
        return {day.date: day.is_working_day for day in self.days.all()}


class HolidayScheduleDay(models.Model):
    """One day of a confirmed schedule: a day off, or a make-up working day (调休上班)."""

    schedule = part_of(HolidaySchedule, _("节假日安排"), related_name="days")
    date = models.DateField(_("日期"))
    is_working_day = models.BooleanField(_("调休上班"))
    festival = models.CharField(_("节日"), max_length=FESTIVAL_MAX_LENGTH)

    class Meta:
        ordering = ["date"]
        verbose_name = verbose_name_plural = _("节假日安排日期")
        constraints = [
            # A day once in each schedule; a withdrawn schedule keeps its days beside the
            # one that replaced it.
            unique(
                "schedule",
                "date",
                rule="once_per_schedule",
                message=_("同一节假日安排中该日期已录入。"),
                code="duplicate_schedule_day",
            )
        ]

    def __str__(self) -> str:
        kind = _("上班") if self.is_working_day else _("放假")
        return f"{self.date:%Y-%m-%d} {self.festival}{kind}"


class AttachmentKind(models.TextChoices):
    RECONSIDERATION_DECISION = "reconsideration_decision", _("复议决定书")
    JUDGMENT = "judgment", _("判决书")
    CONTRACT = "contract", _("合同文本")
    REVIEW_OPINION = "review_opinion", _("审核意见书")
    PUBLICATION_SCREENSHOT = "publication_screenshot", _("公示截图")
    EVALUATION_FORM = "evaluation_form", _("评查表")
    DOCUMENT_TEXT = "document_text", _("规范性文件文本")
    OTHER = "other", _("其他")


def attachment_path(instance, filename: str) -> str:
    """Where a file is stored: a random name under the month it came in, never the name it
    was uploaded with (which is kept in ``original_name`` and offered on download)."""
    extension = filename.rpartition(".")[2].lower() if "." in filename else "bin"
    return f"attachments/{timezone.now():%Y/%m}/{uuid.uuid4().hex}.{extension}"


class AttachmentQuerySet(models.QuerySet):
    def visible_to(self, user):
        """The attachments of records ``user`` may see (the one scoping rule)."""
        from registers.core.permissions import scope_queryset

        return scope_queryset(self, user)

    def current(self):
        """Neither replaced by a newer version nor deleted."""
        return self.filter(removed_at__isnull=True)

    def of_record(self, record):
        return self.filter(
            content_type=ContentType.objects.get_for_model(record), object_id=record.pk
        )


class Attachment(models.Model):
    """An evidence file on a record (a decision, a judgment, a contract's text…).

    Its record decides everything: an attachment is seen and changed exactly when its record
    is (``scope_record``, ``registers.core.permissions``). Nothing is overwritten: a
    replacement is a new row that ``replaces`` the old one, which is closed (``removed_at``)
    with its file kept; a deletion closes the row too.
    """

    #: The record this row belongs to; scoping and change rights follow it.
    scope_record = "record"

    content_type = reference(ContentType, _("记录类型"), related_name="+")
    object_id = models.PositiveBigIntegerField(_("记录编号"))
    record = GenericForeignKey("content_type", "object_id")
    kind = models.CharField(
        _("材料类型"), max_length=30, choices=AttachmentKind.choices, default=AttachmentKind.OTHER
    )
    note = models.CharField(_("说明"), max_length=200, blank=True)
    file = models.FileField(_("文件"), upload_to=attachment_path, max_length=255)
    original_name = models.CharField(_("文件名"), max_length=255)
    size = models.PositiveBigIntegerField(_("大小（字节）"))
    mime_type = models.CharField(_("文件类型"), max_length=100)
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    uploaded_by = person_field(_("上传人"))
    uploaded_at = models.DateTimeField(_("上传时间"), default=timezone.now)
    replaces = models.OneToOneField(
        "self",
        verbose_name=_("替换的版本"),
        # An old version stays while its successor does; both go with their record.
        on_delete=models.RESTRICT,
        null=True,
        blank=True,
        related_name="replaced_by",
    )
    removed_at = optional_moment(_("停用时间"))
    removed_by = person_field(_("停用人"))

    objects = AttachmentQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["uploaded_at", "pk"]
        verbose_name = verbose_name_plural = _("附件")
        indexes = [
            models.Index(fields=["content_type", "object_id"], name="registers_attachment_record")
        ]
        constraints = [
            check(
                models.Q(size__gt=0),
                rule="not_empty",
                message=_("附件不能是空文件。"),
                code="empty_file",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}：{self.original_name}"

    @property
    def is_current(self) -> bool:
        return self.removed_at is None


# --- Background jobs (registers/core/jobs.py) ----------------------------------------------


class JobKind(models.TextChoices):
    MAIL = "mail", _("发送邮件")
    UPLOAD = "upload", _("Excel 上传")
    UPDATE = "update", _("按编号更新")
    REPORT_FILE = "report_file", _("生成报告文件")
    DEADLINE_NOTIFICATIONS = "deadline_notifications", _("期限提醒")
    CALENDAR_CHANGED = "calendar_changed", _("节假日调整后重算期限")


class JobStatus(models.TextChoices):
    QUEUED = "queued", _("排队中")
    RUNNING = "running", _("进行中")
    SUCCEEDED = "succeeded", _("已完成")
    FAILED = "failed", _("失败")

    @property
    def css(self) -> str:
        return {
            JobStatus.QUEUED: "warn",
            JobStatus.RUNNING: "warn",
            JobStatus.SUCCEEDED: "ok",
            JobStatus.FAILED: "bad",
        }[self]

    @property
    def is_finished(self) -> bool:
        return self in (JobStatus.SUCCEEDED, JobStatus.FAILED)


class JobQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Office staff follow every job; everyone else only the jobs they started."""
        if not getattr(user, "is_authenticated", False):
            return self.none()
        if permissions.is_office(user):
            return self
        return self.filter(user=user)

    def waiting(self):
        return self.filter(status=JobStatus.QUEUED)


class Job(models.Model):
    """Work done by the background worker: what it is, who asked, how far it got, what came
    out (a summary, a file) or why it failed."""

    kind = models.CharField(_("类别"), max_length=30, choices=JobKind.choices)
    title = models.CharField(_("名称"), max_length=300)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("发起人"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="jobs",
        help_text=_("系统发起的任务（邮件、定时提醒）为空，只有法制办可见。"),
    )
    status = models.CharField(
        _("状态"), max_length=20, choices=JobStatus.choices, default=JobStatus.QUEUED
    )
    params = models.JSONField(_("参数"), default=dict, blank=True)
    input_file = models.FileField(_("上传的文件"), upload_to="jobs/input/", blank=True)
    result = models.JSONField(_("结果"), default=dict, blank=True)
    output_file = models.FileField(_("生成的文件"), upload_to="jobs/output/", blank=True)
    output_name = models.CharField(_("文件名"), max_length=300, blank=True)
    error = models.TextField(_("失败原因"), blank=True)
    attempts = models.PositiveSmallIntegerField(_("已尝试次数"), default=0)
    max_attempts = models.PositiveSmallIntegerField(_("最多尝试次数"), default=1)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True, db_index=True)
    started_at = optional_moment(_("开始时间"))
    finished_at = optional_moment(_("结束时间"))

    objects = JobQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = verbose_name_plural = _("后台任务")
        indexes = [models.Index(fields=["user", "created_at"], name="registers_job_user_created")]

    def __str__(self) -> str:
        return self.title

    @property
    def status_enum(self) -> JobStatus:
        return JobStatus(self.status)


class WorkerHeartbeat(models.Model):
    """When each background worker process was last heard from (/readyz reads the newest)."""

    worker = models.CharField(_("进程"), max_length=100, unique=True)
    seen_at = models.DateTimeField(_("最近报告时间"))

    class Meta:
        ordering = ["-seen_at"]
        verbose_name = verbose_name_plural = _("后台任务进程")

    def __str__(self) -> str:
        return self.worker


class ScheduledRun(models.Model):
    """One row per scheduled job per day: whichever worker writes it first starts the job."""

    name = models.CharField(_("定时任务"), max_length=100)
    day = models.DateField(_("日期"))
    created_at = models.DateTimeField(_("开始时间"), auto_now_add=True)

    class Meta:
        ordering = ["-day", "name"]
        verbose_name = verbose_name_plural = _("定时任务运行")
        constraints = [
            unique(
                "name",
                "day",
                rule="once_a_day",
                message=_("这项每日任务当天已经运行过。"),
                code="already_ran_today",
            )
        ]

    def __str__(self) -> str:
        return f"{self.name} {self.day:%Y-%m-%d}"


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

    content_type = reference(ContentType, _("记录类型"), related_name="+")
    object_id = models.PositiveBigIntegerField(_("记录编号"), db_index=True)
    record = GenericForeignKey("content_type", "object_id")
    record_label = models.CharField(_("记录"), max_length=300)
    unit = unit_field(_("填报单位"), related_name="corrections")
    kind = models.CharField(_("更正方式"), max_length=20, choices=CorrectionKind.choices)
    reason = models.TextField(_("更正原因"))
    #: ``[{"field", "label", "old", "new"}]``: each changed field as it read before and after.
    changes = models.JSONField(_("改动"), default=list, blank=True)
    revision = models.PositiveIntegerField(_("更正后的修订号"))
    corrected_by = person_field(_("更正人"), protect=True)
    corrected_at = models.DateTimeField(_("更正时间"), default=timezone.now, db_index=True)

    objects = CorrectionQuerySet.as_manager()

    class Meta:
        ordering = ["-corrected_at", "-id"]
        verbose_name = verbose_name_plural = _("更正记录")
        indexes = [
            models.Index(fields=["content_type", "object_id"], name="registers_correction_record")
        ]

    def __str__(self) -> str:
        return f"{self.record_label}：{self.get_kind_display()}"
