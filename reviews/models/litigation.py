"""Administrative litigation (行政应诉): cases in which a district agency is the defendant.

A case's ``unit`` is the **defendant** (被告). One record follows a dispute through its
instances (一审 → 二审 → 再审); ``trial_instance`` is the one it has reached, and each hearing
records the instance it belonged to, because the head's duty to appear is per instance
(最高人民法院关于行政机关负责人出庭应诉若干问题的规定 2020, art. 1 and 7(2)).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.db import models
from django.db.models import Count, Exists, OuterRef, Q
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from registers.core.calendar import get_calendar
from registers.core.constraints import check, only_with, unique
from registers.core.deadlines import Deadline, WorkingDayCalendar, litigation_defence_due
from registers.core.fields import OwnFields, optional_date, part_of, unit_field
from registers.core.identifiers import IdentifierField
from registers.core.models import HandledRecord
from registers.core.personal import PersonalKind
from registers.core.querysets import WorkflowQuerySet, within_year
from registers.core.revisions import RevisionedModel
from reviews.rates import Rate


class Instance(models.TextChoices):
    FIRST = "first", _("一审")
    SECOND = "second", _("二审")
    RETRIAL = "retrial", _("再审")

    @property
    def rank(self) -> int:
        return list(Instance).index(self)


class OutcomeClass(models.TextChoices):
    """How the report counts an outcome for the defendant."""

    WIN = "win", _("胜诉")
    LOSS = "loss", _("败诉")
    WITHDRAWN = "withdrawn", _("撤诉")
    OTHER = "other", _("其他")


class LitigationOutcome(models.TextChoices):
    """The effective judgment or ruling, read from the defendant's side (行政诉讼法 art. 69–78)."""

    CLAIM_REJECTED = "claim_rejected", _("判决驳回诉讼请求")
    REVOKED = "revoked", _("判决撤销或部分撤销")
    REVOKED_REDO = "revoked_redo", _("判决撤销并责令重新作出")
    ORDERED_TO_PERFORM = "ordered_to_perform", _("判决履行法定职责")
    ORDERED_TO_PAY = "ordered_to_pay", _("判决履行给付义务")
    CONFIRMED_ILLEGAL = "confirmed_illegal", _("判决确认违法")
    CONFIRMED_VOID = "confirmed_void", _("判决确认无效")
    VARIED = "varied", _("判决变更")
    AGREEMENT_LIABILITY = "agreement_liability", _("判决承担行政协议责任或补偿")
    WITHDRAWN = "withdrawn", _("撤诉（含按撤诉处理）")
    SUIT_DISMISSED = "suit_dismissed", _("裁定驳回起诉")
    MEDIATED = "mediated", _("调解结案")
    TERMINATED = "terminated", _("终结诉讼")
    OTHER = "other", _("其他方式结案")

    @property
    def outcome_class(self) -> OutcomeClass:
        if self is LitigationOutcome.CLAIM_REJECTED:
            return OutcomeClass.WIN
        if self is LitigationOutcome.WITHDRAWN:
            return OutcomeClass.WITHDRAWN
        if self in LOSSES:
            return OutcomeClass.LOSS
        return OutcomeClass.OTHER

    @classmethod
    def of_class(cls, outcome_class: OutcomeClass) -> list[LitigationOutcome]:
        return [outcome for outcome in cls if outcome.outcome_class is outcome_class]


#: Judgments against the defendant (行政诉讼法 art. 70, 72–78).
LOSSES = frozenset(
    {
        LitigationOutcome.REVOKED,
        LitigationOutcome.REVOKED_REDO,
        LitigationOutcome.ORDERED_TO_PERFORM,
        LitigationOutcome.ORDERED_TO_PAY,
        LitigationOutcome.CONFIRMED_ILLEGAL,
        LitigationOutcome.CONFIRMED_VOID,
        LitigationOutcome.VARIED,
        LitigationOutcome.AGREEMENT_LIABILITY,
    }
)


class HeadRank(models.TextChoices):
    """Who counts as the agency's head in court (2020 provisions, art. 2)."""

    PRINCIPAL = "principal", _("正职负责人")
    DEPUTY = "deputy", _("副职负责人")
    IN_CHARGE = "in_charge", _("分管负责人")


