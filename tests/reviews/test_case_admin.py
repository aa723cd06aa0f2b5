"""The admin of cases and supervision records: scoping, child rows, deadlines, validation."""

import datetime

import pytest
from django.urls import reverse

from registers.core.status import Status
from reviews.models import (
    AcceptanceDecision,
    LitigationCase,
    LitigationHearing,
    LitigationOutcome,
    ReconsiderationCase,
    ReconsiderationOutcome,
)
from tests.factories import (
    make_accountability,
    make_hearing,
    make_litigation,
    make_reconsideration,
    make_rectification,
    make_transfer,
)

D = datetime.date
pytestmark = pytest.mark.django_db


def url(model: str, view: str, *args) -> str:
    return reverse(f"admin:reviews_{model}_{view}", args=args)


MAKERS = {
    "reconsiderationcase": lambda unit, label: make_reconsideration(unit, applicant=label),
    "litigationcase": lambda unit, label: make_litigation(unit, plaintiff=label),
    "accountabilityrecord": lambda unit, label: make_accountability(unit, person=label),
    "criminaltransfer": lambda unit, label: make_transfer(unit, case_name=label),
    "rectificationproblem": lambda unit, label: make_rectification(unit, problem=label),
}


@pytest.mark.parametrize("model", MAKERS)
def test_each_liaison_sees_only_their_units_records(
    client, liaison, liaison2, unit_a, unit_b, model
):
    mine = MAKERS[model](unit_a, "甲单位的记录")
    theirs = MAKERS[model](unit_b, "乙单位的记录")

    client.force_login(liaison)
    page = client.get(url(model, "changelist")).content.decode()
    assert "甲单位的记录" in page and "乙单位的记录" not in page
    assert client.get(url(model, "change", mine.pk)).status_code == 200
    assert client.get(url(model, "change", theirs.pk)).status_code == 404
    assert client.get(url(model, "history", theirs.pk)).status_code == 404

    client.force_login(liaison2)
    page = client.get(url(model, "changelist")).content.decode()
    assert "乙单位的记录" in page and "甲单位的记录" not in page
    assert client.get(url(model, "change", mine.pk)).status_code == 404


@pytest.mark.parametrize("model", MAKERS)
def test_office_sees_everything(client, office, unit_a, unit_b, model):
    MAKERS[model](unit_a, "甲单位的记录")
    MAKERS[model](unit_b, "乙单位的记录")
    client.force_login(office)
    page = client.get(url(model, "changelist")).content.decode()
    assert "甲单位的记录" in page and "乙单位的记录" in page


def test_case_page_shows_regime_and_how_each_deadline_was_computed(client, office, unit_a):
    case = make_reconsideration(
        unit_a,
        received_on=D(2017, 9, 28),
        acceptance=AcceptanceDecision.ACCEPTED,
        acceptance_on=D(2017, 9, 29),
    )
    client.force_login(office)
    page = client.get(url("reconsiderationcase", "change", case.pk)).content.decode()
    assert "《行政复议法》(2017)及《实施条例》(2007)" in page
    assert "受理审查期限" in page and "2017-10-11" in page
    assert "不计休息日" in page and "2017-10-01" in page
    assert "第十七条" in page  # the rule with its article
    assert "已受理，审理中" in page


def reconsideration_form(unit, **overrides) -> dict:
    data = {
        "number": "咸安复〔2017〕8号",
        "applicant": "申请人",
        "unit": unit.pk,
        "matter": "行政处罚决定",
        "procedure": "ordinary",
        "received_on": "2017-03-06",
        "acceptance": AcceptanceDecision.ACCEPTED,
        "acceptance_on": "2017-03-08",
        "extension_days": "0",
        "status": Status.APPROVED,
        "suspensions-TOTAL_FORMS": "0",
        "suspensions-INITIAL_FORMS": "0",
        "suspensions-MIN_NUM_FORMS": "0",
        "suspensions-MAX_NUM_FORMS": "1000",
    }
    data.update(overrides)
    return data


def test_admin_refuses_a_conclusion_before_acceptance_and_saves_nothing(client, office, unit_a):
    client.force_login(office)
    response = client.post(
        url("reconsiderationcase", "add"),
        reconsideration_form(unit_a, concluded_on="2017-03-07", outcome="upheld"),
    )
    assert response.status_code == 200
    assert "审结日期早于受理日期" in response.content.decode()
    assert not ReconsiderationCase.objects.exists()


def test_admin_refuses_an_outcome_the_regime_does_not_have(client, office, unit_a):
    client.force_login(office)
    response = client.post(
        url("reconsiderationcase", "add"),
        reconsideration_form(
            unit_a, concluded_on="2017-04-28", outcome=ReconsiderationOutcome.CONFIRMED_VOID
        ),
    )
    assert "不是《行政复议法》(2017)及《实施条例》(2007)规定的审结方式" in response.content.decode()
    assert not ReconsiderationCase.objects.exists()


def suspension_rows(*periods: tuple[str, str]) -> dict[str, str]:
    """The case form's suspension rows, one a (suspended, resumed) period."""
    rows = {"suspensions-TOTAL_FORMS": str(len(periods))}
    for n, (suspended_on, resumed_on) in enumerate(periods):
        rows[f"suspensions-{n}-suspended_on"] = suspended_on
        rows[f"suspensions-{n}-resumed_on"] = resumed_on
        rows[f"suspensions-{n}-ground"] = "other_case"
        rows[f"suspensions-{n}-reason"] = "需以其他案件审理结果为依据"
    return rows


