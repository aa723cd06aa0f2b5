"""Power and responsibility lists (权责清单), negative lists and fee lists, with their history.

Each ``PowerItem`` row is one *version* of a list item: it is in force from
``effective_from`` up to the day before ``closed_on``. Nothing is overwritten. A change is a
``PowerAdjustment`` (新增 / 取消 / 下放 / 调整) that closes the version in force and, for
调整 and 下放, creates the versions that replace it (see ``registers.power_services``). The
list as of any day is therefore the set of approved versions in force on that day, and a
count as of 31 December 2017 stays the same whatever is adjusted later.
"""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import Case, Count, F, Q, Value, When
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from registers.core.constraints import not_before, required_when, unique
from registers.core.fields import optional_date, part_of, person_field, reference, unit_field
from registers.core.identifiers import IdentifierField
from registers.core.models import WorkflowRecord
from registers.core.querysets import ScopedQuerySet, WorkflowQuerySet, year_end
from registers.core.revisions import RevisionedModel
from registers.core.status import Action, Status

from .units import UnitKind


class ListKind(models.TextChoices):
    POWER = "power", _("权责清单")
    NEGATIVE = "negative", _("负面清单")
    FEE = "fee", _("收费清单")


class ListLevel(models.TextChoices):
    """Which published list an item belongs to; follows from the implementing unit."""

    DISTRICT = "district", _("区级（区直部门）")
    TOWNSHIP = "township", _("乡镇（街道）")

    @classmethod
    def of_unit(cls, unit) -> ListLevel:
        return cls.TOWNSHIP if unit.kind == UnitKind.TOWNSHIP else cls.DISTRICT


class PowerCategory(models.TextChoices):
    """The national "9+X" categories of administrative power."""

    LICENSING = "licensing", _("行政许可")
    PENALTY = "penalty", _("行政处罚")
    COERCION = "coercion", _("行政强制")
    LEVY = "levy", _("行政征收")
    BENEFIT = "benefit", _("行政给付")
    INSPECTION = "inspection", _("行政检查")
    CONFIRMATION = "confirmation", _("行政确认")
    REWARD = "reward", _("行政奖励")
    ADJUDICATION = "adjudication", _("行政裁决")
    OTHER = "other", _("其他行政权力")


#: Township lists are split into the three kinds of duty from this date on.
TOWNSHIP_DUTY_SPLIT_FROM = datetime.date(2024, 1, 1)


class TownshipDuty(models.TextChoices):
    BASIC = "basic", _("基本履职事项")
    COOPERATIVE = "cooperative", _("配合履职事项")
    WITHDRAWN = "withdrawn", _("上级部门收回事项")


class NegativeMeasure(models.TextChoices):
    PROHIBITED = "prohibited", _("禁止")
    RESTRICTED = "restricted", _("限制")


class ResponsibilityStage(models.IntegerChoices):
    """Stages of the responsibility list, numbered in the order a case goes through them."""

    ACCEPTANCE = 10, _("受理")
    FILING = 20, _("立案")
    INVESTIGATION = 30, _("调查取证")
    EXAMINATION = 35, _("审查")
    HEARING = 40, _("审理")
    NOTICE = 50, _("告知")
    DECISION = 60, _("决定")
    SERVICE = 70, _("送达")
    EXECUTION = 80, _("执行")
    FOLLOW_UP = 90, _("事后监管")
    OTHER = 99, _("其他")


class AdjustmentKind(models.TextChoices):
    ADD = "add", _("新增")
    CANCEL = "cancel", _("取消")
    DELEGATE = "delegate", _("下放")
    AMEND = "amend", _("调整")

    @property
    def closes_item(self) -> bool:
        return self != AdjustmentKind.ADD


class AdjustmentReason(models.TextChoices):
    LAW_CHANGED = "law_changed", _("法律法规立改废释")
    SUPERIOR = "superior", _("上级部门取消、下放或调整")
    REORGANISED = "reorganised", _("机构职能调整")
    STANDARDISED = "standardised", _("清单规范（合并、拆分、更正）")
    OTHER = "other", _("其他")


