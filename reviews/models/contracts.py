"""Government-investment contracts (政府合同) and their lawyer review and filing.

Xian'an's 2017 rule (《咸安区政府投资项目合同管理办法》): every project contract of 2,000,000
yuan or more is reviewed by an engaged lawyer, and every contract of 20,000 yuan or more is
filed (备案). Both amounts are local configuration (``settings.LAWGOV``), read when a rule is
applied, so a new rule applies from the moment the setting changes.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Count, Q
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from registers.core.constraints import check, unique
from registers.core.fields import OwnFields, optional_date
from registers.core.identifiers import IdentifierField
from registers.core.models import WorkflowRecord
from registers.core.querysets import WorkflowQuerySet, within_year

from .validation import Errors

LAWYER_REVIEW_FIELDS = ("law_firm", "lawyer", "lawyer_reviewed_on", "lawyer_opinion")


def lawyer_review_threshold() -> Decimal:
    """Contracts of this amount (yuan) or more need a lawyer's review before signing."""
    return Decimal(settings.LAWGOV["CONTRACT_LAWYER_REVIEW_THRESHOLD"])


def filing_threshold() -> Decimal:
    """Contracts of this amount (yuan) or more must be filed (备案) before signing."""
    return Decimal(settings.LAWGOV["CONTRACT_FILING_THRESHOLD"])


def format_yuan(amount: Decimal) -> str:
    return f"{amount:,.2f}"


@dataclass(frozen=True)
class ContractFigures:
    """What the annual report says about contracts in ``year`` (approved records only).

    ``signed``: contracts signed in the year; ``signed_needing_lawyer_review``: of these, the
    ones at or above the lawyer threshold; ``lawyer_reviewed``: contracts at or above the
    threshold whose lawyer review is dated in the year (2017: 40); ``filed``: contracts at or
    above the filing threshold filed in the year; ``missing_*``: contracts signed in the year
    that lack a required review or filing (legacy or imported records only: the rules refuse
    new ones).
    """

    year: int
    lawyer_review_threshold: Decimal
    filing_threshold: Decimal
    signed: int
    signed_needing_lawyer_review: int
    lawyer_reviewed: int
    filed: int
    missing_lawyer_review: int
    missing_filing: int


# Named exceptions to the contract's year (``signed_on``): the report's sentences about lawyer
# reviews (2017: 40) and filings count them by their own dates.


def _lawyer_reviewed_in(year: int) -> Q:
    return within_year("lawyer_reviewed_on", year)


def _filed_in(year: int) -> Q:
    return within_year("filed_on", year)


class ContractQuerySet(WorkflowQuerySet):
    def signed_in(self, year: int):
        """Contracts signed in ``year``: the year's contracts (``in_year``)."""
        return self.in_year(year)

    def signed(self):
        return self.filter(signed_on__isnull=False)

    def needing_lawyer_review(self):
        """At or above the lawyer-review threshold."""
        return self.filter(amount__gte=lawyer_review_threshold())

    def needing_filing(self):
        """At or above the filing threshold."""
        return self.filter(amount__gte=filing_threshold())

    def lawyer_reviewed(self):
        return self.filter(lawyer_reviewed_on__isnull=False)

    def lawyer_reviewed_in(self, year: int):
        return self.filter(_lawyer_reviewed_in(year))

    def filed(self):
        return self.filter(filed_on__isnull=False)

    def filed_in(self, year: int):
        return self.filter(_filed_in(year))

    def missing_lawyer_review(self):
        """At or above the lawyer threshold and not (yet) reviewed by a lawyer."""
        return self.needing_lawyer_review().filter(lawyer_reviewed_on__isnull=True)

    def missing_filing(self):
        """At or above the filing threshold and not (yet) filed."""
        return self.needing_filing().filter(filed_on__isnull=True)

    def missing_required_checks(self):
        """Contracts that still lack a required lawyer review or filing."""
        return self.filter(
            Q(amount__gte=lawyer_review_threshold(), lawyer_reviewed_on__isnull=True)
            | Q(amount__gte=filing_threshold(), filed_on__isnull=True)
        )

    def figures(self, year: int) -> ContractFigures:
        """The year's contract figures, counted over approved records only (one query)."""
        lawyer, filing = lawyer_review_threshold(), filing_threshold()
        signed = self.year_condition(year)
        counts = self.approved().aggregate(
            signed=Count("pk", filter=signed),
            signed_needing_lawyer_review=Count("pk", filter=signed & Q(amount__gte=lawyer)),
            lawyer_reviewed=Count("pk", filter=Q(amount__gte=lawyer) & _lawyer_reviewed_in(year)),
            filed=Count("pk", filter=Q(amount__gte=filing) & _filed_in(year)),
            missing_lawyer_review=Count(
                "pk", filter=signed & Q(amount__gte=lawyer, lawyer_reviewed_on__isnull=True)
            ),
            missing_filing=Count(
                "pk", filter=signed & Q(amount__gte=filing, filed_on__isnull=True)
            ),
        )
        return ContractFigures(
            year=year, lawyer_review_threshold=lawyer, filing_threshold=filing, **counts
        )


