"""Legality reviews of drafts (合法性审核), replies to comment drafts (征求意见稿), filings (报备).

A year's figures count approved records by the date the report sentence is about (each
model's ``year_field``): reviews by the day they were completed, replies by the day they were
sent, filings by the day they were filed. A filing's due date is computed when read, from the
holiday calendar as it is then.
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _

from registers.core.calendar import get_calendar
from registers.core.constraints import check, not_before, unique
from registers.core.deadlines import Deadline, normative_filing_due
from registers.core.fields import OwnFields, optional_date, reference, unit_field
from registers.core.models import HandledRecord, WorkflowRecord
from registers.core.querysets import WorkflowQuerySet
from registers.core.workingdays import WorkingCalendar
from registers.models import Document, DocumentKind

# --- Legality reviews -------------------------------------------------------------------------


class ReviewKind(models.TextChoices):
    NORMATIVE = "normative", _("规范性文件")
    DECISION = "decision", _("政府决定")
    OTHER = "other", _("其他文件")


class ReviewResult(models.TextChoices):
    AGREED = "agreed", _("同意")
    AGREED_AFTER_CHANGES = "agreed_after_changes", _("修改后同意")
    DISAGREED = "disagreed", _("不同意")

    @property
    def allows_issue(self) -> bool:
        return self != ReviewResult.DISAGREED


class LegalityReviewQuerySet(WorkflowQuerySet):
    def completed_in(self, year: int):
        """Reviews completed in ``year``: the year's reviews (``in_year``)."""
        return self.in_year(year)

    def pending(self):
        return self.filter(completed_on__isnull=True)

    def of_kind(self, kind: ReviewKind):
        return self.filter(kind=kind)

    def counts_by_kind(self) -> dict[ReviewKind, int]:
        """How many reviews of each kind (one query; zeros included)."""
        totals = self.aggregate(
            **{kind.value: Count("pk", filter=Q(kind=kind)) for kind in ReviewKind}
        )
        return {kind: totals[kind.value] for kind in ReviewKind}


