"""Excel import and export in the admin, for every register of both apps.

Each register: a good file imports through the admin and exports back with the same
values; a file with several bad rows imports nothing and lists every bad row with its
column; a liaison's export holds their own unit's records only. The admin's import is the
data-exchange upload: it refuses what the upload refuses, with the same messages and codes.
"""

import datetime
import io
from decimal import Decimal, InvalidOperation

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils.html import escape

from registers.core.exchange import uploads
from registers.core.exchange.columns import (
    ChineseBooleanWidget,
    ChoiceLabelWidget,
    LenientDateWidget,
    LenientDecimalWidget,
    LenientIntegerWidget,
    NamedForeignKeyWidget,
)
from registers.core.status import Status
from registers.models import Unit
from tests import factories as f
from tests.exchange.test_uploads import ITEM_HEADER, item_row
from tests.factories import make_exchange_references, make_xlsx, template_example

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

SLUGS = [resource_class.slug for resource_class in uploads.resource_classes()]

#: One record of a unit, for each register (export scoping).
FACTORIES = {
    "power-items": f.make_power_item,
    "inspection-items": f.make_item,
    "inspection-targets": f.make_target,
    "enforcement-bodies": f.make_body,
    "officers": f.make_officer,
    "documents": f.make_document,
    "integrated-items": f.make_integrated_item,
    "contracts": f.make_contract,
    "major-decisions": f.make_decision,
    "legality-reviews": f.make_legality_review,
    "comment-replies": f.make_comment_draft_reply,
    "filings": lambda unit: f.make_filing(f.make_document(unit)),
    "cleanup-campaigns": f.make_campaign,
    "evaluated-files": f.make_evaluated_file,
    "reconsideration-cases": f.make_reconsideration,
    "litigation-cases": f.make_litigation,
    "accountability-records": f.make_accountability,
    "criminal-transfers": f.make_transfer,
    "rectification-problems": f.make_rectification,
}


def url(resource_class, view):
    opts = resource_class._meta.model._meta
    return reverse(f"admin:{opts.app_label}_{opts.model_name}_{view}")


def import_file(client, resource_class, data: bytes, **fields):
    """Post a file to the change list's import button (one step: checked, then created)."""
    return client.post(
        url(resource_class, "import"),
        {"file": SimpleUploadedFile("data.xlsx", data, content_type=XLSX), **fields},
    )


def located(page):
    return [(error.row, error.column, error.code) for error in page.context["result"].errors]


def export_rows(client, resource_class) -> list[list]:
    form_page = client.get(url(resource_class, "export"))
    form = form_page.context["form"]
    data = {name: True for name, field in form.fields.items() if field.initial is True}
    response = client.post(url(resource_class, "export"), {"format": 0, **data})
    assert response.status_code == 200
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    return [[cell.value for cell in row] for row in sheet.iter_rows()]


def office_example(resource_class, office, unit):
    """A good row of the register, for ``unit``."""
    header, example = template_example(resource_class, office)
    for index, name in enumerate(header):
        if name == resource_class().column_of("unit") and name != "":
            example[index] = unit.name
    return header, example


def comparable(value):
    """A cell as text that reads the same whether it came from the file or the export."""
    if value is None:
        return ""
    if isinstance(value, datetime.datetime):
        value = value.date()
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, bool):
        return str(value)
    try:
        return str(Decimal(str(value)).normalize())
    except InvalidOperation:
        return str(value)


def a_bad_value_for(resource):
    """A column of the register with a value its widget refuses, and that value."""
    for field in resource.input_fields():
        widget = field.widget
        if isinstance(widget, ChoiceLabelWidget):
            return str(field.column_name), "不存在的选项"
        if isinstance(widget, LenientDateWidget):
            return str(field.column_name), "2017-13-45"
        if isinstance(widget, ChineseBooleanWidget | LenientIntegerWidget | LenientDecimalWidget):
            return str(field.column_name), "也许"
    raise AssertionError("no typed column")


def a_reference_column(resource):
    return next(
        str(field.column_name)
        for field in resource.input_fields()
        if isinstance(field.widget, NamedForeignKeyWidget) and resource.is_required(field)
    )


def text_columns(resource):
    return [
        field
        for field in resource.input_fields()
        if not isinstance(
            field.widget,
            NamedForeignKeyWidget
            | ChoiceLabelWidget
            | LenientDateWidget
            | LenientDecimalWidget
            | LenientIntegerWidget
            | ChineseBooleanWidget,
        )
    ]


def a_required_text_column(resource):
    """A free-text column every row must fill (None if the register has none)."""
    required = [f for f in text_columns(resource) if resource.is_required(f)]
    return str(required[0].column_name) if required else None


