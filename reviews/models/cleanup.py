"""Clean-up campaigns (文件清理): every listed document gets an outcome for its kind.

Outcomes are recorded on the campaign's items; confirming the campaign
(``reviews.services.confirm_cleanup``) applies them to the document register in one
transaction and locks the campaign. A year's figures count the items of campaigns confirmed
in that year (the campaign's ``year_field``).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Count, Q
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from registers.core.constraints import not_before, unique
from registers.core.fields import (
    OwnFields,
    optional_date,
    part_of,
    person_field,
    reference,
    unit_field,
)
from registers.core.models import WorkflowRecord
from registers.core.querysets import ScopedQuerySet, WorkflowQuerySet
from registers.core.revisions import RevisionedModel
from registers.core.status import Action, Status
from registers.core.workflow import WorkflowError
from registers.models import Document, DocumentChangeKind, DocumentKind


class CleanupOutcome(models.TextChoices):
    # Normative documents
    CONTINUE = "continue", _("继续有效")
    AMEND = "amend", _("修改")
    REPEAL = "repeal", _("废止")
    EXPIRE = "expire", _("失效")
    # Non-normative documents
    IN_VALIDITY = "in_validity", _("在有效期内")
    PAST_VALIDITY = "past_validity", _("超过有效期")
    TO_REVISE = "to_revise", _("拟修改完善")

    @property
    def document_kind(self) -> DocumentKind:
        if self in _NON_NORMATIVE_OUTCOMES:
            return DocumentKind.NON_NORMATIVE
        return DocumentKind.NORMATIVE

    @classmethod
    def for_kind(cls, kind: DocumentKind) -> list[CleanupOutcome]:
        return [outcome for outcome in cls if outcome.document_kind == kind]

    @property
    def change_kind(self) -> DocumentChangeKind | None:
        """What confirming this outcome records in the register, if anything."""
        return {
            CleanupOutcome.REPEAL: DocumentChangeKind.REPEALED,
            CleanupOutcome.EXPIRE: DocumentChangeKind.EXPIRED,
            CleanupOutcome.AMEND: DocumentChangeKind.AMENDMENT_PLANNED,
            CleanupOutcome.TO_REVISE: DocumentChangeKind.AMENDMENT_PLANNED,
        }.get(self)


_NON_NORMATIVE_OUTCOMES = frozenset(
    {CleanupOutcome.IN_VALIDITY, CleanupOutcome.PAST_VALIDITY, CleanupOutcome.TO_REVISE}
)


class CleanupCampaignQuerySet(WorkflowQuerySet):
    def confirmed(self):
        return self.filter(confirmed_on__isnull=False, status=Status.APPROVED)

    def confirmed_in(self, year: int):
        """Campaigns confirmed in ``year``: the year's campaigns (``in_year``)."""
        return self.confirmed().in_year(year)

    def unconfirmed(self):
        return self.filter(confirmed_on__isnull=True)