def _in_force_on(day: datetime.date) -> Q:
    return Q(effective_from__lte=day) & (Q(closed_on__isnull=True) | Q(closed_on__gt=day))


def _level_expression():
    return Case(
        When(unit__kind=UnitKind.TOWNSHIP, then=Value(ListLevel.TOWNSHIP.value)),
        default=Value(ListLevel.DISTRICT.value),
        output_field=models.CharField(),
    )


def _classification(verbose_name, choices: type[models.TextChoices], help_text) -> models.CharField:
    """A classification only some items have (which: ``FILLED_BY_LIST_KIND``, the township
    duty in ``PowerItem.clean``), left blank by the others."""
    return models.CharField(
        verbose_name, max_length=20, choices=choices.choices, blank=True, help_text=help_text
    )


#: What an item of each list kind must fill in: the field, the rule's name and its message.
FILLED_BY_LIST_KIND = (
    (ListKind.POWER, "category", "power_item_has_category", _("权责清单事项必须选择权力类别。")),
    (
        ListKind.NEGATIVE,
        "negative_measure",
        "negative_item_has_measure",
        _("负面清单事项必须选择管理措施（禁止或限制）。"),
    ),
    (ListKind.FEE, "fee_standard", "fee_item_has_standard", _("收费清单事项必须填写收费标准。")),
)


class PowerItemQuerySet(WorkflowQuerySet):
    #: What ``count_by`` can group by.
    COUNT_DIMENSIONS = ("unit", "list_kind", "level", "category", "township_duty")

    def in_force_on(self, day: datetime.date):
        """Versions in force on ``day``: already effective and not yet closed."""
        return self.filter(_in_force_on(day))

    def year_condition(self, year: int) -> Q:
        # A standing list: a year's items are the versions in force on 31 December.
        return _in_force_on(year_end(year))

    def as_of(self, day: datetime.date):
        """The published list on ``day``: approved versions in force then."""
        return self.approved().in_force_on(day)

    def closed(self):
        return self.filter(closed_on__isnull=False)

    def of_list(self, kind: ListKind):
        return self.filter(list_kind=kind)

    def power_list(self):
        return self.of_list(ListKind.POWER)

    def negative_list(self):
        return self.of_list(ListKind.NEGATIVE)

    def fee_list(self):
        return self.of_list(ListKind.FEE)

    def district_level(self):
        return self.exclude(unit__kind=UnitKind.TOWNSHIP)

    def township_level(self):
        return self.filter(unit__kind=UnitKind.TOWNSHIP)

    def at_level(self, level: ListLevel):
        if ListLevel(level) == ListLevel.TOWNSHIP:
            return self.township_level()
        return self.district_level()

    def in_category(self, category: PowerCategory):
        return self.filter(category=category)

    def count_by(self, *dimensions: str) -> list[dict]:
        """Count the rows grouped by ``dimensions``, in one aggregate query.

        Each row is a dict of the dimension values (``unit`` is the unit's id, ``level`` a
        ``ListLevel`` value) and ``count``, ordered by the dimensions. Typical use::

            PowerItem.objects.as_of(date(2017, 12, 31)).count_by("level", "category")
        """
        unknown = set(dimensions) - set(self.COUNT_DIMENSIONS)
        if unknown:
            raise ValueError(f"cannot count power items by {sorted(unknown)}")
        fields = [name for name in dimensions if name != "level"]
        expressions = {"level": _level_expression()} if "level" in dimensions else {}
        rows = (
            self.order_by()
            .values(*fields, **expressions)
            .annotate(count=Count("pk"))
            .order_by(*dimensions)
        )
        return [{**{name: row[name] for name in dimensions}, "count": row["count"]} for row in rows]

    def counts_as_of(self, day: datetime.date, *dimensions: str) -> list[dict]:
        """``as_of(day).count_by(*dimensions)``: what the annual report counts."""
        return self.as_of(day).count_by(*dimensions)