class LegalityReview(WorkflowRecord):
    """The office's legality review of a draft before it is issued (contracts are separate)."""

    # A review belongs to the year it was completed, not received.
    year_field = "completed_on"

    #: The review's outcome: the legal office records it, the unit registers its draft.
    office_only_fields = ("completed_on", "result", "opinion")
    register_fields = OwnFields()
    export_omits = ("opinion",)

    unit = unit_field(_("送审单位"), related_name="legality_reviews")
    title = models.CharField(_("送审文件名称"), max_length=200)
    kind = models.CharField(_("文件类别"), max_length=20, choices=ReviewKind.choices)
    received_on = models.DateField(_("收件日期"))
    completed_on = optional_date(_("审核完成日期"))
    result = models.CharField(
        _("审核结论"), max_length=30, choices=ReviewResult.choices, blank=True
    )
    opinion = models.TextField(_("审核意见"), blank=True)
    resulting_document = reference(
        Document,
        _("印发后的文件"),
        optional=True,
        related_name="legality_reviews",
        help_text=_("文件印发后，关联规范性文件登记中的记录。"),
    )

    objects = LegalityReviewQuerySet.as_manager()

    class Meta:
        ordering = ["-received_on", "title"]
        verbose_name = verbose_name_plural = _("合法性审核")
        constraints = [
            unique(
                "unit",
                "title",
                "received_on",
                rule="unique_draft",
                message=_("同一单位同一天送审的同名文件已登记。"),
            ),
            not_before(
                "completed_on",
                "received_on",
                rule="completed_after_received",
                message=_("审核完成日期不能早于收件日期。"),
            ),
            check(
                (Q(completed_on__isnull=True) & Q(result=""))
                | (Q(completed_on__isnull=False) & ~Q(result="")),
                rule="completed_has_result",
                message=_("审核完成须同时填写完成日期和审核结论。"),
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def clean(self) -> None:
        super().clean()
        if self.resulting_document_id is None:
            return
        document = self.resulting_document
        if not self.completed_on or not self.result:
            raise ValidationError(
                {
                    "resulting_document": ValidationError(
                        _("审核完成后才能关联印发的文件。"), code="document_before_review"
                    )
                }
            )
        if not ReviewResult(self.result).allows_issue:
            raise ValidationError(
                {
                    "resulting_document": ValidationError(
                        _("审核结论为“不同意”，不能关联印发的文件。"),
                        code="document_after_disagreement",
                    )
                }
            )
        if document.issued_on < self.completed_on:
            raise ValidationError(
                {
                    "resulting_document": ValidationError(
                        _("该文件印发于 %(issued)s，早于审核完成日期 %(done)s。")
                        % {"issued": document.issued_on, "done": self.completed_on},
                        code="issued_before_review",
                    )
                }
            )
        if self.kind == ReviewKind.NORMATIVE and document.kind != DocumentKind.NORMATIVE:
            raise ValidationError(
                {
                    "resulting_document": ValidationError(
                        _("送审的是规范性文件，关联的文件却登记为非规范性文件。"),
                        code="kind_mismatch",
                    )
                }
            )


# --- Replies to comment drafts ---------------------------------------------------------------


class DraftKind(models.TextChoices):
    LOCAL_REGULATION = "local_regulation", _("地方性法规")
    GOVERNMENT_RULE = "government_rule", _("政府规章")


class CommentDraftReplyQuerySet(WorkflowQuerySet):
    def replied_in(self, year: int):
        """Replies sent in ``year``: the year's replies (``in_year``)."""
        return self.in_year(year)

    def awaiting_reply(self):
        return self.filter(replied_on__isnull=True)


class CommentDraftReply(WorkflowRecord):
    """A draft local regulation or rule sent for comment (征求意见稿), and the reply to it."""

    # A reply belongs to the year it was sent.
    year_field = "replied_on"

    register_fields = OwnFields()
    export_omits = ("reply",)

    unit = unit_field(_("答复单位"), related_name="comment_draft_replies")
    title = models.CharField(_("征求意见稿名称"), max_length=200)
    kind = models.CharField(_("类别"), max_length=20, choices=DraftKind.choices)
    requested_by = models.CharField(
        _("征求意见单位"), max_length=100, help_text=_("如“湖北省人民政府法制办公室”。")
    )
    received_on = models.DateField(_("收到日期"))
    reply_requested_by = optional_date(_("要求回复日期"))
    replied_on = optional_date(_("回复日期"))
    reply = models.TextField(_("回复意见"), blank=True)

    objects = CommentDraftReplyQuerySet.as_manager()

    class Meta:
        ordering = ["-received_on", "title"]
        verbose_name = verbose_name_plural = _("征求意见稿回复")
        constraints = [
            unique(
                "title",
                "received_on",
                rule="unique_draft",
                message=_("同一天收到的同名征求意见稿已登记。"),
            ),
            not_before(
                "replied_on",
                "received_on",
                rule="replied_after_received",
                message=_("回复日期不能早于收到日期。"),
            ),
            check(
                Q(replied_on__isnull=True) | ~Q(reply=""),
                rule="replied_has_reply",
                message=_("填写了回复日期，请同时填写回复意见（无意见也请写明）。"),
            ),
        ]

    def __str__(self) -> str:
        return self.title


# --- Filings ---------------------------------------------------------------------------------


class FilingAuthority(models.TextChoices):
    MUNICIPAL_GOVERNMENT = "municipal_government", _("咸宁市人民政府")
    DISTRICT_CONGRESS = "district_congress", _("咸安区人大常委会")
    DISTRICT_GOVERNMENT = "district_government", _("咸安区人民政府")


class FilingTimeliness(models.TextChoices):
    AWAITING = "awaiting", _("待报备")
    ON_TIME = "on_time", _("按时报备")
    LATE = "late", _("逾期报备")
    OVERDUE = "overdue", _("逾期未报")


def filing_days() -> int:
    return settings.LAWGOV["FILING_DAYS"]


class FilingQuerySet(WorkflowQuerySet):
    """Filings and their timeliness.

    The due date depends on the holiday calendar (a last day on a rest day moves on), which
    lives partly in Python, so the timeliness filters compute due dates for the candidate
    rows in one pass (one query plus the calendar) and return a queryset filtered by id,
    which can still be chained and counted.
    """

    def filed_in(self, year: int):
        """Filings made in ``year``: the year's filings (``in_year``)."""
        return self.in_year(year)

    def filed_with(self, authority: FilingAuthority):
        return self.filter(filed_with=authority)

    def awaiting_filing(self):
        return self.filter(filed_on__isnull=True)

    def due_dates(self, calendar: WorkingCalendar | None = None) -> dict[int, datetime.date]:
        """Due date of every filing in the queryset, by id."""
        calendar = calendar or get_calendar()
        days = filing_days()
        return {
            pk: normative_filing_due(issued_on, calendar, days=days).due
            for pk, issued_on in self.values_list("pk", "document__issued_on")
        }

    def _where(self, keep) -> FilingQuerySet:
        calendar = get_calendar()
        days = filing_days()
        rows = self.values_list("pk", "document__issued_on", "filed_on")
        ids = [
            pk
            for pk, issued_on, filed_on in rows
            if keep(normative_filing_due(issued_on, calendar, days=days).due, filed_on)
        ]
        return self.filter(pk__in=ids)

    def on_time(self):
        return self._where(lambda due, filed: filed is not None and filed <= due)

    def late(self):
        """Filed, but after the due date."""
        return self._where(lambda due, filed: filed is not None and filed > due)

    def overdue(self, on: datetime.date):
        """Not filed by ``on`` although due before it."""
        return self._where(lambda due, filed: (filed is None or filed > on) and due < on)

    def due_by(self, day: datetime.date):
        """Not yet filed and due on or before ``day`` (the deadline board's window)."""
        return self.awaiting_filing()._where(lambda due, filed: due <= day)

    def figures(self) -> dict[str, int]:
        """Filed, on time and late among the filings in the queryset (two queries)."""
        filed = self.filter(filed_on__isnull=False)
        calendar = get_calendar()
        days = filing_days()
        due_dates: dict[datetime.date, datetime.date] = {}  # documents share issue dates
        on_time = late = 0
        for issued_on, filed_on in filed.values_list("document__issued_on", "filed_on"):
            due = due_dates.get(issued_on)
            if due is None:
                due = due_dates[issued_on] = normative_filing_due(
                    issued_on, calendar, days=days
                ).due
            if filed_on <= due:
                on_time += 1
            else:
                late += 1
        return {"filed": on_time + late, "on_time": on_time, "late": late}


class Filing(HandledRecord):
    """The filing (报备) of an issued normative document with the level above.

    A filing without ``filed_on`` is an open obligation: the deadline board lists it until it
    is filed. The owning unit is always the document's issuer.
    """

    # A filing belongs to the year it was filed; an open obligation to none yet.
    year_field = "filed_on"

    register_fields = OwnFields()
    export_omits = ("note",)

    unit = unit_field(_("报备单位"), related_name="filings")
    document = reference(
        Document,
        _("规范性文件"),
        related_name="filings",
        limit_choices_to={"kind": DocumentKind.NORMATIVE},
    )
    filed_with = models.CharField(
        _("备案机关"),
        max_length=30,
        choices=FilingAuthority.choices,
        default=FilingAuthority.MUNICIPAL_GOVERNMENT,
    )
    filed_on = optional_date(_("报备日期"))
    receipt = models.CharField(_("备案登记号或回执"), max_length=100, blank=True)
    note = models.TextField(_("备注"), blank=True)

    objects = FilingQuerySet.as_manager()

    class Meta:
        ordering = ["-document__issued_on", "document__number"]
        verbose_name = verbose_name_plural = _("规范性文件报备")
        constraints = [
            unique(
                "document",
                "filed_with",
                rule="unique_document_authority",
                message=_("该文件向该机关的报备已登记。"),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.document.number} → {FilingAuthority(self.filed_with).label}"

    def _take_unit_from_document(self) -> None:
        if self.document_id is not None:
            self.unit_id = self.document.unit_id

    def full_clean(self, *args, **kwargs) -> None:
        self._take_unit_from_document()
        super().full_clean(*args, **kwargs)

    def clean(self) -> None:
        super().clean()
        if self.document_id is None:
            return
        if self.document.kind != DocumentKind.NORMATIVE:
            raise ValidationError(
                {
                    "document": ValidationError(
                        _("只有规范性文件需要报备，该文件登记为非规范性文件。"),
                        code="not_normative",
                    )
                }
            )
        if self.filed_on and self.filed_on < self.document.issued_on:
            raise ValidationError(
                {
                    "filed_on": ValidationError(
                        _("报备日期不能早于文件印发日期 %(issued)s。")
                        % {"issued": self.document.issued_on},
                        code="filed_before_issue",
                    )
                }
            )

    def save(self, *args, **kwargs):
        self._take_unit_from_document()
        super().save(*args, **kwargs)

    def due_deadline(self, calendar: WorkingCalendar | None = None) -> Deadline:
        """How the due date is reached (start, days, rest days skipped)."""
        return normative_filing_due(
            self.document.issued_on, calendar or get_calendar(), days=filing_days()
        )

    @cached_property
    def due_on(self) -> datetime.date:
        """Last day for filing; computed when read (and once per loaded row), so calendar
        changes move open deadlines."""
        return self.due_deadline().due

    def timeliness_on(self, day: datetime.date | None = None) -> FilingTimeliness:
        day = day or timezone.localdate()
        due = self.due_on
        if self.filed_on is not None and self.filed_on <= day:
            return FilingTimeliness.ON_TIME if self.filed_on <= due else FilingTimeliness.LATE
        return FilingTimeliness.OVERDUE if day > due else FilingTimeliness.AWAITING
