"""Error bodies carry the model's own messages and machine-readable codes."""

import datetime

import pytest
from rest_framework.test import APIClient

from registers.core.status import Status
from reviews.models import LitigationCase
from tests.api.conftest import client_for
from tests.factories import make_decision, make_legality_review, make_litigation


@pytest.fixture
def liaison_client(liaison):
    return client_for(liaison)


def _codes(body: dict, field: str) -> list[str]:
    return [error["code"] for error in body["errors"][field]]


def test_a_rule_of_the_models_clean_keeps_its_message_and_code(liaison_client, unit_a):
    case = make_litigation(unit_a)
    response = liaison_client.patch(
        f"/api/v1/litigation-cases/{case.pk}/", {"concluded_on": "2017-06-01"}, format="json"
    )
    assert response.status_code == 400
    error = response.json()["errors"]["outcome"][0]
    assert error == {"message": "请选择裁判结果", "code": "conclusion_without_outcome"}
    case.refresh_from_db()
    assert case.concluded_on is None  # bad input changes nothing


def test_rules_raised_with_the_reviews_field_error_helper_keep_their_codes(liaison_client, unit_a):
    decision = make_decision(unit_a)
    response = liaison_client.post(
        "/api/v1/decision-steps/",
        {"decision": decision.pk, "kind": "risk_assessment", "applicable": False},
        format="json",
    )
    assert response.status_code == 400
    assert _codes(response.json(), "reason_not_applicable") == ["reason_required"]


def test_uniqueness_is_checked_by_the_model_with_its_code(liaison_client, unit_a):
    existing = make_litigation(unit_a)
    response = liaison_client.post(
        "/api/v1/litigation-cases/",
        {
            "court": "咸安区人民法院",
            "number": existing.number,
            "plaintiff": "某公司",
            "cause": "行政处罚",
            "served_on": "2017-05-02",
        },
        format="json",
    )
    assert response.status_code == 400
    assert "duplicate_case_number" in str(response.json()["errors"])
    assert LitigationCase.objects.count() == 1


def test_a_liaison_creates_a_draft_of_their_own_unit_whatever_they_send(
    liaison_client, unit_a, unit_b
):
    response = liaison_client.post(
        "/api/v1/litigation-cases/",
        {
            "unit": unit_b.pk,
            "status": "approved",
            "court": "咸安区人民法院",
            "number": "（2017）鄂1202行初99号",
            "plaintiff": "某公司",
            "cause": "行政处罚",
            "served_on": "2017-05-02",
        },
        format="json",
    )
    assert response.status_code == 201, response.json()
    case = LitigationCase.objects.get(pk=response.json()["id"])
    assert (case.unit, case.status) == (unit_a, Status.DRAFT)
    assert response.json()["defence_deadline"]["due"] == "2017-05-17"
    assert "15" in response.json()["defence_deadline"]["explanation"]


def test_a_liaison_cannot_write_the_offices_review_outcome(liaison_client, unit_a):
    review = make_legality_review(unit_a, status=Status.DRAFT, completed_on=None, result="")
    response = liaison_client.patch(
        f"/api/v1/legality-reviews/{review.pk}/",
        {"completed_on": "2017-05-09", "result": "agreed", "opinion": "同意"},
        format="json",
    )
    assert response.status_code == 200
    review.refresh_from_db()
    assert (review.completed_on, review.result, review.opinion) == (None, "", "")


def test_read_only_and_anonymous_callers_are_told_why(clients, unit_a):
    case = make_litigation(unit_a)
    url = f"/api/v1/litigation-cases/{case.pk}/"
    assert clients["municipal"].patch(url, {}, format="json").json()["code"] == "read_only_role"
    assert clients["leader"].delete(url).json()["code"] == "read_only_role"
    anonymous = clients["anonymous"].get(url)
    assert anonymous.status_code == 401 and anonymous.json()["code"] == "not_authenticated"
    assert anonymous["WWW-Authenticate"] == "Token"
    hidden = clients["liaison2"].get(url)
    assert hidden.json() == {"detail": "记录不存在。", "code": "not_found"}


def test_workflow_refusals_carry_codes(clients, unit_a):
    case = make_litigation(unit_a, status=Status.SUBMITTED)
    url = f"/api/v1/litigation-cases/{case.pk}/"
    returned = clients["office"].post(f"{url}return/", {}, format="json")
    assert returned.status_code == 400
    assert returned.json()["errors"][0]["code"] == "comment_required"
    assert clients["liaison"].post(f"{url}approve/").json()["code"] == "office_only"
    again = clients["liaison"].post(f"{url}submit/")
    assert again.json()["errors"][0]["code"] == "invalid_transition"
    locked = clients["liaison"].patch(url, {"note": "改"}, format="json")
    assert (locked.status_code, locked.json()["code"]) == (403, "not_editable")


def test_a_bad_filter_value_is_a_400_not_a_crash(clients):
    response = clients["office"].get("/api/v1/litigation-cases/", {"served_on__gte": "someday"})
    assert response.status_code == 400
    assert response.json()["errors"]["served_on__gte"][0]["code"] == "invalid"


def test_deleting_a_record_others_still_refer_to_is_refused_with_a_code(clients, unit_a):
    from tests.factories import make_evaluated_file

    file = make_evaluated_file(unit_a, decided_on=datetime.date(2017, 3, 1))
    response = clients["office"].delete(f"/api/v1/evaluation-rounds/{file.round_id}/")
    assert response.status_code == 400
    assert response.json()["errors"][0]["code"] == "protected"


def test_a_sessions_write_without_its_csrf_token_is_refused_in_chinese(office, unit_a):
    """The browser's session writes only with the page's CSRF token; without it, the
    refusal reads like every other one."""
    client = APIClient(enforce_csrf_checks=True)
    client.force_login(office)
    response = client.post("/api/v1/contracts/", {"unit": unit_a.pk}, format="json")
    assert response.status_code == 403
    body = response.json()
    assert body["code"] == "csrf_failed" and "CSRF 令牌" in body["detail"]
    assert "CSRF Failed" not in body["detail"]
