"""Multi-record workflows through the API run the same services as the pages."""

import datetime

import pytest

from registers.core.roles import Role
from registers.core.status import Status
from registers.models import AdjustmentKind, DocumentKind, DrawnTarget, PowerItem
from reviews.models import CleanupOutcome
from tests.api.conftest import client_for
from tests.factories import (
    make_campaign,
    make_cleanup_item,
    make_decision,
    make_document,
    make_evaluated_file,
    make_item,
    make_officer,
    make_power_item,
    make_target,
    make_user,
)


@pytest.fixture
def office_client(office):
    return client_for(office)


@pytest.fixture
def liaison_client(liaison):
    return client_for(liaison)


def test_the_office_adjusts_an_approved_item_keeping_the_old_version(
    office_client, liaison_client, unit_a
):
    item = make_power_item(unit_a)
    url = f"/api/v1/power-items/{item.pk}/"
    assert office_client.patch(url, {"name": "改名"}, format="json").status_code == 403
    request = {
        "kind": AdjustmentKind.AMEND,
        "adjusted_on": "2018-03-01",
        "reason_kind": "law_changed",
        "reason": "上位法修改",
        "document_number": "咸安政办发〔2018〕3号",
        "changes": {"name": "对违法行为的处罚（调整后）"},
    }
    refused = liaison_client.post(f"{url}adjust/", request, format="json")
    assert (refused.status_code, refused.json()["code"]) == (403, "office_only")

    response = office_client.post(f"{url}adjust/", request, format="json")
    assert response.status_code == 201, response.json()
    item.refresh_from_db()
    assert item.closed_on == datetime.date(2018, 3, 1)
    new = PowerItem.objects.get(pk=response.json()["created_items"][0])
    assert (new.name, new.version, new.effective_from) == (
        "对违法行为的处罚（调整后）",
        2,
        datetime.date(2018, 3, 1),
    )
    again = office_client.post(f"{url}adjust/", request, format="json")
    assert again.json()["errors"][0]["code"] == "already_closed"

    listed = liaison_client.get("/api/v1/power-adjustments/", {"item": item.pk}).json()
    assert [(row["kind"], row["adjusted_on"]) for row in listed["results"]] == [
        (AdjustmentKind.ADD, "2016-01-01"),
        (AdjustmentKind.AMEND, "2018-03-01"),
    ]
    amended = listed["results"][1]
    assert (amended["unit"], amended["item_code"], amended["created_items"]) == (
        unit_a.pk,
        item.code,
        [new.pk],
    )
    in_2018 = office_client.get("/api/v1/power-adjustments/", {"year": 2018, "kind": "amend"})
    assert [row["id"] for row in in_2018.json()["results"]] == [amended["id"]]


def test_a_liaison_draws_for_their_units_item_and_not_for_another(liaison_client, unit_a, unit_b):
    item = make_item(unit_a)
    for _ in range(10):
        make_target(unit_a)
    for _ in range(4):
        make_officer(unit_a)
    request = {"item": item.pk, "batch": "2017年第一批", "count": 3, "drawn_on": "2017-06-05"}
    response = liaison_client.post("/api/v1/inspection-draws/", request, format="json")
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["status"] == Status.DRAFT and body["unit"] == unit_a.pk
    assert len(body["drawn_targets"]) == 3
    assert all(len(row["inspectors"]) == 2 for row in body["drawn_targets"])
    verified = liaison_client.get(f"/api/v1/inspection-draws/{body['id']}/verify/").json()
    assert verified["ok"] is True

    twice = liaison_client.post("/api/v1/inspection-draws/", request, format="json")
    assert twice.json()["errors"][0]["code"] == "duplicate_batch"
    other = {**request, "item": make_item(unit_b).pk}
    foreign = liaison_client.post("/api/v1/inspection-draws/", other, format="json")
    assert foreign.json()["errors"]["item"][0]["code"] == "does_not_exist"
    deleted = liaison_client.delete(f"/api/v1/inspection-draws/{body['id']}/")
    assert (deleted.status_code, deleted.json()["code"]) == (403, "office_only")


