"""Case-file evaluations (行政执法案卷评查): rounds, score sheets, veto items, rectification.

A file is scored out of 100: form (案卷形式, 0–20) plus content (案卷内容, 0–80). Any veto item
(否决项) fails the file whatever its score. The grade bands are local configuration
(``settings.LAWGOV["EVALUATION_GRADE_BANDS"]``), applied when a grade is read, both in Python
(``EvaluatedFile.grade``) and in the database (``EvaluatedFileQuerySet.with_grade``).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import (
    Case,
    Count,
    Exists,
    ExpressionWrapper,
    F,
    OuterRef,
    Q,
    Value,
    When,
)
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from registers.core.constraints import check, not_before, unique
from registers.core.fields import OwnFields, optional_date, part_of, reference
from registers.core.identifiers import IdentifierField
from registers.core.models import WorkflowRecord
from registers.core.querysets import ScopedQuerySet, WorkflowQuerySet
from registers.core.revisions import RevisionedModel
from registers.core.status import Status

from .validation import field_error

FORM_SCORE_MAX = Decimal("20")
CONTENT_SCORE_MAX = Decimal("80")


def _score_field(verbose_name, maximum: Decimal, *, below, above) -> models.DecimalField:
    """A part of a file's score: one decimal place, empty until scored, 0 to ``maximum``."""
    return models.DecimalField(
        verbose_name,
        max_digits=4,
        decimal_places=1,
        null=True,
        blank=True,
        validators=[
            MinValueValidator(Decimal("0"), message=below),
            MaxValueValidator(maximum, message=above),
        ],
    )


def _score_in_range(field: str, maximum: Decimal, *, message):
    """The database's check of a part score's range (``{field}_out_of_range``)."""
    within = Q(**{f"{field}__gte": 0, f"{field}__lte": maximum})
    return check(
        Q(**{f"{field}__isnull": True}) | within,
        rule=f"{field}_range",
        message=message,
        code=f"{field}_out_of_range",
    )


class CaseType(models.TextChoices):
    LICENSING = "licensing", _("行政许可")
    PENALTY = "penalty", _("行政处罚")
    COERCION = "coercion", _("行政强制")
    INSPECTION = "inspection", _("行政检查")
    CONFIRMATION = "confirmation", _("行政确认")
    LEVY = "levy", _("行政征收")
    OTHER = "other", _("其他")


class VetoItem(models.TextChoices):
    """Defects that fail a file outright.

    Sources: 行政处罚法 (2021) art. 38 (no legal basis or unqualified subject: void), art. 42
    (qualified officers, no fewer than two), art. 40 (facts unclear, evidence insufficient);
    行政诉讼法 art. 70 (insufficient evidence, wrong law, illegal procedure, ultra vires,
    abuse of power: annulled).
    """

    ILLEGAL_SUBJECT = "illegal_subject", _("执法主体不合法")
    UNQUALIFIED_OFFICER = "unqualified_officer", _("执法人员不具备执法资格")
    FEWER_THAN_TWO_OFFICERS = "fewer_than_two_officers", _("执法人员少于两人")
    INSUFFICIENT_EVIDENCE = "insufficient_evidence", _("主要事实不清、证据不足")
    WRONG_LAW = "wrong_law", _("适用法律、法规错误")
    ILLEGAL_PROCEDURE = "illegal_procedure", _("违反法定程序")
    ULTRA_VIRES = "ultra_vires", _("超越职权或者滥用职权")
    OTHER = "other", _("其他否决情形")


class Grade(models.TextChoices):
    EXCELLENT = "excellent", _("优秀")
    GOOD = "good", _("良好")
    PASS = "pass", _("合格")
    FAIL = "fail", _("不合格")

    @classmethod
    def from_setting(cls, name: str) -> Grade:
        """A grade named in the settings by its value ("pass") or its label ("合格")."""
        for grade in cls:
            if name in (grade.value, str(grade.label)):
                return grade
        raise ImproperlyConfigured(f"EVALUATION_GRADE_BANDS names an unknown grade: {name!r}")


