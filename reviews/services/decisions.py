"""Recording a decision's legality review and its collective discussion."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from registers.core.revisions import lock
from registers.core.services import copy_fields, require_change_permission, save_validated
from reviews.models import DecisionParticipant, LegalityResult, MajorDecision, MeetingKind, Stance


@dataclass(frozen=True)
class Participant:
    """A meeting member's opinion as entered with the discussion."""

    name: str
    post: str
    stance: Stance = Stance.AGREE
    reason: str = ""


def record_legality_review(
    decision: MajorDecision,
    *,
    sent_on: datetime.date,
    due_on: datetime.date,
    reviewed_on: datetime.date,
    result: LegalityResult,
    opinion: str = "",
    short_review_reason: str = "",
    by,
) -> MajorDecision:
    with transaction.atomic():
        locked = lock(decision)
        require_change_permission(by, locked)
        locked.legality_review_sent_on = sent_on
        locked.legality_review_due_on = due_on
        locked.legality_reviewed_on = reviewed_on
        locked.legality_review_result = LegalityResult(result)
        locked.legality_opinion = opinion
        locked.short_review_reason = short_review_reason
        save_validated(locked, by=by, reason=_("录入合法性审查"))
    copy_fields(locked, decision)
    return decision


def record_collective_discussion(
    decision: MajorDecision,
    *,
    meeting_kind: MeetingKind,
    meeting: str,
    discussed_on: datetime.date,
    decided_by: str,
    participants: Iterable[Participant] = (),
    head_departure_reason: str = "",
    by,
) -> MajorDecision:
    """Record the meeting, who decided and every member's opinion, all or nothing.

    Refused, with nothing saved, when the draft has no passed legality review
    (第二十五条) or a dissent is recorded without its reason (第三十条).
    """
    with transaction.atomic():
        locked = lock(decision)
        require_change_permission(by, locked)
        locked.meeting_kind = MeetingKind(meeting_kind)
        locked.meeting = meeting
        locked.discussed_on = discussed_on
        locked.decided_by = decided_by
        locked.head_departure_reason = head_departure_reason
        locked.full_clean()

        rows = [
            DecisionParticipant(
                decision=locked,
                name=person.name,
                post=person.post,
                stance=Stance(person.stance),
                reason=person.reason,
            )
            for person in participants
        ]
        errors = []
        for row in rows:
            try:
                row.full_clean(exclude=["decision"])
            except ValidationError as error:
                errors.extend(f"{row.name}：{message}" for message in error.messages)
        names = [row.name for row in rows]
        if len(set(names)) != len(names):
            errors.append(_("同一人员只记录一次。"))
        if errors:
            raise ValidationError(errors, code="invalid_participants")

        save_validated(locked, by=by, reason=_("录入集体讨论决定"))
        for row in rows:
            row._history_user = by
            row.save()
    copy_fields(locked, decision)
    return decision
