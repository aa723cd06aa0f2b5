"""Every path that sets a record approved goes through the workflow.

Entering a record as approved (admin, API, services), a power-list adjustment's new
versions, a filing obligation the office opens, a clean-up's confirmation, and the draw
service: each writes one history row with the acting user and a change reason, refuses
whoever the rule in ``registers.core.permissions`` refuses, and announces each record once
after commit (nothing when rolled back).
"""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse

from registers.core.status import Action, Status
from registers.core.workflow import WorkflowError, create, submit, transitioned
from registers.inspection_services import ResultRow, make_draw, record_results
from registers.models import (
    AdjustmentKind,
    AdjustmentReason,
    InspectionDraw,
    PowerAdjustment,
    PowerItem,
    UnitKind,
)
from registers.power_services import adjust_item
from reviews.models import CleanupCampaign, CleanupOutcome, Filing
from reviews.services.documents import confirm_cleanup, open_filing
from tests.api.conftest import client_for
from tests.factories import (
    make_campaign,
    make_cleanup_item,
    make_document,
    make_item,
    make_officer,
    make_power_item,
    make_target,
    make_unit,
)
from tests.workflowapp.models import Memo
from xianan_lawgov.workspace.models import Notification

CONFIRMED_ON = datetime.date(2017, 11, 30)


class Rollback(Exception):
    """Raised to undo the enclosing transaction in a test."""


