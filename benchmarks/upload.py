"""Upload of a 50,000-row template beside openpyxl's own read-only iteration of the file.

    python benchmarks/upload.py        # SQLite, /tmp/bench_upload.sqlite3
    python benchmarks/upload.py --database-url postgres://root@127.0.0.1:5432/bench_upload

Builds a workbook of ``--rows`` government contracts (the ``contracts`` register's template
columns, its example row with a new number and title on every row) with openpyxl in
write-only mode, then times, best of ``--repeat``:

* ``openpyxl``: ``load_workbook(read_only=True)`` and every row of the data sheet with
  ``iter_rows(values_only=True)`` — the floor for anything that reads the file;
* ``check``: ``registers.exchange.upload`` of the same file with one mistake in its last row:
  every row is read, converted and validated, and nothing is written;
* ``upload``: ``registers.exchange.upload`` of the correct file: every row checked, then all
  created as a liaison's drafts in one transaction, with their history rows;
* ``formula``: the upload of the file with a formula in its last row instead: such a file
  is read cell by cell (by openpyxl, to name each formula cell), checked, and refused.

Without ``registers.exchange`` (the upload engine) only the openpyxl part runs, on the
columns below, and the script says so: the hook is ``exchange_module()``.
"""

from __future__ import annotations

import argparse
import datetime
import io
import os
import sys
import time
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _setup import markdown_table, start_django  # noqa: E402

DEFAULT_URL = "sqlite:////tmp/bench_upload.sqlite3"
REGISTER = "contracts"

# The contract template's columns, for when the upload engine is not there to say them.
FALLBACK_COLUMNS = {
    "title": ("合同名称", "示例道路改造工程施工合同"),
    "number": ("合同编号", "HT-2017-001"),
    "project": ("项目名称", "咸安区示例道路改造工程"),
    "counterparty": ("合同相对方", "咸宁市示例建设有限公司"),
    "amount": ("合同金额（元）", Decimal("2500000.00")),
    "signed_on": ("签订日期", datetime.date(2017, 5, 20)),
    "law_firm": ("审核律师事务所", "湖北示例律师事务所"),
    "lawyer": ("审核律师", "王律师"),
    "lawyer_reviewed_on": ("律师审核日期", datetime.date(2017, 5, 10)),
    "lawyer_opinion": ("律师审核意见", "合同条款合法有效，建议明确工期违约责任。"),
    "filed_on": ("备案日期", datetime.date(2017, 5, 15)),
    "filing_number": ("备案编号", "咸安合备〔2017〕1号"),
    "note": ("备注", ""),
}


def exchange_module():
    """The upload engine, ``registers.exchange``, or None while it is not merged."""
    try:
        from registers import exchange
    except ImportError:
        return None
    return exchange if hasattr(exchange, "upload") else None


def best_time(function, repeat: int) -> float:
    function()
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        function()
        times.append(time.perf_counter() - started)
    return min(times)


def liaison_of_new_unit():
    """A liaison of a unit of its own: each upload's records are the only ones there."""
    from registers.core.roles import Role
    from registers.models import Unit, UnitKind, User

    number = Unit.objects.filter(code__startswith="U").count() + 1
    unit = Unit.objects.create(
        code=f"U{number:04d}",
        name=f"上传基准单位{number}",
        short_name=f"上传{number}",
        kind=UnitKind.DEPARTMENT,
    )
    user = User.objects.create(username=f"upload{number}", role=Role.LIAISON, unit=unit)
    return user


def columns_and_example(exchange, user) -> tuple[list[str], list[str], list]:
    """(attributes, header names, example values) of the register's upload columns."""
    if exchange is None:
        attributes = list(FALLBACK_COLUMNS)
        names = [name for name, _value in FALLBACK_COLUMNS.values()]
        return attributes, names, [value for _name, value in FALLBACK_COLUMNS.values()]
    resource = new_resource(exchange, user)
    columns = exchange.columns_of(resource)
    example = exchange.example_row(resource, columns)
    return [c.attribute for c in columns], [c.name for c in columns], example


def new_resource(exchange, user):
    from registers.core.status import Status
    from registers.resources.base import WorkflowResource

    resource_class = exchange.resource_for(REGISTER)
    kwargs = {"user": user, "unit": None}
    if issubclass(resource_class, WorkflowResource):
        kwargs["status"] = Status.DRAFT
    return resource_class(**kwargs)