def a_missing_or_overlong_text(resource):
    """A required text cell left empty, or (if none is required) a text that is too long."""
    column = a_required_text_column(resource)
    if column is not None:
        return column, ""
    field = next(f for f in text_columns(resource) if resource.model_field(f).max_length)
    return str(field.column_name), "长" * (resource.model_field(field).max_length + 1)


@pytest.mark.parametrize("slug", SLUGS)
def test_a_good_file_imports_through_the_admin_and_exports_back(slug, client, office, unit_a):
    make_exchange_references(unit_a)
    resource_class = uploads.resource_for(slug)
    model = resource_class._meta.model
    header, example = office_example(resource_class, office, unit_a)
    before = set(model.objects.values_list("pk", flat=True))
    client.force_login(office)

    page = import_file(client, resource_class, make_xlsx([example], header), approve="on")
    assert page.status_code == 200, page.context["result"].errors
    assert "已导入 1 条" in page.content.decode()

    record = model.objects.exclude(pk__in=before).get()
    assert record.unit == unit_a
    if hasattr(record, "status"):
        # A clean-up campaign is approved by confirming its results, never on entry.
        expected = Status.APPROVED if model.enters_approved else Status.DRAFT
        assert (record.status, record.created_by) == (expected, office)

    exported = export_rows(client, resource_class)
    assert len(exported) == 1 + len(before) + 1
    key = a_required_text_column(resource_class(user=office)) or header[0]
    exported_row = next(
        row
        for row in (dict(zip(exported[0], values, strict=True)) for values in exported[1:])
        if comparable(row[key]) == comparable(example[header.index(key)])
    )
    for name, value in zip(header, example, strict=True):
        if value not in (None, ""):
            assert comparable(exported_row[name]) == comparable(value), name


@pytest.mark.parametrize("slug", SLUGS)
def test_a_file_with_bad_rows_imports_nothing_and_lists_each(slug, client, office, unit_a):
    make_exchange_references(unit_a)
    resource_class = uploads.resource_for(slug)
    resource = resource_class(user=office)
    header, good = office_example(resource_class, office, unit_a)
    bad_rows = []
    for column, value in [
        (a_reference_column(resource), "不存在的名称"),
        a_missing_or_overlong_text(resource),
        a_bad_value_for(resource),
    ]:
        row = list(good)
        row[header.index(column)] = value
        bad_rows.append((column, row))
    model = resource_class._meta.model
    before = model.objects.count()
    client.force_login(office)

    page = import_file(
        client, resource_class, make_xlsx([good] + [r for _c, r in bad_rows], header)
    )

    assert page.status_code == 400
    assert model.objects.count() == before
    where = located(page)
    assert sorted({row for row, _column, _code in where}) == [3, 4, 5]
    for number, (column, _values) in enumerate(bad_rows, start=3):
        assert (number, column) in {(row, name) for row, name, _code in where}, where
    text = page.content.decode()
    assert "没有导入任何记录" in text
    assert "“不存在的名称”" in text


@pytest.mark.parametrize("slug", SLUGS)
def test_a_liaisons_export_holds_their_own_units_records_only(
    slug, client, liaison, unit_a, unit_b
):
    resource_class = uploads.resource_for(slug)
    FACTORIES[slug](unit_a)
    FACTORIES[slug](unit_b)
    client.force_login(liaison)

    rows = export_rows(client, resource_class)

    assert len(rows) == 2
    assert unit_b.name not in rows[1]
    if hasattr(resource_class._meta.model, "status"):
        assert "审核状态" in rows[0]


def test_a_liaisons_admin_import_creates_drafts_of_their_unit_with_office_columns_empty(
    client, liaison, unit_a
):
    resource_class = uploads.resource_for("legality-reviews")
    header = ["送审单位", "送审文件名称", "文件类别", "收件日期", "审核结论"]
    rows = [
        [unit_a.name, "草案甲", "其他文件", "2017-03-01", ""],
        ["", "草案乙", "其他文件", "2017-03-01", None],
    ]
    client.force_login(liaison)
    form = client.get(url(resource_class, "import")).context["form"]
    assert "approve" not in form.fields and "unit" not in form.fields

    page = import_file(client, resource_class, make_xlsx(rows, header))

    assert page.status_code == 200, page.context["result"].errors
    reviews = resource_class._meta.model.objects.all()
    assert {(review.unit, review.status) for review in reviews} == {(unit_a, Status.DRAFT)}
    assert reviews.count() == 2


REVIEW_HEADER = ["送审单位", "送审文件名称", "文件类别", "收件日期", "审核结论"]

