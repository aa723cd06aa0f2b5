"""The permission matrix, generated over every resource the router serves.

For each resource and role: list, retrieve, create, update, delete and the workflow actions
answer with the status the one rule (registers.core.permissions) gives, and a liaison never gets a
record of another unit.
"""

import pytest

from registers.core import permissions as rules
from registers.core.roles import Role
from registers.core.status import Status
from tests.api.conftest import RECORD_RESOURCES, RESOURCES, ROLES, SAMPLES, client_for
from tests.factories import make_token, make_user

READ_ONLY_ROLES = {"leader", "municipal"}


def test_every_resource_has_a_sample():
    assert set(RECORD_RESOURCES) == set(SAMPLES)


def set_status(record, status: Status) -> None:
    """Put the record in ``status`` for the next step of the matrix (test setup, not a
    transition: the API's transitions above moved it on since ``record`` was read)."""
    type(record).objects.filter(pk=record.pk).update(status=status)


def _traits(prefix):
    viewset = RESOURCES[prefix]
    model = viewset.queryset.model
    return {
        "model": model,
        "reference": rules.scope_field_of(model) is None,
        "workflow": hasattr(viewset, "submit"),
        "child": viewset.parent_field is not None,
        "deletable": "delete" in viewset.http_method_names,
        "read_only": "post" not in viewset.http_method_names,
        "delete_office_only": viewset.delete_office_only,
        "owned_directly": rules.scope_field_of(model) == "unit",
        # A clean-up campaign is approved by confirming its results, nothing else.
        "approved_by_confirming": hasattr(viewset, "confirm"),
    }


def _expected_write(role, traits, *, own: bool, ok: int) -> int:
    """The status of a write to a record of unit A by ``role``."""
    if role == "anonymous":
        return 401
    if role in READ_ONLY_ROLES:
        return 403
    if traits["read_only"]:
        return 405  # records made only by an action elsewhere (an adjustment by "adjust")
    if role == "office":
        return ok
    if traits["reference"]:
        return 403
    if not own:
        return 404  # another unit's record does not exist for this liaison
    return ok


def _expected_delete(role, traits, *, own: bool) -> int:
    if not traits["deletable"]:
        return {"anonymous": 401, "leader": 403, "municipal": 403}.get(role, 405)
    expected = _expected_write(role, traits, own=own, ok=204)
    if role.startswith("liaison") and expected == 204:
        if traits["delete_office_only"]:
            return 403
        if not traits["workflow"] and not traits["child"]:
            return 403  # a liaison deletes only drafts; a pool entry has no draft state
    return expected


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("prefix", RECORD_RESOURCES)
def test_permission_matrix(prefix, role, clients, users, unit_a, unit_b):
    traits = _traits(prefix)
    client = clients[role]
    make = SAMPLES[prefix]
    own = role != "liaison2"  # liaison owns unit A's records; liaison2 is of unit B
    record = make(unit_a, users["office"])
    other = make(unit_b, users["office"])
    url = f"/api/v1/{prefix}/"
    detail = f"{url}{record.pk}/"

    # list and retrieve
    response = client.get(url, {"page_size": 500})
    assert response.status_code == (401 if role == "anonymous" else 200)
    if role != "anonymous":
        ids = {row["id"] for row in response.json()["results"]}
        visible = {record.pk, other.pk} & ids
        if traits["reference"] or not role.startswith("liaison"):
            assert visible == {record.pk, other.pk}
        else:
            assert visible == ({record.pk} if role == "liaison" else {other.pk})
    expected = 401 if role == "anonymous" else (404 if role == "liaison2" else 200)
    if traits["reference"] and role == "liaison2":
        expected = 200
    assert client.get(detail).status_code == expected

    # create: an empty body is refused by validation for those who may create
    response = client.post(url, {}, format="json")
    assert response.status_code == _expected_write(role, traits, own=True, ok=400), response.data
    if response.status_code in (401, 403):
        assert "code" in response.json()

    # update: an empty change is accepted for those who may change the record
    own_write = own or traits["reference"]
    response = client.patch(detail, {}, format="json")
    assert response.status_code == _expected_write(role, traits, own=own_write, ok=200), (
        response.data
    )

    # workflow: submit the draft; approving and returning are the office's
    if traits["workflow"]:
        response = client.post(f"{detail}submit/", {}, format="json")
        assert response.status_code == _expected_write(role, traits, own=own, ok=200)
        record.refresh_from_db()
        if record.status != Status.SUBMITTED:
            set_status(record, Status.SUBMITTED)
        for action, body in (("return", {"comment": "请补充依据"}), ("approve", {})):
            response = client.post(f"{detail}{action}/", body, format="json")
            expected = 200 if role == "office" else (401 if role == "anonymous" else 403)
            if expected == 200 and action == "approve" and traits["approved_by_confirming"]:
                expected = 400
                assert response.json()["errors"][0]["code"] == "confirm_to_approve"
            assert response.status_code == expected, (action, response.data)
            if role == "office" and action == "return":
                set_status(record, Status.SUBMITTED)
        set_status(record, Status.DRAFT)

    # delete (a fresh draft: approving above may have left rows that refer to the record)
    record = make(unit_a, users["office"])
    detail = f"{url}{record.pk}/"
    response = client.delete(detail)
    assert response.status_code == _expected_delete(role, traits, own=own_write), response.data
    if response.status_code == 204:
        model = traits["model"]
        assert not model.objects.filter(pk=record.pk).exists()
        assert model.history.filter(id=record.pk, history_type="-").exists()