class LitigationQuerySet(WorkflowQuerySet):
    # --- Filters ---------------------------------------------------------------------------

    def served_in(self, year: int):
        """Cases whose complaint was served in ``year``: the year's cases (``in_year``).

        Hearings and conclusions are report sentences about their own dates (``heard_in``,
        ``concluded_in``).
        """
        return self.in_year(year)

    def concluded(self):
        return self.filter(concluded_on__isnull=False)

    def concluded_in(self, year: int):
        return self.filter(within_year("concluded_on", year))

    def open(self):
        return self.filter(concluded_on__isnull=True)

    def heard_in(self, year: int):
        return self.filter(_heard_in(year))

    def with_outcome_class(self, outcome_class: OutcomeClass):
        return self.filter(outcome__in=LitigationOutcome.of_class(outcome_class))

    # --- Figures for the annual report (one query each; call on ``.approved()``) -----------

    def case_count(self, year: int) -> int:
        return self.in_year(year).count()

    def heard_count(self, year: int) -> int:
        return self.heard_in(year).count()

    def head_appearance_count(self, year: int) -> int:
        """Cases heard in ``year`` with a head appearing in every instance heard that year."""
        return self.filter(_heard_in(year) & _head_appeared(year)).count()

    def head_appearance_rate(self, year: int) -> Rate:
        counts = self.aggregate(
            heard=Count("pk", filter=_heard_in(year)),
            appeared=Count("pk", filter=_heard_in(year) & _head_appeared(year)),
        )
        return Rate(counts["appeared"], counts["heard"], basis=_("开庭审理的案件数"))

    def concluded_count(self, year: int) -> int:
        return self.concluded_in(year).count()

    def outcome_class_counts(self, year: int) -> dict[OutcomeClass, int]:
        """Cases concluded in ``year`` in each class, every class present (0 when none)."""
        counts = self.aggregate(
            **{
                outcome_class.value: Count(
                    "pk",
                    filter=within_year("concluded_on", year)
                    & Q(outcome__in=LitigationOutcome.of_class(outcome_class)),
                )
                for outcome_class in OutcomeClass
            }
        )
        return {outcome_class: counts[outcome_class.value] for outcome_class in OutcomeClass}

    def win_count(self, year: int) -> int:
        return self.concluded_in(year).with_outcome_class(OutcomeClass.WIN).count()

    def loss_count(self, year: int) -> int:
        return self.concluded_in(year).with_outcome_class(OutcomeClass.LOSS).count()

    def withdrawn_count(self, year: int) -> int:
        return self.concluded_in(year).with_outcome_class(OutcomeClass.WITHDRAWN).count()

    def loss_rate(self, year: int) -> Rate:
        """Losses ÷ cases concluded in ``year``."""
        counts = self.concluded_in(year).aggregate(
            losses=Count("pk", filter=Q(outcome__in=LOSSES)),
            concluded=Count("pk"),
        )
        return Rate(counts["losses"], counts["concluded"], basis=_("审结案件数"))

    def win_rate(self, year: int) -> Rate:
        """Wins ÷ (cases concluded in ``year`` − withdrawn)."""
        wins = LitigationOutcome.of_class(OutcomeClass.WIN)
        counts = self.concluded_in(year).aggregate(
            wins=Count("pk", filter=Q(outcome__in=wins)),
            decided=Count("pk", filter=~Q(outcome=LitigationOutcome.WITHDRAWN)),
        )
        return Rate(counts["wins"], counts["decided"], basis=_("审结案件数（不含撤诉）"))

    def figures(self, year: int) -> LitigationFigures:
        """Every figure above for ``year`` in one aggregate query (the annual report's)."""
        heard = _heard_in(year)
        concluded = within_year("concluded_on", year)
        counts = self.aggregate(
            cases=Count("pk", filter=self.year_condition(year)),
            heard=Count("pk", filter=heard),
            appeared=Count("pk", filter=heard & _head_appeared(year)),
            concluded=Count("pk", filter=concluded),
            decided=Count("pk", filter=concluded & ~Q(outcome=LitigationOutcome.WITHDRAWN)),
            **{
                outcome_class.value: Count(
                    "pk",
                    filter=concluded & Q(outcome__in=LitigationOutcome.of_class(outcome_class)),
                )
                for outcome_class in OutcomeClass
            },
        )
        classes = {outcome_class: counts[outcome_class.value] for outcome_class in OutcomeClass}
        return LitigationFigures(
            year=year,
            cases=counts["cases"],
            concluded=counts["concluded"],
            outcome_classes=classes,
            head_appearance_rate=Rate(
                counts["appeared"], counts["heard"], basis=_("开庭审理的案件数")
            ),
            loss_rate=Rate(classes[OutcomeClass.LOSS], counts["concluded"], basis=_("审结案件数")),
            win_rate=Rate(
                classes[OutcomeClass.WIN], counts["decided"], basis=_("审结案件数（不含撤诉）")
            ),
        )


