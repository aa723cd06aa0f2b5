"""Double-random, one-public inspections (双随机、一公开).

"一单两库一细则": the random-inspection item list (``InspectionItem`` with its inspection form
of ``CheckPoint`` rows), the target pool (``InspectionTarget``) and the inspector pool
(approved ``Officer`` records of the item's unit). A draw (``InspectionDraw``) picks targets
and at least two inspectors per target with ``registers.draw``; its stored inputs let anyone
re-run it. Results are published (一公开) within ``settings.LAWGOV["PUBLICATION_DAYS"]``
working days (20 unless configured) of the end of the check.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass, field

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Count, F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from registers.core.calendar import get_calendar
from registers.core.constraints import check, not_before, only_with, unique
from registers.core.deadlines import Deadline, WorkingDayCalendar, inspection_publication_due
from registers.core.fields import (
    OwnFields,
    optional_date,
    part_of,
    person_field,
    reference,
    unit_field,
)
from registers.core.models import HandledRecord, WorkflowRecord
from registers.core.personal import PersonalKind
from registers.core.querysets import WorkflowQuerySet, year_end
from registers.core.revisions import RevisionedModel
from registers.core.status import Status
from registers.creditcode import normalise_credit_code, validate_credit_code

from .enforcement import EnforcementField


def publication_days() -> int:
    """Working days allowed to publish a check's results (优化营商环境条例 art. 54
    "及时向社会公开"; the period of 企业信息公示暂行条例 art. 6 unless configured)."""
    return settings.LAWGOV["PUBLICATION_DAYS"]


def publication_deadline_after(
    check_ended_on: datetime.date, calendar: WorkingDayCalendar
) -> Deadline:
    """When the results of a check that ended on ``check_ended_on`` must be published.

    The one place the configured number of days meets the deadline engine: the admin, the
    API, the deadline board and the annual report all count from here.
    """
    return inspection_publication_due(check_ended_on, calendar, days=publication_days())


class InspectionKind(models.TextChoices):
    ADMINISTRATIVE = "administrative", _("行政检查事项")
    OTHER = "other", _("其他有法律依据的检查事项")


@dataclass
class ItemTally:
    """Counts of a list of inspection items, by kind and by unit, from one query."""

    total: int = 0
    by_kind: dict[InspectionKind, int] = field(default_factory=dict)
    #: unit name -> kind -> count
    by_unit: dict[str, dict[InspectionKind, int]] = field(default_factory=dict)

    def count(self, kind: InspectionKind) -> int:
        return self.by_kind.get(kind, 0)

    @property
    def parts_add_up(self) -> bool:
        return sum(self.by_kind.values()) == self.total


class InspectionItemQuerySet(WorkflowQuerySet):
    def published_list(self, year: int):
        """The approved items of ``year``'s published list, as it stood on 31 December."""
        end = year_end(year)
        return (
            self.approved()
            .in_year(year)
            .filter(
                Q(cancelled_on__isnull=True) | Q(cancelled_on__gt=end),
                published_on__lte=end,
            )
        )

    def administrative(self):
        return self.filter(kind=InspectionKind.ADMINISTRATIVE)

    def other_with_legal_basis(self):
        return self.filter(kind=InspectionKind.OTHER)

    def tally(self) -> ItemTally:
        """Items counted by kind and by unit, in one aggregate query."""
        rows = (
            self.order_by()
            .values("unit__code", "unit__name", "kind")
            .annotate(count=Count("pk"))
            .order_by("unit__code", "kind")
        )
        tally = ItemTally()
        by_unit: dict[str, dict[InspectionKind, int]] = defaultdict(dict)
        for row in rows:
            kind = InspectionKind(row["kind"])
            tally.total += row["count"]
            tally.by_kind[kind] = tally.by_kind.get(kind, 0) + row["count"]
            by_unit[row["unit__name"]][kind] = row["count"]
        tally.by_unit = dict(by_unit)
        return tally


