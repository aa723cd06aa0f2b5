"""Small factory helpers with keyword overrides."""

from __future__ import annotations

import datetime
import itertools

from registers.models import (
    Document,
    DocumentKind,
    IntegratedItem,
    LicenceReformBatch,
    Role,
    Status,
    Unit,
    UnitKind,
    User,
)
from reviews.models import (
    CleanupCampaign,
    CleanupItem,
    CommentDraftReply,
    DraftKind,
    Filing,
    LegalityReview,
    ReviewKind,
    ReviewResult,
)

_sequence = itertools.count(1)


def make_unit(**overrides) -> Unit:
    n = next(_sequence)
    values = {
        "name": f"测试单位{n}",
        "short_name": f"单位{n}",
        "kind": UnitKind.DEPARTMENT,
        "code": f"X{n:04d}",
        "is_enforcement_body": True,
    }
    values.update(overrides)
    return Unit.objects.create(**values)


def make_user(role: Role = Role.OFFICE, unit: Unit | None = None, **overrides) -> User:
    n = next(_sequence)
    if role == Role.LIAISON and unit is None:
        unit = make_unit()
    values = {"username": f"user{n}", "role": role, "unit": unit}
    values.update(overrides)
    user = User(**values)
    user.set_password("pw")
    user.save()
    return user


# --- Documents, licences, reviews ------------------------------------------------------------


def make_document(unit: Unit | None = None, **overrides) -> Document:
    n = next(_sequence)
    issued_on = overrides.pop("issued_on", datetime.date(2017, 3, 20))
    values = {
        "unit": unit or make_unit(),
        "title": f"测试管理办法{n}",
        "number": f"测试政规〔{issued_on.year}〕{n}号",
        "kind": DocumentKind.NORMATIVE,
        "issued_on": issued_on,
        "status": Status.APPROVED,
    }
    values.update(overrides)
    return Document.objects.create(**values)


def make_batch(**overrides) -> LicenceReformBatch:
    n = next(_sequence)
    values = {
        "name": f"{n}证合一",
        "reform_on": datetime.date(2017, 8, 1),
        "first_licence_on": datetime.date(2017, 8, 1),
    }
    values.update(overrides)
    return LicenceReformBatch.objects.create(**values)


def make_integrated_item(unit: Unit | None = None, **overrides) -> IntegratedItem:
    n = next(_sequence)
    values = {
        "unit": unit or make_unit(),
        "name": f"测试备案事项{n}",
        "status": Status.APPROVED,
    }
    values.update(overrides)
    if "batch" not in values:
        values["batch"] = make_batch()
    return IntegratedItem.objects.create(**values)


def make_legality_review(unit: Unit | None = None, **overrides) -> LegalityReview:
    n = next(_sequence)
    values = {
        "unit": unit or make_unit(),
        "title": f"测试文件{n}（送审稿）",
        "kind": ReviewKind.OTHER,
        "received_on": datetime.date(2017, 5, 2),
        "completed_on": datetime.date(2017, 5, 9),
        "result": ReviewResult.AGREED,
        "status": Status.APPROVED,
    }
    values.update(overrides)
    return LegalityReview.objects.create(**values)


def make_comment_draft_reply(unit: Unit | None = None, **overrides) -> CommentDraftReply:
    n = next(_sequence)
    values = {
        "unit": unit or make_unit(),
        "title": f"测试条例{n}（征求意见稿）",
        "kind": DraftKind.LOCAL_REGULATION,
        "requested_by": "咸宁市人大常委会法制工作委员会",
        "received_on": datetime.date(2017, 5, 2),
        "replied_on": datetime.date(2017, 5, 12),
        "reply": "无意见。",
        "status": Status.APPROVED,
    }
    values.update(overrides)
    return CommentDraftReply.objects.create(**values)


def make_filing(document: Document | None = None, **overrides) -> Filing:
    document = document or make_document()
    values = {"document": document, "unit": document.unit, "status": Status.APPROVED}
    values.update(overrides)
    return Filing.objects.create(**values)


def make_campaign(unit: Unit | None = None, **overrides) -> CleanupCampaign:
    n = next(_sequence)
    values = {
        "unit": unit or make_unit(),
        "name": f"测试清理{n}",
        "year": 2017,
        "basis": "放管服改革",
        "started_on": datetime.date(2017, 9, 1),
    }
    values.update(overrides)
    return CleanupCampaign.objects.create(**values)


def make_cleanup_item(
    campaign: CleanupCampaign | None = None, document: Document | None = None, **overrides
) -> CleanupItem:
    values = {
        "campaign": campaign or make_campaign(),
        "document": document or make_document(),
    }
    values.update(overrides)
    return CleanupItem.objects.create(**values)
