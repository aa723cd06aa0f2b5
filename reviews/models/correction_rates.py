"""The office's definition of the reconsideration correction rates, per report year.

Places count corrections differently: which decisions are a direct correction, whether a
case the applicant withdrew after the respondent corrected its act counts as a correction in
the comprehensive rate, and whether the rates divide by the year's concluded or accepted
cases. The office sets all three for each report year; a year without a setting counts by
``default_correction_definition()`` (the default outcomes, the configured base). The report's
note on each rate states the definition and the base it counted with.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from registers.core.revisions import RevisionedModel

from .reconsideration import (
    DEFAULT_CORRECTION_DEFINITION,
    CorrectionDefinition,
    CorrectionRateDenominator,
    ReconsiderationOutcome,
    default_correction_definition,
)


def _default_direct() -> list[str]:
    return [o.value for o in ReconsiderationOutcome if o in DEFAULT_CORRECTION_DEFINITION.direct]


def _default_denominator() -> str:
    # A new year's setting starts from the base the installation is configured with.
    return CorrectionRateDenominator.configured().value


class CorrectionRateDefinition(RevisionedModel):
    """How one report year counts the correction rates. Kept by the office."""

    # Every role reads how the report counted; only the office keeps it.
    reference_data = True

    year = models.PositiveIntegerField(_("报告年度"), unique=True)
    direct_outcomes = models.JSONField(
        _("计为直接纠错的审结结果"),
        default=_default_direct,
        help_text=_("勾选的审结结果计入直接纠错率和综合纠错率。"),
    )
    counts_corrected_withdrawals = models.BooleanField(
        _("综合纠错率计入被申请人自行纠正后撤回的案件"),
        default=DEFAULT_CORRECTION_DEFINITION.counts_corrected_withdrawals,
        help_text=_("勾选：被申请人自行纠正、申请人撤回申请而终止的案件计为纠错。"),
    )
    denominator = models.CharField(
        _("纠错率的分母"),
        max_length=16,
        choices=CorrectionRateDenominator.choices,
        default=_default_denominator,
        help_text=_("直接纠错率、综合纠错率和调解和解率除以本年度的审结案件数或受理案件数。"),
    )
    note = models.CharField(_("说明"), max_length=200, blank=True)

    class Meta:
        ordering = ["-year"]
        verbose_name = verbose_name_plural = _("复议纠错率口径")

    def __str__(self) -> str:
        return _("%(year)s年度复议纠错率口径") % {"year": self.year}

    def clean(self) -> None:
        super().clean()
        values = self.direct_outcomes
        if not isinstance(values, list) or not values:
            raise ValidationError(
                {"direct_outcomes": _("请至少选择一种计为直接纠错的审结结果。")},
                code="no_direct_outcome",
            )
        unknown = [value for value in values if value not in ReconsiderationOutcome.values]
        if unknown:
            raise ValidationError(
                {
                    "direct_outcomes": _("未知的审结结果：%(values)s。")
                    % {"values": "、".join(map(str, unknown))}
                },
                code="unknown_outcome",
            )

    @property
    def definition(self) -> CorrectionDefinition:
        return CorrectionDefinition(
            direct=frozenset(ReconsiderationOutcome(value) for value in self.direct_outcomes),
            counts_corrected_withdrawals=self.counts_corrected_withdrawals,
            denominator=CorrectionRateDenominator(self.denominator),
        )

    @classmethod
    def for_year(cls, year: int) -> CorrectionDefinition:
        """The definition the office set for ``year``, else the default one."""
        setting = cls.objects.filter(year=year).first()
        return setting.definition if setting is not None else default_correction_definition()
