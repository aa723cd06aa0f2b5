"""Which year a record belongs to: declared once per register (``year_field``), used alike by
the annual report and by the dashboard's submission progress.

Each register gets approved records of one unit around the turns of 2016/2017 and 2017/2018,
with their other dates placed to tempt a different year (a review received in one year and
completed in the next, a draw of next year's list published this year…). The dashboard's
progress for 2017 and the report's 2017 figure about the register must count exactly the
records the domain puts in 2017.
"""

import datetime

import pytest

from registers.core.status import Status
from reviews.models import AcceptanceDecision, CleanupCampaign, TransferDecision
from tests import factories as f
from xianan_lawgov.reports.figures import records_behind
from xianan_lawgov.workspace import records
from xianan_lawgov.workspace.records import kind_key, model_for_kind, overview, workflow_models

D = datetime.date
YEAR = 2017
TODAY = D(2018, 3, 1)
APPROVED = {"status": Status.APPROVED}


def documents(unit, other):
    f.make_document(unit, issued_on=D(2016, 12, 30))
    f.make_document(unit, issued_on=D(2018, 1, 2))
    return [f.make_document(unit, issued_on=day) for day in (D(2017, 1, 3), D(2017, 12, 29))]


def inspection_items(unit, other):
    f.make_item(unit, year=2016, published_on=D(2016, 3, 1))
    # Next year's list, published before the year is out, is still next year's.
    f.make_item(unit, year=2018, published_on=D(2017, 12, 20))
    return [f.make_item(unit, year=2017, published_on=D(2017, 3, 1)) for _n in range(2)]


def draws(unit, other, office):
    def draw(day):
        return f.make_draw_record(
            unit, drawn_by=office, item=f.make_item(other), drawn_on=day, **APPROVED
        )

    draw(D(2016, 12, 30))
    draw(D(2018, 1, 2))
    return [draw(D(2017, 1, 3)), draw(D(2017, 12, 29))]


def integrated_items(unit, other):
    def item(day):
        batch = f.make_batch(reform_on=day, first_licence_on=day)
        return f.make_integrated_item(unit, batch=batch)

    item(D(2016, 10, 1))
    item(D(2018, 1, 1))
    return [item(D(2017, 8, 1)), item(D(2017, 8, 1))]


def power_items(unit, other):
    def item(start, closed=None):
        return f.make_power_item(unit, effective_from=start, closed_on=closed)

    item(D(2018, 1, 1))
    item(D(2016, 1, 1), closed=D(2017, 6, 30))
    # A standing list: the versions in force on 31 December.
    return [item(D(2016, 1, 1)), item(D(2017, 6, 1)), item(D(2016, 1, 1), closed=D(2018, 1, 1))]


def officers(unit, other):
    body = f.make_body(other)
    return [f.make_officer(unit, body=body) for _n in range(2)]


def bodies(unit, other):
    return [f.make_body(unit, name=f"执法主体{n}") for n in range(2)]


def cleanup_campaigns(unit, other):
    def campaign(started, confirmed):
        campaign = f.make_campaign(unit, started_on=started, confirmed_on=confirmed, **APPROVED)
        f.make_cleanup_item(campaign, f.make_document(other, issued_on=D(2015, 4, 8)))
        return campaign

    campaign(D(2016, 12, 1), D(2016, 12, 30))
    campaign(D(2017, 12, 1), D(2018, 1, 2))
    # Started in 2016, confirmed in 2017: a 2017 clean-up.
    return [campaign(D(2016, 12, 1), D(2017, 1, 5)), campaign(D(2017, 12, 1), D(2017, 12, 29))]


def lawyer(day):
    return {
        "lawyer_reviewed_on": day,
        "law_firm": "湖北某律师事务所",
        "lawyer": "张律师",
        "lawyer_opinion": "合法",
    }


def contracts(unit, other):
    f.make_contract(unit, signed_on=D(2016, 12, 30), **APPROVED)
    f.make_contract(unit, signed_on=None, **APPROVED)
    f.make_contract(unit, signed_on=D(2018, 1, 2), **lawyer(D(2017, 12, 20)), **APPROVED)
    return [
        f.make_contract(unit, signed_on=D(2017, 1, 3), **lawyer(D(2016, 12, 20)), **APPROVED),
        f.make_contract(unit, signed_on=D(2017, 12, 28), filed_on=D(2018, 1, 5), **APPROVED),
    ]


