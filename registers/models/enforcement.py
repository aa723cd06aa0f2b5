"""Enforcement bodies (执法主体), enforcement officers (执法人员) and their declared conflicts.

Officers are also the inspector pool (执法检查人员名录库) of the double-random inspections:
an officer can be drawn only for an item of their own unit, in their own field, on a day
their certificate is valid, and never for a target they declared a conflict with (回避).
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from registers.core.constraints import not_before, unique
from registers.core.fields import OwnFields, part_of, reference
from registers.core.identifiers import IdentifierField
from registers.core.models import WorkflowRecord
from registers.core.querysets import WorkflowQuerySet
from registers.core.revisions import RevisionedModel


class EnforcementField(models.TextChoices):
    """Enforcement field (执法领域) of an officer and of an inspection item.

    An officer is drawn only for items of the same field.
    """

    MARKET = "market", _("工商市场监管")
    TAX = "tax", _("税务")
    QUALITY = "quality", _("质量技术监督")
    FOOD_DRUG = "food_drug", _("食品药品监管")
    WORK_SAFETY = "work_safety", _("安全生产")
    ENVIRONMENT = "environment", _("环境保护")
    HOUSING_CONSTRUCTION = "housing_construction", _("住房城乡建设")
    REAL_ESTATE = "real_estate", _("房地产管理")
    TRANSPORT = "transport", _("交通运输")
    ROAD = "road", _("公路路政")
    WATERWAY = "waterway", _("水上交通")
    URBAN = "urban", _("城市管理")
    WATER = "water", _("水利")
    AGRICULTURE = "agriculture", _("农业")
    ANIMAL_HUSBANDRY = "animal_husbandry", _("畜牧兽医")
    FISHERY = "fishery", _("渔业")
    AGRICULTURAL_MACHINERY = "agricultural_machinery", _("农业机械")
    FORESTRY = "forestry", _("林业")
    CULTURE = "culture", _("文化体育新闻出版广电")
    HEALTH = "health", _("卫生计生")
    LABOUR = "labour", _("人力资源社会保障")
    EDUCATION = "education", _("教育")
    PUBLIC_SECURITY = "public_security", _("公安")
    CIVIL_AFFAIRS = "civil_affairs", _("民政")
    COMMERCE = "commerce", _("商务")
    PRICE = "price", _("价格")
    GRAIN = "grain", _("粮食流通")
    TOURISM = "tourism", _("旅游")
    STATISTICS = "statistics", _("统计")
    CIVIL_AIR_DEFENCE = "civil_air_defence", _("人民防空")
    RELIGION = "religion", _("民族宗教")
    ARCHIVES = "archives", _("档案")
    ECONOMY = "economy", _("经济和信息化")
    FINANCE = "finance", _("财政")
    OTHER = "other", _("其他")


class BodyKind(models.TextChoices):
    """How a body holds its enforcement power."""

    STATUTORY = "statutory", _("法定行政机关")
    AUTHORISED = "authorised", _("法律法规授权组织")
    ENTRUSTED = "entrusted", _("受委托组织")


class EnforcementBody(WorkflowRecord):
    """A body that exercises enforcement power in its own name (or, if entrusted, another's)."""

    # A standing list.
    year_field = None

    register_fields = OwnFields()

    name = models.CharField(_("执法主体名称"), max_length=100)
    kind = models.CharField(_("主体类别"), max_length=20, choices=BodyKind.choices)
    legal_basis = models.TextField(
        _("执法依据"), help_text=_("设立或授权、委托的法律、法规、规章依据，写明条款。")
    )

    class Meta:
        ordering = ["unit__code", "name"]
        verbose_name = verbose_name_plural = _("执法主体")
        constraints = [
            unique(
                "unit",
                "name",
                rule="unique_name",
                message=_("本单位已登记同名的执法主体。"),
                code="duplicate_body",
            ),
        ]

    def __str__(self) -> str:
        return self.name


def certificate_warning_days() -> int:
    """How many days ahead a certificate counts as soon expiring (local setting)."""
    return int(settings.LAWGOV.get("CERTIFICATE_WARNING_DAYS", 90))


class OfficerQuerySet(WorkflowQuerySet):
    def certificate_valid_on(self, day: datetime.date):
        """Officers whose certificate was issued by ``day`` and has not expired on ``day``."""
        return self.filter(issued_on__lte=day, expires_on__gte=day)

    def certificate_expired_on(self, day: datetime.date):
        return self.filter(expires_on__lt=day)

    def certificate_expiring(self, day: datetime.date | None = None, *, within: int | None = None):
        """Certificates still valid on ``day`` that expire within ``within`` days after it."""
        day = day or timezone.localdate()
        within = certificate_warning_days() if within is None else within
        return self.filter(
            expires_on__gte=day, expires_on__lte=day + datetime.timedelta(days=within)
        )

    def needing_renewal(self, day: datetime.date | None = None, *, within: int | None = None):
        """Expired and soon-expiring certificates: the list the office works through."""
        day = day or timezone.localdate()
        within = certificate_warning_days() if within is None else within
        return self.filter(expires_on__lte=day + datetime.timedelta(days=within))

    def in_field(self, field: EnforcementField):
        return self.filter(field=field)


class Officer(WorkflowRecord):
    """An enforcement officer holding an enforcement certificate (行政执法证)."""

    # A standing list.
    year_field = None

    register_fields = OwnFields()

    body = reference(EnforcementBody, _("执法主体"), related_name="officers")
    name = models.CharField(_("姓名"), max_length=30)
    certificate_number = IdentifierField(
        _("执法证号"),
        max_length=30,
        unique=True,
        error_messages={"unique": _("已有执法证号相同的执法人员。")},
    )
    field = models.CharField(_("执法领域"), max_length=30, choices=EnforcementField.choices)
    issued_on = models.DateField(_("发证日期"))
    expires_on = models.DateField(_("有效期至"))

    objects = OfficerQuerySet.as_manager()

    class Meta:
        ordering = ["unit__code", "name"]
        verbose_name = verbose_name_plural = _("执法人员")
        constraints = [
            not_before(
                "expires_on",
                "issued_on",
                rule="expires_after_issue",
                message=_("执法证有效期截止日期必须晚于发证日期。"),
                optional=False,
                strictly=True,
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name}（{self.certificate_number}）"

    def clean(self) -> None:
        super().clean()
        if self.body_id and self.unit_id and self.body.unit_id != self.unit_id:
            raise ValidationError(
                {"body": _("执法主体必须是执法人员所在单位的执法主体。")},
                code="body_of_other_unit",
            )

    def certificate_valid_on(self, day: datetime.date) -> bool:
        return self.issued_on <= day <= self.expires_on

    def certificate_status(self, day: datetime.date | None = None) -> str:
        """有效 / 即将到期 / 已过期 / 未生效 on ``day`` (today by default)."""
        day = day or timezone.localdate()
        if day < self.issued_on:
            return str(_("未生效"))
        if self.expires_on < day:
            return str(_("已过期"))
        if (self.expires_on - day).days <= certificate_warning_days():
            return str(_("即将到期"))
        return str(_("有效"))


class ConflictQuerySet(models.QuerySet):
    def of_officers(self, officers):
        return self.filter(officer__in=officers)


class Conflict(RevisionedModel):
    """An officer's declared conflict of interest with a target (回避): never drawn together."""

    scope_field = "officer__unit"

    register_fields = ("officer", "target", "reason", "declared_on")

    officer = part_of(Officer, _("执法人员"), related_name="conflicts")
    target = part_of("registers.InspectionTarget", _("检查对象"), related_name="conflicts")
    reason = models.CharField(
        _("回避事由"), max_length=200, help_text=_("如：近亲属担任该企业法定代表人。")
    )
    declared_on = models.DateField(_("申报日期"))

    objects = ConflictQuerySet.as_manager()

    class Meta:
        ordering = ["-declared_on", "pk"]
        verbose_name = verbose_name_plural = _("回避申报")
        constraints = [
            unique(
                "officer",
                "target",
                rule="unique_pair",
                message=_("该执法人员对该检查对象已申报回避。"),
            ),
        ]

    def __str__(self) -> str:
        return _("%(officer)s 回避 %(target)s") % {
            "officer": self.officer.name,
            "target": self.target.name,
        }

    def clean(self) -> None:
        super().clean()
        if self.officer_id and self.target_id and self.officer.unit_id != self.target.unit_id:
            raise ValidationError(
                {"target": _("只能对本单位检查对象名录库中的对象申报回避。")},
                code="target_of_other_unit",
            )