def _drawn(liaison_client, unit, count=2):
    item = make_item(unit)
    for _ in range(6):
        make_target(unit)
    for _ in range(4):
        make_officer(unit)
    request = {"item": item.pk, "batch": "2017年第二批", "count": count, "drawn_on": "2017-06-05"}
    response = liaison_client.post("/api/v1/inspection-draws/", request, format="json")
    assert response.status_code == 201, response.json()
    return response.json()


def test_a_liaison_records_the_results_of_their_draw_all_at_once(liaison_client, liaison, unit_a):
    draw = _drawn(liaison_client, unit_a)
    url = f"/api/v1/inspection-draws/{draw['id']}/results/"
    good = {
        "check_ended_on": "2017-06-30",
        "published_on": "2017-07-10",
        "results": [
            {"position": 1, "checked_on": "2017-06-20", "result": "no_problem"},
            {
                "position": 2,
                "checked_on": "2017-06-21",
                "result": "rectification_ordered",
                "findings": "台账不全",
            },
        ],
    }
    response = liaison_client.post(url, good, format="json")
    assert response.status_code == 200, response.json()
    body = response.json()
    assert (body["check_ended_on"], body["published_on"]) == ("2017-06-30", "2017-07-10")
    assert [row["result"] for row in body["drawn_targets"]] == [
        "no_problem",
        "rectification_ordered",
    ]
    assert body["drawn_targets"][1]["findings"] == "台账不全"
    # What a row leaves out stays as recorded; null clears.
    later = {"results": [{"position": 2, "findings": "已整改"}]}
    body = liaison_client.post(url, later, format="json").json()
    second = body["drawn_targets"][1]
    assert (second["result"], second["findings"]) == ("rectification_ordered", "已整改")
    cleared = {
        "check_ended_on": None,
        "published_on": None,
        "results": [{"position": 1, "checked_on": None, "result": ""}],
    }
    body = liaison_client.post(url, cleared, format="json").json()
    assert (body["drawn_targets"][0]["checked_on"], body["drawn_targets"][0]["result"]) == (
        None,
        "",
    )
    stored = DrawnTarget.objects.get(draw_id=draw["id"], position=2)
    assert stored.history.latest().history_user == liaison


def test_bad_results_are_refused_with_every_reason_and_nothing_is_saved(liaison_client, unit_a):
    draw = _drawn(liaison_client, unit_a)
    url = f"/api/v1/inspection-draws/{draw['id']}/results/"
    bad = {
        "check_ended_on": "2017-06-30",
        "published_on": "2017-06-01",
        "results": [
            {"position": 1, "checked_on": "2017-06-01", "result": "no_problem"},
            {"position": 2, "result": "case_filed"},
        ],
    }
    response = liaison_client.post(url, bad, format="json")
    assert response.status_code == 400
    errors = response.json()["errors"]
    codes = {error["code"] for error in errors}
    assert {"drawntarget_result_has_date", "result_problem"} <= codes
    messages = " ".join(error["message"] for error in errors)
    assert "早于抽取日期" in messages and "结果公示日期必须在检查结束之后" in messages
    # A target's own rule names the target.
    target = DrawnTarget.objects.get(draw_id=draw["id"], position=2)
    assert f"{target.target_name}：填写检查结果时必须填写检查日期。" in messages
    unchanged = liaison_client.get(f"/api/v1/inspection-draws/{draw['id']}/").json()
    assert unchanged["check_ended_on"] is None
    assert all(row["result"] == "" for row in unchanged["drawn_targets"])

    unknown = {"results": [{"position": 9, "checked_on": "2017-06-20", "result": "no_problem"}]}
    refused = liaison_client.post(url, unknown, format="json").json()
    assert refused["errors"][0]["code"] == "unknown_position"
    wrong_kind = {"results": [{"position": 1, "result": "fine"}]}
    refused = liaison_client.post(url, wrong_kind, format="json").json()
    assert refused["errors"]["results"]["0"]["result"][0]["code"] == "invalid_choice"


def test_a_mistyped_year_is_refused_before_any_deadline_is_computed(liaison_client, unit_a):
    draw = _drawn(liaison_client, unit_a)
    detail = f"/api/v1/inspection-draws/{draw['id']}/"
    for url, method in ((detail, liaison_client.patch), (f"{detail}results/", liaison_client.post)):
        response = method(url, {"check_ended_on": "9999-12-30", "results": []}, format="json")
        assert response.status_code == 400
        error = response.json()["errors"]["check_ended_on"][0]
        assert error["code"] == "date_out_of_range" and "9999-12-30" in error["message"]
    assert liaison_client.get(detail).json()["check_ended_on"] is None


