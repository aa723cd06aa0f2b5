"""Upload of a 50,000-row template beside openpyxl's own read-only iteration of the file.

    python benchmarks/upload.py        # SQLite, /tmp/bench_upload.sqlite3
    python benchmarks/upload.py --database-url postgres://root@127.0.0.1:5432/bench_upload

Builds a workbook of ``--rows`` government contracts (the ``contracts`` register's template
columns, its example row with a new number and title on every row) with openpyxl in
write-only mode, then times, best of ``--repeat``:

* ``openpyxl``: ``load_workbook(read_only=True)`` and every row of the data sheet with
  ``iter_rows(values_only=True)`` — the floor for anything that reads the file;
* ``check``: ``registers.core.exchange.uploads.upload`` of the same file with one mistake in
  its last row: every row is read, converted and validated, and nothing is written;
* ``upload``: the upload of the correct file: every row checked, then all created as a
  liaison's drafts in one transaction, with their history rows;
* ``submitted``: the same upload asking for submitted records: each is entered through
  the workflow (``create_all``: checked, submitted as it is saved, in its one history row,
  announced after the commit);
* ``formula``: the upload of the file with a formula in its last row instead: such a file
  is read cell by cell (by openpyxl, to name each formula cell), checked, and refused;
* ``xls``, ``ods``: the check of the same rows (one mistake in the last) saved as an Excel
  97-2003 or an OpenDocument workbook (written by the tests' ``make_xls`` and ``make_ods``):
  the file is scanned for formula cells and its extent, read by calamine and checked.

The admin's import button runs the same upload.
"""

from __future__ import annotations

import argparse
import io
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _setup import best_time, markdown_table, prepare_database, start_django  # noqa: E402

DEFAULT_URL = "sqlite:////tmp/bench_upload.sqlite3"
REGISTER = "contracts"


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


def columns_and_example(user) -> tuple[list[str], list[str], list]:
    """(attributes, header names, example values) of the register's upload columns."""
    from registers.core.exchange import templates, uploads
    from registers.core.exchange.columns import columns_of

    resource = uploads.resource_for(REGISTER)(user=user)
    columns = columns_of(resource)
    example = templates.example_row(resource, columns)
    # Left empty, as a liaison may: every upload is by a liaison of a new unit.
    example = [None if c.attribute == "unit" else v for c, v in zip(columns, example, strict=True)]
    return [c.attribute for c in columns], [c.name for c in columns], example


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


def load_rows(data: bytes, sheet_title: str):
    from openpyxl import load_workbook

    workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    yield from workbook[sheet_title].iter_rows(values_only=True)
    workbook.close()


def openpyxl_rows(data: bytes, sheet_title: str) -> int:
    return sum(1 for _row in load_rows(data, sheet_title))


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

    prepare_database()
    print(machine(), file=sys.stderr)
    from registers.core.exchange import templates, uploads
    from registers.core.status import Status

    user = liaison_of_new_unit()
    sheet_title = templates.DATA_SHEET
    attributes, names, example = columns_and_example(user)
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
    resource_class = uploads.resource_for(REGISTER)

    def check():
        result = uploads.upload(resource_class, broken, user=user)
        assert not result.ok and len(result.errors) == 1, result.errors[:3]
        return result

    checked = best_time(check, args.repeat)
    table.append(
        ["upload with one bad row (every row checked, nothing written)",
         f"{checked:.1f}", f"{checked / floor:.2f}×", "≤ 2×"]
    )  # fmt: skip

    def fresh_uploads(status: Status) -> float:
        times = []
        for _attempt in range(args.repeat):
            uploader = liaison_of_new_unit()
            started = time.perf_counter()
            result = uploads.upload(resource_class, good, user=uploader, status=status)
            times.append(time.perf_counter() - started)
            assert result.ok and result.created_count == args.rows, result.errors[:3]
        return min(times)

    uploaded = fresh_uploads(Status.DRAFT)
    table.append(
        ["upload (checked, then every row created with its history)",
         f"{uploaded:.1f}", f"{uploaded / floor:.2f}×", "≤ 2×"]
    )  # fmt: skip
    submitted = fresh_uploads(Status.SUBMITTED)
    table.append(
        ["upload as submitted (… then every record submitted through the workflow)",
         f"{submitted:.1f}", f"{submitted / floor:.2f}×", "≤ 2×"]
    )  # fmt: skip

    def refused_formula():
        result = uploads.upload(resource_class, formula, user=user)
        assert [error.code for error in result.errors] == ["formula"], result.errors[:3]

    refused = best_time(refused_formula, args.repeat)
    table.append(
        ["file with one formula (read cell by cell, every row checked, refused)",
         f"{refused:.1f}", f"{refused / floor:.2f}×", "—"]
    )  # fmt: skip
    from tests.factories import make_ods, make_xls

    # The rows of the broken .xlsx file, as openpyxl reads them back.
    rows = list(load_rows(broken, sheet_title))[1:]
    for kind, make in (("xls", make_xls), ("ods", make_ods)):
        data = make(rows, names, title=sheet_title)

        def check_other_kind(data=data):
            result = uploads.upload(resource_class, data, user=user)
            assert not result.ok and len(result.errors) == 1, result.errors[:3]

        seconds = best_time(check_other_kind, args.repeat)
        table.append(
            [f"the same rows as .{kind}, one bad row (scanned, read by calamine, checked)",
             f"{seconds:.1f}", f"{seconds / floor:.2f}×", "—"]
        )  # fmt: skip
    print(markdown_table(["", "seconds", "÷ openpyxl", "target"], table))


if __name__ == "__main__":
    main()