def build_workbook(
    sheet_title: str, attributes, names, example, rows: int, *, broken=False, formula=False
):
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=sheet_title)
    sheet.append(names)
    at = {attribute: index for index, attribute in enumerate(attributes)}
    for n in range(1, rows + 1):
        row = list(example)
        row[at["number"]] = f"HT-{n:06d}"
        row[at["title"]] = f"{example[at['title']]}（第{n}份）"
        if broken and n == rows:
            row[at["amount"]] = "两百五十万"
        if formula and n == rows:
            row[at["amount"]] = "=2500000*1"  # a formula, in openpyxl's write-only mode
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def openpyxl_rows(data: bytes, sheet_title: str) -> int:
    from openpyxl import load_workbook

    workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    count = sum(1 for _row in workbook[sheet_title].iter_rows(values_only=True))
    workbook.close()
    return count


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", default=DEFAULT_URL)
    parser.add_argument("--rows", type=int, default=50_000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    # Room for the benchmark's file, whatever the configured limit for users' uploads.
    os.environ.setdefault("LAWGOV_UPLOAD_MAX_BYTES", str(200 * 1024 * 1024))
    os.environ.setdefault("LAWGOV_UPLOAD_MAX_UNCOMPRESSED_BYTES", str(2 * 1024**3))
    start_django(args.database_url)

    from _setup import machine
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    print(machine(), file=sys.stderr)
    exchange = exchange_module()
    user = liaison_of_new_unit()
    sheet_title = exchange.DATA_SHEET if exchange else "数据"
    attributes, names, example = columns_and_example(exchange, user)
    started = time.perf_counter()
    good = build_workbook(sheet_title, attributes, names, example, args.rows)
    broken = build_workbook(sheet_title, attributes, names, example, args.rows, broken=True)
    formula = build_workbook(sheet_title, attributes, names, example, args.rows, formula=True)
    print(
        f"{args.rows} rows, {len(names)} columns, {len(good) / 1e6:.1f} MB, "
        f"written in {time.perf_counter() - started:.1f} s",
        file=sys.stderr,
    )

    assert openpyxl_rows(good, sheet_title) == args.rows + 1
    floor = best_time(lambda: openpyxl_rows(good, sheet_title), args.repeat)
    table = [["openpyxl read-only iteration", f"{floor:.1f}", "1.00×", "—"]]
    if exchange is None:
        print(
            "TODO: registers.exchange (the upload engine) is not on this branch yet; "
            "only openpyxl's read was timed. Run again once it is merged.",
            file=sys.stderr,
        )
    else:
        resource_class = exchange.resource_for(REGISTER)

        def check():
            result = exchange.upload(resource_class, broken, user=user)
            assert not result.ok and len(result.errors) == 1, result.errors[:3]
            return result

        checked = best_time(check, args.repeat)
        table.append(
            ["upload with one bad row (every row checked, nothing written)",
             f"{checked:.1f}", f"{checked / floor:.2f}×", "≤ 2×"]
        )  # fmt: skip
        uploads = []
        for _attempt in range(args.repeat):
            uploader = liaison_of_new_unit()
            started = time.perf_counter()
            result = exchange.upload(resource_class, good, user=uploader)
            uploads.append(time.perf_counter() - started)
            assert result.ok and result.created_count == args.rows, result.errors[:3]
        uploaded = min(uploads)
        table.append(
            ["upload (checked, then every row created with its history)",
             f"{uploaded:.1f}", f"{uploaded / floor:.2f}×", "≤ 2×"]
        )  # fmt: skip

        def refused_formula():
            result = exchange.upload(resource_class, formula, user=user)
            assert [error.code for error in result.errors] == ["formula"], result.errors[:3]

        refused = best_time(refused_formula, args.repeat)
        table.append(
            ["file with one formula (read cell by cell, every row checked, refused)",
             f"{refused:.1f}", f"{refused / floor:.2f}×", "—"]
        )  # fmt: skip
    print(markdown_table(["", "seconds", "÷ openpyxl", "target"], table))


if __name__ == "__main__":
    main()
