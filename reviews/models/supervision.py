"""Supervision of enforcement: accountability (问责), transfers of suspected crimes to the
police (行刑衔接) and problems found in special rectification campaigns (专项治理)."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Count, Q
from django.utils.translation import gettext_lazy as _

from registers.core.calendar import get_calendar
from registers.core.constraints import check, not_before, unique
from registers.core.deadlines import Deadline, WorkingDayCalendar, criminal_transfer_deadlines
from registers.core.fields import OwnFields, optional_date, unit_field
from registers.core.identifiers import IdentifierField
from registers.core.models import HandledRecord, WorkflowRecord
from registers.core.personal import PersonalKind
from registers.core.querysets import WorkflowQuerySet, within_year


def _check_order(record, errors: dict, order) -> None:
    """Each ``(earlier, later, message, code)`` of ``order``: where both dates are given, the
    later is not before the earlier. A refusal goes on the later date, unless that field
    already has an error of its own."""
    for earlier, later, message, code in order:
        first, then = getattr(record, earlier), getattr(record, later)
        if first is not None and then is not None and then < first:
            errors.setdefault(later, ValidationError(message, code=code))


# --- Accountability ------------------------------------------------------------------------


class Conduct(models.TextChoices):
    INACTION = "inaction", _("不作为")
    MISCONDUCT = "misconduct", _("乱作为")
    DELAY = "delay", _("慢作为")


class AccountabilityMeasure(models.TextChoices):
    NOTICE = "notice", _("通报")
    ADMONITION = "admonition", _("诫勉谈话")
    ORGANISATIONAL = "organisational", _("组织处理")
    DISCIPLINARY = "disciplinary", _("纪律处分")
    LEGAL = "legal", _("追究法律责任")


class AccountabilityQuerySet(WorkflowQuerySet):
    def decided_in(self, year: int):
        """Accountability decided in ``year``: the year's records (``in_year``)."""
        return self.in_year(year)

    def measure_counts(self, year: int) -> dict[AccountabilityMeasure, int]:
        """Persons held accountable in ``year`` by measure, every measure present (0 if none)."""
        counts = self.aggregate(
            **{
                measure.value: Count("pk", filter=self.year_condition(year) & Q(measure=measure))
                for measure in AccountabilityMeasure
            }
        )
        return {measure: counts[measure.value] for measure in AccountabilityMeasure}


