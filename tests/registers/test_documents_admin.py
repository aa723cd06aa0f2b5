"""The document register and licence-integration admin: scoping, inlines and status filters."""

import datetime

import pytest
import time_machine
from django.urls import reverse

from registers.core.status import Status
from registers.models import Document, DocumentChange, DocumentChangeKind, DocumentKind
from tests.factories import make_batch, make_document, make_integrated_item

D = datetime.date


@pytest.fixture(autouse=True)
def today():
    with time_machine.travel(datetime.datetime(2018, 3, 1, 10, 0), tick=False):
        yield


def url(model, view, *args):
    return reverse(f"admin:registers_{model}_{view}", args=args)


# Records of unit A ("城管") and unit B ("交通") for every unit-scoped model.
BUILDERS = {
    "document": lambda unit, label: make_document(unit, title=label),
    "integrateditem": lambda unit, label: make_integrated_item(unit, name=label),
}


@pytest.fixture(params=sorted(BUILDERS))
def records(request, unit_a, unit_b):
    build = BUILDERS[request.param]
    return request.param, build(unit_a, "城管的记录"), build(unit_b, "交通的记录")


@pytest.mark.parametrize(
    ("role", "sees_a", "sees_b"),
    [("liaison", True, False), ("liaison2", False, True), ("office", True, True)],
)
def test_changelist_shows_only_the_units_records(client, users, records, role, sees_a, sees_b):
    model, _a, _b = records
    client.force_login(users[role])
    page = client.get(url(model, "changelist")).content.decode()
    assert ("城管的记录" in page) is sees_a
    assert ("交通的记录" in page) is sees_b


@pytest.mark.parametrize("view", ["change", "history", "delete"])
def test_another_units_record_answers_404(client, liaison2, records, view):
    model, record_a, _b = records
    client.force_login(liaison2)
    response = client.get(url(model, view, record_a.pk))
    assert response.status_code == 404
    assert "城管的记录" not in response.content.decode()


def test_reform_batches_are_reference_data_read_by_every_liaison(client, liaison, liaison2):
    batch = make_batch(name="27证合一")
    for user in (liaison, liaison2):
        client.force_login(user)
        assert "27证合一" in client.get(url("licencereformbatch", "changelist")).content.decode()
        response = client.post(
            url("licencereformbatch", "change", batch.pk),
            {"name": "改名", "reform_on": "2017-08-01"},
        )
        assert response.status_code == 403
    batch.refresh_from_db()
    assert batch.name == "27证合一"


def test_a_liaison_cannot_point_at_another_units_document(client, liaison, unit_b):
    other = make_document(unit_b, title="交通的文件")
    mine = make_document(liaison.unit, title="城管的文件", issued_on=D(2017, 5, 2))
    client.force_login(liaison)
    data = {
        "changes-TOTAL_FORMS": "1",
        "changes-INITIAL_FORMS": "0",
        "changes-0-kind": DocumentChangeKind.REPEALED,
        "changes-0-changed_on": "2017-06-01",
        "changes-0-by_document": other.pk,
        "title": mine.title,
        "number": mine.number,
        "kind": mine.kind,
        "issued_on": "2017-05-02",
    }
    Document.objects.filter(pk=mine.pk).update(status=Status.DRAFT)
    response = client.post(url("document", "change", mine.pk), data)
    assert response.status_code == 200  # the form again, with the error
    assert "选择一个有效的选项" in response.content.decode()
    assert not DocumentChange.objects.exists()


def test_a_liaison_edits_changes_only_while_the_document_is_a_draft(client, liaison):
    document = make_document(liaison.unit, title="城管的文件", issued_on=D(2017, 5, 2))
    data = {
        "title": document.title,
        "number": document.number,
        "kind": document.kind,
        "issued_on": "2017-05-02",
        "changes-TOTAL_FORMS": "1",
        "changes-INITIAL_FORMS": "0",
        "changes-0-kind": DocumentChangeKind.EXPIRED,
        "changes-0-changed_on": "2017-12-01",
        "changes-0-basis": "清理",
    }
    client.force_login(liaison)
    assert client.post(url("document", "change", document.pk), data).status_code == 403
    assert not DocumentChange.objects.exists()

    Document.objects.filter(pk=document.pk).update(status=Status.DRAFT)
    assert client.post(url("document", "change", document.pk), data).status_code == 302
    assert DocumentChange.objects.get().kind == DocumentChangeKind.EXPIRED


def test_office_adds_a_document_with_a_bracket_variant_and_default_validity(client, office, unit_a):
    client.force_login(office)
    response = client.post(
        url("document", "add"),
        {
            "title": "咸安区城区养犬管理暂行办法",
            "number": "咸安政规[2017]4号",
            "kind": DocumentKind.NORMATIVE,
            "unit": unit_a.pk,
            "issued_on": "2017-06-15",
            "status": Status.APPROVED,
            "changes-TOTAL_FORMS": "0",
            "changes-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 302
    document = Document.objects.get()
    assert document.number == "咸安政规〔2017〕4号"
    assert (document.effective_on, document.valid_until) == (D(2017, 6, 15), D(2019, 6, 14))


def test_a_wrong_number_is_shown_with_its_reason(client, office, unit_a):
    client.force_login(office)
    response = client.post(
        url("document", "add"),
        {
            "title": "办法",
            "number": "咸安政规〔2016〕4号",
            "kind": DocumentKind.NORMATIVE,
            "unit": unit_a.pk,
            "issued_on": "2017-06-15",
            "status": Status.APPROVED,
            "changes-TOTAL_FORMS": "0",
            "changes-INITIAL_FORMS": "0",
        },
    )
    assert "文号年份 2016 与印发日期年份 2017 不一致" in response.content.decode()
    assert not Document.objects.exists()


def test_the_changelist_filters_by_status_on_a_chosen_year_end(client, office, unit_a):
    make_document(unit_a, title="早已失效的通知", issued_on=D(2011, 4, 6))
    make_document(unit_a, title="二〇一七年底失效的通知", issued_on=D(2012, 12, 3))
    client.force_login(office)
    expired_2016 = client.get(
        url("document", "changelist"), {"as_of": "2016-12-31", "document_status": "expired"}
    ).content.decode()
    assert "早已失效的通知" in expired_2016
    assert "二〇一七年底失效的通知" not in expired_2016
    expired_2017 = client.get(
        url("document", "changelist"), {"as_of": "2017-12-31", "document_status": "expired"}
    ).content.decode()
    assert "二〇一七年底失效的通知" in expired_2017


def test_the_change_page_explains_todays_status(client, office, unit_a):
    document = make_document(unit_a, issued_on=D(2012, 12, 3))
    client.force_login(office)
    page = client.get(url("document", "change", document.pk)).content.decode()
    assert "有效期至 2017-12-02，期满自动失效" in page


def test_a_rows_checkbox_is_djangos_own(client, office, unit_a):
    from django.contrib import admin

    document = make_document(unit_a, title="关于<测试>的通知")
    model_admin = admin.site._registry[Document]
    assert model_admin.action_checkbox(document) == admin.ModelAdmin.action_checkbox(
        model_admin, document
    )
    client.force_login(office)
    page = client.get(reverse("admin:registers_document_changelist")).content.decode()
    assert model_admin.action_checkbox(document) in page
