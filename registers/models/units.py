import datetime

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from registers.core.fields import optional_date
from registers.core.revisions import RevisionedModel


class UnitKind(models.TextChoices):
    GOVERNMENT = "government", _("区人民政府")
    GOVERNMENT_OFFICE = "government_office", _("区政府办公室")
    DEPARTMENT = "department", _("区直部门")
    TOWNSHIP = "township", _("乡镇（街道）")
    VERTICAL = "vertical", _("垂直管理单位")


class UnitQuerySet(models.QuerySet):
    def active(self):
        return self.filter(closed_on__isnull=True)

    def open_on(self, day: datetime.date):
        """Units that existed and were not yet closed on ``day``."""
        return self.filter(Q(closed_on__isnull=True) | Q(closed_on__gt=day))

    def enforcement_bodies(self):
        return self.filter(is_enforcement_body=True)

    def townships(self):
        return self.filter(kind=UnitKind.TOWNSHIP)

    def district_level(self):
        """区直: departments and vertically managed units reporting to the district."""
        return self.filter(kind__in=[UnitKind.DEPARTMENT, UnitKind.VERTICAL])


class Unit(RevisionedModel):
    """A unit (单位) of the district: department, township, vertical unit or the government."""

    # Reference data: every role reads the units; the office keeps them.
    reference_data = True

    register_fields = ("code", "name", "short_name", "kind", "is_enforcement_body", "closed_on")

    name = models.CharField(_("名称"), max_length=100, unique=True)
    short_name = models.CharField(_("简称"), max_length=30)
    kind = models.CharField(_("类别"), max_length=20, choices=UnitKind.choices)
    code = models.CharField(
        _("单位代码"),
        max_length=20,
        unique=True,
        help_text=_("本系统内的单位编码，如 D07、T03。"),
    )
    is_enforcement_body = models.BooleanField(_("行政执法主体"), default=False)
    closed_on = optional_date(
        _("撤销日期"), help_text=_("机构改革撤并后填写；已撤销单位的历史记录继续保留。")
    )

    updated_at = models.DateTimeField(_("更新时间"), auto_now=True, db_index=True)

    objects = UnitQuerySet.as_manager()

    class Meta:
        ordering = ["kind", "code"]
        verbose_name = verbose_name_plural = _("单位")

    def __str__(self) -> str:
        return self.name

    @property
    def is_active(self) -> bool:
        return self.closed_on is None
