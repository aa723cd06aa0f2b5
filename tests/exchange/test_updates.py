"""Updating records by uploading them again: a unit's records exported into the template,
corrected, previewed row by row (new, changed field by field, unchanged, refused) and applied
all together or not at all."""

import datetime
import io

import openpyxl
import pytest

from registers.core.exchange import updates, uploads
from registers.core.status import Status
from registers.core.uniqueness import NEUTRAL_MESSAGE
from registers.core.workflow import return_for_revision, submit
from registers.models import Document
from tests.factories import make_document

DOCUMENTS = uploads.resource_for("documents")
NUMBER = "文号"
TITLE = "标题"


def exported(user, **kwargs) -> openpyxl.Workbook:
    return openpyxl.load_workbook(io.BytesIO(updates.export(DOCUMENTS, user, **kwargs)))


def saved(book: openpyxl.Workbook) -> bytes:
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def columns(sheet) -> dict[str, int]:
    return {cell.value: cell.column for cell in sheet[1]}


def rows_by_number(sheet) -> dict[str, int]:
    number = columns(sheet)[NUMBER]
    return {
        sheet.cell(row, number).value: row
        for row in range(2, sheet.max_row + 1)
        if sheet.cell(row, number).value
    }


def set_cell(book, number: str, column: str, value) -> None:
    sheet = book["数据"]
    sheet.cell(rows_by_number(sheet)[number], columns(sheet)[column]).value = value


def add_row(book, values: dict) -> None:
    sheet = book["数据"]
    header = columns(sheet)
    row = sheet.max_row + 1
    for name, value in values.items():
        sheet.cell(row, header[name]).value = value


@pytest.fixture
def drafts(unit_a):
    return [
        make_document(
            unit_a, title="咸安区示例管理办法", number="咸安政规〔2017〕1号", status=Status.DRAFT
        ),
        make_document(
            unit_a, title="咸安区示例实施细则", number="咸安政规〔2017〕2号", status=Status.DRAFT
        ),
    ]


def test_the_export_holds_the_users_visible_records_only(liaison, drafts, unit_b):
    make_document(unit_b, number="交通规〔2017〕9号", status=Status.DRAFT)
    sheet = exported(liaison)["数据"]
    assert set(rows_by_number(sheet)) == {"咸安政规〔2017〕1号", "咸安政规〔2017〕2号"}
    row = rows_by_number(sheet)["咸安政规〔2017〕1号"]
    assert sheet.cell(row, columns(sheet)[TITLE]).value == "咸安区示例管理办法"
    assert (
        sheet.cell(row, columns(sheet)["文件类别"]).value == "规范性文件"
    )  # the label, not the code


def test_an_unchanged_export_previews_as_unchanged_and_has_nothing_to_apply(liaison, drafts):
    plan = updates.preview(DOCUMENTS, saved(exported(liaison)), user=liaison)
    assert plan.ok, plan.errors
    assert [item.key for item in plan.unchanged] == ["咸安政规〔2017〕1号", "咸安政规〔2017〕2号"]
    assert not plan.changed and not plan.new
    assert not plan.summary()["can_apply"]


def test_the_preview_sorts_rows_and_shows_each_change_by_its_label(liaison, drafts):
    book = exported(liaison)
    set_cell(book, "咸安政规〔2017〕1号", TITLE, "咸安区示例管理办法（修订）")
    set_cell(book, "咸安政规〔2017〕1号", "文件类别", "非规范性文件")
    add_row(book, {TITLE: "新的通知", NUMBER: "咸安政办发〔2017〕5号", "文件类别": "非规范性文件",
                   "印发日期": datetime.date(2017, 5, 2)})  # fmt: skip

    plan = updates.preview(DOCUMENTS, saved(book), user=liaison)

    assert plan.ok, plan.errors
    assert [item.key for item in plan.new] == ["咸安政办发〔2017〕5号"]
    assert [item.key for item in plan.unchanged] == ["咸安政规〔2017〕2号"]
    [changed] = plan.changed
    assert {(c["label"], c["old"], c["new"]) for c in changed.changes} == {
        ("标题", "咸安区示例管理办法", "咸安区示例管理办法（修订）"),
        ("文件类别", "规范性文件", "非规范性文件"),
    }
    assert Document.objects.get(number="咸安政规〔2017〕1号").title == "咸安区示例管理办法"


