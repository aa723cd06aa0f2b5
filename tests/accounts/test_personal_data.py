"""A system reading through the API sees private persons' names and telephone numbers masked
unless its token was granted personal data (个人信息保护法: the minimum needed); people see
them as the admin shows them. One rule for lists, records, exports and search."""

import json

import pytest
from rest_framework.test import APIClient

from registers.core.personal import mask_identity_number, mask_name, mask_phone
from registers.core.roles import Role
from tests.api.conftest import client_for
from tests.factories import (
    make_accountability,
    make_litigation,
    make_reconsideration,
    make_target,
    make_token,
    make_user,
)

CASES = [
    ("reconsideration-cases", make_reconsideration, "applicant", "欧阳娜娜"),
    ("litigation-cases", make_litigation, "plaintiff", "李四光"),
    ("accountability-records", make_accountability, "person", "王五"),
    ("inspection-targets", make_target, "legal_representative", "赵六"),
]


def system_client(grants_personal_data: bool) -> APIClient:
    system = make_user(Role.API_CLIENT, username=f"city{int(grants_personal_data)}")
    client = APIClient()
    key = make_token(system, grants_personal_data=grants_personal_data)
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return client


def test_the_masks():
    assert mask_name("欧阳娜娜") == "欧**" and mask_name("") == ""
    assert mask_phone("13812345678") == "138****5678" and mask_phone("8123") == "****23"
    assert mask_identity_number("42120219800101123X") == "421202********123X"


@pytest.mark.parametrize(("prefix", "make", "field", "name"), CASES)
def test_a_system_without_the_grant_sees_names_masked_everywhere(prefix, make, field, name, unit_a):
    make(unit_a, **{field: name})
    client = system_client(grants_personal_data=False)
    masked = name[0] + "**"
    listed = client.get(f"/api/v1/{prefix}/").json()["results"][0]
    assert listed[field] == masked
    assert client.get(f"/api/v1/{prefix}/{listed['id']}/").json()[field] == masked
    csv = b"".join(client.get(f"/api/v1/{prefix}/export.csv").streaming_content).decode()
    assert masked in csv and name not in csv
    ndjson = b"".join(client.get(f"/api/v1/{prefix}/export.ndjson").streaming_content)
    assert json.loads(ndjson.splitlines()[0])[field] == masked
    # Searching for the name would tell which record holds it: it finds nothing.
    assert client.get(f"/api/v1/{prefix}/", {"search": name[1:]}).json()["results"] == []


@pytest.mark.parametrize(("prefix", "make", "field", "name"), CASES)
def test_a_granted_system_and_people_see_names_in_full(prefix, make, field, name, unit_a, office):
    make(unit_a, **{field: name})
    for client in (system_client(grants_personal_data=True), client_for(office)):
        assert client.get(f"/api/v1/{prefix}/").json()["results"][0][field] == name
        found = client.get(f"/api/v1/{prefix}/", {"search": name[1:]}).json()["results"]
        assert len(found) == 1


def test_a_telephone_number_is_masked_for_a_system_without_the_grant(unit_a):
    make_target(unit_a, contact="0715-8123456")
    row = system_client(grants_personal_data=False).get("/api/v1/inspection-targets/").json()
    assert row["results"][0]["contact"] == "071****3456"