class InspectionItem(WorkflowRecord):
    """One item (and sub-item) of a year's random-inspection list; ``unit`` is 检查主体."""

    # An item belongs to its list's year (counted as that list stood on 31 December).
    year_field = "year"

    register_fields = OwnFields()
    export_omits = ("content",)

    year = models.PositiveSmallIntegerField(_("清单年度"))
    code = models.CharField(_("事项编码"), max_length=30)
    name = models.CharField(_("抽查事项"), max_length=200)
    sub_item = models.CharField(_("抽查子项"), max_length=200, blank=True)
    kind = models.CharField(_("事项类别"), max_length=20, choices=InspectionKind.choices)
    field = models.CharField(
        _("执法领域"),
        max_length=30,
        choices=EnforcementField.choices,
        help_text=_("只从本单位同一执法领域的执法人员中抽取检查人员。"),
    )
    legal_basis = models.TextField(_("检查依据"), help_text=_("法律、法规、规章名称及条款。"))
    method = models.CharField(
        _("检查方式"), max_length=100, help_text=_("如：书面检查、实地核查、网络监测。")
    )
    content = models.TextField(_("检查内容"))
    ratio = models.DecimalField(
        _("抽查比例（%）"),
        max_digits=5,
        decimal_places=2,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
        help_text=_("占检查对象名录库的百分比，如 5 表示 5%。"),
    )
    frequency = models.CharField(_("抽查频次"), max_length=50, help_text=_("如：每年不少于1次。"))
    published_on = optional_date(_("清单公布日期"))
    cancelled_on = optional_date(_("取消日期"), help_text=_("事项调出清单时填写，记录保留。"))

    objects = InspectionItemQuerySet.as_manager()

    class Meta:
        ordering = ["-year", "code"]
        verbose_name = _("随机抽查事项")
        verbose_name_plural = _("随机抽查事项清单")
        # The lists' default order (the API's, the admin's), read from the index instead of
        # sorting every item for each page.
        indexes = [models.Index(fields=["-year", "code"], name="registers_inspection_listing")]
        constraints = [
            unique(
                "year",
                "code",
                rule="unique_code",
                message=_("同一年度清单中事项编码不能重复。"),
            ),
            check(
                Q(ratio__gt=0) & Q(ratio__lte=100),
                rule="ratio_range",
                message=_("抽查比例必须大于0且不超过100%%。"),
            ),
            check(
                Q(cancelled_on__isnull=True)
                | Q(published_on__isnull=False, cancelled_on__gte=F("published_on")),
                rule="cancelled_after_published",
                message=_("取消日期不能早于清单公布日期。"),
            ),
        ]

    def __str__(self) -> str:
        if self.sub_item:
            return f"{self.name}——{self.sub_item}"
        return self.name