@dataclass(frozen=True)
class LitigationFigures:
    """What the annual report says about the lawsuits of ``year`` (approved records only)."""

    year: int
    cases: int
    concluded: int
    outcome_classes: dict[OutcomeClass, int]
    head_appearance_rate: Rate
    loss_rate: Rate
    win_rate: Rate


def _heard_in(year: int) -> Q:
    return Q(
        Exists(
            LitigationHearing.objects.filter(Q(case=OuterRef("pk")) & within_year("held_on", year))
        )
    )


def _head_appeared(year: int) -> Q:
    """No instance heard in ``year`` lacks a head at one of that instance's hearings."""
    head_in_same_instance = LitigationHearing.objects.filter(
        case=OuterRef("case"), trial_instance=OuterRef("trial_instance")
    ).with_head()
    uncovered = LitigationHearing.objects.filter(
        Q(case=OuterRef("pk")) & within_year("held_on", year)
    ).filter(~Exists(head_in_same_instance))
    return ~Q(Exists(uncovered))


class LitigationCase(HandledRecord):
    """One administrative lawsuit against a district agency, through its instances."""

    # Hearings and conclusions count by their own dates (``heard_in``, ``concluded_in``).
    year_field = "served_on"
    personal_fields = {"plaintiff": PersonalKind.NAME}

    register_fields = OwnFields()
    export_omits = ("defence_submitted_on", "note")

    unit = unit_field(_("被告单位"))
    court = models.CharField(_("审理法院"), max_length=100)
    number = IdentifierField(
        _("案号"), max_length=80, help_text=_("当前审级的案号，如（2017）鄂1202行初5号。")
    )
    trial_instance = models.CharField(
        _("审级"), max_length=10, choices=Instance.choices, default=Instance.FIRST
    )
    plaintiff = models.CharField(_("原告"), max_length=200)
    cause = models.CharField(_("案由"), max_length=200)
    served_on = models.DateField(
        _("收到起诉状副本日期"), help_text=_("答辩期限自此起算15日（行政诉讼法第六十七条）。")
    )
    defence_submitted_on = optional_date(_("提交答辩状日期"))
    concluded_on = optional_date(_("结案日期"))
    outcome = models.CharField(
        _("裁判结果"), max_length=30, choices=LitigationOutcome.choices, blank=True
    )
    note = models.TextField(_("备注"), blank=True)

    objects = LitigationQuerySet.as_manager()

    class Meta:
        ordering = ["-served_on", "number"]
        verbose_name = verbose_name_plural = _("行政应诉案件")
        constraints = [
            unique(
                "number",
                rule="unique_number",
                message=_("已有案号相同的行政应诉案件（案号已统一为半角字符后比较）。"),
                code="duplicate_case_number",
            ),
            only_with(
                "outcome",
                "concluded_on",
                rule="outcome_when_concluded",
                message=_("结案后才能填写裁判结果"),
                code="outcome_without_conclusion",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.number}（{self.plaintiff}）"

    @property
    def outcome_class(self) -> OutcomeClass | None:
        return LitigationOutcome(self.outcome).outcome_class if self.outcome else None

    def defence_deadline(self, calendar: WorkingDayCalendar | None = None) -> Deadline:
        if calendar is None:
            calendar = get_calendar()
        return litigation_defence_due(self.served_on, calendar)

    def clean(self) -> None:
        super().clean()
        errors = {}
        served = self.served_on
        if served and self.defence_submitted_on and self.defence_submitted_on < served:
            errors["defence_submitted_on"] = ValidationError(
                _("提交答辩状日期早于收到起诉状副本日期"), code="defence_before_service"
            )
        if self.concluded_on is not None:
            if served and self.concluded_on < served:
                errors["concluded_on"] = ValidationError(
                    _("结案日期早于收到起诉状副本日期"), code="concluded_before_service"
                )
            if not self.outcome:
                errors["outcome"] = ValidationError(
                    _("请选择裁判结果"), code="conclusion_without_outcome"
                )
        if errors:
            raise ValidationError(errors)


class LitigationHearingQuerySet(models.QuerySet):
    def with_head(self):
        """Hearings at which a head of the defendant appeared (a lawyer alone does not count)."""
        return self.exclude(head_rank="")


class LitigationHearing(RevisionedModel):
    """One court hearing and who appeared for the defendant."""

    scope_field = "case__unit"

    #: Its own fields, besides the case it belongs to.
    register_fields = OwnFields()
    export_omits = ("head_title", "others")

    case = part_of(LitigationCase, _("行政应诉案件"), related_name="hearings")
    held_on = models.DateField(_("开庭日期"))
    trial_instance = models.CharField(
        _("审级"), max_length=10, choices=Instance.choices, default=Instance.FIRST
    )
    head_name = models.CharField(
        _("出庭负责人"),
        max_length=50,
        blank=True,
        help_text=_("行政机关负责人本人出庭才填写；只委托律师或工作人员出庭的留空。"),
    )
    head_rank = models.CharField(
        _("负责人类别"), max_length=20, choices=HeadRank.choices, blank=True
    )
    head_title = models.CharField(_("负责人职务"), max_length=50, blank=True)
    others = models.CharField(
        _("其他出庭人员"), max_length=200, blank=True, help_text=_("工作人员、委托律师等。")
    )

    objects = LitigationHearingQuerySet.as_manager()

    class Meta:
        ordering = ["case", "held_on"]
        verbose_name = _("开庭")
        verbose_name_plural = _("开庭与负责人出庭")
        constraints = [
            check(
                Q(head_name="", head_rank="") | (~Q(head_name="") & ~Q(head_rank="")),
                rule="head_named_with_rank",
                message=_("出庭负责人的姓名和类别须同时填写"),
            ),
        ]

    def __str__(self) -> str:
        return gettext("%(date)s开庭（%(instance)s）") % {
            "date": self.held_on.isoformat() if self.held_on else "",
            "instance": Instance(self.trial_instance).label,
        }

    @property
    def head_appeared(self) -> bool:
        return bool(self.head_name and self.head_rank)

    def clean(self) -> None:
        super().clean()
        errors = {}
        if self.head_name and not self.head_rank:
            errors["head_rank"] = ValidationError(
                _("请选择出庭负责人的类别（正职、副职或分管负责人）"), code="head_rank_missing"
            )
        if self.head_rank and not self.head_name:
            errors["head_name"] = ValidationError(
                _("请填写出庭负责人姓名；只有律师出庭的不算负责人出庭"), code="head_name_missing"
            )
        try:
            case = self.case
        except ObjectDoesNotExist:
            case = None
        if case is not None and self.held_on is not None:
            if case.served_on and self.held_on < case.served_on:
                errors["held_on"] = ValidationError(
                    _("开庭日期早于收到起诉状副本日期"), code="hearing_before_service"
                )
            if case.concluded_on and self.held_on > case.concluded_on:
                errors["held_on"] = ValidationError(
                    _("开庭日期晚于结案日期"), code="hearing_after_conclusion"
                )
            if (
                self.trial_instance
                and case.trial_instance
                and (Instance(self.trial_instance).rank > Instance(case.trial_instance).rank)
            ):
                errors["trial_instance"] = ValidationError(
                    _("开庭审级高于案件当前审级，请先修改案件审级"),
                    code="hearing_instance_beyond_case",
                )
        if errors:
            raise ValidationError(errors)
