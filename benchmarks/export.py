"""Bulk export of a whole resource: the API's streamed CSV and NDJSON beside PostgreSQL's COPY.

    python benchmarks/export.py \\
        --database-url postgres://root@127.0.0.1:5432/bench_export --rows 1000000

Fills the ``documents`` register with ``--rows`` documents (one ``INSERT … SELECT
generate_series`` on the server; skipped when they are already there), then measures, each
in a fresh Python process so peak memory is the measurement's own:

* ``csv`` and ``ndjson``: the project's export path, ``registers.core.api.exports.streaming_export``
  called with the queryset and fields the documents endpoint exports, its
  ``StreamingHttpResponse`` consumed chunk by chunk into a null sink (what the WSGI server
  does with it) — the view minus routing and authentication, which cost the same for 10 or
  10⁶ rows;
* ``copy``: ``COPY (SELECT the same columns, same join and order) TO STDOUT (FORMAT csv,
  HEADER)`` through psycopg2's ``copy_expert`` into the same kind of null sink;
* ``fetch``: the same rows read through Django and psycopg2 as Python values and thrown
  away — no export can be faster than that, which shows how much of an export's time is
  formatting.

For each it reports rows per second, how far the process's resident memory rose above what
it used when the export started (sampled from ``/proc/self/statm`` as chunks are written;
``resource.getrusage``'s high-water mark is in the JSON lines too) and, in a separate run
with ``tracemalloc`` on (it slows Python down), the peak of Python allocations, at each
size of ``--sizes`` (default 100,000 and ``--rows``): memory that stays flat from 100k to
1M rows is bounded.
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _setup import markdown_table, prepare_database, start_django  # noqa: E402

DEFAULT_URL = "postgres://root@127.0.0.1:5432/bench_export"

COPY_SELECT = """
SELECT d.id, d.unit_id, u.code, u.name, d.status, d.updated_at, d.title, d.number, d.kind,
       d.issued_on, d.effective_on, d.valid_until, d.note
FROM registers_document d JOIN registers_unit u ON u.id = d.unit_id
WHERE d.id <= {limit}
ORDER BY d.id
"""


LABELS = {
    "copy": "PostgreSQL COPY … TO STDOUT (CSV)",
    "fetch": "reading the rows only (no text written)",
    "csv": "export.csv",
    "ndjson": "export.ndjson",
}


class NullSink:
    """Counts what is written, keeps nothing, and samples the process's memory meanwhile."""

    def __init__(self, sample_every: int) -> None:
        self.bytes = 0
        self.writes = 0
        self.sample_every = sample_every
        self.rss_high_kb = current_rss_kb()

    def write(self, data) -> int:
        self.bytes += len(data)
        self.writes += 1
        if self.writes % self.sample_every == 0:
            self.rss_high_kb = max(self.rss_high_kb, current_rss_kb())
        return len(data)


def current_rss_kb() -> int:
    """Resident memory now (Linux), in KiB."""
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[1]) * resource.getpagesize() // 1024


def peak_rss_kb() -> int:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


# --- Data ----------------------------------------------------------------------------------


def fill(rows: int) -> None:
    """``rows`` documents with ids 1…rows; some titles start with = + - @ (escaped on export)."""
    from django.db import connection

    if "bench" not in connection.settings_dict["NAME"]:
        raise SystemExit("the export benchmark rewrites its database: use one named *bench*")
    prepare_database()
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*), coalesce(max(id), 0) FROM registers_document")
        count, highest = cursor.fetchone()
        if count == rows and highest == rows:
            return
        cursor.execute("TRUNCATE registers_document RESTART IDENTITY CASCADE")
        cursor.execute(
            "INSERT INTO registers_unit (name, short_name, kind, code, is_enforcement_body, "
            "updated_at) SELECT '导出基准单位' || n, '单位' || n, 'department', 'X' || n, true, "
            "now() FROM generate_series(1, 40) n ON CONFLICT DO NOTHING"
        )
        cursor.execute(
            """
            INSERT INTO registers_document (
                unit_id, title, number, kind, issued_on, effective_on, valid_until, note,
                status, created_at, updated_at, review_comment)
            SELECT
                (SELECT min(id) FROM registers_unit WHERE code LIKE 'X%%') + n %% 40,
                CASE WHEN n %% 1000 = 0 THEN '=HYPERLINK("http://example.com")'
                     ELSE '关于做好第' || n || '号事项的通知，含"引号"与逗号' END,
                'X' || n || '号',
                CASE WHEN n %% 20 = 0 THEN 'normative' ELSE 'non_normative' END,
                DATE '2010-01-01' + n %% 3000,
                DATE '2010-01-01' + n %% 3000 + 10,
                DATE '2015-01-01' + n %% 3000,
                '',
                'approved', now(), now(), ''
            FROM generate_series(1, %s) n
            """,
            [rows],
        )
        cursor.execute("ANALYZE registers_document")


# --- One measurement (run in its own process) ----------------------------------------------