class PowerItem(WorkflowRecord):
    """One version of an item of a power, negative or fee list of one unit."""

    # A standing list: in a year, the versions in force on 31 December (``in_year``).
    year_field = None

    #: What an item says: a new version copies it from the one it replaces, a 调整 changes it.
    content_fields = (
        "list_kind",
        "code",
        "name",
        "category",
        "negative_measure",
        "township_duty",
        "partner_unit",
        "legal_basis",
        "handling_office",
        "accountability",
        "supervision",
        "fee_standard",
        "fee_basis",
    )
    register_fields = (
        *content_fields,
        "effective_from",
        "basis_document",
        "addition_reason",
        "closed_on",
        "version",
    )
    export_omits = ("accountability", "supervision", "fee_basis", "addition_reason")

    unit = unit_field(_("实施主体"))
    list_kind = models.CharField(
        _("清单类别"), max_length=20, choices=ListKind.choices, default=ListKind.POWER
    )
    code = models.CharField(_("事项编码"), max_length=40)
    name = models.CharField(_("事项名称"), max_length=300)
    category = _classification(
        _("权力类别"), PowerCategory, _("权责清单事项必填；负面清单、收费清单事项可不填。")
    )
    negative_measure = _classification(
        _("管理措施"), NegativeMeasure, _("负面清单事项必填：禁止或限制。")
    )
    township_duty = _classification(
        _("乡镇履职类别"),
        TownshipDuty,
        _("乡镇（街道）权责清单事项：基本履职、配合履职或上级部门收回；2024年起生效的事项必填。"),
    )
    partner_unit = unit_field(
        _("对应区直部门"),
        optional=True,
        related_name="+",
        help_text=_(
            "仅乡镇（街道）事项：配合履职事项的主责部门，上级部门收回事项的收回部门，"
            "下放事项的原实施部门。"
        ),
    )
    legal_basis = models.TextField(
        _("设定依据"), help_text=_("法律、法规、规章名称及条款，可填写多项。")
    )
    handling_office = models.CharField(_("承办机构"), max_length=100, blank=True)
    accountability = models.TextField(_("追责情形"), blank=True)
    supervision = models.TextField(_("监督方式"), blank=True)
    fee_standard = models.CharField(
        _("收费标准"), max_length=300, blank=True, help_text=_("收费清单事项必填。")
    )
    fee_basis = models.TextField(_("收费标准依据"), blank=True)

    effective_from = models.DateField(_("生效日期"))
    closed_on = optional_date(
        _("失效日期"), editable=False, help_text=_("由取消、下放或调整记录写入；自当日起不再有效。")
    )
    version = models.PositiveSmallIntegerField(_("版本"), default=1, editable=False)
    origin = reference(
        "registers.PowerAdjustment",
        _("生效依据"),
        optional=True,
        editable=False,
        related_name="created_items",
        help_text=_("使本版本生效的新增、调整或下放记录。"),
    )
    basis_document = models.CharField(
        _("公布文号"),
        max_length=100,
        blank=True,
        help_text=_("公布或批准本事项的文件文号，如 咸安政办发〔2016〕12号。"),
    )
    addition_reason = models.TextField(
        _("新增理由"),
        blank=True,
        help_text=_("新增事项的理由；审核通过时记入“新增”调整记录。"),
    )

    objects = PowerItemQuerySet.as_manager()

    class Meta:
        ordering = ["unit__code", "list_kind", "code", "effective_from"]
        verbose_name = verbose_name_plural = _("权责清单事项")
        constraints = [
            unique(
                "unit",
                "list_kind",
                "code",
                rule="unique_open_code",
                message=_("本单位该清单中已有同一编码的现行事项。"),
                code="code_in_use",
                condition=Q(closed_on__isnull=True),
            ),
            unique(
                "unit",
                "list_kind",
                "code",
                "effective_from",
                rule="unique_version",
                message=_("本单位该清单中同一编码的事项在同一生效日期已有一个版本。"),
                code="duplicate_item_version",
            ),
            not_before(
                "closed_on",
                "effective_from",
                rule="closed_after_effective",
                message=_("失效日期必须晚于生效日期。"),
                strictly=True,
            ),
            *(
                required_when(
                    field,
                    Q(list_kind=kind),
                    text=True,
                    rule=rule,
                    message=message,
                )
                for kind, field, rule, message in FILLED_BY_LIST_KIND
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"

    def clean(self) -> None:
        super().clean()
        if self.unit_id is None:
            return
        errors = {}
        township = self.level == ListLevel.TOWNSHIP
        if (
            township
            and self.list_kind == ListKind.POWER
            and not self.township_duty
            and self.effective_from
            and self.effective_from >= TOWNSHIP_DUTY_SPLIT_FROM
        ):
            errors["township_duty"] = ValidationError(
                _("自2024年起，乡镇（街道）权责清单事项必须选择履职类别。"),
                code="township_duty_required",
            )
        if not township and self.township_duty:
            errors["township_duty"] = ValidationError(
                _("只有乡镇（街道）的事项才有履职类别。"), code="township_duty_not_township"
            )
        if self.partner_unit_id and not township:
            errors["partner_unit"] = ValidationError(
                _("只有乡镇（街道）的事项才填写对应区直部门。"), code="partner_not_township"
            )
        elif self.partner_unit_id and self.partner_unit.kind == UnitKind.TOWNSHIP:
            errors["partner_unit"] = ValidationError(
                _("对应部门应为区直部门，不能是乡镇（街道）。"), code="partner_is_township"
            )
        if errors:
            raise ValidationError(errors)

    def delete(self, *args, **kwargs):
        if self.is_approved:
            raise ValidationError(
                _("已审核的清单事项不能删除；需要时请通过“取消”调整使其失效。"),
                code="approved_item_not_deletable",
            )
        return super().delete(*args, **kwargs)

    def after_transition(self, action: Action, *, by) -> None:
        # Approved however (reviewed, or entered by the office): the item comes into force.
        if action.to_status == Status.APPROVED:
            self.record_addition(by=by)

    def record_addition(self, *, by) -> PowerAdjustment:
        """Record 新增 for an item that has just come into force; idempotent."""
        if self.origin_id is not None:
            return self.origin
        with transaction.atomic():
            adjustment = PowerAdjustment.objects.create(
                item=self,
                kind=AdjustmentKind.ADD,
                adjusted_on=self.effective_from,
                reason=self.addition_reason or gettext("经审核列入清单。"),
                document_number=self.basis_document,
                created_by=by,
            )
            self.origin = adjustment
            self._history_user = by
            self._change_reason = str(AdjustmentKind.ADD.label)
            self.save(update_fields=["origin"])
        return adjustment

    @property
    def is_frozen(self) -> bool:
        """An approved item is part of the published list: changed only by an adjustment."""
        return self.is_approved

    @property
    def level(self) -> ListLevel:
        return ListLevel.of_unit(self.unit)

    def is_in_force_on(self, day: datetime.date) -> bool:
        return self.effective_from <= day and (self.closed_on is None or self.closed_on > day)

    @property
    def predecessor(self) -> PowerItem | None:
        """The version this one replaced (调整) or was delegated from (下放)."""
        if self.origin is None or self.origin.item_id == self.pk:
            return None
        return self.origin.item

    @property
    def successors(self) -> models.QuerySet:
        """The versions that replaced this one, including the townships' delegated items."""
        return PowerItem.objects.filter(origin__item=self).exclude(pk=self.pk)

    @property
    def closing_adjustment(self) -> PowerAdjustment | None:
        closing = [kind for kind in AdjustmentKind if kind.closes_item]
        return self.adjustments.filter(kind__in=closing).first()


class ResponsibilityItem(RevisionedModel):
    """One stage of an item's responsibility list (责任事项), e.g. 立案 or 送达."""

    scope_field = "item__unit"

    item = part_of(PowerItem, _("清单事项"), related_name="responsibilities")
    stage = models.PositiveSmallIntegerField(_("环节"), choices=ResponsibilityStage.choices)
    duty = models.TextField(_("责任事项"))

    class Meta:
        ordering = ["item", "stage"]
        verbose_name = verbose_name_plural = _("责任事项")
        constraints = [
            unique(
                "item",
                "stage",
                rule="unique_stage",
                message=_("同一事项的每个环节只填写一条责任事项。"),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.item.code} {self.get_stage_display()}"


class PowerAdjustmentQuerySet(ScopedQuerySet):
    COUNT_DIMENSIONS = ("kind", "reason_kind", "unit")

    def adjusted_in(self, year: int):
        return self.filter(adjusted_on__year=year)

    def of_kind(self, kind: AdjustmentKind):
        return self.filter(kind=kind)

    def count_by(self, *dimensions: str) -> list[dict]:
        """Count grouped by ``kind``, ``reason_kind`` and/or ``unit`` (the item's), one query."""
        unknown = set(dimensions) - set(self.COUNT_DIMENSIONS)
        if unknown:
            raise ValueError(f"cannot count adjustments by {sorted(unknown)}")
        expressions = {"unit": F("item__unit")} if "unit" in dimensions else {}
        fields = [name for name in dimensions if name != "unit"]
        rows = (
            self.order_by()
            .values(*fields, **expressions)
            .annotate(count=Count("pk"))
            .order_by(*dimensions)
        )
        return [{**{name: row[name] for name in dimensions}, "count": row["count"]} for row in rows]


class PowerAdjustment(models.Model):
    """A change of a list item (动态调整): never edited, never deleted."""

    scope_field = "item__unit"

    item = reference(
        PowerItem,
        _("清单事项"),
        related_name="adjustments",
        help_text=_("新增：生效的事项；取消、下放、调整：被关闭的版本。"),
    )
    kind = models.CharField(_("调整方式"), max_length=20, choices=AdjustmentKind.choices)
    adjusted_on = models.DateField(_("调整日期"), help_text=_("自当日起按调整后的清单执行。"))
    reason_kind = models.CharField(
        _("调整原因类别"), max_length=20, choices=AdjustmentReason.choices, blank=True
    )
    reason = models.TextField(_("调整理由"))
    document_number = IdentifierField(_("批准文号"), max_length=100, blank=True)
    changes = models.JSONField(
        _("调整内容"),
        default=list,
        blank=True,
        help_text=_("“调整”时改变的字段：字段名、原内容、新内容。"),
    )
    created_by = person_field(_("经办人"))
    created_at = models.DateTimeField(_("录入时间"), auto_now_add=True)

    objects = PowerAdjustmentQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["adjusted_on", "pk"]
        verbose_name = verbose_name_plural = _("清单调整记录")
        constraints = [
            unique(
                "item",
                rule="one_addition_per_item",
                message=_("该事项已有新增记录。"),
                condition=Q(kind=AdjustmentKind.ADD),
            ),
            unique(
                "item",
                rule="one_closing_per_item",
                message=_("该事项已被取消、下放或调整，不能再次调整。"),
                condition=Q(
                    kind__in=[AdjustmentKind.CANCEL, AdjustmentKind.DELEGATE, AdjustmentKind.AMEND]
                ),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.item} {self.adjusted_on:%Y-%m-%d}"

    @property
    def change_lines(self) -> list[str]:
        """The recorded changes as readable lines: “字段：原内容 → 新内容”."""
        lines = []
        for change in self.changes or []:
            lines.append(f"{change['label']}：{change['from'] or '—'} → {change['to'] or '—'}")
        return lines
