"""A control character (U+0010, pasted in with a title) is refused wherever text is typed or
uploaded, with a clear message; one already stored never breaks a file made from it."""

import datetime
import io

import docx
import openpyxl
import pytest
from django.contrib import admin
from django.forms.models import model_to_dict
from django.test import RequestFactory
from django.urls import reverse

from registers.core.status import Status
from registers.core.text import printable, validate_plain_text
from registers.models import InspectionItem, Unit
from tests import factories as f
from tests.api.conftest import client_for
from tests.exchange.test_exchange_api import UPLOAD, attached
from tests.exchange.test_uploads import ITEM_HEADER, item_row
from xianan_lawgov.reports.models import Report
from xianan_lawgov.workspace.forms import ReviewForm

pytestmark = pytest.mark.django_db

BROKEN = "道路工程\x10施工合同"
SHOWN = "道路工程施工合同"


def refused_with_a_clear_message(messages) -> bool:
    return any("控制字符" in str(m) and "U+0010" in str(m) for m in messages)


def test_a_contract_title_with_a_control_character_is_refused_by_the_api(liaison, unit_a):
    contract = f.make_contract(unit_a)
    response = client_for(liaison).patch(
        f"/api/v1/contracts/{contract.pk}/", {"title": BROKEN}, format="json"
    )
    assert response.status_code == 400
    error = response.json()["errors"]["title"][0]
    assert error["code"] == "control_character"
    assert refused_with_a_clear_message([error["message"]])
    contract.refresh_from_db()
    assert contract.title != BROKEN


def test_tab_and_new_line_are_still_accepted(liaison, unit_a):
    contract = f.make_contract(unit_a)
    response = client_for(liaison).patch(
        f"/api/v1/contracts/{contract.pk}/", {"note": "第一行\n\t第二行\r\n"}, format="json"
    )
    assert response.status_code == 200, response.json()


def test_a_unit_name_with_a_control_character_is_refused_in_the_admin(office):
    unit = f.make_unit()
    model_admin = admin.site._registry[Unit]
    request = RequestFactory().post("/")
    request.user = office
    form_class = model_admin.get_form(request, unit, change=True)
    data = {
        name: value
        for name, value in model_to_dict(unit, fields=form_class.base_fields).items()
        if value is not None
    }
    form = form_class(data={**data, "name": "区\x1f城管局"}, instance=unit)
    assert not form.is_valid()
    assert [e.code for e in form.errors.as_data()["name"]] == ["control_character"]
    assert "控制字符" in form.errors["name"][0]


def test_a_review_comment_with_a_control_character_is_refused_on_the_review_page():
    form = ReviewForm(data={"comment": "请补充\x07依据"})
    assert not form.is_valid()
    assert "控制字符" in form.errors["comment"][0] and "U+0007" in form.errors["comment"][0]


def test_an_excel_upload_with_a_control_character_is_refused_row_by_row(liaison):
    # Excel writes a control character in a cell as _x0010_; the reader decodes it.
    data = f.make_xlsx([item_row("SJ-1", 抽查事项="企业公示_x0010_信息抽查")], ITEM_HEADER)
    response = client_for(liaison).post(UPLOAD, {"file": attached(data)})
    assert response.status_code == 400
    [error] = response.json()["errors"]
    assert (error["row"], error["column"], error["code"]) == (2, "抽查事项", "control_character")
    assert "控制字符" in error["reason"]
    assert not InspectionItem.objects.exists()


def test_the_rule_reaches_every_free_text_field_of_the_project():
    from django.apps import apps
    from django.db import models

    unguarded = [
        f"{model.__name__}.{field.name}"
        for model in apps.get_models()
        if model._meta.app_label in {"registers", "reviews", "reports", "workspace", "accounts"}
        for field in model._meta.get_fields()
        if isinstance(field, models.CharField | models.TextField)
        and not field.choices
        and validate_plain_text not in field.validators
    ]
    assert not unguarded


# --- What was stored before the rule still makes every file -----------------------------------


@pytest.fixture
def stored(unit_a):
    """A contract and a unit whose names hold a control character, as stored before."""
    contract = f.make_contract(
        unit_a, status=Status.APPROVED, signed_on=datetime.date(2017, 5, 2), title=BROKEN
    )
    Unit.objects.filter(pk=unit_a.pk).update(name="区城管\x10执法局")
    return contract


def workbook_texts(content: bytes) -> str:
    book = openpyxl.load_workbook(io.BytesIO(content))
    return "\n".join(
        str(cell.value) for sheet in book for row in sheet.iter_rows() for cell in row if cell.value
    )


def test_the_admin_xlsx_and_csv_export_carry_a_stored_control_character_away(office, stored):
    client = client_for(office)
    url = reverse("admin:reviews_governmentcontract_export")
    form = client.get(url).context["form"]
    chosen = {name: True for name, field in form.fields.items() if field.initial is True}
    xlsx = client.post(url, {"format": 0, **chosen})
    assert xlsx.status_code == 200
    assert SHOWN in workbook_texts(xlsx.content)
    csv = client.post(url, {"format": 1, **chosen})
    assert csv.status_code == 200
    assert SHOWN in csv.content.decode("utf-8-sig") and "\x10" not in csv.content.decode()


def test_the_api_csv_export_carries_a_stored_control_character_away(municipal, stored):
    response = client_for(municipal).get("/api/v1/contracts/export.csv")
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    assert SHOWN in text and "\x10" not in text


def test_every_template_download_survives_a_unit_name_with_a_control_character(liaison, stored):
    client = client_for(liaison)
    registers = client.get("/api/v1/templates/").json()
    assert registers
    texts = []
    for register in registers:
        response = client.get(register["template"])
        assert response.status_code == 200, register
        texts.append(workbook_texts(response.content))
    # The liaison's own unit is named in the templates of the registers a unit owns.
    assert any("区城管执法局" in text for text in texts)


def test_the_annual_reports_excel_and_word_files_survive_a_stored_control_character(
    office, stored, time_machine, run_jobs, django_capture_on_commit_callbacks
):
    time_machine.move_to(datetime.datetime(2018, 2, 1, 9, tzinfo=datetime.UTC))
    client = client_for(office)

    def made(url: str) -> bytes:
        # The district's files are made by the worker, from the API as from the pages.
        with django_capture_on_commit_callbacks(execute=True):
            queued = client.get(url)
        assert queued.status_code == 202
        run_jobs()
        response = client.get(client.get(queued.json()["url"]).json()["download"])
        assert response.status_code == 200
        return b"".join(response)

    assert SHOWN in workbook_texts(made("/api/v1/reports/2017/report.xlsx"))
    docx.Document(io.BytesIO(made("/api/v1/reports/2017/report.docx")))  # opens


def test_printable_keeps_tab_and_new_lines_and_what_is_not_text():
    assert printable("a\tb\nc\r\n\x00\x1f\x7f\x85d\ufffe") == "a\tb\nc\r\nd"
    assert printable(3) == 3 and printable(None) is None


def test_the_annual_reports_text_with_a_control_character_is_refused_and_not_saved(
    office, time_machine
):
    time_machine.move_to(datetime.datetime(2018, 2, 1, 9, tzinfo=datetime.UTC))
    response = client_for(office).post(
        reverse("reports:edit", args=[2017]),
        {"title": "2017年报告", "part": ["intro"], "heading": [""], "body": ["正文\x0b内容"]},
    )
    assert "控制字符" in response.content.decode() and "U+000B" in response.content.decode()
    assert not Report.objects.filter(title="2017年报告").exists()