def test_office_records_a_case_with_a_suspension(client, office, unit_a):
    client.force_login(office)
    response = client.post(
        url("reconsiderationcase", "add"),
        reconsideration_form(unit_a, **suspension_rows(("2017-03-20", "2017-03-30"))),
    )
    assert response.status_code == 302
    case = ReconsiderationCase.objects.get()
    assert case.status == Status.APPROVED
    assert case.suspended_days() == 10


def test_suspensions_entered_together_must_not_overlap(client, office, unit_a):
    client.force_login(office)
    response = client.post(
        url("reconsiderationcase", "add"),
        reconsideration_form(
            unit_a, **suspension_rows(("2017-03-20", "2017-03-30"), ("2017-03-25", "2017-04-05"))
        ),
    )
    assert response.status_code == 200
    assert "中止期间2017-03-25至2017-04-05与2017-03-20至2017-03-30重叠" in response.content.decode()
    assert not ReconsiderationCase.objects.exists()


def hearing_form(case, hearing) -> dict:
    return {
        "court": case.court,
        "number": case.number,
        "trial_instance": case.trial_instance,
        "plaintiff": case.plaintiff,
        "unit": case.unit_id,
        "cause": case.cause,
        "served_on": case.served_on.isoformat(),
        "hearings-TOTAL_FORMS": "1",
        "hearings-INITIAL_FORMS": "1",
        "hearings-MIN_NUM_FORMS": "0",
        "hearings-MAX_NUM_FORMS": "1000",
        "hearings-0-id": hearing.pk,
        "hearings-0-case": case.pk,
        "hearings-0-held_on": hearing.held_on.isoformat(),
        "hearings-0-trial_instance": hearing.trial_instance,
        "hearings-0-head_name": "",
        "hearings-0-head_rank": "",
        "hearings-0-others": "律师",
    }


def test_liaison_edits_hearings_of_a_draft_but_not_of_an_approved_case(client, liaison, unit_a):
    case = make_litigation(unit_a)
    hearing = make_hearing(case)
    client.force_login(liaison)

    response = client.post(url("litigationcase", "change", case.pk), hearing_form(case, hearing))
    assert response.status_code == 302
    assert not LitigationHearing.objects.get(pk=hearing.pk).head_appeared

    LitigationCase.objects.filter(pk=case.pk).update(status=Status.APPROVED)
    page = client.get(url("litigationcase", "change", case.pk)).content.decode()
    assert "hearings-0-head_name" not in page  # shown read-only
    form = hearing_form(case, hearing) | {
        "hearings-0-head_name": "改名",
        "hearings-0-head_rank": "deputy",
    }
    response = client.post(url("litigationcase", "change", case.pk), form)
    assert response.status_code == 403
    assert LitigationHearing.objects.get(pk=hearing.pk).head_name == ""


def test_litigation_list_shows_head_appearances_and_outcome_class(client, office, unit_a):
    case = make_litigation(
        unit_a, concluded_on=D(2017, 6, 1), outcome=LitigationOutcome.CLAIM_REJECTED
    )
    make_hearing(case, head_name="黄某", head_rank="principal")
    client.force_login(office)
    page = client.get(url("litigationcase", "changelist")).content.decode()
    assert "一审：黄某（正职负责人）" in page
    assert "胜诉" in page


def test_litigation_page_shows_the_defence_deadline(client, office, unit_a):
    case = make_litigation(unit_a, served_on=D(2017, 9, 18))
    client.force_login(office)
    page = client.get(url("litigationcase", "change", case.pk)).content.decode()
    assert "答辩及举证期限" in page and "2017-10-09" in page


@pytest.mark.parametrize(
    ("params", "shown", "hidden"),
    [
        ({"received_on_year": "2017"}, "二〇一七年的案件", "二〇二四年的案件"),
        ({"regime": "2023"}, "二〇二四年的案件", "二〇一七年的案件"),
        ({"stage": "concluded"}, "二〇一七年的案件", "二〇二四年的案件"),
        ({"outcome": "upheld"}, "二〇一七年的案件", "二〇二四年的案件"),
        ({"q": "二〇二四"}, "二〇二四年的案件", "二〇一七年的案件"),
    ],
)
def test_reconsideration_filters(client, office, unit_a, params, shown, hidden):
    make_reconsideration(
        unit_a,
        applicant="二〇一七年的案件",
        received_on=D(2017, 3, 6),
        acceptance=AcceptanceDecision.ACCEPTED,
        acceptance_on=D(2017, 3, 8),
        concluded_on=D(2017, 4, 28),
        outcome=ReconsiderationOutcome.UPHELD,
    )
    make_reconsideration(unit_a, applicant="二〇二四年的案件", received_on=D(2024, 2, 7))
    client.force_login(office)
    page = client.get(url("reconsiderationcase", "changelist"), params).content.decode()
    assert shown in page and hidden not in page


def test_transfer_page_shows_its_statutory_deadlines(client, office, unit_a):
    transfer = make_transfer(unit_a, reported_on=D(2017, 9, 29))
    client.force_login(office)
    page = client.get(url("criminaltransfer", "change", transfer.pk)).content.decode()
    assert "移送审批决定期限" in page and "2017-10-09" in page and "第五条" in page


def test_rectification_filter_finds_overdue_problems(client, office, unit_a):
    make_rectification(unit_a, problem="逾期未整改的问题", due_on=D(2017, 5, 31))
    make_rectification(unit_a, problem="已整改的问题", rectified_on=D(2017, 5, 20))
    client.force_login(office)
    page = client.get(url("rectificationproblem", "changelist"), {"rectified": "overdue"})
    assert "逾期未整改的问题" in page.content.decode()
    assert "已整改的问题" not in page.content.decode()