def test_applying_creates_and_updates_everything_with_history(liaison, drafts):
    book = exported(liaison)
    set_cell(book, "咸安政规〔2017〕2号", TITLE, "咸安区示例实施细则（修订）")
    add_row(book, {TITLE: "新的通知", NUMBER: "咸安政办发〔2017〕5号", "文件类别": "非规范性文件",
                   "印发日期": datetime.date(2017, 5, 2)})  # fmt: skip
    data = saved(book)
    plan = updates.preview(DOCUMENTS, data, user=liaison)

    done = updates.apply(DOCUMENTS, data, user=liaison, fingerprint=plan.fingerprint)

    assert done.applied
    record = Document.objects.get(number="咸安政规〔2017〕2号")
    assert record.title == "咸安区示例实施细则（修订）" and record.status == Status.DRAFT
    latest = record.history.first()
    assert (latest.history_type, latest.history_user, latest.title) == (
        "~",
        liaison,
        "咸安区示例实施细则（修订）",
    )
    assert latest.history_change_reason == "Excel 上传更新"
    new = Document.objects.get(number="咸安政办发〔2017〕5号")
    assert (new.unit, new.status, new.created_by) == (liaison.unit, Status.DRAFT, liaison)
    assert Document.objects.get(number="咸安政规〔2017〕1号").revision == drafts[0].revision


def test_returned_records_keep_their_state_unless_submitted(liaison, office, drafts):
    submit(drafts[0], by=liaison)
    return_for_revision(drafts[0], by=office, comment="请核对文件名称。")
    book = exported(liaison)
    set_cell(book, "咸安政规〔2017〕1号", TITLE, "咸安区示例管理办法（修改稿）")
    data = saved(book)

    plan = updates.apply(
        DOCUMENTS,
        data,
        user=liaison,
        fingerprint=updates.preview(DOCUMENTS, data, user=liaison).fingerprint,
    )
    assert plan.applied
    assert updates.standing_counts(plan) == [("已退回（尚未报送）", 1)]
    assert Document.objects.get(pk=drafts[0].pk).status == Status.RETURNED

    set_cell(book, "咸安政规〔2017〕1号", TITLE, "咸安区示例管理办法（报送稿）")
    data = saved(book)
    fingerprint = updates.preview(DOCUMENTS, data, user=liaison).fingerprint
    plan = updates.apply(DOCUMENTS, data, user=liaison, fingerprint=fingerprint, submit=True)
    assert plan.applied
    record = Document.objects.get(pk=drafts[0].pk)
    assert (record.status, record.submitted_by) == (Status.SUBMITTED, liaison)


def refusals(plan):
    return {(error.row, error.column, error.code) for error in plan.errors}


def test_approved_and_submitted_records_are_refused_only_when_changed(liaison, drafts, unit_a):
    approved = make_document(
        unit_a,
        number="咸安政规〔2016〕3号",
        issued_on=datetime.date(2016, 5, 1),
        status=Status.APPROVED,
    )
    submit(drafts[1], by=liaison)
    book = exported(liaison)
    rows = rows_by_number(book["数据"])
    set_cell(book, "咸安政规〔2016〕3号", TITLE, "改过的名称")
    set_cell(book, "咸安政规〔2017〕2号", TITLE, "改过的名称二")

    plan = updates.preview(DOCUMENTS, saved(book), user=liaison)

    assert refusals(plan) == {
        (rows["咸安政规〔2016〕3号"], NUMBER, "approved"),
        (rows["咸安政规〔2017〕2号"], NUMBER, "submitted"),
    }
    reasons = {error.code: error.reason for error in plan.errors}
    assert reasons["approved"] == (
        "这条记录已审核通过，不能通过上传修改。如需更正，请联系法制办重新打开这条记录。"
    )
    assert "等待法制办审核" in reasons["submitted"]
    assert {error.sheet for error in plan.errors} == {"数据"}
    assert [item.key for item in plan.unchanged] == ["咸安政规〔2017〕1号"]
    assert updates.apply(DOCUMENTS, saved(book), user=liaison, fingerprint="x").applied is False
    assert Document.objects.get(pk=approved.pk).title == approved.title