class AccountabilityRecord(WorkflowRecord):
    """One person held accountable (纠错问责) for inaction, misconduct or delay."""

    year_field = "decided_on"
    personal_fields = {"person": PersonalKind.NAME}

    register_fields = OwnFields()
    export_omits = ("facts",)

    unit = unit_field(_("所在单位"))
    person = models.CharField(_("被问责人"), max_length=50)
    role = models.CharField(_("职务或岗位"), max_length=100)
    conduct = models.CharField(_("问题类型"), max_length=20, choices=Conduct.choices)
    facts = models.TextField(_("问责事由"))
    measure = models.CharField(_("问责方式"), max_length=20, choices=AccountabilityMeasure.choices)
    decided_on = models.DateField(_("问责决定日期"))
    decided_by = models.CharField(_("作出问责的机关"), max_length=100, blank=True)
    document_number = IdentifierField(_("文号"), max_length=60, blank=True)

    objects = AccountabilityQuerySet.as_manager()

    class Meta:
        ordering = ["-decided_on", "person"]
        verbose_name = verbose_name_plural = _("问责记录")
        constraints = [
            unique(
                "unit",
                "person",
                "decided_on",
                "measure",
                rule="unique_decision",
                message=_("同一单位对同一人员在同一日期已有相同措施的问责记录。"),
                code="duplicate_accountability",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person}（{self.get_measure_display()}）"


# --- Transfer of suspected crimes ---------------------------------------------------------


class TransferDecision(models.TextChoices):
    APPROVED = "approved", _("批准移送")
    REFUSED = "refused", _("不批准移送")


class PoliceDecision(models.TextChoices):
    FILED = "filed", _("立案")
    REFUSED = "refused", _("不予立案")


class CriminalTransferQuerySet(WorkflowQuerySet):
    def transferred_in(self, year: int):
        """Cases transferred to the police in ``year``: the year's cases (``in_year``)."""
        return self.in_year(year)

    def transferred_count(self, year: int) -> int:
        """Cases transferred to the police in ``year``."""
        return self.in_year(year).count()

    def awaiting_decision(self):
        return self.filter(decided_on__isnull=True)

    def awaiting_transfer(self):
        return self.filter(decision=TransferDecision.APPROVED, transferred_on__isnull=True)

    def awaiting_police(self):
        return self.filter(police_accepted_on__isnull=False, police_decision="")


class CriminalTransfer(HandledRecord):
    """A case an enforcement body found may be a crime, on its way to the police.

    Deadlines (行政执法机关移送涉嫌犯罪案件的规定, 2020): the head decides within 3 days of the
    report, an approved case goes to the police within 24 hours, the police decide within 3
    days of accepting it.
    """

    # A case counts in the year it was transferred to the police, not reported.
    year_field = "transferred_on"

    #: The steps in the order they happen: each date given is not before the one before it
    #: (``clean``; the refusal on the later date).
    STEP_ORDER = (
        ("reported_on", "decided_on", _("审批决定日期早于接到报告日期"), "decided_before_report"),
        (
            "decided_on",
            "transferred_on",
            _("移送日期早于审批决定日期"),
            "transferred_before_decision",
        ),
        (
            "transferred_on",
            "police_accepted_on",
            _("公安机关接受移送日期早于移送日期"),
            "police_accepted_before_transfer",
        ),
        (
            "police_accepted_on",
            "police_notice_received_on",
            _("收到通知书日期早于公安机关接受移送日期"),
            "police_notice_before_acceptance",
        ),
    )

    register_fields = OwnFields()
    export_omits = ("police", "police_accepted_on", "police_notice_received_on", "note")

    unit = unit_field(_("移送机关"))
    case_name = models.CharField(_("案件名称"), max_length=200)
    suspected_offence = models.CharField(_("涉嫌罪名"), max_length=100, blank=True)
    reported_on = models.DateField(
        _("负责人接到移送报告日期"), help_text=_("审批决定期限（3日）自此起算。")
    )
    decision = models.CharField(
        _("审批决定"), max_length=20, choices=TransferDecision.choices, blank=True
    )
    decided_on = optional_date(_("审批决定日期"))
    transferred_on = optional_date(_("移送公安机关日期"))
    police = models.CharField(_("接受移送的公安机关"), max_length=100, blank=True)
    police_accepted_on = optional_date(_("公安机关接受移送日期"))
    police_decision = models.CharField(
        _("公安机关决定"), max_length=20, choices=PoliceDecision.choices, blank=True
    )
    police_notice_received_on = optional_date(_("收到立案（不予立案）通知书日期"))
    note = models.TextField(_("备注"), blank=True)

    objects = CriminalTransferQuerySet.as_manager()

    class Meta:
        ordering = ["-reported_on", "case_name"]
        verbose_name = _("涉嫌犯罪案件移送")
        verbose_name_plural = _("涉嫌犯罪案件移送（行刑衔接）")
        constraints = [
            check(
                Q(decision="", decided_on__isnull=True)
                | (~Q(decision="") & Q(decided_on__isnull=False)),
                rule="decision_with_date",
                message=_("审批决定和决定日期须同时填写"),
                code="decision_without_date",
                on="decided_on",
            ),
        ]

    def __str__(self) -> str:
        return self.case_name

    def deadlines(self, calendar: WorkingDayCalendar | None = None) -> list[Deadline]:
        if calendar is None:
            calendar = get_calendar()
        deadlines = criminal_transfer_deadlines(
            reported_on=self.reported_on,
            calendar=calendar,
            decided_on=self.decided_on if self.decision == TransferDecision.APPROVED else None,
            police_accepted_on=self.police_accepted_on,
            refusal_notice_received_on=self.police_notice_received_on
            if self.police_decision == PoliceDecision.REFUSED
            else None,
            filing_notice_received_on=self.police_notice_received_on
            if self.police_decision == PoliceDecision.FILED
            else None,
        )
        return deadlines

    def clean(self) -> None:
        super().clean()
        errors: dict[str, ValidationError] = {}
        if self.transferred_on is not None and self.decision != TransferDecision.APPROVED:
            errors["transferred_on"] = ValidationError(
                _("批准移送后才能移送公安机关"), code="transferred_without_approval"
            )
        if self.police_accepted_on is not None and self.transferred_on is None:
            errors["police_accepted_on"] = ValidationError(
                _("尚未移送，不能记录公安机关接受移送"), code="police_without_transfer"
            )
        if self.police_decision and self.police_accepted_on is None:
            errors["police_decision"] = ValidationError(
                _("请先填写公安机关接受移送日期"), code="police_decision_without_acceptance"
            )
        if self.police_notice_received_on is not None and not self.police_decision:
            errors["police_notice_received_on"] = ValidationError(
                _("请先选择公安机关决定"), code="police_notice_without_decision"
            )
        _check_order(self, errors, self.STEP_ORDER)
        if errors:
            raise ValidationError(errors)


# --- Special rectification ----------------------------------------------------------------


class ProblemSource(models.TextChoices):
    SELF_CHECK = "self_check", _("自查自纠")
    PUBLIC_COMMENT = "public_comment", _("面向社会征求意见")
    INSPECTION = "inspection", _("督查检查")
    COMPLAINT = "complaint", _("群众举报投诉")
    CASE_FILE_REVIEW = "case_file_review", _("案卷评查")
    OTHER = "other", _("其他")


def _rectified_in(year: int):
    return within_year("rectified_on", year)


class RectificationQuerySet(WorkflowQuerySet):
    def due_in(self, year: int):
        """Problems due for rectification in ``year``: the year's problems (``in_year``)."""
        return self.in_year(year)

    def rectified_in(self, year: int):
        """By the rectification date, not the problem's year (its due date): the report's
        sentence is about rectifications."""
        return self.filter(_rectified_in(year))

    def outstanding(self):
        return self.filter(rectified_on__isnull=True)

    def due_count(self, year: int) -> int:
        """Problems whose rectification was due in ``year``."""
        return self.in_year(year).count()

    def rectified_count(self, year: int) -> int:
        """Problems rectified in ``year``."""
        return self.rectified_in(year).count()

    def year_counts(self, year: int) -> dict[str, int]:
        """``due`` and ``rectified`` in ``year``, in one aggregate query."""
        return self.aggregate(
            due=Count("pk", filter=self.year_condition(year)),
            rectified=Count("pk", filter=_rectified_in(year)),
        )


class RectificationProblem(HandledRecord):
    """A problem found in a special rectification campaign and its rectification."""

    # Rectifications count by their own date (``rectified_in``).
    year_field = "due_on"

    #: Dates that may not come before the finding (``clean``; the deadline's is a
    #: constraint, as the deadline is always given).
    DATE_ORDER = (
        ("found_on", "rectified_on", _("整改完成日期早于发现日期"), "rectified_before_found"),
    )

    register_fields = OwnFields()
    export_omits = ("measure",)

    campaign = models.CharField(
        _("专项治理"), max_length=200, help_text=_("如：2017年行政执法突出问题专项治理。")
    )
    problem = models.TextField(_("存在问题"))
    source = models.CharField(_("问题来源"), max_length=20, choices=ProblemSource.choices)
    found_on = models.DateField(_("发现日期"))
    measure = models.TextField(_("整改措施"))
    due_on = models.DateField(_("整改期限"))
    rectified_on = optional_date(_("整改完成日期"))

    objects = RectificationQuerySet.as_manager()

    class Meta:
        ordering = ["due_on", "pk"]
        verbose_name = _("专项治理问题")
        verbose_name_plural = _("专项治理问题整改")
        constraints = [
            not_before(
                "due_on",
                "found_on",
                rule="due_after_found",
                message=_("整改期限早于发现日期"),
                code="due_before_found",
                optional=False,
            ),
        ]

    def __str__(self) -> str:
        return self.problem[:40]

    def clean(self) -> None:
        super().clean()
        errors: dict[str, ValidationError] = {}
        _check_order(self, errors, self.DATE_ORDER)
        if errors:
            raise ValidationError(errors)
