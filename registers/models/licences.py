"""Business-licence integration (多证合一): reform batches and the items merged into the licence.

A batch ("27证合一") is a district-wide reform decided once, so it is reference data kept by
the office; each integrated certificate or filing item belongs to the department that used
to issue it, whose liaison keeps it up to date.
"""

from __future__ import annotations

from django.db import models
from django.db.models import Count, Q
from django.utils.translation import gettext_lazy as _

from registers.core.constraints import not_before, unique
from registers.core.fields import OwnFields, optional_date, reference, unit_field
from registers.core.models import WorkflowRecord
from registers.core.querysets import WorkflowQuerySet
from registers.core.revisions import RevisionedModel
from registers.core.status import Status


class ReformBatchQuerySet(models.QuerySet):
    def reformed_in(self, year: int):
        return self.filter(reform_on__year=year)

    def first_licence_issued_in(self, year: int):
        return self.filter(first_licence_on__year=year)

    def with_item_count(self):
        """Annotate ``item_count``: the approved items integrated in each batch."""
        return self.annotate(
            item_count=Count("items", filter=Q(items__status=Status.APPROVED), distinct=True)
        )

    def figures_for_year(self, year: int) -> list[dict]:
        """Batches reformed in ``year``: name, reform date, first-licence date, item count.

        One query; the annual report writes one sentence per batch.
        """
        return list(
            self.reformed_in(year)
            .with_item_count()
            .order_by("reform_on", "name")
            .values("pk", "name", "reform_on", "first_licence_on", "item_count")
        )


class LicenceReformBatch(RevisionedModel):
    """A reform batch: which certificates were merged into the business licence, from when."""

    # Reference data: every role reads the batches; the office keeps them.
    reference_data = True

    register_fields = OwnFields()
    export_omits = ("note",)

    name = models.CharField(
        _("批次名称"), max_length=50, unique=True, help_text=_("如“27证合一”。")
    )
    reform_on = models.DateField(_("改革实施日期"))
    basis = models.CharField(
        _("依据文件"), max_length=200, blank=True, help_text=_("上级或本级的改革文件名称及文号。")
    )
    basis_document = reference(
        "registers.Document",
        _("本级文件"),
        optional=True,
        related_name="licence_batches",
        help_text=_("依据文件是区政府或区政府办文件时，关联规范性文件登记中的记录。"),
    )
    first_licence_on = optional_date(_("首张营业执照颁发日期"))
    first_licence_holder = models.CharField(_("首张执照领取企业"), max_length=100, blank=True)
    note = models.TextField(_("备注"), blank=True)

    objects = ReformBatchQuerySet.as_manager()

    class Meta:
        ordering = ["-reform_on", "name"]
        verbose_name = verbose_name_plural = _("多证合一改革批次")
        constraints = [
            not_before(
                "first_licence_on",
                "reform_on",
                rule="first_licence_after_reform",
                message=_("首张执照颁发日期不能早于改革实施日期。"),
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def approved_item_count(self) -> int:
        return self.items.filter(status=Status.APPROVED).count()


class IntegratedItemKind(models.TextChoices):
    CERTIFICATE = "certificate", _("证照")
    FILING = "filing", _("备案")
    REGISTRATION = "registration", _("登记")


class IntegratedItemQuerySet(WorkflowQuerySet):
    def in_batch(self, batch):
        return self.filter(batch=batch)

    def counts_by_department(self) -> list[tuple[str, int]]:
        """(department name, items) pairs, most items first; one query."""
        return list(
            self.order_by()
            .values_list("unit__name")
            .annotate(n=Count("pk"))
            .order_by("-n", "unit__name")
        )


class IntegratedItem(WorkflowRecord):
    """A certificate or filing item of a department merged into the business licence."""

    # An item belongs to the year its reform batch took effect.
    year_field = "batch__reform_on"

    register_fields = OwnFields()

    unit = unit_field(_("原办理部门"), related_name="integrated_items")
    batch = reference(LicenceReformBatch, _("改革批次"), related_name="items")
    name = models.CharField(_("证照或备案事项"), max_length=100)
    kind = models.CharField(
        _("事项类别"),
        max_length=20,
        choices=IntegratedItemKind.choices,
        default=IntegratedItemKind.FILING,
    )
    basis = models.TextField(_("设定依据"), blank=True)

    objects = IntegratedItemQuerySet.as_manager()

    class Meta:
        ordering = ["batch", "unit", "name"]
        verbose_name = _("整合事项")
        verbose_name_plural = _("多证合一整合事项")
        constraints = [
            unique(
                "batch",
                "name",
                rule="unique_name_in_batch",
                message=_("该批次已有同名事项。"),
            ),
        ]

    def __str__(self) -> str:
        return self.name