def test_the_office_may_not_change_approved_records_this_way_either(office, unit_a):
    make_document(
        unit_a,
        number="咸安政规〔2016〕3号",
        issued_on=datetime.date(2016, 5, 1),
        status=Status.APPROVED,
    )
    book = exported(office)
    set_cell(book, "咸安政规〔2016〕3号", TITLE, "改过的名称")
    errors = updates.preview(DOCUMENTS, saved(book), user=office).errors
    assert [(e.code, e.reason) for e in errors] == [
        (
            "approved",
            "这条记录已审核通过，不能通过上传修改。"
            "如需更正，请在记录页面填写更正原因后修改，或重新打开退回单位。",
        )
    ]


def test_a_number_of_another_units_record_is_refused_neutrally(liaison, drafts, unit_b):
    hidden = make_document(
        unit_b, title="交通局的文件", number="交通规〔2017〕9号", status=Status.DRAFT
    )
    book = exported(liaison)
    add_row(book, {TITLE: "冒名的文件", NUMBER: "交通规〔2017〕9号", "文件类别": "规范性文件",
                   "印发日期": datetime.date(2017, 5, 2)})  # fmt: skip
    data = saved(book)

    plan = updates.preview(DOCUMENTS, data, user=liaison)

    [error] = plan.errors
    assert (error.column, error.reason) == (NUMBER, str(NEUTRAL_MESSAGE))
    assert "交通局" not in error.reason
    assert not updates.apply(DOCUMENTS, data, user=liaison, fingerprint=plan.fingerprint).applied
    hidden.refresh_from_db()
    assert (hidden.title, hidden.unit) == ("交通局的文件", unit_b)


def test_a_liaison_cannot_export_another_units_records(liaison2, drafts):
    assert rows_by_number(exported(liaison2)["数据"]) == {}


def test_a_number_twice_in_the_file_and_a_bad_value_are_refused(liaison, drafts):
    book = exported(liaison)
    rows = rows_by_number(book["数据"])
    add_row(book, {TITLE: "重复", NUMBER: "咸安政规〔2017〕1号", "文件类别": "规范性文件",
                   "印发日期": datetime.date(2017, 5, 2)})  # fmt: skip
    set_cell(book, "咸安政规〔2017〕2号", "文件类别", "不存在的类别")

    plan = updates.preview(DOCUMENTS, saved(book), user=liaison)

    codes = {(row, code) for row, _column, code in refusals(plan)}
    assert (rows["咸安政规〔2017〕2号"], "invalid_choice") in codes
    assert (max(rows.values()) + 1, "duplicate_in_file") in codes


def test_a_failure_on_the_last_row_changes_nothing(liaison, drafts, unit_b, monkeypatch):
    book = exported(liaison)
    set_cell(book, "咸安政规〔2017〕1号", TITLE, "第一行改了")
    set_cell(book, "咸安政规〔2017〕2号", TITLE, "最后一行也改了")
    add_row(book, {TITLE: "新的通知", NUMBER: "咸安政办发〔2017〕5号", "文件类别": "非规范性文件",
                   "印发日期": datetime.date(2017, 5, 2)})  # fmt: skip
    data = saved(book)
    plan = updates.preview(DOCUMENTS, data, user=liaison)
    assert len(plan.changed) == 2 and len(plan.new) == 1

    # The last row's record is changed by someone else between the check and its save.
    real_save_edit = updates.save_edit

    def save_edit(record, **kwargs):
        if record.number == "咸安政规〔2017〕2号":
            Document.objects.filter(pk=record.pk).update(revision=record.revision + 1)
        return real_save_edit(record, **kwargs)

    monkeypatch.setattr(updates, "save_edit", save_edit)
    result = updates.apply(DOCUMENTS, data, user=liaison, fingerprint=plan.fingerprint)

    assert result.stale and not result.applied
    assert sorted(Document.objects.values_list("title", flat=True)) == [
        "咸安区示例实施细则",
        "咸安区示例管理办法",
    ]