UNIT_RESOURCES = [p for p in RECORD_RESOURCES if not _traits(p)["reference"]]


@pytest.mark.parametrize("prefix", UNIT_RESOURCES)
def test_liaison_never_receives_another_units_record(prefix, clients, users, unit_a, unit_b):
    traits = _traits(prefix)
    SAMPLES[prefix](unit_a, users["office"])
    other = SAMPLES[prefix](unit_b, users["office"])
    client = clients["liaison"]
    model = traits["model"]

    def owners(ids):
        return {rules.owner_unit_id(model.objects.get(pk=pk)) for pk in ids}

    listed = client.get(f"/api/v1/{prefix}/", {"page_size": 500}).json()["results"]
    assert owners(row["id"] for row in listed) == {unit_a.pk}

    synced = client.get(f"/api/v1/{prefix}/", {"updated_since": "2000-01-01", "cursor": ""})
    assert owners(row["id"] for row in synced.json()["results"]) == {unit_a.pk}

    exported = client.get(f"/api/v1/{prefix}/export.ndjson")
    lines = b"".join(exported.streaming_content).decode().splitlines()
    import json

    assert owners(json.loads(line)["id"] for line in lines) == {unit_a.pk}

    assert client.get(f"/api/v1/{prefix}/{other.pk}/").status_code == 404

    if traits["read_only"]:
        return  # never edited nor deleted (an adjustment is undone by a later adjustment)
    other_id = other.pk
    other.delete()
    deleted = client.get(f"/api/v1/{prefix}/", {"updated_since": "2000-01-01"}).json()
    assert other_id not in {row["id"] for row in deleted["deleted"]}
    seen_by_owner = clients["liaison2"].get(f"/api/v1/{prefix}/", {"updated_since": "2000-01-01"})
    assert other_id in {row["id"] for row in seen_by_owner.json()["deleted"]}


def test_tokens_are_managed_by_the_security_administrator_only(clients, secadmin):
    # Tokens moved from the office to the security administrator (三员分立).
    clients = {**clients, "secadmin": client_for(secadmin)}
    system = make_user(Role.API_CLIENT, username="another_system")
    make_token(system)
    for role in [*ROLES, "secadmin"]:
        client = clients[role]
        expected = {"anonymous": 401, "secadmin": 201}.get(role, 403)
        response = client.post("/api/v1/tokens/", {"user": system.pk, "name": "x"}, format="json")
        assert response.status_code == expected, role
        assert "code" in response.json() or role == "secadmin"
        listed = client.get("/api/v1/tokens/")
        assert listed.status_code == {"anonymous": 401, "secadmin": 200}.get(role, 403)
        token = system.api_tokens.filter(revoked_at=None).first()
        revoked = client.delete(f"/api/v1/tokens/{token.pk}/")
        assert revoked.status_code == {"anonymous": 401, "secadmin": 204}.get(role, 403)