#: Files both the upload and the admin's import refuse: register, who uploads, header, rows
#: (cells may name ``{unit_a}``, the liaison's unit, or ``{unit_b}``, another one), and the
#: code of the refusal.
REFUSED = {
    "formula cell": (
        "inspection-items",
        "office",
        ITEM_HEADER,
        [item_row("SJ-1", unit="{unit_a}", 清单年度="=2016+1")],
        "formula",
    ),
    "wrong header": (
        "inspection-items",
        "office",
        [*ITEM_HEADER[:2], "事项编号", *ITEM_HEADER[3:]],
        [item_row("SJ-1", unit="{unit_a}")],
        "unknown_column",
    ),
    "office-only column filled by a liaison": (
        "legality-reviews",
        "liaison",
        REVIEW_HEADER,
        [["", "草案", "其他文件", "2017-03-01", "同意"]],
        "office_only",
    ),
    "another unit in the unit column": (
        "legality-reviews",
        "liaison",
        REVIEW_HEADER,
        [["{unit_b}", "草案", "其他文件", "2017-03-01", ""]],
        "other_unit",
    ),
}


@pytest.mark.parametrize("case", list(REFUSED))
def test_the_admin_import_refuses_what_the_upload_refuses_with_the_same_message_and_code(
    case, client, users, unit_a, unit_b
):
    slug, role, header, rows, code = REFUSED[case]
    names = {"unit_a": unit_a.name, "unit_b": unit_b.name}
    rows = [[c.format(**names) if isinstance(c, str) else c for c in row] for row in rows]
    resource_class = uploads.resource_for(slug)
    model = resource_class._meta.model
    data = make_xlsx(rows, header)
    user = users[role]

    uploaded = uploads.upload(resource_class, data, user=user)
    client.force_login(user)
    page = import_file(client, resource_class, data)

    assert code in [error.code for error in uploaded.errors]
    assert page.status_code == 400
    assert page.context["result"].errors == uploaded.errors
    text = page.content.decode()
    for error in uploaded.errors:
        assert escape(error.reason) in text
        assert f"<code>{error.code}</code>" in text
    assert not model.objects.exists()


def test_the_change_lists_import_button_opens_the_upload(client, liaison):
    resource_class = uploads.resource_for("power-items")  # a change list of its own
    client.force_login(liaison)
    changelist = client.get(url(resource_class, "changelist")).content.decode()
    assert f"href='{url(resource_class, 'import')}'" in changelist  # import-export's markup
    assert f'href="{url(resource_class, "export")}' in changelist
    page = client.get(url(resource_class, "import"))
    assert page.status_code == 200
    assert "exchange/_result.html" in [template.name for template in page.templates]


def test_the_admin_import_page_offers_the_registers_template(client, liaison):
    resource_class = uploads.resource_for("contracts")
    client.force_login(liaison)
    text = client.get(url(resource_class, "import")).content.decode()
    assert reverse("registers:exchange_template", args=["contracts"]) in text
    assert "直接报送" in text


def test_draws_are_exported_but_never_imported(client, office):
    resource_class = uploads.resource_for("inspection-items")  # any register imports …
    client.force_login(office)
    assert client.get(url(resource_class, "import")).status_code == 200
    from registers.resources import InspectionDrawResource

    draws = InspectionDrawResource
    assert client.get(url(draws, "import")).status_code == 403  # … draws do not
    assert client.get(url(draws, "export")).status_code == 200


def test_the_office_imports_units_and_everyone_exports_them(client, office, liaison, unit_a):
    from registers.resources import UnitResource

    client.force_login(office)
    header = ["单位代码", "名称", "简称", "类别", "行政执法主体"]
    page = import_file(
        client, UnitResource, make_xlsx([["D99", "区新设局", "新设局", "区直部门", "是"]], header)
    )
    assert page.status_code == 200, page.context["result"].errors
    assert "已导入 1 条“单位”记录。" in page.content.decode()
    assert Unit.objects.get(code="D99").is_enforcement_body is True
    assert Unit.history.get(code="D99").history_user == office

    client.force_login(liaison)
    assert client.get(url(UnitResource, "import")).status_code == 403
    names = [row[1] for row in export_rows(client, UnitResource)]
    assert "区新设局" in names and unit_a.name in names


@pytest.mark.parametrize(
    "resource_name",
    ["LicenceReformBatchResource", "DecisionCatalogueResource", "EvaluationRoundResource"],
)
def test_reference_lists_are_exported_only(resource_name, client, office):
    import registers.resources
    import reviews.resources

    resource_class = getattr(registers.resources, resource_name, None) or getattr(
        reviews.resources, resource_name
    )
    client.force_login(office)
    assert client.get(url(resource_class, "export")).status_code == 200
    opts = resource_class._meta.model._meta
    from django.urls import NoReverseMatch

    with pytest.raises(NoReverseMatch):
        reverse(f"admin:{opts.app_label}_{opts.model_name}_import")
