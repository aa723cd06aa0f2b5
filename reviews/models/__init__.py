from .cleanup import CleanupCampaign, CleanupItem, CleanupOutcome, CleanupTally
from .legality import (
    CommentDraftReply,
    DraftKind,
    Filing,
    FilingAuthority,
    FilingTimeliness,
    LegalityReview,
    ReviewKind,
    ReviewResult,
)

__all__ = [
    "CleanupCampaign",
    "CleanupItem",
    "CleanupOutcome",
    "CleanupTally",
    "CommentDraftReply",
    "DraftKind",
    "Filing",
    "FilingAuthority",
    "LegalityReview",
    "ReviewKind",
    "ReviewResult",
    "FilingTimeliness",
]
