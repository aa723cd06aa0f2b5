"""Excel templates: Chinese headers, dropdowns from a hidden list sheet, instructions, example."""

import io

import openpyxl
import pytest
from django.urls import reverse

from registers.core.exchange import templates, uploads
from registers.core.status import Status
from registers.models import EnforcementField, InspectionKind
from tests.factories import make_exchange_references, make_unit, make_xlsx, template_example


def load(content: bytes):
    return openpyxl.load_workbook(io.BytesIO(content))


def template(slug, user):
    return load(templates.build_template(uploads.resource_for(slug), user))


def validation_for(sheet, letter):
    for validation in sheet.data_validations.dataValidation:
        if any(str(cell_range).startswith(f"{letter}2:") for cell_range in validation.sqref.ranges):
            return validation
    return None


def listed(book, validation) -> list[str]:
    """The values a list validation offers, read from the range it points at."""
    source = validation.formula1.split("!")
    sheet = book[source[0].strip("'")]
    values = [cell.value for row in sheet[source[1].replace("$", "")] for cell in row]
    return values


def test_template_has_the_registers_chinese_headers_in_order(liaison):
    book = template("inspection-items", liaison)
    assert book.sheetnames[:2] == ["数据", "说明"]
    header = [cell.value for cell in book["数据"][1]]
    assert header == [
        "填报单位",
        "清单年度",
        "事项编码",
        "抽查事项",
        "抽查子项",
        "事项类别",
        "执法领域",
        "检查依据",
        "检查方式",
        "检查内容",
        "抽查比例（%）",
        "抽查频次",
        "清单公布日期",
        "取消日期",
    ]
    assert book["数据"].max_row == 1  # no data row: nothing to delete before filling in


def test_every_choice_column_has_a_dropdown_of_its_chinese_labels(liaison):
    book = template("inspection-items", liaison)
    data = book["数据"]
    kind = validation_for(data, "F")
    field = validation_for(data, "G")
    assert kind.type == "list" and field.type == "list"
    assert kind.showErrorMessage
    assert listed(book, kind) == [label for _value, label in InspectionKind.choices]
    assert listed(book, field) == [str(label) for _value, label in EnforcementField.choices]
    assert book["选项"].sheet_state == "hidden"


def test_the_unit_dropdown_lists_every_unit_for_the_office_and_only_their_own_for_a_liaison(
    office, liaison, unit_a, unit_b
):
    office_book = template("contracts", office)
    offered = listed(office_book, validation_for(office_book["数据"], "A"))
    assert {unit_a.name, unit_b.name} <= set(offered)

    liaison_book = template("contracts", liaison)
    assert listed(liaison_book, validation_for(liaison_book["数据"], "A")) == [unit_a.name]


def test_reference_columns_offer_only_what_the_user_may_name(liaison, unit_a, unit_b):
    own = make_exchange_references(unit_a)["document"]
    other = make_exchange_references(unit_b)["document"]
    book = template("filings", liaison)
    offered = listed(book, validation_for(book["数据"], "A"))
    assert own.number in offered
    assert other.number not in offered


def test_instructions_explain_every_column_and_say_which_are_required(liaison):
    book = template("inspection-items", liaison)
    rows = [row for row in book["说明"].iter_rows(values_only=True)]
    described = {row[0]: row for row in rows if row[1] in ("必填", "选填")}
    header = [cell.value for cell in book["数据"][1]]
    assert set(header) <= set(described)
    assert described["事项编码"][1] == "必填"
    assert described["取消日期"][1] == "选填"
    assert "2017-08-01" in described["清单公布日期"][2]
    assert "行政检查事项" in described["事项类别"][2]
    # A liaison's rows are their unit's, and the column may name no other; the sheet says so.
    assert "区城管执法局（测试）" in described["填报单位"][2]
    assert "只能填" in described["填报单位"][2]


def test_required_headers_stand_out(liaison):
    sheet = template("inspection-items", liaison)["数据"]
    colours = {cell.value: cell.font.color.rgb if cell.font.color else None for cell in sheet[1]}
    assert colours["事项编码"] != colours["取消日期"]


def test_a_liaisons_template_leaves_out_what_only_the_office_fills(liaison, office):
    liaison_header = [cell.value for cell in template("legality-reviews", liaison)["数据"][1]]
    office_header = [cell.value for cell in template("legality-reviews", office)["数据"][1]]
    assert "审核结论" not in liaison_header
    assert "审核结论" in office_header


def test_the_example_row_is_on_the_instructions_sheet_clearly_marked(liaison):
    book = template("contracts", liaison)
    rows = [row for row in book["说明"].iter_rows(values_only=True)]
    marker = [index for index, row in enumerate(rows) if row[0] and "不会被导入" in str(row[0])]
    assert marker, "the example is announced as not imported"
    header, example = rows[-2], rows[-1]
    assert header[: len(book["数据"][1])] == tuple(cell.value for cell in book["数据"][1])
    assert "示例道路改造工程施工合同" in example


@pytest.mark.parametrize(
    "slug", [resource_class.slug for resource_class in uploads.resource_classes()]
)
def test_the_example_row_of_every_register_uploads_cleanly(slug, liaison, unit_a):
    make_exchange_references(unit_a)
    resource_class = uploads.resource_for(slug)
    header, example = template_example(resource_class, liaison)

    result = uploads.upload(resource_class, make_xlsx([example], header), user=liaison)

    assert result.errors == []
    assert result.created_count == 1
    record = result.created[0]
    assert record.unit == unit_a
    if hasattr(record, "status"):
        assert record.status == Status.DRAFT


@pytest.mark.parametrize("role", ["leader", "municipal"])
def test_read_only_roles_get_no_template(client, users, role):
    client.force_login(users[role])
    response = client.get(reverse("registers:exchange_template", args=["contracts"]))
    assert response.status_code == 403


def test_the_template_downloads_as_an_xlsx_file(client, liaison):
    client.force_login(liaison)
    response = client.get(reverse("registers:exchange_template", args=["contracts"]))
    assert response.status_code == 200
    assert response["Content-Type"].startswith(
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    assert "attachment" in response["Content-Disposition"]
    assert load(response.content).sheetnames[0] == "数据"


def test_an_unknown_register_has_no_template(client, liaison):
    client.force_login(liaison)
    assert client.get("/data/templates/nothing.xlsx").status_code == 404


def test_a_unit_without_records_still_gets_a_template(client, db):
    from registers.core.roles import Role
    from tests.factories import make_user

    lonely = make_user(Role.LIAISON, unit=make_unit(name="新设单位"))
    client.force_login(lonely)
    response = client.get(reverse("registers:exchange_template", args=["officers"]))
    assert response.status_code == 200
