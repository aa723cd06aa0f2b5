"""The states of the review workflow and the actions that move a record between them.

draft → submitted → approved, or submitted → returned (with the reviewer's comment) →
submitted again. The office, being the reviewer, may also approve what no unit submitted to
it: a record it enters itself, a version its adjustment of a power list creates, a clean-up
whose results it confirms (draft or returned → approved). An approved record found wrong is
reopened by the office with a reason (approved → returned): the unit corrects it and submits
it again, and until it is approved again it counts in no report figure. The transitions
themselves are ``workflow``; who may apply them is ``permissions``.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Status(models.TextChoices):
    DRAFT = "draft", _("草稿")
    SUBMITTED = "submitted", _("已报送")
    RETURNED = "returned", _("已退回")
    APPROVED = "approved", _("已审核")

    @property
    def editable_by_liaison(self) -> bool:
        return self in {Status.DRAFT, Status.RETURNED}

    @property
    def standing(self) -> str:
        """The status as a saved record's owner needs to hear it: whether the office has it."""
        return {
            Status.DRAFT: _("草稿（尚未报送）"),
            Status.SUBMITTED: _("已报送（等待法制办审核）"),
            Status.RETURNED: _("已退回（尚未报送）"),
            Status.APPROVED: _("已审核"),
        }[self]


class Action(models.TextChoices):
    SUBMIT = "submit", _("报送审核")
    APPROVE = "approve", _("审核通过")
    RETURN = "return", _("退回修改")
    APPROVE_DIRECTLY = "approve_directly", _("直接审核通过")
    REOPEN = "reopen", _("重新打开更正")

    @property
    def is_review_step(self) -> bool:
        """Offered on the review pages. Approving directly is not: the services that enter
        or confirm a record on the office's authority perform it."""
        return self != Action.APPROVE_DIRECTLY

    @property
    def from_statuses(self) -> frozenset[Status]:
        return {
            Action.SUBMIT: frozenset({Status.DRAFT, Status.RETURNED}),
            Action.APPROVE: frozenset({Status.SUBMITTED}),
            Action.RETURN: frozenset({Status.SUBMITTED}),
            Action.APPROVE_DIRECTLY: frozenset({Status.DRAFT, Status.RETURNED}),
            Action.REOPEN: frozenset({Status.APPROVED}),
        }[self]

    @property
    def to_status(self) -> Status:
        return {
            Action.SUBMIT: Status.SUBMITTED,
            Action.APPROVE: Status.APPROVED,
            Action.RETURN: Status.RETURNED,
            Action.APPROVE_DIRECTLY: Status.APPROVED,
            Action.REOPEN: Status.RETURNED,
        }[self]

    @property
    def needs_comment(self) -> bool:
        """Returning needs the reviewer's comment, reopening the reason for the correction:
        the unit reads either before changing the record."""
        return self in {Action.RETURN, Action.REOPEN}