class GovernmentContract(WorkflowRecord):
    """A contract of a government-investment project, entered by the contracting unit."""

    # Lawyer reviews and filings count by their own dates (``lawyer_reviewed_in``, ``filed_in``).
    year_field = "signed_on"

    register_fields = OwnFields()
    export_omits = ("lawyer", "lawyer_opinion", "note")

    title = models.CharField(_("合同名称"), max_length=200)
    number = IdentifierField(
        _("合同编号"), max_length=60, blank=True, help_text=_("同一单位内不得重复。")
    )
    project = models.CharField(_("项目名称"), max_length=200)
    counterparty = models.CharField(_("合同相对方"), max_length=200)
    amount = models.DecimalField(
        _("合同金额（元）"),
        max_digits=15,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0.01"), message=_("合同金额必须大于零。"))],
    )
    signed_on = optional_date(
        _("签订日期"),
        help_text=_("尚未签订的留空；达到标准的合同须先完成律师审核和备案才能登记签订。"),
    )
    law_firm = models.CharField(_("审核律师事务所"), max_length=100, blank=True)
    lawyer = models.CharField(_("审核律师"), max_length=100, blank=True)
    lawyer_reviewed_on = optional_date(_("律师审核日期"))
    lawyer_opinion = models.TextField(_("律师审核意见"), blank=True)
    filed_on = optional_date(_("备案日期"))
    filing_number = IdentifierField(_("备案编号"), max_length=60, blank=True)
    note = models.TextField(_("备注"), blank=True)

    objects = ContractQuerySet.as_manager()

    class Meta:
        ordering = ["-signed_on", "unit", "title"]
        verbose_name = verbose_name_plural = _("政府合同")
        # The lists' default order starts with the signing date: read from the index, only
        # the contracts of the first dates are sorted by unit and title for a page.
        indexes = [models.Index(fields=["-signed_on"], name="reviews_contract_listing")]
        constraints = [
            check(
                Q(amount__gt=0),
                rule="amount_positive",
                message=_("合同金额必须大于零。"),
                code="amount_not_positive",
            ),
            unique(
                "unit",
                "number",
                rule="unique_number",
                message=_("本单位已有相同编号的合同。"),
                code="duplicate_contract_number",
                condition=~Q(number=""),
            ),
            check(
                Q(lawyer_reviewed_on__isnull=True)
                | (~Q(law_firm="") & ~Q(lawyer="") & ~Q(lawyer_opinion="")),
                rule="lawyer_review_complete",
                message=_("律师审核须写明律师事务所、律师和审核意见。"),
                code="lawyer_review_incomplete",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def needs_lawyer_review(self) -> bool:
        return self.amount is not None and self.amount >= lawyer_review_threshold()

    @property
    def needs_filing(self) -> bool:
        return self.amount is not None and self.amount >= filing_threshold()

    @property
    def is_lawyer_reviewed(self) -> bool:
        return self.lawyer_reviewed_on is not None

    @property
    def is_filed(self) -> bool:
        return self.filed_on is not None

    @property
    def is_signed(self) -> bool:
        return self.signed_on is not None

    def missing_checks(self) -> list[str]:
        """The required checks this contract still lacks, as short Chinese labels."""
        missing = []
        if self.needs_lawyer_review and not self.is_lawyer_reviewed:
            missing.append(gettext("律师审核"))
        if self.needs_filing and not self.is_filed:
            missing.append(gettext("备案"))
        return missing

    def clean(self) -> None:
        super().clean()
        errors = Errors()
        add = errors.add

        filled = [name for name in LAWYER_REVIEW_FIELDS if getattr(self, name) not in (None, "")]
        if filled and len(filled) < len(LAWYER_REVIEW_FIELDS):
            for name in LAWYER_REVIEW_FIELDS:
                if name not in filled:
                    add(
                        name,
                        gettext("律师审核须同时填写律师事务所、律师、审核日期和审核意见。"),
                        "lawyer_review_incomplete",
                    )
        if self.signed_on and self.lawyer_reviewed_on and self.lawyer_reviewed_on > self.signed_on:
            add(
                "lawyer_reviewed_on",
                gettext("律师审核应在合同签订之前完成：审核日期晚于签订日期。"),
                "lawyer_review_after_signing",
            )
        if self.signed_on and self.amount is not None and self.amount > 0:
            values = {"amount": format_yuan(self.amount)}
            if self.needs_lawyer_review and not self.is_lawyer_reviewed:
                values["threshold"] = format_yuan(lawyer_review_threshold())
                add(
                    "signed_on",
                    gettext(
                        "合同金额 %(amount)s 元，达到律师审核标准（%(threshold)s 元及以上），"
                        "须先录入律师审核意见，才能登记为已签订。"
                    )
                    % values,
                    "lawyer_review_required",
                )
            if self.needs_filing and not self.is_filed:
                values["threshold"] = format_yuan(filing_threshold())
                add(
                    "signed_on",
                    gettext(
                        "合同金额 %(amount)s 元，达到备案标准（%(threshold)s 元及以上），"
                        "须先录入备案日期，才能登记为已签订。"
                    )
                    % values,
                    "filing_required",
                )
        errors.raise_if_any()
