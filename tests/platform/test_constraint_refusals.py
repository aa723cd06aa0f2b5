"""A database constraint is the one statement of its rule: its refusal is shown on the field it
is about, in the admin's forms, the API and the upload alike, and no model re-checks it in
``clean`` (``registers.core.constraints``)."""

import datetime

import pytest
from django import forms
from django.apps import apps
from django.core.exceptions import FieldDoesNotExist, ValidationError

from registers.core.constraints import refused_field
from registers.core.roles import Role
from registers.models import EnforcementBody, PowerItem
from reviews.models import LitigationOutcome
from tests.api.conftest import client_for
from tests.factories import (
    make_body,
    make_litigation,
    make_power_item,
    make_reconsideration,
    make_suspension,
    make_transfer,
    make_user,
)

D = datetime.date


def every_constraint():
    return [
        pytest.param(model, constraint, id=constraint.name)
        for model in apps.get_models()
        for constraint in model._meta.constraints
    ]


@pytest.mark.parametrize(("model", "constraint"), every_constraint())
def test_every_refusal_is_shown_on_a_field_of_its_model_or_on_the_record(model, constraint):
    field = refused_field(model, constraint)
    if field is None:
        return
    try:
        model._meta.get_field(field)
    except FieldDoesNotExist:
        pytest.fail(f"{constraint.name} is refused on {field!r}, which {model.__name__} lacks")


def refusals(record) -> dict[str, list[str]]:
    with pytest.raises(ValidationError) as info:
        record.full_clean()
    return {name: [item.code for item in items] for name, items in info.value.error_dict.items()}


def test_a_rule_checked_in_the_database_is_refused_once_on_its_field(unit_a):
    transfer = make_transfer(unit_a)
    transfer.decision = "approved"  # no date of the decision
    assert refusals(transfer) == {"decided_on": ["decision_without_date"]}


def test_a_later_date_before_the_earlier_is_refused_on_the_later_date(unit_a):
    case = make_reconsideration(unit_a, acceptance="accepted", acceptance_on=D(2017, 3, 3))
    suspension = make_suspension(case, suspended_on=D(2017, 3, 10))
    suspension.resumed_on = D(2017, 3, 9)
    assert refusals(suspension) == {"resumed_on": ["resumed_before_suspended"]}


def test_a_field_filled_too_early_is_refused_on_that_field(unit_a):
    case = make_litigation(unit_a)
    case.outcome = LitigationOutcome.CLAIM_REJECTED
    assert refusals(case) == {"outcome": ["outcome_without_conclusion"]}


def test_a_name_unique_within_the_unit_is_refused_on_the_name(unit_a, unit_b):
    body = make_body(unit_a, name="咸安区城市管理执法大队")
    make_body(unit_b, name="咸安区城市管理执法大队")  # another unit's may have the name
    again = EnforcementBody(
        unit=unit_a, name=body.name, kind=body.kind, legal_basis=body.legal_basis
    )
    assert refusals(again) == {"name": ["duplicate_body"]}


def test_a_liaison_without_a_unit_is_refused_on_the_unit(db):
    person = make_user()
    person.role = Role.LIAISON
    assert refusals(person)["unit"] == ["liaison_without_unit"]


class ItemForm(forms.ModelForm):
    """What the admin's form of an item holds: never the closing date, which only the
    power-list services write."""

    class Meta:
        model = PowerItem
        fields = ["unit", "list_kind", "code", "name", "effective_from"]


def item_data(item, **changes) -> dict:
    data = {name: getattr(item, name) for name in ItemForm.Meta.fields}
    data["unit"] = item.unit_id
    data.update(changes)
    return data


def test_a_rule_on_a_field_no_form_offers_is_still_checked(unit_a):
    """One open item per code depends on the closing date, which no form offers: Django
    would skip the rule, and the item would fail only in the database."""
    item = make_power_item(unit_a, code="CF-001")
    data = item_data(item, name="另一事项", effective_from=D(2018, 1, 1))
    form = ItemForm(data=data, instance=PowerItem(category="其他"))
    assert not form.is_valid()
    assert [e.code for e in form.errors.as_data()["code"]] == ["code_in_use"]
    closed = make_power_item(unit_a, code="CF-002", closed_on=D(2018, 1, 1))
    data = item_data(closed, name="新版本", effective_from=D(2018, 1, 1))
    form = ItemForm(data=data, instance=PowerItem(category="其他"))
    form.is_valid()
    assert "code" not in form.errors  # the old version is closed: the code is free


def test_a_refusal_about_a_field_no_form_offers_is_shown_on_the_record(unit_a):
    item = make_power_item(unit_a, code="CF-003", effective_from=D(2017, 1, 1))
    item.closed_on = D(2016, 12, 1)  # kept by the services, before the item took effect
    form = ItemForm(data=item_data(item), instance=item)
    assert not form.is_valid()
    assert [e.code for e in form.non_field_errors().as_data()] == [
        "poweritem_closed_after_effective"
    ]


def test_the_api_shows_a_constraints_refusal_on_its_field(liaison):
    transfer = make_transfer(liaison.unit)
    response = client_for(liaison).patch(
        f"/api/v1/criminal-transfers/{transfer.pk}/", {"decision": "approved"}, format="json"
    )
    assert response.status_code == 400
    assert response.json()["errors"] == {
        "decided_on": [{"message": "审批决定和决定日期须同时填写", "code": "decision_without_date"}]
    }
    transfer.refresh_from_db()
    assert transfer.decision == ""  # nothing written
