"""API test fixtures: a client per role, and one sample record per resource for any unit."""

import datetime

import pytest
from rest_framework.test import APIClient

from registers.core.status import Status
from reviews.models import AcceptanceDecision
from tests import factories as f
from xianan_lawgov.api import router

ROLES = ["anonymous", "liaison", "liaison2", "leader", "office", "municipal"]


def client_for(user) -> APIClient:
    """People use their browser session; the municipal system its token."""
    client = APIClient()
    if user is None:
        return client
    if user.role == "api_client":
        client.credentials(HTTP_AUTHORIZATION=f"Token {f.make_token(user)}")
    else:
        client.force_login(user)
    return client


@pytest.fixture
def clients(users):
    return {"anonymous": client_for(None), **{name: client_for(u) for name, u in users.items()}}


def _decision(unit):
    return f.make_decision(unit)


def _accepted_case(unit):
    return f.make_reconsideration(
        unit,
        acceptance=AcceptanceDecision.ACCEPTED,
        acceptance_on=datetime.date(2017, 3, 8),
    )


#: A draft (or plain) record of each resource owned by ``unit``; reference data ignores it.
SAMPLES = {
    "units": lambda unit, user: f.make_unit(),
    "power-items": lambda unit, user: f.make_power_item(unit, status=Status.DRAFT),
    "power-adjustments": lambda unit, user: f.make_power_item(unit).adjustments.get(),
    "inspection-items": lambda unit, user: f.make_item(unit, status=Status.DRAFT),
    "check-points": lambda unit, user: f.make_check_point(f.make_item(unit, status=Status.DRAFT)),
    "inspection-targets": lambda unit, user: f.make_target(unit),
    "inspection-draws": lambda unit, user: f.make_draw_record(unit, drawn_by=user),
    "enforcement-bodies": lambda unit, user: f.make_body(
        unit, status=Status.DRAFT, name=f"执法主体{next(f._sequence)}"
    ),
    "officers": lambda unit, user: f.make_officer(unit, status=Status.DRAFT),
    "conflicts": lambda unit, user: f.make_conflict(f.make_officer(unit), f.make_target(unit)),
    "documents": lambda unit, user: f.make_document(unit, status=Status.DRAFT),
    "licence-batches": lambda unit, user: f.make_batch(),
    "integrated-items": lambda unit, user: f.make_integrated_item(unit, status=Status.DRAFT),
    "legality-reviews": lambda unit, user: f.make_legality_review(
        unit, status=Status.DRAFT, completed_on=None, result=""
    ),
    "comment-draft-replies": lambda unit, user: f.make_comment_draft_reply(
        unit, status=Status.DRAFT
    ),
    "filings": lambda unit, user: f.make_filing(f.make_document(unit), status=Status.DRAFT),
    "cleanup-campaigns": lambda unit, user: f.make_campaign(unit),
    "cleanup-items": lambda unit, user: f.make_cleanup_item(
        f.make_campaign(unit), f.make_document(unit)
    ),
    "contracts": lambda unit, user: f.make_contract(unit),
    "decision-catalogues": lambda unit, user: f.make_catalogue(year=2030 + next(f._sequence)),
    "major-decisions": lambda unit, user: _decision(unit),
    "decision-steps": lambda unit, user: f.make_step(_decision(unit)),
    "decision-participants": lambda unit, user: f.make_participant(_decision(unit)),
    "evaluation-rounds": lambda unit, user: f.make_round(),
    "evaluated-files": lambda unit, user: f.make_evaluated_file(unit),
    "evaluation-problems": lambda unit, user: f.make_problem(f.make_evaluated_file(unit)),
    "reconsideration-cases": lambda unit, user: f.make_reconsideration(unit),
    "reconsideration-suspensions": lambda unit, user: f.make_suspension(_accepted_case(unit)),
    "litigation-cases": lambda unit, user: f.make_litigation(unit),
    "litigation-hearings": lambda unit, user: f.make_hearing(f.make_litigation(unit)),
    "accountability-records": lambda unit, user: f.make_accountability(unit),
    "criminal-transfers": lambda unit, user: f.make_transfer(unit),
    "rectification-problems": lambda unit, user: f.make_rectification(unit),
}

#: Every resource the router serves (tokens are tested on their own).
RESOURCES = {prefix: viewset for prefix, viewset, _basename in router.registry}
RECORD_RESOURCES = sorted(name for name in RESOURCES if name != "tokens")