def test_results_follow_the_record_editing_rule(liaison_client, office_client, unit_a, unit_b):
    draw = _drawn(liaison_client, unit_a)
    url = f"/api/v1/inspection-draws/{draw['id']}/results/"
    result = {"results": [{"position": 1, "checked_on": "2017-06-20", "result": "no_problem"}]}
    other = client_for(make_user(Role.LIAISON, unit=unit_b))
    assert other.post(url, result, format="json").status_code == 404
    submitted = liaison_client.post(f"/api/v1/inspection-draws/{draw['id']}/submit/", {})
    assert submitted.status_code == 200
    refused = liaison_client.post(url, result, format="json")
    assert (refused.status_code, refused.json()["code"]) == (403, "not_editable")
    assert office_client.post(url, result, format="json").status_code == 200


def test_confirming_a_clean_up_applies_the_outcomes_and_freezes_the_campaign(office_client, unit_a):
    campaign = make_campaign(unit_a)
    document = make_document(unit_a, kind=DocumentKind.NORMATIVE)
    item = make_cleanup_item(campaign, document, outcome=CleanupOutcome.REPEAL)
    url = f"/api/v1/cleanup-campaigns/{campaign.pk}/"
    response = office_client.post(f"{url}confirm/", {"confirmed_on": "2017-11-30"}, format="json")
    assert response.status_code == 200, response.json()
    assert response.json()["confirmed_on"] == "2017-11-30"
    assert response.json()["status"] == Status.APPROVED
    assert document.changes.get().kind == "repealed"
    frozen = office_client.patch(f"/api/v1/cleanup-items/{item.pk}/", {"note": "x"}, format="json")
    assert frozen.status_code == 403
    assert office_client.delete(url).status_code == 403


def test_the_office_scores_a_file_and_a_veto_fails_it(office_client, liaison_client, unit_a):
    file = make_evaluated_file(unit_a)
    url = f"/api/v1/evaluated-files/{file.pk}/score/"
    sheet = {
        "form_score": "18",
        "content_score": "75",
        "evaluated_on": "2017-06-15",
        "vetoes": [{"item": "fewer_than_two_officers"}],
    }
    assert liaison_client.post(url, sheet, format="json").status_code == 403
    body = office_client.post(url, sheet, format="json").json()
    assert (body["total_score"], body["grade"]) == ("93.0", "fail")
    assert [veto["item"] for veto in body["vetoes"]] == ["fewer_than_two_officers"]


def test_a_discussion_is_refused_whole_without_a_passed_legality_review(liaison_client, unit_a):
    decision = make_decision(unit_a)
    request = {
        "meeting_kind": "executive",
        "meeting": "区政府第12次常务会议",
        "discussed_on": "2017-09-01",
        "decided_by": "区长",
        "participants": [{"name": "甲", "post": "副区长", "stance": "dissent"}],
    }
    response = liaison_client.post(
        f"/api/v1/major-decisions/{decision.pk}/discussion/", request, format="json"
    )
    assert response.status_code == 400
    assert "discussion_without_passed_legality_review" in str(response.json())
    assert not decision.participants.exists()


def test_child_rows_are_added_only_under_a_record_the_user_may_change(liaison_client, unit_a):
    from tests.factories import make_litigation

    draft = make_litigation(unit_a)
    approved = make_litigation(unit_a, status=Status.APPROVED)
    hearing = {"held_on": "2017-04-20", "trial_instance": "first", "others": "委托律师"}
    added = liaison_client.post(
        "/api/v1/litigation-hearings/", {**hearing, "case": draft.pk}, format="json"
    )
    assert added.status_code == 201, added.json()
    refused = liaison_client.post(
        "/api/v1/litigation-hearings/", {**hearing, "case": approved.pk}, format="json"
    )
    assert (refused.status_code, refused.json()["code"]) == (403, "not_editable")
    moved = liaison_client.patch(
        f"/api/v1/litigation-hearings/{added.json()['id']}/", {"case": approved.pk}, format="json"
    )
    assert moved.status_code == 403
    assert approved.hearings.count() == 0
