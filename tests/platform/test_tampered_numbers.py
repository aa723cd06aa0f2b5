"""A key, a revision or a page number typed or tampered with ("²", 10**30, "-1", "abc") is
refused as what it is, or read as absent; never a 500, and never after part of the work is
done (``registers.core.text.whole_number``)."""

import pytest
from django.urls import reverse

from registers.core.status import Status
from registers.core.text import KEY_LIMIT, whole_number
from registers.core.workflow import submit
from reviews.models import GovernmentContract
from tests.api.conftest import client_for
from tests.workflowapp.models import Memo
from tests.workspace.test_review_queue import memo

pytestmark = pytest.mark.django_db

TAMPERED = ["²", "٣", str(KEY_LIMIT), str(10**30), "-1", "1.0", "abc", "", " 7"]


@pytest.mark.parametrize("text", TAMPERED)
def test_whole_number_takes_ascii_digits_a_database_key_can_hold(text):
    assert whole_number(text) is None


def test_whole_number_reads_a_key():
    assert whole_number("0") == 0
    assert whole_number(str(KEY_LIMIT - 1)) == KEY_LIMIT - 1


@pytest.mark.parametrize("key", ["²", str(10**30), str(KEY_LIMIT)])
def test_bulk_approve_passes_over_a_tampered_key_and_approves_the_rest(
    client, office, liaison, unit_a, key
):
    record = submit(memo(unit_a, by=liaison), by=liaison)
    client.force_login(office)
    response = client.post(
        reverse("workspace:review_bulk_approve"),
        {"record": [f"workflowapp.memo:{record.pk}:", f"workflowapp.memo:{key}:1"]},
        follow=True,
    )
    assert response.status_code == 200
    assert "1 条记录已审核通过" in response.content.decode()
    assert Memo.objects.get(pk=record.pk).status == Status.APPROVED


@pytest.mark.parametrize("revision", ["²", str(10**30)])
def test_bulk_approve_reads_a_tampered_revision_as_none_given(
    client, office, liaison, unit_a, revision
):
    record = submit(memo(unit_a, by=liaison), by=liaison)
    client.force_login(office)
    client.post(
        reverse("workspace:review_bulk_approve"),
        {"record": f"workflowapp.memo:{record.pk}:{revision}"},
    )
    assert Memo.objects.get(pk=record.pk).status == Status.APPROVED


@pytest.mark.parametrize("value", ["²", str(10**30)])
def test_an_api_write_with_a_tampered_revision_is_refused_as_a_field(office, unit_a, value):
    from tests.factories import make_document

    document = make_document(unit_a, status=Status.DRAFT)
    api = client_for(office)
    url = f"/api/v1/documents/{document.pk}/"
    assert api.patch(url, {"note": "改", "revision": value}).status_code == 400
    response = api.patch(url, {"note": "改"}, HTTP_IF_MATCH=f'"{value}"')
    assert response.status_code == 412
    assert response.json()["code"] == "precondition_failed"


@pytest.mark.parametrize(
    ("url", "query"),
    [
        ("/admin/registers/document/", {"unit": str(10**30)}),
        ("/admin/reviews/reconsiderationcase/", {"received_on_year": str(10**30)}),
        ("/admin/registers/document/", {"unit__id__exact": "²"}),
        ("/admin/registers/document/", {"issued_on__year": "9999"}),
        ("/admin/registers/document/", {"issued_on__year": str(10**30)}),
        ("/admin/registers/document/", {"issued_on__year": "2017", "issued_on__month": "13"}),
    ],
)
def test_an_admin_list_refuses_a_number_out_of_range_as_a_bad_filter(office, url, query):
    response = client_for(office).get(url, query)
    assert (response.status_code, response["Location"]) == (302, f"{url}?e=1")


@pytest.mark.parametrize("year", ["0", "-1", "99999", "²"])
def test_an_admin_year_filter_out_of_range_lists_nothing(office, unit_a, year):
    from tests.factories import make_reconsideration

    make_reconsideration(unit_a)
    url = "/admin/reviews/reconsiderationcase/"
    assert "咸安复〔测试〕" in client_for(office).get(url).content.decode()
    response = client_for(office).get(url, {"received_on_year": year})
    assert response.status_code == 200
    assert "咸安复〔测试〕" not in response.content.decode()


@pytest.mark.parametrize("page", [str(2**58), str(10**30), "²"])
def test_a_review_queue_page_past_any_end_shows_the_last(client, office, liaison, unit_a, page):
    submit(memo(unit_a, by=liaison), by=liaison)
    client.force_login(office)
    response = client.get(reverse("workspace:review_queue"), {"page": page})
    assert response.status_code == 200
    assert "备忘一" in response.content.decode()


@pytest.mark.parametrize("value", [str(KEY_LIMIT), str(10**30), "²", "-3"])
@pytest.mark.parametrize(
    ("url", "name"),
    [
        ("/public/cleanups/", "campaign"),
        ("/public/power/", "unit"),
        ("/public/inspections/", "unit"),
    ],
)
def test_a_public_page_reads_a_tampered_choice_as_none(client, url, name, value):
    assert client.get(url, {name: value}).status_code == 200


@pytest.mark.parametrize("key", ["abc", "²", str(10**30)])
def test_an_admin_action_on_a_tampered_tick_does_nothing_and_says_so(
    client, office, liaison, unit_a, key
):
    from tests.factories import make_contract

    contract = make_contract(unit_a)
    submit(contract, by=liaison)
    client.force_login(office)
    url = "/admin/reviews/governmentcontract/"
    response = client.post(
        url,
        {"action": "approve_selected", "_selected_action": [str(contract.pk), key], "index": "0"},
        follow=True,
    )
    assert response.status_code == 200
    assert "勾选的记录编号无效，没有执行任何操作。" in response.content.decode()
    contract.refresh_from_db()
    assert contract.status == Status.SUBMITTED


@pytest.mark.parametrize("version", ["abc", "²", str(10**30)])
def test_a_tampered_history_version_is_not_found(client, office, unit_a, version):
    from tests.factories import make_contract

    contract = make_contract(unit_a)
    client.force_login(office)
    url = f"/admin/reviews/governmentcontract/{contract.pk}/history/{version}/"
    assert client.get(url).status_code == 404


@pytest.mark.parametrize("value", ["zzz", "²", str(10**30)])
def test_a_tampered_autocomplete_value_is_refused_with_the_form_shown_again(client, office, value):
    client.force_login(office)
    response = client.post("/admin/reviews/governmentcontract/add/", {"unit": value})
    assert response.status_code == 200
    html = response.content.decode()
    assert "errorlist" in html
    assert not GovernmentContract.objects.exists()
