"""Scoring an evaluated file and recording the rectification of its problems."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from decimal import Decimal

from django.db import transaction
from django.utils.translation import gettext as _

from registers.core.revisions import lock
from registers.core.services import (
    copy_fields,
    require_change_permission,
    require_office,
    save_validated,
)
from reviews.models import EvaluatedFile, EvaluationProblem, FileVeto, VetoItem


def score_file(
    file: EvaluatedFile,
    *,
    form_score: Decimal | None,
    content_score: Decimal | None,
    vetoes: Iterable[VetoItem | tuple[VetoItem, str]] = (),
    evaluated_on: datetime.date,
    by,
) -> EvaluatedFile:
    """Enter the score sheet: both scores and the veto items found, replacing earlier ones.

    Only the office scores files; a liaison's unit is the one being evaluated.
    """
    found = {}
    for entry in vetoes:
        item, note = entry if isinstance(entry, tuple) else (entry, "")
        found[VetoItem(item)] = note
    with transaction.atomic():
        require_office(by)
        locked = lock(file)
        locked.form_score = form_score
        locked.content_score = content_score
        locked.evaluated_on = evaluated_on
        rows = [FileVeto(file=locked, item=item, note=note) for item, note in found.items()]
        for row in rows:
            row.full_clean(exclude=["file"], validate_unique=False)
        save_validated(locked, by=by, reason=_("录入评查得分"))
        for stale in locked.vetoes.exclude(item__in=list(found)):
            stale._history_user = by
            stale.delete()
        for row in rows:
            veto = FileVeto.objects.filter(file=locked, item=row.item).first() or row
            veto.note = row.note
            veto._history_user = by
            veto.save()
    copy_fields(locked, file)
    return file


def record_rectification(
    problem: EvaluationProblem, *, rectified_on: datetime.date, rectification: str, by
) -> EvaluationProblem:
    """Record a problem as rectified; allowed to whoever may change its file."""
    with transaction.atomic():
        locked = lock(problem)
        require_change_permission(by, locked.file)
        locked.rectified_on = rectified_on
        locked.rectification = rectification
        save_validated(locked, by=by, reason=_("录入整改情况"))
    copy_fields(locked, problem)
    return problem