def decisions(unit, other):
    catalogues = {
        year: f.make_catalogue(year=year, decision_body=other) for year in (2016, 2017, 2018)
    }
    f.make_decision(unit, catalogue=catalogues[2016], **APPROVED)
    f.make_decision(unit, catalogue=catalogues[2018], **APPROVED)
    return [f.make_decision(unit, catalogue=catalogues[2017], **APPROVED) for _n in range(2)]


def evaluated_files(unit, other):
    def round_of(year):
        return f.make_round(year=year, started_on=D(year, 11, 1), ended_on=D(year, 12, 31))

    # Files evaluated after the turn of the year still belong to their round's year.
    f.make_evaluated_file(unit, round=round_of(2016), evaluated_on=D(2017, 1, 5), **APPROVED)
    f.make_evaluated_file(unit, round=round_of(2018), **APPROVED)
    return [
        f.make_evaluated_file(unit, round=round_of(2017), evaluated_on=D(2018, 1, 4), **APPROVED)
    ]


def legality_reviews(unit, other):
    def review(received, completed):
        done = {"completed_on": completed} if completed else {"completed_on": None, "result": ""}
        return f.make_legality_review(unit, received_on=received, **done)

    review(D(2017, 12, 28), D(2018, 1, 4))
    review(D(2017, 11, 1), None)  # not completed: in no year yet
    return [review(D(2016, 12, 28), D(2017, 1, 5)), review(D(2017, 5, 2), D(2017, 5, 9))]


def comment_draft_replies(unit, other):
    def reply(received, replied):
        text = {"reply": "无意见。"} if replied else {"reply": ""}
        return f.make_comment_draft_reply(unit, received_on=received, replied_on=replied, **text)

    reply(D(2017, 12, 20), D(2018, 1, 3))
    reply(D(2017, 5, 2), None)
    return [reply(D(2016, 12, 20), D(2017, 1, 6)), reply(D(2017, 5, 2), D(2017, 5, 12))]


def filings(unit, other):
    def filing(issued, filed):
        return f.make_filing(f.make_document(unit, issued_on=issued), filed_on=filed)

    filing(D(2017, 12, 20), D(2018, 1, 5))
    filing(D(2017, 12, 22), None)  # an open obligation: in no year yet
    return [filing(D(2016, 12, 25), D(2017, 1, 6)), filing(D(2017, 5, 20), D(2017, 6, 1))]


def litigation_cases(unit, other):
    f.make_litigation(unit, served_on=D(2016, 12, 28), **APPROVED)
    f.make_litigation(unit, served_on=D(2018, 1, 2), **APPROVED)
    return [
        f.make_litigation(unit, served_on=day, **APPROVED)
        for day in (D(2017, 1, 3), D(2017, 12, 29))
    ]


def reconsideration_cases(unit, other):
    f.make_reconsideration(
        unit,
        received_on=D(2016, 12, 29),
        acceptance=AcceptanceDecision.ACCEPTED,
        acceptance_on=D(2017, 1, 4),
        **APPROVED,
    )
    f.make_reconsideration(unit, received_on=D(2018, 1, 2), **APPROVED)
    return [
        f.make_reconsideration(unit, received_on=day, **APPROVED)
        for day in (D(2017, 3, 6), D(2017, 12, 29))
    ]


def accountability_records(unit, other):
    f.make_accountability(unit, decided_on=D(2016, 12, 30), **APPROVED)
    f.make_accountability(unit, decided_on=D(2018, 1, 2), **APPROVED)
    return [f.make_accountability(unit, decided_on=D(2017, 7, 12), **APPROVED)]


def criminal_transfers(unit, other):
    def transfer(reported, transferred):
        decided = {"decided_on": reported, "decision": TransferDecision.APPROVED}
        return f.make_transfer(
            unit, reported_on=reported, transferred_on=transferred, **decided, **APPROVED
        )

    transfer(D(2017, 12, 27), D(2018, 1, 3))
    f.make_transfer(unit, reported_on=D(2017, 8, 7), **APPROVED)  # not transferred: no year
    return [transfer(D(2016, 12, 28), D(2017, 1, 4)), transfer(D(2017, 8, 7), D(2017, 8, 8))]