def test_a_change_between_preview_and_apply_is_refused_with_a_fresh_preview(liaison, drafts):
    book = exported(liaison)
    set_cell(book, "咸安政规〔2017〕1号", TITLE, "按预览修改")
    data = saved(book)
    plan = updates.preview(DOCUMENTS, data, user=liaison)

    other = Document.objects.get(pk=drafts[1].pk)
    other.title = "同事刚改的名称"
    other.save()
    result = updates.apply(DOCUMENTS, data, user=liaison, fingerprint=plan.fingerprint)

    assert result.stale and not result.applied
    assert result.fingerprint != plan.fingerprint
    assert [c["old"] for item in result.changed for c in item.changes] == [
        "咸安区示例管理办法",
        "同事刚改的名称",
    ]
    assert Document.objects.get(pk=drafts[0].pk).title == "咸安区示例管理办法"


def test_a_register_without_a_number_is_not_updated_from_a_file(liaison):
    bodies = uploads.resource_for("enforcement-bodies")
    assert not updates.may_update(liaison, bodies)
    plan = updates.preview(bodies, b"anything", user=liaison)
    assert [error.code for error in plan.errors] == ["no_match_key"]


def test_every_declared_match_key_is_a_unique_key_of_its_register():
    for resource_class in uploads.resource_classes():
        if resource_class.match_key:
            assert updates.key_rule(resource_class).fields == tuple(resource_class.match_key)


def test_the_preview_costs_the_same_queries_for_many_rows_as_for_a_few(liaison, unit_a):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def queries_for(count: int) -> int:
        Document.objects.all().delete()
        for n in range(count):
            make_document(unit_a, number=f"咸安政规〔2017〕{n + 1}号", status=Status.DRAFT)
        book = exported(liaison)
        for n in range(count):
            set_cell(book, f"咸安政规〔2017〕{n + 1}号", TITLE, f"改过的标题{n}")
        data = saved(book)
        with CaptureQueriesContext(connection) as queries:
            plan = updates.preview(DOCUMENTS, data, user=liaison)
        assert len(plan.changed) == count
        return len(queries)

    assert queries_for(30) == queries_for(3)


def test_a_key_within_the_unit_matches_the_units_own_record_and_needs_its_number(
    liaison, liaison2, unit_a, unit_b
):
    from decimal import Decimal

    from reviews.models import GovernmentContract
    from tests.factories import make_contract

    contracts = uploads.resource_for("contracts")
    ours = make_contract(unit_a, number="HT-2017-001", status=Status.DRAFT)
    theirs = make_contract(unit_b, number="HT-2017-001", status=Status.DRAFT)
    unnumbered = make_contract(unit_a, number="", status=Status.DRAFT)
    book = openpyxl.load_workbook(io.BytesIO(updates.export(contracts, liaison)))
    sheet = book["数据"]
    header = columns(sheet)
    for row in range(2, sheet.max_row + 1):
        sheet.cell(row, header["合同金额（元）"]).value = 2500.5
    data = saved(book)

    plan = updates.preview(contracts, data, user=liaison)

    [error] = plan.errors
    assert (error.column, error.code) == ("合同编号", "missing_key")
    unnumbered_row = next(
        row for row in range(2, sheet.max_row + 1) if not sheet.cell(row, header["合同编号"]).value
    )
    assert error.row == unnumbered_row
    [changed] = plan.changed
    assert changed.record.pk == ours.pk
    assert changed.changes[0]["old"] == "100,000.00" and changed.changes[0]["new"] == "2,500.50"

    sheet.delete_rows(unnumbered_row)
    data = saved(book)
    fingerprint = updates.preview(contracts, data, user=liaison).fingerprint
    assert updates.apply(contracts, data, user=liaison, fingerprint=fingerprint).applied
    amounts = dict(GovernmentContract.objects.values_list("pk", "amount"))
    assert amounts[ours.pk] == Decimal("2500.5")
    assert amounts[theirs.pk] == amounts[unnumbered.pk] == Decimal("100000")