def measure(mode: str, limit: int, trace: bool) -> dict:
    import tracemalloc

    from django.db import connection

    from registers.api import DocumentViewSet
    from registers.core.api.exports import streaming_export
    from registers.models import Document

    fields = DocumentViewSet.export_fields

    connection.ensure_connection()
    # COPY writes once per row, the export once per chunk of rows.
    sink = NullSink(sample_every=1000 if mode == "copy" else 1)
    before = current_rss_kb()
    if trace:
        tracemalloc.start()
    started = time.perf_counter()
    if mode == "copy":
        sql = COPY_SELECT.format(limit=int(limit))
        with connection.connection.cursor() as cursor:
            cursor.copy_expert(f"COPY ({sql}) TO STDOUT WITH (FORMAT csv, HEADER)", sink)
    elif mode == "fetch":
        # The rows as Python values, as the export reads them, and nothing else: its ceiling.
        queryset = Document.objects.filter(pk__lte=limit).order_by("pk")
        for _row in queryset.values_list(*fields).iterator(chunk_size=2000):
            pass
    else:
        queryset = Document.objects.filter(pk__lte=limit).order_by("pk")
        header = [field.replace("__", ".") for field in fields]
        response = streaming_export(queryset, list(fields), header, mode, "document")
        for chunk in response.streaming_content:
            sink.write(chunk)
        response.close()
    seconds = time.perf_counter() - started
    result = {
        "mode": mode,
        "rows": limit,
        "seconds": seconds,
        "rows_per_second": limit / seconds,
        "bytes": sink.bytes,
        "chunks": sink.writes,
        "rss_before_kb": before,
        "rss_during_kb": max(sink.rss_high_kb, current_rss_kb()),
        "process_peak_rss_kb": peak_rss_kb(),
    }
    if trace:
        result["tracemalloc_peak_kb"] = tracemalloc.get_traced_memory()[1] // 1024
        tracemalloc.stop()
    return result


def run_measurement(url: str, mode: str, limit: int, trace: bool) -> dict:
    command = [sys.executable, __file__, "--database-url", url, "--measure", mode]
    command += ["--limit", str(limit)] + (["--trace"] if trace else [])
    output = subprocess.run(command, check=True, capture_output=True, text=True).stdout
    return json.loads(output.strip().splitlines()[-1])


# --- The whole run -------------------------------------------------------------------------


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", default=DEFAULT_URL)
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--sizes", default="", help="row counts to measure (default 100000,ROWS)")
    parser.add_argument("--repeat", type=int, default=3, help="timed runs per measurement")
    parser.add_argument(
        "--measure", choices=["csv", "ndjson", "copy", "fetch"], help=argparse.SUPPRESS
    )
    parser.add_argument("--limit", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--trace", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()

    start_django(args.database_url)
    from django.db import connection

    if connection.vendor != "postgresql":
        raise SystemExit("the export benchmark compares with COPY: give a PostgreSQL URL")
    if args.measure:
        print(json.dumps(measure(args.measure, args.limit, args.trace)))
        return

    from _setup import machine

    started = time.perf_counter()
    fill(args.rows)
    print(f"{args.rows} documents ready in {time.perf_counter() - started:.0f} s", file=sys.stderr)
    print(machine(), file=sys.stderr)
    connection.close()
    sizes = [int(size) for size in args.sizes.split(",") if size] or sorted({100_000, args.rows})
    rows = []
    for size in sizes:
        results = {}
        for mode in ("copy", "fetch", "csv", "ndjson"):
            # Best of the repeats: the machine is shared.
            timed = [
                run_measurement(args.database_url, mode, size, False) for _ in range(args.repeat)
            ]
            best = max(timed, key=lambda result: result["rows_per_second"])
            best["rss_growth_kb"] = max(r["rss_during_kb"] - r["rss_before_kb"] for r in timed)
            best["tracemalloc_peak_kb"] = run_measurement(args.database_url, mode, size, True)[
                "tracemalloc_peak_kb"
            ]
            results[mode] = best
            print(json.dumps(best), file=sys.stderr)
        copy_rate = results["copy"]["rows_per_second"]
        for mode in ("copy", "fetch", "csv", "ndjson"):
            result = results[mode]
            rows.append(
                [
                    f"{size:,}",
                    LABELS[mode],
                    f"{result['rows_per_second']:,.0f}",
                    f"{result['rows_per_second'] / copy_rate:.0%}",
                    f"{result['bytes'] / 1e6:,.0f}",
                    f"{result['rss_growth_kb'] / 1024:,.1f}",
                    f"{result['tracemalloc_peak_kb'] / 1024:,.1f}",
                ]
            )
    print(
        markdown_table(
            [
                "rows",
                "export",
                "rows/s",
                "of COPY",
                "MB written",
                "peak RSS growth (MB)",
                "peak Python allocations (MB)",
            ],
            rows,
        )
    )


if __name__ == "__main__":
    main()
