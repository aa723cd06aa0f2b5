"""A liaison's forms say what state a record is in after a save, and offer 保存并报送: a returned
record fixed and saved with 保存 stays returned (and says so), with 保存并报送 it goes to the
office."""

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from registers.core.status import Status
from registers.core.workflow import return_for_revision, submit
from registers.models import BodyKind, EnforcementBody
from tests.factories import make_body

BUTTON = "保存并报送"


def change_url(body):
    return reverse("admin:registers_enforcementbody_change", args=[body.pk])


ADD_URL = "/admin/registers/enforcementbody/add/"


def form_data(body, **changes):
    return {
        "name": body.name,
        "kind": body.kind,
        "legal_basis": body.legal_basis,
        "based_on_revision": body.revision,
        **changes,
    }


def messages_of(response) -> list[str]:
    return [str(message) for message in get_messages(response.wsgi_request)]


@pytest.fixture
def returned(liaison, office):
    body = make_body(liaison.unit, name="咸安区城管执法大队", status=Status.DRAFT)
    submit(body, by=liaison)
    return_for_revision(body, by=office, comment="请写明执法依据的条款。")
    return body


def test_saving_a_returned_record_says_it_is_still_returned(client, liaison, returned):
    client.force_login(liaison)
    response = client.post(
        change_url(returned), form_data(returned, legal_basis="《城市管理执法办法》第八条")
    )
    assert response.status_code == 302
    returned.refresh_from_db()
    assert returned.status == Status.RETURNED
    assert returned.legal_basis == "《城市管理执法办法》第八条"
    [message] = messages_of(response)
    assert "已保存，当前状态：已退回（尚未报送）" in message
    assert BUTTON in message


def test_save_and_submit_sends_the_fixed_record_to_the_office(client, liaison, returned):
    client.force_login(liaison)
    page = client.get(change_url(returned)).content.decode()
    assert f'value="{BUTTON}"' in page

    response = client.post(
        change_url(returned),
        {
            **form_data(returned, legal_basis="《城市管理执法办法》第八条"),
            "_submit_for_review": BUTTON,
        },
    )

    returned.refresh_from_db()
    assert returned.status == Status.SUBMITTED
    assert returned.submitted_by == liaison
    assert returned.legal_basis == "《城市管理执法办法》第八条"
    [message] = messages_of(response)
    assert "当前状态：已报送（等待法制办审核）" in message


def test_a_new_record_saved_is_a_draft_and_says_so(client, liaison):
    client.force_login(liaison)
    assert f'value="{BUTTON}"' in client.get(ADD_URL).content.decode()
    data = {"name": "咸安区新执法队", "kind": BodyKind.STATUTORY, "legal_basis": "第三条"}

    response = client.post(ADD_URL, data)
    assert "当前状态：草稿（尚未报送）" in messages_of(response)[-1]
    assert EnforcementBody.objects.get(name="咸安区新执法队").status == Status.DRAFT

    response = client.post(ADD_URL, {**data, "name": "咸安区另一执法队", "_submit_for_review": "1"})
    assert "当前状态：已报送（等待法制办审核）" in messages_of(response)[-1]
    assert EnforcementBody.objects.get(name="咸安区另一执法队").status == Status.SUBMITTED


def test_save_and_submit_is_not_offered_where_submitting_is_not_possible(
    client, liaison, office, returned
):
    submit(returned, by=liaison)
    client.force_login(liaison)
    # Submitted: the liaison can no longer change it, nor submit it again.
    response = client.post(change_url(returned), {**form_data(returned), "_submit_for_review": "1"})
    assert response.status_code == 403
    returned.refresh_from_db()
    assert returned.status == Status.SUBMITTED
    # The office reviews; it does not submit to itself.
    client.force_login(office)
    assert BUTTON not in client.get(ADD_URL).content.decode()