def rectification_problems(unit, other):
    def problem(found, due, rectified=None):
        return f.make_rectification(
            unit, found_on=found, due_on=due, rectified_on=rectified, **APPROVED
        )

    problem(D(2016, 11, 1), D(2016, 12, 31))
    problem(D(2017, 12, 1), D(2018, 1, 10))
    return [
        problem(D(2016, 12, 20), D(2017, 1, 15)),
        problem(D(2017, 4, 10), D(2017, 12, 31), D(2018, 1, 5)),
    ]


#: Per register: the report figure that counts its records of a year (None: the report does
#: not count the register), and what builds its records, returning those of 2017.
REGISTERS = {
    "registers.document": (None, documents),
    "registers.enforcementbody": (None, bodies),
    "registers.inspectiondraw": ("draws.draws", draws),
    "registers.inspectionitem": ("inspection.items", inspection_items),
    "registers.integrateditem": ("licences.integrated_items", integrated_items),
    "registers.officer": (None, officers),
    "registers.poweritem": ("power.items", power_items),
    "reviews.accountabilityrecord": ("supervision.accountability", accountability_records),
    "reviews.cleanupcampaign": ("cleanup.documents", cleanup_campaigns),
    "reviews.commentdraftreply": ("legality.comment_drafts_answered", comment_draft_replies),
    "reviews.criminaltransfer": ("supervision.criminal_transfers", criminal_transfers),
    "reviews.evaluatedfile": ("evaluation.files", evaluated_files),
    "reviews.filing": ("legality.normative_filed", filings),
    "reviews.governmentcontract": ("contracts.signed", contracts),
    "reviews.legalityreview": ("legality.reviews_completed", legality_reviews),
    "reviews.litigationcase": ("litigation.cases", litigation_cases),
    "reviews.majordecision": ("decisions.catalogued", decisions),
    "reviews.reconsiderationcase": ("reconsideration.received", reconsideration_cases),
    "reviews.rectificationproblem": ("supervision.rectifications_due", rectification_problems),
}


def project_registers():
    return [
        model for model in workflow_models() if model._meta.app_label in ("registers", "reviews")
    ]


def test_every_register_declares_its_year_and_is_checked_here():
    for model in project_registers():
        assert "year_field" in vars(model), f"{kind_key(model)} does not declare year_field"
    assert set(REGISTERS) == {kind_key(model) for model in project_registers()}


def report_records(figure: str, model) -> set[int]:
    behind = records_behind(figure, YEAR)
    if model is CleanupCampaign:  # the report counts the campaigns' documents
        return set(behind.values_list("campaign", flat=True))
    return set(behind.values_list("pk", flat=True))


@pytest.mark.parametrize("kind", sorted(REGISTERS))
def test_the_dashboard_and_the_report_count_the_same_records_of_a_year(
    kind, office, unit_a, monkeypatch
):
    figure, build = REGISTERS[kind]
    other = f.make_unit(name="其他单位（测试）")
    arguments = (unit_a, other, office) if build is draws else (unit_a, other)
    expected = {record.pk for record in build(*arguments)}
    model = model_for_kind(kind)
    # The progress of this register alone (records of others come along: a filing's document).
    monkeypatch.setattr(records, "workflow_models", lambda: (model,))

    progress = {row.unit: row.counts for row in overview(office, YEAR, TODAY).progress}
    assert progress[unit_a].approved == len(expected)
    assert progress[unit_a].total == len(expected)
    assert set(model.objects.in_year(YEAR).values_list("pk", flat=True)) == expected
    if figure is not None:
        assert report_records(figure, model) == expected


def test_a_years_progress_leaves_out_what_is_in_no_year_yet(office, liaison, unit_a):
    f.make_legality_review(unit_a, completed_on=None, result="", status=Status.SUBMITTED)
    result = overview(office, YEAR, TODAY)
    assert unit_a in result.not_started
    # Still waiting for the office, whatever its year.
    assert [(row.label, row.count) for row in result.awaiting_review] == [("合法性审核", 1)]


def test_a_standing_list_counts_in_a_year_what_stands_on_its_31_december(office, unit_a):
    f.make_power_item(unit_a, effective_from=D(2018, 1, 1))
    f.make_power_item(unit_a, effective_from=D(2017, 6, 1), status=Status.DRAFT)
    by_year = {
        year: {row.unit: row.counts for row in overview(office, year, TODAY).progress}
        for year in (2017, 2018)
    }
    assert (by_year[2017][unit_a].approved, by_year[2017][unit_a].draft) == (0, 1)
    assert (by_year[2018][unit_a].approved, by_year[2018][unit_a].draft) == (1, 1)
