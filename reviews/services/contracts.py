"""Recording a contract's lawyer review, filing and signing, each checked against the rules."""

from __future__ import annotations

import datetime

from django.db import transaction
from django.utils.translation import gettext as _

from registers.core.revisions import lock
from registers.core.services import copy_fields, require_change_permission, save_validated
from reviews.models import GovernmentContract


def _update(contract: GovernmentContract, values: dict, *, by, reason: str) -> GovernmentContract:
    with transaction.atomic():
        locked = lock(contract)
        require_change_permission(by, locked)
        for name, value in values.items():
            setattr(locked, name, value)
        save_validated(locked, by=by, reason=reason)
    copy_fields(locked, contract)
    return contract


def record_lawyer_review(
    contract: GovernmentContract,
    *,
    law_firm: str,
    lawyer: str,
    reviewed_on: datetime.date,
    opinion: str,
    by,
) -> GovernmentContract:
    values = {
        "law_firm": law_firm,
        "lawyer": lawyer,
        "lawyer_reviewed_on": reviewed_on,
        "lawyer_opinion": opinion,
    }
    return _update(contract, values, by=by, reason=_("录入律师审核"))


def record_filing(
    contract: GovernmentContract, *, filed_on: datetime.date, filing_number: str = "", by
) -> GovernmentContract:
    values = {"filed_on": filed_on, "filing_number": filing_number}
    return _update(contract, values, by=by, reason=_("录入备案"))


def record_signing(
    contract: GovernmentContract, *, signed_on: datetime.date, by
) -> GovernmentContract:
    """Record the contract as signed; refused (nothing saved) if a required check is missing."""
    return _update(contract, {"signed_on": signed_on}, by=by, reason=_("登记签订"))