def grade_bands() -> list[tuple[Decimal, Grade]]:
    """The configured bands, highest first: (lowest total score, grade)."""
    bands = [
        (Decimal(str(minimum)), Grade.from_setting(name))
        for minimum, name in settings.LAWGOV["EVALUATION_GRADE_BANDS"]
    ]
    return sorted(bands, key=lambda band: band[0], reverse=True)


def grade_for(total: Decimal | None, *, vetoed: bool) -> Grade | None:
    """The grade of a file with ``total`` points; None while it is not scored."""
    if vetoed:
        return Grade.FAIL
    if total is None:
        return None
    for minimum, grade in grade_bands():
        if total >= minimum:
            return grade
    return Grade.FAIL


class RoundQuerySet(models.QuerySet):
    def held_in(self, year: int):
        return self.filter(year=year)


class EvaluationRound(RevisionedModel):
    """A district-wide evaluation round organised by the office under a written plan.

    Reference data: every role reads it, the office changes it.
    """

    reference_data = True

    register_fields = OwnFields()

    name = models.CharField(_("评查活动名称"), max_length=200)
    year = models.PositiveSmallIntegerField(_("年度"))
    plan_title = models.CharField(
        _("评查方案"),
        max_length=200,
        help_text=_("如：《咸安区2017年度行政执法案卷评查工作方案》。"),
    )
    plan_number = IdentifierField(_("方案文号"), max_length=60, blank=True)
    started_on = models.DateField(_("开始日期"))
    ended_on = models.DateField(_("结束日期"))

    objects = RoundQuerySet.as_manager()

    class Meta:
        ordering = ["-year", "started_on"]
        verbose_name = verbose_name_plural = _("案卷评查活动")
        constraints = [
            unique(
                "year",
                "name",
                rule="unique_name",
                message=_("本年度已有同名评查活动。"),
            ),
            not_before(
                "ended_on",
                "started_on",
                rule="ends_after_start",
                message=_("结束日期早于开始日期。"),
                code="round_ends_before_start",
                optional=False,
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        super().clean()
        if self.started_on and self.year and self.started_on.year != self.year:
            raise field_error(
                "started_on",
                gettext("评查活动应在所属年度内开始。"),
                "round_outside_year",
            )


@dataclass(frozen=True)
class EvaluationFigures:
    """What the annual report says about the case-file evaluations of ``year``.

    ``rounds``: rounds held in the year; the rest counts approved files of those rounds:
    ``units`` distinct evaluated units, ``files``, ``by_case_type`` and ``by_grade`` (every
    type and grade present, zero included; files not yet scored are in ``ungraded``),
    ``vetoed`` files failed by a veto item, and their problems found and rectified.
    """

    year: int
    rounds: int
    units: int
    files: int
    by_case_type: dict[CaseType, int]
    by_grade: dict[Grade, int]
    ungraded: int
    vetoed: int
    problems: int
    problems_rectified: int


class EvaluatedFileQuerySet(WorkflowQuerySet):
    def evaluated_in(self, year: int):
        """Files of the rounds held in ``year``: the year's files (``in_year``)."""
        return self.in_year(year)

    def of_case_type(self, case_type: CaseType):
        return self.filter(case_type=case_type)

    def vetoed(self):
        return self.filter(Exists(FileVeto.objects.filter(file=OuterRef("pk"))))

    def with_grade(self):
        """Annotate ``score_total``, ``has_veto`` and ``computed_grade`` (a ``Grade`` value)."""
        whens = [
            When(has_veto=True, then=Value(Grade.FAIL.value)),
            When(
                Q(form_score__isnull=True) | Q(content_score__isnull=True),
                then=Value(None),
            ),
            *(
                When(score_total__gte=minimum, then=Value(grade.value))
                for minimum, grade in grade_bands()
            ),
        ]
        return self.annotate(
            # An uncorrelated ``IN``: the database reads the vetoes once for every row and
            # every place the grade refers to them (a correlated ``EXISTS`` is run again for
            # each, six times a file).
            has_veto=ExpressionWrapper(
                Q(pk__in=FileVeto.objects.values("file")), output_field=models.BooleanField()
            ),
            score_total=F("form_score") + F("content_score"),
        ).annotate(
            computed_grade=Case(
                *whens, default=Value(Grade.FAIL.value), output_field=models.CharField()
            )
        )

    def graded(self, grade: Grade):
        return self.with_grade().filter(computed_grade=grade)

    def figures(self, year: int) -> EvaluationFigures:
        """The year's evaluation figures, counted over approved files only (three queries)."""
        files = self.approved().in_year(year)
        counts = files.with_grade().aggregate(
            files=Count("pk"),
            units=Count("unit", distinct=True),
            ungraded=Count("pk", filter=Q(computed_grade__isnull=True)),
            vetoed=Count("pk", filter=Q(has_veto=True)),
            **{
                f"type_{case_type.value}": Count("pk", filter=Q(case_type=case_type))
                for case_type in CaseType
            },
            **{f"grade_{g.value}": Count("pk", filter=Q(computed_grade=g)) for g in Grade},
        )
        problems = EvaluationProblem.objects.filter(file__in=files).aggregate(
            found=Count("pk"), rectified=Count("pk", filter=Q(rectified_on__isnull=False))
        )
        return EvaluationFigures(
            year=year,
            rounds=EvaluationRound.objects.held_in(year).count(),
            units=counts["units"],
            files=counts["files"],
            by_case_type={t: counts[f"type_{t.value}"] for t in CaseType},
            by_grade={g: counts[f"grade_{g.value}"] for g in Grade},
            ungraded=counts["ungraded"],
            vetoed=counts["vetoed"],
            problems=problems["found"],
            problems_rectified=problems["rectified"],
        )


class EvaluatedFile(WorkflowRecord):
    """One case file evaluated in a round, with its score sheet; ``unit`` is the evaluated unit."""

    # A file belongs to the year of its evaluation round.
    year_field = "round__year"

    #: The score sheet: the evaluators' work, which units see but only the office enters.
    office_only_fields = ("evaluators", "evaluated_on", "form_score", "content_score", "comments")
    register_fields = OwnFields()
    export_omits = ("evaluators", "comments")

    round = reference(EvaluationRound, _("评查活动"), related_name="files")
    case_type = models.CharField(_("案卷类别"), max_length=20, choices=CaseType.choices)
    case_number = IdentifierField(_("案号（文号）"), max_length=100)
    case_title = models.CharField(_("案件名称"), max_length=200)
    decided_on = optional_date(_("决定（办结）日期"))
    evaluators = models.CharField(_("评查人员"), max_length=200, blank=True)
    evaluated_on = optional_date(_("评查日期"))
    form_score = _score_field(
        _("形式得分（满分20）"),
        FORM_SCORE_MAX,
        below=_("形式得分不能小于0。"),
        above=_("形式得分不能超过20分。"),
    )
    content_score = _score_field(
        _("内容得分（满分80）"),
        CONTENT_SCORE_MAX,
        below=_("内容得分不能小于0。"),
        above=_("内容得分不能超过80分。"),
    )
    comments = models.TextField(_("评查意见"), blank=True)

    objects = EvaluatedFileQuerySet.as_manager()

    class Meta:
        ordering = ["round", "unit", "case_number"]
        verbose_name = verbose_name_plural = _("评查案卷")
        constraints = [
            unique(
                "round",
                "unit",
                "case_number",
                rule="unique_case",
                message=_("本次评查已录入该单位的这份案卷。"),
                code="duplicate_evaluated_case",
            ),
            _score_in_range("form_score", FORM_SCORE_MAX, message=_("形式得分应在0至20分之间。")),
            _score_in_range(
                "content_score", CONTENT_SCORE_MAX, message=_("内容得分应在0至80分之间。")
            ),
        ]

    def __str__(self) -> str:
        return f"{self.case_number} {self.case_title}"

    @property
    def total_score(self) -> Decimal | None:
        if self.form_score is None or self.content_score is None:
            return None
        return self.form_score + self.content_score

    @property
    def is_vetoed(self) -> bool:
        if hasattr(self, "has_veto"):
            return self.has_veto
        if self.pk is None:
            return False
        return self.vetoes.exists()

    @property
    def grade(self) -> Grade | None:
        return grade_for(self.total_score, vetoed=self.is_vetoed)

    def clean(self) -> None:
        super().clean()
        if (self.form_score is None) != (self.content_score is None):
            field = "content_score" if self.content_score is None else "form_score"
            raise field_error(
                field,
                gettext("形式得分和内容得分须同时填写。"),
                "score_incomplete",
            )
        if self.round_id and self.evaluated_on:
            round_ = self.round
            if not round_.started_on <= self.evaluated_on <= round_.ended_on:
                raise field_error(
                    "evaluated_on",
                    gettext("评查日期应在评查活动期间（%(start)s至%(end)s）。")
                    % {"start": round_.started_on, "end": round_.ended_on},
                    "evaluated_outside_round",
                )


class FileVeto(RevisionedModel):
    """A veto item found in a file: the file fails whatever its score."""

    scope_field = "file__unit"

    file = part_of(EvaluatedFile, _("评查案卷"), related_name="vetoes")
    item = models.CharField(_("否决项"), max_length=30, choices=VetoItem.choices)
    note = models.CharField(_("具体情形"), max_length=300, blank=True)

    class Meta:
        ordering = ["file", "item"]
        verbose_name = verbose_name_plural = _("否决项")
        constraints = [
            unique("file", "item", rule="unique_item", message=_("该否决项已记录。")),
        ]

    def __str__(self) -> str:
        return str(VetoItem(self.item).label)

    def clean(self) -> None:
        super().clean()
        if self.item == VetoItem.OTHER and not self.note.strip():
            raise field_error(
                "note",
                gettext("“其他否决情形”须写明具体情形。"),
                "veto_note_required",
            )


class ProblemQuerySet(ScopedQuerySet):
    def of_approved_files(self):
        return self.filter(file__status=Status.APPROVED)

    def awaiting_rectification(self):
        """Problems not yet rectified: what the deadline board follows by ``due_on``."""
        return self.filter(rectified_on__isnull=True)

    def rectified(self):
        return self.filter(rectified_on__isnull=False)

    def overdue(self, on: datetime.date | None = None):
        """Not rectified and past their due date as of ``on`` (today by default)."""
        on = on or timezone.localdate()
        return self.awaiting_rectification().filter(due_on__lt=on)

    def due_between(self, start: datetime.date, end: datetime.date):
        return self.awaiting_rectification().filter(due_on__range=(start, end))


class EvaluationProblem(RevisionedModel):
    """A problem found in a file and its rectification (整改), due by ``due_on``."""

    scope_field = "file__unit"

    #: Its own fields, besides the file it belongs to.
    register_fields = OwnFields()
    export_omits = ("requirement", "rectification")

    file = part_of(EvaluatedFile, _("评查案卷"), related_name="problems")
    description = models.TextField(_("发现的问题"))
    requirement = models.TextField(_("整改要求"), blank=True)
    due_on = models.DateField(_("整改期限"))
    rectified_on = optional_date(_("整改完成日期"))
    rectification = models.TextField(_("整改情况"), blank=True)

    objects = ProblemQuerySet.as_manager()

    class Meta:
        ordering = ["due_on", "pk"]
        verbose_name = verbose_name_plural = _("评查问题及整改")

    def __str__(self) -> str:
        text = self.description.strip().splitlines()[0] if self.description.strip() else ""
        return text[:40] or gettext("评查问题")

    @property
    def unit(self):
        """The evaluated unit that must rectify."""
        return self.file.unit

    @property
    def is_rectified(self) -> bool:
        return self.rectified_on is not None

    def is_overdue(self, on: datetime.date | None = None) -> bool:
        on = on or timezone.localdate()
        return self.rectified_on is None and self.due_on is not None and self.due_on < on

    @property
    def rectified_late(self) -> bool:
        return self.rectified_on is not None and self.rectified_on > self.due_on

    def clean(self) -> None:
        super().clean()
        if self.rectified_on and not self.rectification.strip():
            raise field_error(
                "rectification",
                gettext("记录整改完成时须写明整改情况。"),
                "rectification_description_required",
            )
