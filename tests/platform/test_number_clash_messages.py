"""A number already used by another unit's record: the record is not saved, and a liaison
is not told that record exists (whose it is, or that it is there at all); the office, and
a liaison whose own unit holds it, see the specific message."""

import pytest
from django.contrib import admin
from django.forms.models import model_to_dict
from django.test import RequestFactory

from registers.core.status import Status
from registers.core.uniqueness import NEUTRAL_MESSAGE
from registers.models import Document
from reviews.models import ReconsiderationCase
from reviews.resources import ReconsiderationCaseResource
from tests import factories as f
from tests.api.conftest import client_for
from tests.exchange.test_exchange_api import attached

pytestmark = pytest.mark.django_db

NEUTRAL = str(NEUTRAL_MESSAGE)


def patched_number(user, case, number):
    return client_for(user).patch(
        f"/api/v1/reconsideration-cases/{case.pk}/", {"number": number}, format="json"
    )


def test_a_liaison_is_not_told_another_unit_holds_a_case_number(liaison, unit_a, unit_b):
    theirs = f.make_reconsideration(unit_b, number="咸安复〔2017〕9号")
    mine = f.make_reconsideration(unit_a, status=Status.DRAFT)
    response = patched_number(liaison, mine, theirs.number)
    assert response.status_code == 400
    [error] = response.json()["errors"]["number"]
    assert error["message"] == NEUTRAL
    assert unit_b.name not in response.content.decode()
    mine.refresh_from_db()
    assert mine.number != theirs.number


#: What the office, or a liaison whose own unit holds the number, is told.
SPECIFIC = "已有案号相同的行政复议案件（案号已统一为半角字符后比较）。"


def test_the_neutral_message_reads_the_same_as_for_a_number_nobody_can_tell_apart(
    liaison, unit_a, unit_b
):
    """Two other units' numbers give word for word the same answer."""
    first = f.make_reconsideration(unit_b)
    second = f.make_reconsideration(f.make_unit())
    mine = f.make_reconsideration(unit_a, status=Status.DRAFT)
    answers = {patched_number(liaison, mine, case.number).content for case in (first, second)}
    assert len(answers) == 1


def test_a_liaison_whose_own_unit_holds_the_number_sees_the_specific_message(liaison, unit_a):
    own = f.make_reconsideration(unit_a)
    mine = f.make_reconsideration(unit_a, status=Status.DRAFT)
    [error] = patched_number(liaison, mine, own.number).json()["errors"]["number"]
    assert error["message"] == SPECIFIC and error["code"] == "duplicate_case_number"


def test_the_office_sees_the_specific_message(office, unit_a, unit_b):
    theirs = f.make_reconsideration(unit_b)
    other = f.make_reconsideration(unit_a)
    [error] = patched_number(office, other, theirs.number).json()["errors"]["number"]
    assert error["message"] == SPECIFIC and error["code"] == "duplicate_case_number"


def test_a_liaison_is_not_told_in_the_admin_another_unit_holds_a_document_number(
    liaison, unit_a, unit_b
):
    theirs = f.make_document(unit_b)
    mine = f.make_document(unit_a, status=Status.DRAFT)
    request = RequestFactory().post("/")
    request.user = liaison
    form_class = admin.site._registry[Document].get_form(request, mine, change=True)
    data = {
        name: value
        for name, value in model_to_dict(mine, fields=form_class.base_fields).items()
        if value is not None
    }
    form = form_class(data={**data, "number": theirs.number}, instance=mine)
    assert not form.is_valid()
    assert form.errors["number"] == [NEUTRAL]
    assert Document.objects.get(pk=mine.pk).number != theirs.number


def test_a_liaison_is_not_told_in_an_upload_another_unit_holds_a_case_number(
    liaison, unit_a, unit_b
):
    theirs = f.make_reconsideration(unit_b)
    header, example = f.template_example(ReconsiderationCaseResource, liaison)
    example[header.index(ReconsiderationCaseResource().column_of("number"))] = theirs.number
    upload = "/api/v1/uploads/reconsideration-cases/"
    response = client_for(liaison).post(upload, {"file": attached(f.make_xlsx([example], header))})
    assert response.status_code == 400
    reasons = [error["reason"] for error in response.json()["errors"]]
    assert NEUTRAL in reasons
    assert not any(unit_b.name in reason for reason in reasons)
    assert not ReconsiderationCase.objects.filter(unit=unit_a).exists()


def test_an_upload_by_the_office_names_the_clash_specifically(office, unit_b):
    theirs = f.make_reconsideration(unit_b)
    header, example = f.template_example(ReconsiderationCaseResource, office)
    example[header.index(ReconsiderationCaseResource().column_of("number"))] = theirs.number
    upload = "/api/v1/uploads/reconsideration-cases/"
    response = client_for(office).post(
        upload, {"file": attached(f.make_xlsx([example], header)), "unit": unit_b.name}
    )
    assert response.status_code == 400
    reasons = [error["reason"] for error in response.json()["errors"]]
    assert NEUTRAL not in reasons and reasons