class CheckPoint(RevisionedModel):
    """One row of an item's inspection form (检查表): "one form per item"."""

    scope_field = "item__unit"

    #: Its own fields, besides the item it belongs to.
    register_fields = OwnFields()

    item = part_of(InspectionItem, _("抽查事项"), related_name="check_points")
    position = models.PositiveSmallIntegerField(_("序号"))
    content = models.CharField(_("检查要点"), max_length=300)
    basis = models.CharField(_("对应依据"), max_length=200, blank=True)

    class Meta:
        ordering = ["item", "position"]
        verbose_name = verbose_name_plural = _("检查表要点")
        constraints = [
            unique(
                "item",
                "position",
                rule="unique_position",
                message=_("检查表中序号不能重复。"),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.position}. {self.content}"


class CreditCodeFormField(forms.CharField):
    """Accepts the code as typed (spaces, full-width characters, lower case) and normalises."""

    def to_python(self, value):
        return normalise_credit_code(super().to_python(value) or "")


class CreditCodeField(models.CharField):
    """A unified social credit code, stored normalised; validated by the model's clean."""

    #: How a stored value is folded (``registers.core.identifiers.fold_identifiers``).
    normalise = staticmethod(normalise_credit_code)

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("max_length", 18)
        super().__init__(*args, **kwargs)

    def formfield(self, **kwargs):
        # Room for what people paste; the normalised value is checked against 18 characters.
        return super().formfield(**{"form_class": CreditCodeFormField, "max_length": 40, **kwargs})


class InspectionTargetQuerySet(models.QuerySet):
    def active(self):
        return self.filter(is_active=True)

    def of_unit(self, unit):
        return self.filter(unit=unit)


class InspectionTarget(RevisionedModel):
    """An entry of a unit's inspection-target pool (检查对象名录库)."""

    scope_field = "unit"

    register_fields = OwnFields()

    personal_fields = {
        "legal_representative": PersonalKind.NAME,
        "contact": PersonalKind.PHONE,
    }

    unit = unit_field(_("名录库所属单位"), related_name="inspection_targets")
    name = models.CharField(_("名称"), max_length=200)
    credit_code = CreditCodeField(
        _("统一社会信用代码"),
        help_text=_("18位，末位为校验码；全角字符和空格会自动转换、去除。"),
    )
    legal_representative = models.CharField(_("法定代表人（负责人）"), max_length=50)
    address = models.CharField(_("住所（经营场所）"), max_length=200)
    contact = models.CharField(_("联系电话"), max_length=50, blank=True)
    is_active = models.BooleanField(
        _("在库"), default=True, help_text=_("注销、迁出的对象取消勾选，不再参与抽取。")
    )

    objects = InspectionTargetQuerySet.as_manager()

    class Meta:
        ordering = ["unit__code", "name"]
        verbose_name = _("检查对象")
        verbose_name_plural = _("检查对象名录库")
        constraints = [
            unique(
                "unit",
                "credit_code",
                rule="unique_code_per_pool",
                message=_("本单位名录库中已有该统一社会信用代码的对象。"),
                code="duplicate_credit_code",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs) -> None:
        self.credit_code = normalise_credit_code(self.credit_code)
        super().save(*args, **kwargs)

    def clean_fields(self, exclude=None) -> None:
        self.credit_code = normalise_credit_code(self.credit_code or "")
        errors: dict = {}
        try:
            super().clean_fields(exclude=exclude)
        except ValidationError as error:
            errors = error.update_error_dict(errors)
        if "credit_code" not in errors and "credit_code" not in (exclude or ()):
            try:
                validate_credit_code(self.credit_code)
            except ValidationError as error:
                errors.setdefault("credit_code", []).extend(error.error_list)
        if errors:
            raise ValidationError(errors)


class ResultKind(models.TextChoices):
    """Outcome of checking one drawn target (the categories published on the credit system)."""

    NO_PROBLEM = "no_problem", _("未发现问题")
    RECTIFICATION_ORDERED = "rectification_ordered", _("发现问题已责令整改")
    CASE_FILED = "case_filed", _("发现问题已立案查处")
    TRANSFERRED = "transferred", _("发现问题已移送有关部门")
    NOT_CONTACTABLE = "not_contactable", _("通过登记的住所（经营场所）无法联系")
    NO_RELEVANT_ACTIVITY = "no_relevant_activity", _("未发现开展本次抽查涉及的经营活动")
    CLOSED = "closed", _("检查对象已注销或歇业")

    @property
    def found_problem(self) -> bool:
        return self in {
            ResultKind.RECTIFICATION_ORDERED,
            ResultKind.CASE_FILED,
            ResultKind.TRANSFERRED,
        }


class InspectionDrawQuerySet(WorkflowQuerySet):
    def drawn_in(self, year: int):
        """Draws made in ``year``: the year's draws (``in_year``)."""
        return self.in_year(year)

    def awaiting_publication(self):
        """Checks that have ended and whose results are not yet published (any status).

        The deadline of each is ``draw.publication_deadline()``.
        """
        return self.filter(check_ended_on__isnull=False, published_on__isnull=True)

    def publication_overdue(self, on: datetime.date, calendar: WorkingDayCalendar | None = None):
        """Awaiting publication although due before ``on``.

        The due date depends on the holiday calendar, so it is computed for the candidate
        rows in one pass (one query and one calendar) and the result filtered by id.
        """
        calendar = calendar or get_calendar()
        rows = self.awaiting_publication().values_list("pk", "check_ended_on")
        late = [pk for pk, ended in rows if publication_deadline_after(ended, calendar).due < on]
        return self.filter(pk__in=late)

    def published(self, on: datetime.date | None = None):
        """Approved draws whose results were published on or before ``on`` (today)."""
        on = on or timezone.localdate()
        return self.approved().filter(published_on__lte=on)


class InspectionDraw(HandledRecord):
    """One double-random draw for an item and a batch, with everything needed to re-run it."""

    year_field = "drawn_on"

    #: What the draw fixed, and the API shows but never changes.
    drawn_fields = (
        "item",
        "batch",
        "drawn_on",
        "drawn_at",
        "drawn_by",
        "ratio",
        "target_count",
        "inspectors_per_target",
        "balance_load",
        "seed",
        "algorithm",
        "candidates_hash",
        "exclusions",
    )
    register_fields = (*drawn_fields, "check_ended_on", "published_on", "note")
    export_omits = ("drawn_at", "drawn_by", "balance_load", "exclusions", "note")

    item = reference(InspectionItem, _("抽查事项"), related_name="draws")
    batch = models.CharField(_("抽查批次"), max_length=50, help_text=_("如：2017年第二批。"))
    drawn_on = models.DateField(_("抽取日期"), help_text=_("执法证是否有效按此日期判断。"))
    drawn_at = models.DateTimeField(_("抽取时间"))
    drawn_by = person_field(_("抽取人"), protect=True)
    ratio = models.DecimalField(
        _("抽取比例（%）"),
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
        help_text=_("按比例抽取时的比例；按数量抽取时为空。"),
    )
    target_count = models.PositiveIntegerField(_("抽取对象数"))
    inspectors_per_target = models.PositiveSmallIntegerField(_("每个对象检查人员数"))
    balance_load = models.BooleanField(_("均衡分配检查任务"), default=True)
    seed = models.CharField(_("随机种子"), max_length=100)
    algorithm = models.CharField(_("算法版本"), max_length=50)
    candidates_hash = models.CharField(_("候选名单哈希（SHA-256）"), max_length=64)
    input_json = models.TextField(
        _("抽取输入（规范化JSON）"),
        help_text=_("候选对象、候选人员、回避关系和参数；其SHA-256即候选名单哈希。"),
    )
    exclusions = models.JSONField(
        _("未进入候选的执法人员"),
        default=list,
        blank=True,
        help_text=_("抽取时因执法证过期、执法领域不符等原因排除的人员及原因。"),
    )
    check_ended_on = optional_date(_("检查结束日期"))
    published_on = optional_date(_("结果公示日期"))
    note = models.TextField(_("备注"), blank=True)

    objects = InspectionDrawQuerySet.as_manager()

    class Meta:
        ordering = ["-drawn_on", "-pk"]
        verbose_name = _("双随机抽取")
        verbose_name_plural = _("双随机抽取及结果")
        constraints = [
            unique(
                "item",
                "batch",
                rule="unique_batch",
                message=_("该事项的这一批次已经抽取过，不能重复抽取。"),
            ),
            not_before(
                "check_ended_on",
                "drawn_on",
                rule="check_ends_after_draw",
                message=_("检查结束日期不能早于抽取日期。"),
            ),
            check(
                Q(published_on__isnull=True)
                | Q(check_ended_on__isnull=False, published_on__gte=F("check_ended_on")),
                rule="published_after_check",
                message=_("结果公示日期必须在检查结束之后，且须先填写检查结束日期。"),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.item} {self.batch}"

    def publication_deadline(self, calendar: WorkingDayCalendar | None = None) -> Deadline | None:
        """The deadline for publishing the results, and how it was counted; None until the
        check has ended. Pass ``calendar`` to count many draws on one reading of it."""
        if self.check_ended_on is None:
            return None
        return publication_deadline_after(self.check_ended_on, calendar or get_calendar())

    @property
    def publication_due(self) -> datetime.date | None:
        """Last day to publish the results.

        Computed on every read from the office's calendar, so a corrected holiday moves it.
        """
        deadline = self.publication_deadline()
        return deadline.due if deadline else None

    @property
    def published_late(self) -> bool:
        due = self.publication_due
        return bool(self.published_on and due and self.published_on > due)

    @property
    def is_published(self) -> bool:
        return self.status == Status.APPROVED and self.published_on is not None


class DrawnTargetQuerySet(models.QuerySet):
    def checked(self):
        """Targets with a recorded result."""
        return self.exclude(result="")

    def with_result(self, result: ResultKind):
        return self.filter(result=result)

    def result_counts(self) -> dict[ResultKind, int]:
        """Checked targets by result, every result listed (0 where none), in one query."""
        rows = dict(self.checked().order_by().values_list("result").annotate(n=models.Count("pk")))
        return {kind: rows.get(kind.value, 0) for kind in ResultKind}

    def published(self, on: datetime.date | None = None):
        """Results the public may see: approved draws, published by ``on``, with a result."""
        on = on or timezone.localdate()
        return self.filter(
            draw__status=Status.APPROVED, draw__published_on__lte=on, checked_on__isnull=False
        ).exclude(result="")


class DrawnTarget(RevisionedModel):
    """A target a draw selected, in draw order, with the result of checking it."""

    scope_field = "draw__unit"

    draw = part_of(InspectionDraw, _("抽取"), related_name="drawn_targets")
    position = models.PositiveSmallIntegerField(_("抽中顺序"))
    target = reference(InspectionTarget, _("检查对象"), related_name="drawn_as")
    target_name = models.CharField(
        _("对象名称（抽取时）"), max_length=200, help_text=_("公示使用抽取时的名称。")
    )
    checked_on = optional_date(_("检查日期"))
    result = models.CharField(_("检查结果"), max_length=30, choices=ResultKind.choices, blank=True)
    findings = models.TextField(_("检查情况"), blank=True, help_text=_("内部记录，不公示。"))

    objects = DrawnTargetQuerySet.as_manager()

    class Meta:
        ordering = ["draw", "position"]
        verbose_name = verbose_name_plural = _("抽中对象及检查结果")
        constraints = [
            unique(
                "draw",
                "position",
                rule="unique_position",
                message=_("同一次抽取中抽中对象的序号不能重复。"),
                code="duplicate_drawn_position",
            ),
            unique(
                "draw",
                "target",
                rule="unique_target",
                message=_("同一个检查对象在一次抽取中只能被抽中一次。"),
                code="duplicate_drawn_target",
            ),
            only_with(
                "result",
                "checked_on",
                rule="result_has_date",
                message=_("填写检查结果时必须填写检查日期。"),
                on="checked_on",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.position}. {self.target_name}"


class DrawnInspector(RevisionedModel):
    """An inspector a draw assigned to a drawn target, in ranking order."""

    scope_field = "drawn_target__draw__unit"

    drawn_target = part_of(DrawnTarget, _("抽中对象"), related_name="inspectors")
    position = models.PositiveSmallIntegerField(_("顺序"))
    officer = reference("registers.Officer", _("执法检查人员"), related_name="inspections")

    class Meta:
        ordering = ["drawn_target", "position"]
        verbose_name = verbose_name_plural = _("抽中检查人员")
        constraints = [
            unique(
                "drawn_target",
                "officer",
                rule="unique_officer",
                message=_("同一名执法人员不能重复派往同一个抽中对象。"),
                code="duplicate_drawn_inspector",
            ),
            unique(
                "drawn_target",
                "position",
                rule="unique_position",
                message=_("同一抽中对象的检查人员序号不能重复。"),
                code="duplicate_inspector_position",
            ),
        ]

    def __str__(self) -> str:
        return str(self.officer)