class CleanupCampaign(WorkflowRecord):
    """A clean-up campaign over documents of the register."""

    # A campaign's documents count in the year its results were confirmed.
    year_field = "confirmed_on"
    # Confirming the results is the campaign's approval (``after_transition``).
    enters_approved = False

    register_fields = (
        "name",
        "year",
        "basis",
        "started_on",
        "ended_on",
        "result_document",
        "confirmed_on",
    )
    export_omits = ("basis",)

    unit = unit_field(_("组织单位"), related_name="cleanup_campaigns")
    name = models.CharField(_("清理活动名称"), max_length=200, unique=True)
    year = models.PositiveSmallIntegerField(_("年度"))
    basis = models.TextField(
        _("清理依据"),
        help_text=_("如“全省涉及‘放管服’改革及环境保护的法规规章规范性文件清理工作会议精神”。"),
    )
    started_on = models.DateField(_("开始日期"))
    ended_on = optional_date(_("计划完成日期"))
    result_document = reference(
        Document,
        _("清理结果公布文件"),
        optional=True,
        related_name="cleanups_published",
        help_text=_("公布清理结果的文件；确认时作为废止、失效的依据文件。"),
    )
    confirmed_on = optional_date(_("确认日期"), editable=False)
    confirmed_by = person_field(_("确认人"), editable=False)

    objects = CleanupCampaignQuerySet.as_manager()

    class Meta:
        ordering = ["-year", "-started_on"]
        verbose_name = verbose_name_plural = _("文件清理活动")
        constraints = [
            not_before(
                "ended_on",
                "started_on",
                rule="ends_after_start",
                message=_("计划完成日期不能早于开始日期。"),
            ),
            not_before(
                "confirmed_on",
                "started_on",
                rule="confirmed_after_start",
                message=_("确认日期不能早于开始日期。"),
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_confirmed(self) -> bool:
        return self.confirmed_on is not None

    @property
    def is_frozen(self) -> bool:
        """Confirmed outcomes are in the register: the campaign no longer changes."""
        return self.is_confirmed

    def clean(self) -> None:
        super().clean()
        if self.pk and type(self).objects.filter(pk=self.pk, confirmed_on__isnull=False).exists():
            raise ValidationError(_("清理结果已确认，不能再修改。"), code="campaign_confirmed")

    def after_transition(self, action: Action, *, by) -> None:
        # An approved campaign is one whose outcomes are in the register: confirming it
        # (reviews.services.confirm_cleanup) is the only approval.
        if action.to_status == Status.APPROVED and not self.is_confirmed:
            raise WorkflowError(
                gettext("文件清理活动经“确认清理结果”审核通过，确认时清理结论记入文件登记。"),
                code="confirm_to_approve",
            )


class CleanupItemQuerySet(ScopedQuerySet):
    def confirmed_in(self, year: int):
        """Items of the approved campaigns of ``year`` (what the annual report counts): an
        item belongs to its campaign's year (``CleanupCampaign.year_field``)."""
        return self.filter(campaign__in=CleanupCampaign.objects.approved().in_year(year))

    def of_kind(self, kind: DocumentKind):
        return self.filter(document__kind=kind)

    def with_outcome(self, outcome: CleanupOutcome):
        return self.filter(outcome=outcome)

    def tally(self) -> CleanupTally:
        """Items by outcome and by document kind, in one aggregate query."""
        totals = self.aggregate(
            **{
                f"outcome_{outcome.value}": Count("pk", filter=Q(outcome=outcome))
                for outcome in CleanupOutcome
            },
            **{
                f"kind_{kind.value}": Count("pk", filter=Q(document__kind=kind))
                for kind in DocumentKind
            },
        )
        return CleanupTally(
            outcomes={o: totals[f"outcome_{o.value}"] for o in CleanupOutcome},
            kinds={k: totals[f"kind_{k.value}"] for k in DocumentKind},
        )


@dataclass(frozen=True)
class CleanupTally:
    """Documents cleaned, by kind and by outcome."""

    outcomes: dict[CleanupOutcome, int] = field(default_factory=dict)
    kinds: dict[DocumentKind, int] = field(default_factory=dict)

    @property
    def total(self) -> int:
        return sum(self.kinds.values())

    def of_kind(self, kind: DocumentKind) -> int:
        return self.kinds.get(kind, 0)

    def of_outcome(self, outcome: CleanupOutcome) -> int:
        return self.outcomes.get(outcome, 0)

    @property
    def undecided(self) -> int:
        """Items still without an outcome (a confirmed campaign has none)."""
        return self.total - sum(self.outcomes.values())

    def rows(self) -> list[tuple[DocumentKind, int, list[tuple[CleanupOutcome, int]]]]:
        """(kind, count, [(outcome, count)…]) for a summary table."""
        return [
            (
                kind,
                self.of_kind(kind),
                [(outcome, self.of_outcome(outcome)) for outcome in CleanupOutcome.for_kind(kind)],
            )
            for kind in DocumentKind
        ]


class CleanupItem(RevisionedModel):
    """One document in a campaign, with the outcome the review reached."""

    scope_field = "campaign__unit"

    #: Its own fields, besides the campaign it belongs to.
    register_fields = OwnFields()

    campaign = part_of(CleanupCampaign, _("清理活动"), related_name="items")
    document = reference(Document, _("文件"), related_name="cleanup_items")
    outcome = models.CharField(
        _("清理结论"), max_length=20, choices=CleanupOutcome.choices, blank=True
    )
    note = models.CharField(_("说明"), max_length=200, blank=True)

    objects = CleanupItemQuerySet.as_manager()

    class Meta:
        ordering = ["campaign", "-document__kind", "-document__issued_on", "document__number"]
        verbose_name = verbose_name_plural = _("清理文件")
        constraints = [
            unique(
                "campaign",
                "document",
                rule="unique_document",
                message=_("该文件已在本次清理中。"),
            ),
        ]

    def __str__(self) -> str:
        return str(self.document)

    @property
    def status(self) -> str:
        # Items follow their campaign's workflow (liaisons edit only unconfirmed drafts).
        return self.campaign.status

    @property
    def is_frozen(self) -> bool:
        return self.campaign.is_confirmed

    def clean(self) -> None:
        super().clean()
        if self.campaign_id and self.campaign.is_confirmed:
            raise ValidationError(_("清理结果已确认，不能再修改。"), code="campaign_confirmed")
        if self.outcome and self.document_id:
            check_outcome_for_kind(CleanupOutcome(self.outcome), self.document)


def check_outcome_for_kind(outcome: CleanupOutcome, document: Document) -> None:
    """Refuse an outcome that is not in the set for the document's kind."""
    kind = DocumentKind(document.kind)
    if outcome.document_kind != kind:
        allowed = "、".join(str(o.label) for o in CleanupOutcome.for_kind(kind))
        raise ValidationError(
            {
                "outcome": ValidationError(
                    gettext(
                        "“%(outcome)s”不适用于%(kind)s%(document)s；%(kind)s的清理结论只能是：%(allowed)s。"
                    )
                    % {
                        "outcome": outcome.label,
                        "kind": kind.label,
                        "document": document,
                        "allowed": allowed,
                    },
                    code="outcome_not_for_kind",
                )
            }
        )
