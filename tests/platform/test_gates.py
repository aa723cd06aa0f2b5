"""The gates of ``registers.core.permissions`` — who uses the pages, who submits data, whose
unit one may read — for every role, and the pages, menus, admin and API that follow them."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.urls import reverse

from registers.core import permissions
from registers.core.roles import Role
from tests.api.conftest import client_for
from tests.factories import make_user

ROLES = ["anonymous", "liaison", "liaison2", "office", "leader", "municipal"]


@pytest.fixture
def everyone(users):
    return {"anonymous": AnonymousUser(), **users}


def _matrix(gate, everyone) -> dict[str, bool]:
    return {role: gate(everyone[role]) for role in ROLES}


def test_people_use_the_pages_and_api_clients_do_not(everyone):
    assert _matrix(permissions.uses_pages, everyone) == {
        "anonymous": False,
        "liaison": True,
        "liaison2": True,
        "office": True,
        "leader": True,
        "municipal": False,
    }


def test_office_staff_and_liaisons_submit_and_the_others_only_read(everyone):
    assert _matrix(permissions.may_submit, everyone) == {
        "anonymous": False,
        "liaison": True,
        "liaison2": True,
        "office": True,
        "leader": False,
        "municipal": False,
    }


def test_a_units_records_are_read_by_its_liaison_and_those_who_read_every_unit(everyone, unit_a):
    assert _matrix(lambda user: permissions.may_read_unit(user, unit_a.pk), everyone) == {
        "anonymous": False,
        "liaison": True,
        "liaison2": False,
        "office": True,
        "leader": True,
        "municipal": True,
    }
    assert _matrix(lambda user: permissions.may_read_unit(user, None), everyone) == {
        "anonymous": False,
        "liaison": False,
        "liaison2": False,
        "office": True,
        "leader": True,
        "municipal": True,
    }


def test_a_deactivated_account_passes_no_gate(unit_a):
    gone = make_user(Role.LIAISON, unit=unit_a, is_active=False)
    boss = make_user(Role.OFFICE, is_superuser=True, is_active=False)
    for user in (gone, boss):
        assert not permissions.uses_pages(user)
        assert not permissions.may_submit(user)
        assert not permissions.may_read_unit(user, unit_a.pk)


# --- The pages follow "uses the pages" --------------------------------------------------------

PAGES = [
    reverse("workspace:home"),
    reverse("reviews:deadline_board"),
    reverse("reports:index"),
    reverse("reports:detail", args=[2017]),
    reverse("workspace:notifications"),
]


@pytest.mark.parametrize("page", PAGES)
@pytest.mark.parametrize(
    ("role", "status"),
    [
        ("anonymous", 302),
        ("liaison", 200),
        ("liaison2", 200),
        ("office", 200),
        ("leader", 200),
        ("municipal", 403),
    ],
)
def test_pages_answer_people_and_refuse_api_clients(client, users, page, role, status):
    if role != "anonymous":
        client.force_login(users[role])
    response = client.get(page)
    assert response.status_code == status
    if status == 302:
        assert response["Location"].startswith(reverse("workspace:login"))


@pytest.mark.parametrize(
    ("role", "shown"),
    [("liaison", True), ("office", True), ("leader", True), ("municipal", False)],
)
def test_the_admin_lists_the_registers_for_people_only(rf, users, role, shown):
    from django.contrib import admin

    from tests.workflowapp.models import Memo

    request = rf.get("/admin/")
    request.user = users[role]
    assert admin.site._registry[Memo].has_module_permission(request) is shown


# --- Data entry follows "may submit" ----------------------------------------------------------


@pytest.mark.parametrize(
    ("role", "submits"),
    [("liaison", True), ("liaison2", True), ("office", True), ("leader", False)],
)
def test_menu_upload_page_and_submit_action_follow_may_submit(client, users, role, submits):
    client.force_login(users[role])
    home = client.get(reverse("workspace:home")).content.decode()
    assert (">数据报送</a>" in home) is submits
    registers = client.get(reverse("workspace:registers")).content.decode()
    assert (reverse("registers:exchange") in registers) is submits
    assert client.get(reverse("registers:exchange")).status_code == (200 if submits else 403)
    changelist = client.get(reverse("admin:workflowapp_memo_changelist"))
    action_form = changelist.context["action_form"]  # None when no action is left
    actions = dict(action_form.fields["action"].choices) if action_form else {}
    assert ("submit_selected" in actions) is submits


def test_the_upload_page_refuses_api_clients_and_sends_visitors_to_log_in(client, municipal):
    assert client.get(reverse("registers:exchange")).status_code == 302
    client.force_login(municipal)
    assert client.get(reverse("registers:exchange")).status_code == 403


@pytest.mark.parametrize(
    ("role", "status", "code"),
    [
        ("anonymous", 401, "not_authenticated"),
        ("leader", 403, "read_only_role"),
        ("municipal", 403, "read_only_role"),
        ("liaison", 400, None),  # may write: the empty record is refused by validation
        ("office", 400, None),
    ],
)
def test_api_writes_follow_may_submit(users, role, status, code):
    response = client_for(users.get(role)).post("/api/v1/comment-draft-replies/", {}, format="json")
    assert response.status_code == status
    if code:
        assert response.json()["code"] == code