@pytest.fixture
def announced():
    """What ``transitioned`` announced, as (model, pk, action, acting user)."""
    sent = []

    def receiver(sender, record, action, by, **kwargs):
        sent.append((sender, record.pk, Action(action), by))

    transitioned.connect(receiver, weak=False, dispatch_uid="tests.announced")
    yield sent
    transitioned.disconnect(dispatch_uid="tests.announced")


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    """``with committed():`` runs what was deferred to the commit, as a request's end does."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


def rolled_back(committed, function, *args, **kwargs):
    """Call ``function`` in a transaction that is then rolled back."""
    with committed(), pytest.raises(Rollback), transaction.atomic():
        function(*args, **kwargs)
        raise Rollback


def latest_history(record):
    return type(record).history.filter(id=record.pk).order_by("-history_id").first()


# --- Entering a record directly as approved ----------------------------------------------


def test_the_office_enters_a_record_as_approved_in_one_announced_history_row(
    office, unit_a, announced, committed
):
    with committed():
        memo = create(Memo(title="执法公示制度", unit=unit_a), by=office, approved=True)

    memo.refresh_from_db()
    assert (memo.status, memo.created_by, memo.reviewed_by) == (Status.APPROVED, office, office)
    [row] = Memo.history.filter(id=memo.pk)
    assert (row.history_user, row.history_change_reason) == (office, "直接审核通过")
    assert announced == [(Memo, memo.pk, Action.APPROVE_DIRECTLY, office)]


@pytest.mark.parametrize(("actor", "code"), [("liaison", "office_only"), ("leader", "not_allowed")])
def test_entering_as_approved_is_refused_to_anyone_but_the_office(
    users, unit_a, announced, committed, actor, code
):
    with committed(), pytest.raises(WorkflowError) as refused:
        create(Memo(title="x", unit=unit_a), by=users[actor], approved=True)
    assert refused.value.code == code
    assert not Memo.objects.exists() and not Memo.history.exists()
    assert announced == []


def test_a_liaisons_new_record_is_a_draft_of_their_unit_and_announces_nothing(
    liaison, unit_b, announced, committed
):
    with committed():
        memo = create(Memo(title="x", unit=unit_b), by=liaison)
    assert (memo.status, memo.unit, memo.created_by) == (Status.DRAFT, liaison.unit, liaison)
    assert Memo.history.get(id=memo.pk).history_user == liaison
    assert announced == []


def test_an_entry_rolled_back_announces_nothing(office, unit_a, announced, committed):
    rolled_back(committed, create, Memo(title="x", unit=unit_a), by=office, approved=True)
    assert not Memo.objects.exists()
    assert announced == []


def test_the_admin_add_form_enters_an_approved_record_through_the_workflow(
    client, office, unit_a, announced, committed
):
    client.force_login(office)
    with committed():
        response = client.post(
            reverse("admin:workflowapp_memo_add"),
            {"title": "执法公示制度", "kind": "notice", "unit": unit_a.pk, "status": "approved"},
        )
    assert response.status_code == 302
    memo = Memo.objects.get()
    assert latest_history(memo).history_change_reason == "直接审核通过"
    assert announced == [(Memo, memo.pk, Action.APPROVE_DIRECTLY, office)]


def test_a_power_item_the_office_enters_through_the_api_comes_into_force(
    office, unit_a, announced, committed
):
    with committed():
        response = client_for(office).post(
            "/api/v1/power-items/",
            {
                "unit": unit_a.pk,
                "list_kind": "power",
                "code": "CF-900",
                "name": "对无照经营行为的处罚",
                "category": "penalty",
                "legal_basis": "《无照经营查处取缔办法》第十四条",
                "effective_from": "2017-03-01",
                "status": "approved",
            },
            format="json",
        )
    assert response.status_code == 201, response.json()
    item = PowerItem.objects.get(code="CF-900")
    assert item.status == Status.APPROVED
    # Coming into force records its addition, as approving a reviewed item does.
    assert item.origin.kind == AdjustmentKind.ADD
    assert announced == [(PowerItem, item.pk, Action.APPROVE_DIRECTLY, office)]


# --- Filing obligations -------------------------------------------------------------------


def test_a_filing_obligation_the_office_opens_is_approved_in_one_announced_row(
    office, unit_a, announced, committed
):
    with committed():
        filing = open_filing(make_document(unit_a), by=office)
    filing.refresh_from_db()
    assert (filing.status, filing.reviewed_by) == (Status.APPROVED, office)
    [row] = Filing.history.filter(id=filing.pk)
    assert (row.history_user, row.history_change_reason) == (office, "登记报备义务")
    assert announced == [(Filing, filing.pk, Action.APPROVE_DIRECTLY, office)]


def test_a_filing_obligation_a_liaison_opens_waits_for_review(
    liaison, unit_a, announced, committed
):
    with committed():
        filing = open_filing(make_document(unit_a), by=liaison)
    assert filing.status == Status.DRAFT
    assert Filing.history.get(id=filing.pk).history_user == liaison
    assert announced == []


def test_a_read_only_user_cannot_open_a_filing_obligation(leader, unit_a, announced):
    with pytest.raises(WorkflowError) as refused:
        open_filing(make_document(unit_a), by=leader)
    assert refused.value.code == "not_allowed"
    assert not Filing.objects.exists()


def test_a_filing_obligation_rolled_back_announces_nothing(office, unit_a, announced, committed):
    rolled_back(committed, open_filing, make_document(unit_a), by=office)
    assert not Filing.objects.exists()
    assert announced == []


# --- Power-list adjustments ---------------------------------------------------------------


def adjust(item, kind, by, **extra):
    return adjust_item(
        item,
        kind,
        on=datetime.date(2017, 10, 1),
        reason="《无照经营查处办法》2017年10月1日起施行",
        reason_kind=AdjustmentReason.LAW_CHANGED,
        document_number="咸安审改办〔2017〕5号",
        by=by,
        **extra,
    )


def test_an_amendments_new_version_is_approved_by_the_adjusting_office(
    office, unit_a, announced, committed
):
    item = make_power_item(unit_a, created_by=office)
    with committed():
        adjustment = adjust(item, AdjustmentKind.AMEND, office, changes={"name": "新名称"})

    new = PowerItem.objects.get(origin=adjustment)
    assert (new.status, new.created_by, new.reviewed_by) == (Status.APPROVED, office, office)
    first = new.history.earliest("history_id")
    assert (first.history_user, first.history_change_reason) == (office, "调整")
    assert announced == [(PowerItem, new.pk, Action.APPROVE_DIRECTLY, office)]
    # A new version is not a new item: no 新增 of its own.
    assert not PowerAdjustment.objects.filter(item=new).exists()


def test_a_delegation_announces_each_townships_new_item_once(office, unit_a, announced, committed):
    townships = [make_unit(kind=UnitKind.TOWNSHIP) for _ in range(2)]
    item = make_power_item(unit_a, created_by=office)
    with committed():
        adjustment = adjust(item, AdjustmentKind.DELEGATE, office, receiving_units=townships)

    created = PowerItem.objects.filter(origin=adjustment)
    assert {i.unit for i in created} == set(townships)
    assert sorted(pk for _model, pk, _action, _by in announced) == sorted(i.pk for i in created)
    assert {(action, by) for _model, _pk, action, by in announced} == {
        (Action.APPROVE_DIRECTLY, office)
    }


def test_a_liaison_cannot_adjust_and_nothing_is_announced(liaison, unit_a, announced, committed):
    item = make_power_item(unit_a)
    with committed(), pytest.raises(ValidationError) as refused:
        adjust(item, AdjustmentKind.AMEND, liaison, changes={"name": "新名称"})
    assert refused.value.code == "office_only"
    assert PowerItem.objects.count() == 1
    assert announced == []


def test_an_adjustment_rolled_back_announces_nothing(office, unit_a, announced, committed):
    item = make_power_item(unit_a, created_by=office)
    rolled_back(committed, adjust, item, AdjustmentKind.AMEND, office, changes={"name": "新名称"})
    assert PowerItem.objects.count() == 1
    assert announced == []


# --- Clean-up confirmation ----------------------------------------------------------------


@pytest.fixture
def campaign(unit_a, liaison):
    campaign = make_campaign(unit_a, name="2017年规范性文件清理", created_by=liaison)
    for _n in range(30):
        document = make_document(unit_a, issued_on=datetime.date(2015, 4, 8))
        make_cleanup_item(campaign, document, outcome=CleanupOutcome.CONTINUE)
    return campaign


def test_confirming_a_draft_clean_up_approves_it_directly_in_one_row(
    campaign, office, announced, committed
):
    before = campaign.history.count()
    with committed():
        confirm_cleanup(campaign, by=office, on=CONFIRMED_ON)

    campaign.refresh_from_db()
    assert (campaign.status, campaign.reviewed_by) == (Status.APPROVED, office)
    assert (campaign.confirmed_on, campaign.confirmed_by) == (CONFIRMED_ON, office)
    assert campaign.history.count() == before + 1
    row = latest_history(campaign)
    assert (row.history_user, row.history_change_reason) == (office, "确认清理结果")
    assert (row.status, row.confirmed_on) == (Status.APPROVED, CONFIRMED_ON)
    assert announced == [(CleanupCampaign, campaign.pk, Action.APPROVE_DIRECTLY, office)]


def test_confirming_a_submitted_clean_up_approves_the_submission(
    campaign, liaison, office, announced, committed
):
    submit(campaign, by=liaison)
    with committed():
        confirm_cleanup(campaign, by=office, on=CONFIRMED_ON)
    assert announced[-1] == (CleanupCampaign, campaign.pk, Action.APPROVE, office)
    assert CleanupCampaign.objects.get(pk=campaign.pk).submitted_by == liaison


def test_a_confirmed_clean_up_of_thirty_documents_notifies_its_liaison_once(
    campaign, liaison, office, committed
):
    with committed():
        confirm_cleanup(campaign, by=office, on=CONFIRMED_ON)
    assert [n.title for n in Notification.objects.filter(user=liaison)] == [
        "文件清理活动“2017年规范性文件清理”已审核通过"
    ]
    assert not Notification.objects.filter(user=office).exists()


def test_a_liaison_cannot_confirm_and_nothing_is_written(campaign, liaison, announced, committed):
    before = campaign.history.count()
    with committed(), pytest.raises(ValidationError) as refused:
        confirm_cleanup(campaign, by=liaison, on=CONFIRMED_ON)
    assert refused.value.code == "office_only"
    assert campaign.history.count() == before
    assert announced == []


def test_a_confirmation_rolled_back_announces_nothing(campaign, office, announced, committed):
    rolled_back(committed, confirm_cleanup, campaign, by=office, on=CONFIRMED_ON)
    assert not CleanupCampaign.objects.get(pk=campaign.pk).is_confirmed
    assert announced == []


def test_a_clean_up_is_approved_only_by_confirming_it(
    campaign, liaison, office, announced, committed
):
    with committed():
        submit(campaign, by=liaison)
        response = client_for(office).post(f"/api/v1/cleanup-campaigns/{campaign.pk}/approve/")
    assert response.status_code == 400
    assert response.json()["errors"][0]["code"] == "confirm_to_approve"
    campaign.refresh_from_db()
    assert campaign.status == Status.SUBMITTED
    assert announced == [(CleanupCampaign, campaign.pk, Action.SUBMIT, liaison)]


def test_the_office_cannot_enter_a_clean_up_as_approved(office, unit_a, announced, committed):
    with committed():
        response = client_for(office).post(
            "/api/v1/cleanup-campaigns/",
            {
                "unit": unit_a.pk,
                "name": "直接审核的清理",
                "year": 2017,
                "basis": "放管服改革",
                "started_on": "2017-09-01",
                "status": "approved",
            },
            format="json",
        )
    assert response.status_code == 400
    assert response.json()["errors"][0]["code"] == "confirm_to_approve"
    assert not CleanupCampaign.objects.exists()
    assert announced == []


# --- Draws and results --------------------------------------------------------------------


@pytest.fixture
def item(unit_a):
    item = make_item(unit_a)
    for _n in range(4):
        make_target(unit_a)
        make_officer(unit_a)
    return item


def draw(item, by):
    return make_draw(item, batch="2017年第二批", by=by, count=2, on=datetime.date(2017, 9, 4))


def test_a_draw_is_entered_as_a_draft_with_the_drawing_user_in_its_history(
    item, liaison, announced, committed
):
    with committed():
        record = draw(item, liaison)
    [row] = InspectionDraw.history.filter(id=record.pk)
    assert (row.status, row.history_user, row.history_change_reason) == (
        Status.DRAFT,
        liaison,
        "双随机抽取",
    )
    assert announced == []  # a draft: nothing has transitioned yet


@pytest.mark.parametrize("actor", ["leader", "liaison2", "municipal"])
def test_only_the_office_and_the_units_liaison_may_draw(item, users, actor):
    with pytest.raises(ValidationError) as refused:
        draw(item, users[actor])
    assert refused.value.code == "not_allowed"
    assert not InspectionDraw.objects.exists()


def test_results_of_an_approved_draw_are_the_offices_to_record(item, liaison, office):
    record = draw(item, liaison)
    InspectionDraw.objects.filter(pk=record.pk).update(status=Status.APPROVED)
    rows = [ResultRow(position=1, checked_on=datetime.date(2017, 9, 12), result="no_problem")]

    with pytest.raises(ValidationError) as refused:
        record_results(record, rows, by=liaison)
    assert refused.value.code == "not_allowed"
    assert not record.drawn_targets.filter(result="no_problem").exists()

    record_results(record, rows, by=office)
    row = latest_history(record)
    assert (row.history_user, row.history_change_reason) == (office, "录入检查结果")
    assert record.drawn_targets.get(position=1).result == "no_problem"
