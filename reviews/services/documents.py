"""Workflows of the reviews app that touch several models, each all-or-nothing."""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from registers.core import workflow
from registers.core.permissions import can_act, can_change, is_office
from registers.core.revisions import lock
from registers.core.status import Action
from registers.core.workflow import approval_of
from registers.models import Document, DocumentChange, DocumentChangeKind, DocumentStatus
from reviews.models import (
    CleanupCampaign,
    CleanupItem,
    CleanupOutcome,
    Filing,
    FilingAuthority,
    LegalityReview,
)
from reviews.models.cleanup import check_outcome_for_kind

# --- Clean-up campaigns ----------------------------------------------------------------------


def _refuse_if_confirmed(campaign: CleanupCampaign) -> None:
    if campaign.is_confirmed:
        raise ValidationError(
            _("清理结果已于 %(day)s 确认，不能再修改。") % {"day": campaign.confirmed_on},
            code="campaign_confirmed",
        )


def add_documents_to_cleanup(campaign: CleanupCampaign, documents, *, by) -> int:
    """Add ``documents`` not yet in ``campaign``; return how many were added."""
    with transaction.atomic():
        campaign = CleanupCampaign.objects.select_for_update().get(pk=campaign.pk)
        _refuse_if_confirmed(campaign)
        if not can_change(by, campaign):
            raise ValidationError(_("无权修改该清理活动。"), code="not_allowed")
        present = set(campaign.items.values_list("document_id", flat=True))
        new = [
            CleanupItem(campaign=campaign, document_id=pk)
            for pk in documents.values_list("pk", flat=True)
            if pk not in present
        ]
        bulk_create_with_history(new, CleanupItem, default_user=by)
    return len(new)


def set_cleanup_outcome(items, outcome: CleanupOutcome, *, by) -> int:
    """Give every item of ``items`` the same ``outcome``; all of them or none.

    Refused, with every reason, when an item's campaign is confirmed, the user may not
    change it, or the outcome is not in the set for its document's kind.
    """
    outcome = CleanupOutcome(outcome)
    with transaction.atomic():
        locked = list(
            CleanupItem.objects.filter(pk__in=items.values("pk"))
            .select_related("campaign", "document")
            .select_for_update(of=("self",))
        )
        problems = []
        for item in locked:
            if item.campaign.is_confirmed:
                problems.append(_("%(item)s：清理结果已确认。") % {"item": item})
            elif not can_change(by, item):
                problems.append(_("%(item)s：无权修改。") % {"item": item})
            else:
                try:
                    check_outcome_for_kind(outcome, item.document)
                except ValidationError as error:
                    problems.extend(error.messages)
        if problems:
            raise ValidationError(problems, code="outcome_refused")
        for item in locked:
            item.outcome = outcome
        bulk_update_with_history(locked, CleanupItem, ["outcome"], default_user=by)
    return len(locked)


def cleanup_problems(campaign: CleanupCampaign, on: datetime.date) -> list[str]:
    """Every reason the campaign cannot be confirmed on ``on``; empty when it can.

    Besides a missing or wrong-kind outcome, the outcome must agree with the register on
    ``on``: a repealed document cannot be cleaned again, "continues"/"in validity" needs a
    document that has not expired, and "past validity" one whose validity has ended.
    """
    problems = []
    items = campaign.items.select_related("document").prefetch_related("document__changes")
    for item in items:
        document = item.document
        if not item.outcome:
            problems.append(_("%(document)s：尚未填写清理结论。") % {"document": document})
            continue
        outcome = CleanupOutcome(item.outcome)
        try:
            check_outcome_for_kind(outcome, document)
        except ValidationError as error:
            problems.extend(error.messages)
            continue
        status = document.status_on(on)
        values = {"document": document, "until": document.valid_until, "day": on}
        if status is None:
            problems.append(_("%(document)s：%(day)s 时尚未印发。") % values)
        elif status == DocumentStatus.REPEALED:
            problems.append(_("%(document)s：已经废止，不能再作清理结论。") % values)
        elif (
            outcome
            in (
                CleanupOutcome.CONTINUE,
                CleanupOutcome.IN_VALIDITY,
                CleanupOutcome.AMEND,
            )
            and status == DocumentStatus.EXPIRED
        ):
            problems.append(
                _("%(document)s：有效期至 %(until)s，已失效，不能认定为“%(outcome)s”。")
                % {**values, "outcome": outcome.label}
            )
        elif outcome == CleanupOutcome.PAST_VALIDITY and document.valid_until >= on:
            problems.append(_("%(document)s：有效期至 %(until)s，尚未超过有效期。") % values)
        elif outcome == CleanupOutcome.EXPIRE and any(
            change.kind == DocumentChangeKind.EXPIRED for change in document.changes.all()
        ):
            problems.append(_("%(document)s：已宣布失效。") % values)
    return problems


