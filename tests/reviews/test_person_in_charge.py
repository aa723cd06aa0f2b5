"""The person in charge (承办人) of cases, filings, transfers, rectifications and draws: who may
be named (office staff, or a liaison of the record's unit), and naming them in the admin
and the API."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from registers.core.roles import Role
from tests.api.conftest import client_for
from tests.factories import (
    make_document,
    make_draw_record,
    make_filing,
    make_litigation,
    make_reconsideration,
    make_rectification,
    make_transfer,
    make_user,
)

pytestmark = pytest.mark.django_db

MAKERS = {
    "reconsideration": lambda unit, user: make_reconsideration(unit),
    "litigation": lambda unit, user: make_litigation(unit),
    "filing": lambda unit, user: make_filing(make_document(unit)),
    "transfer": lambda unit, user: make_transfer(unit),
    "rectification": lambda unit, user: make_rectification(unit),
    "draw": lambda unit, user: make_draw_record(unit, drawn_by=user),
}


def handler_errors(record) -> list[str]:
    try:
        record.full_clean()
    except ValidationError as error:
        return [item.code for item in error.error_dict.get("handler", [])]
    return []


@pytest.mark.parametrize("kind", MAKERS)
def test_a_handler_of_another_unit_is_refused_on_every_register(
    kind, office, liaison, liaison2, unit_a
):
    record = MAKERS[kind](unit_a, office)
    record.handler = liaison2
    assert handler_errors(record) == ["handler_not_of_unit"]
    for fitting in (liaison, office):
        record.handler = fitting
        assert handler_errors(record) == []


def test_only_active_people_who_change_records_may_be_in_charge(unit_a, liaison, leader):
    problem = make_rectification(unit_a)
    problem.handler = leader  # reads every unit, changes nothing
    assert handler_errors(problem) == ["handler_not_of_unit"]
    colleague = make_user(Role.LIAISON, unit=unit_a, is_active=False, last_name="离职")
    problem.handler = colleague
    with pytest.raises(ValidationError) as refused:
        problem.full_clean()
    [message] = refused.value.message_dict["handler"]
    assert message == "承办人“离职”的账号已停用，请另选承办人。"


def test_the_refusal_is_shown_beside_the_records_other_errors(unit_a, liaison2):
    problem = make_rectification(unit_a)
    problem.handler = liaison2
    problem.measure = ""
    with pytest.raises(ValidationError) as refused:
        problem.full_clean()
    assert {"handler", "measure"} <= set(refused.value.message_dict)
    assert "法制办工作人员或本记录所属单位的联络员" in refused.value.message_dict["handler"][0]


# --- Admin ------------------------------------------------------------------------------------


def change_url(problem) -> str:
    return reverse("admin:reviews_rectificationproblem_change", args=[problem.pk])


def admin_post(problem, **changes) -> dict:
    data = {
        "unit": problem.unit_id,
        "campaign": problem.campaign,
        "problem": problem.problem,
        "source": problem.source,
        "found_on": problem.found_on.isoformat(),
        "measure": problem.measure,
        "due_on": problem.due_on.isoformat(),
        "based_on_revision": str(problem.revision),
        "registers-attachment-content_type-object_id-TOTAL_FORMS": "0",
        "registers-attachment-content_type-object_id-INITIAL_FORMS": "0",
    }
    data.update(changes)
    return data


def handler_options(response) -> set[int]:
    field = response.context["adminform"].form.fields["handler"]
    return {user.pk for user in field.queryset}


def test_a_liaison_is_offered_only_the_people_of_their_own_unit(
    client, office, leader, liaison, liaison2, unit_a
):
    colleague = make_user(Role.LIAISON, unit=unit_a, last_name="同事")
    make_user(Role.LIAISON, unit=unit_a, is_active=False)
    problem = make_rectification(unit_a)
    client.force_login(liaison)
    for url in (reverse("admin:reviews_rectificationproblem_add"), change_url(problem)):
        response = client.get(url)
        assert handler_options(response) == {liaison.pk, colleague.pk}
        page = response.content.decode()
        assert "承办人" in page and liaison2.username not in page


def test_the_office_is_offered_its_staff_and_the_records_units_liaisons(
    client, office, leader, liaison, liaison2, unit_a
):
    problem = make_rectification(unit_a)
    client.force_login(office)
    response = client.get(change_url(problem))
    assert handler_options(response) == {office.pk, liaison.pk}


def test_the_office_names_a_person_in_charge_in_the_admin(client, office, liaison, liaison2):
    problem = make_rectification(liaison.unit)
    client.force_login(office)
    response = client.post(change_url(problem), admin_post(problem, handler=liaison.pk))
    assert response.status_code == 302
    problem.refresh_from_db()
    assert problem.handler == liaison

    refused = client.post(change_url(problem), admin_post(problem, handler=liaison2.pk))
    assert refused.status_code == 200
    assert "handler" in refused.context["adminform"].form.errors
    problem.refresh_from_db()
    assert problem.handler == liaison


def test_a_liaison_cannot_post_another_units_person(client, liaison, liaison2):
    problem = make_rectification(liaison.unit)
    client.force_login(liaison)
    response = client.post(change_url(problem), admin_post(problem, handler=liaison2.pk))
    assert response.status_code == 200
    problem.refresh_from_db()
    assert problem.handler is None


# --- API --------------------------------------------------------------------------------------


def api_url(problem) -> str:
    return f"/api/v1/rectification-problems/{problem.pk}/"


def test_the_api_writes_the_handler_by_id_and_reads_it_with_the_name(office, liaison):
    liaison.last_name, liaison.first_name = "王", "承办"
    liaison.save()
    problem = make_rectification(liaison.unit)
    client = client_for(office)
    response = client.patch(api_url(problem), {"handler": liaison.pk}, format="json")
    assert response.status_code == 200, response.json()
    assert response.json()["handler"] == liaison.pk
    assert response.json()["handler_name"] == "王承办"
    assert client.get(api_url(problem)).json()["handler_name"] == "王承办"
    cleared = client.patch(api_url(problem), {"handler": None}, format="json")
    assert cleared.json()["handler"] is None and cleared.json()["handler_name"] is None


def test_the_api_refuses_another_units_person_with_a_code(office, liaison, liaison2):
    problem = make_rectification(liaison.unit)
    response = client_for(office).patch(api_url(problem), {"handler": liaison2.pk}, format="json")
    assert response.status_code == 400
    assert "handler_not_of_unit" in str(response.json())
    # A liaison cannot even name another unit's people.
    response = client_for(liaison).patch(api_url(problem), {"handler": liaison2.pk}, format="json")
    assert response.status_code == 400
    problem.refresh_from_db()
    assert problem.handler is None


def test_the_record_page_names_the_person_in_charge(client, office, liaison):
    liaison.last_name, liaison.first_name = "王", "承办"
    liaison.save()
    problem = make_rectification(liaison.unit, handler=liaison)
    client.force_login(office)
    page = client.get(f"/review/reviews.rectificationproblem/{problem.pk}/").content.decode()
    assert "<dt>承办人</dt><dd>王承办</dd>" in page


def changelist(record) -> str:
    meta = record._meta
    return reverse(f"admin:{meta.app_label}_{meta.model_name}_changelist")


@pytest.mark.parametrize("kind", MAKERS)
def test_the_admin_list_filters_by_the_person_in_charge(kind, client, office, liaison, unit_a):
    mine, theirs, nobodys = (MAKERS[kind](unit_a, office) for _ in range(3))
    for record, handler in ((mine, office), (theirs, liaison)):
        type(record).objects.filter(pk=record.pk).update(handler=handler)
    client.force_login(office)

    def listed(**query) -> set[int]:
        response = client.get(changelist(mine), query)
        assert response.status_code == 200
        return {row.pk for row in response.context["cl"].result_list}

    assert listed(handled="mine") == {mine.pk}
    assert listed(handled="nobody") == {nobodys.pk}
    assert {mine.pk, theirs.pk, nobodys.pk} <= listed()
    page = client.get(changelist(mine)).content.decode()
    assert "承办人" in page and "我承办的" in page and "无人承办" in page