def _apply_outcome(item: CleanupItem, campaign: CleanupCampaign, on: datetime.date, by) -> None:
    change_kind = CleanupOutcome(item.outcome).change_kind
    if change_kind is None:
        return
    change = DocumentChange(
        document=item.document,
        kind=change_kind,
        changed_on=on,
        by_document=campaign.result_document,
        basis=campaign.name,
    )
    # cleanup_problems() has checked the outcome against the register; the database
    # constraints (one repeal, one declared expiry) still guard, and any failure rolls back.
    change.clean()
    change._history_user = by
    change.save()


def confirm_cleanup(
    campaign: CleanupCampaign, *, by, on: datetime.date | None = None
) -> CleanupCampaign:
    """Apply every outcome of ``campaign`` to the register on ``on`` and lock the campaign.

    Office staff only. Confirming is the campaign's approval: a submitted campaign is
    approved, the office's own draft approved directly, each a workflow transition with one
    history row ("确认清理结果") and one ``transitioned``: the campaign is the record, its
    hundreds of documents are not, so its creator and submitter hear of it once. Repealed
    documents become 废止 and declared-expired ones 失效 from ``on``; 修改 and 拟修改完善 mark
    documents for amendment. One transaction: if anything fails, no document and not the
    campaign is changed.
    """
    if not is_office(by):
        raise ValidationError(_("只有法制办工作人员可以确认清理结果。"), code="office_only")
    on = on or timezone.localdate()
    with transaction.atomic():
        campaign = lock(campaign)
        _refuse_if_confirmed(campaign)
        approval = None if campaign.is_approved else approval_of(campaign)
        if approval is not None:
            workflow.require(campaign, approval, by=by)
        if on < campaign.started_on:
            raise ValidationError(
                _("确认日期不能早于清理开始日期。"), code="confirmed_before_start"
            )
        if not campaign.items.exists():
            raise ValidationError(_("清理活动还没有文件。"), code="campaign_empty")
        problems = cleanup_problems(campaign, on)
        if problems:
            raise ValidationError(problems, code="cleanup_problems")
        for item in campaign.items.select_related("document").order_by("pk"):
            _apply_outcome(item, campaign, on, by)

        confirmation = {"confirmed_on": on, "confirmed_by": by}
        if approval is None:
            # Entered directly as approved: no status to change, only the confirmation.
            for name, value in confirmation.items():
                setattr(campaign, name, value)
            campaign._history_user = by
            campaign._change_reason = _("确认清理结果")
            campaign.save(update_fields=[*confirmation, "updated_at"])
        else:
            workflow.transition(
                campaign, approval, by=by, reason=_("确认清理结果"), values=confirmation
            )
    return campaign


# --- Legality reviews and filings ------------------------------------------------------------


def open_filing(
    document: Document,
    *,
    by,
    filed_with: FilingAuthority = FilingAuthority.MUNICIPAL_GOVERNMENT,
) -> Filing:
    """The filing obligation of an issued normative document, created if missing."""
    filing = Filing.objects.filter(document=document, filed_with=filed_with).first()
    if filing is not None:
        return filing
    filing = Filing(document=document, filed_with=filed_with, unit=document.unit)
    filing.full_clean()
    # The office's obligation stands as it opens it; a liaison's waits for review.
    approved = can_act(by, filing, Action.APPROVE_DIRECTLY)
    return workflow.create(filing, by=by, approved=approved, reason=_("登记报备义务"))


def record_issued_document(review: LegalityReview, document: Document, *, by) -> LegalityReview:
    """Link a reviewed draft to the document issued from it; a normative one must be filed."""
    with transaction.atomic():
        review.resulting_document = document
        review.full_clean()
        review._history_user = by
        review.save()
        if document.is_normative:
            open_filing(document, by=by)
    return review
