"""Time the annual report's figures engine against hand-written SQL, scale by scale.

    python benchmarks/figures.py --scale 100        # SQLite, /tmp/bench_figures.sqlite3
    python benchmarks/figures.py --scale 100 \\
        --database-url postgres://root@127.0.0.1:5432/bench_figures

For each scale of ``--scales`` up to ``--scale`` (default 1, 10 and ``--scale``) the script
adds synthetic districts (``manage.py generate_synthetic``) to reach that scale, then builds
the figures of ``--year`` with their previous-year values (``compute_figures``) and runs the
hand-written statements of ``figures_sql.py`` for the same two years; it checks that both
give the same value for every figure (a difference is a bug in one of them and stops the
run), and prints the times, their ratio and the query counts, for the whole district and
for one unit. Times are wall-clock, the best of ``--repeat`` runs after one warm-up run (the
machine is shared: the best run is the one least disturbed by others).
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _setup import best_time, markdown_table, prepare_database, start_django  # noqa: E402

DEFAULT_SQLITE = "sqlite:////tmp/bench_figures.sqlite3"


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scale", type=int, default=100, help="largest scale (districts)")
    parser.add_argument(
        "--scales", help="comma-separated scales to measure (default: 1,10,SCALE)", default=""
    )
    parser.add_argument("--database-url", default=DEFAULT_SQLITE)
    parser.add_argument("--year", type=int, default=2017)
    parser.add_argument("--seed", type=int, default=2017)
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument(
        "--fresh",
        action="store_true",
        help="empty the benchmark database first (its name must contain 'bench')",
    )
    return parser.parse_args()


def empty_database(url: str) -> None:
    """Drop everything in the benchmark database (refuses any database not named *bench*)."""
    from django.db import connection

    if "bench" not in connection.settings_dict["NAME"]:
        raise SystemExit(f"refusing to empty {connection.settings_dict['NAME']}: not a bench db")
    if connection.vendor == "sqlite":
        connection.close()
        Path(connection.settings_dict["NAME"]).unlink(missing_ok=True)
    else:
        with connection.cursor() as cursor:
            cursor.execute("DROP SCHEMA public CASCADE; CREATE SCHEMA public")


def count_queries(function) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        function()
    return len(queries.captured_queries)


def counted_rows() -> int:
    """Rows in every register and review table (what the figures are computed over)."""
    from django.apps import apps

    return sum(
        model._default_manager.count()
        for app in ("registers", "reviews")
        for model in apps.get_app_config(app).get_models()
        if not model.__name__.startswith("Historical")
    )


def compare(engine: dict, sql: dict, label: str) -> list[str]:
    problems = []
    for key in sorted(set(engine) | set(sql)):
        if key not in sql or key not in engine or engine[key] != sql[key]:
            problems.append(f"{label} {key}: engine {engine.get(key)!r} ≠ SQL {sql.get(key)!r}")
    return problems


def as_previous(values: dict) -> dict:
    """A year's values as the engine shows them as the previous year's: None throughout a
    group that counted nothing that year (``counted_anything``: no data, not zeros)."""
    from xianan_lawgov.reports.figures import GROUPS, counted_anything

    shown = dict(values)
    for group in GROUPS:
        own = {d.key: values.get(f"{group.key}.{d.key}") for d in group.figures}
        if not counted_anything(group, own):
            shown.update({f"{group.key}.{key}": None for key in own})
    return shown


def measure(year: int, unit, repeat: int) -> dict:
    import figures_sql

    from xianan_lawgov.reports import groups  # noqa: F401  (registers the groups)
    from xianan_lawgov.reports.figures import _compute_figures

    unit_id = unit.pk if unit else None
    prepared = figures_sql.statements(unit_id)

    def engine():
        # The computation itself: ``compute_figures`` keeps its result under the data's
        # stamp, which the synthetic rows (written without history) do not move, so it
        # would answer every run after the first, and every scale after the first, from
        # what it kept.
        return _compute_figures(year, unit, with_previous=True)

    def sql():
        return (
            figures_sql.hand_written_figures(year, unit_id, prepared),
            figures_sql.hand_written_figures(year - 1, unit_id, prepared),
        )

    figures = engine()
    current, previous = sql()
    label = unit.code if unit else "district"
    problems = compare(figures.values(), current, f"{label} {year}")
    problems += compare(
        {key: figure.previous for key, figure in figures.figures.items()},
        as_previous(previous),
        f"{label} {year - 1}",
    )
    if problems:
        raise SystemExit("Engine and SQL disagree:\n" + "\n".join(problems))
    return {
        "engine_s": best_time(engine, repeat),
        "sql_s": best_time(sql, repeat),
        "engine_queries": count_queries(engine),
        "sql_queries": count_queries(sql),
        "figures": len(figures.figures),
        "warnings": len(figures.warnings),
    }


def main() -> None:
    args = parse_args()
    start_django(args.database_url)

    import datetime

    import figures_sql
    from _setup import machine
    from django.core.management import call_command

    from registers.models import Unit

    if args.fresh:
        empty_database(args.database_url)
    prepare_database()
    figures_sql.create_calendar_table(
        datetime.date(args.year - 3, 1, 1), datetime.date(args.year + 2, 12, 31)
    )
    scales = sorted({int(s) for s in args.scales.split(",") if s} or {1, 10, args.scale})
    print(machine(), file=sys.stderr)
    rows = []
    for scale in scales:
        started = time.perf_counter()
        call_command(
            "generate_synthetic",
            scale=scale,
            year=args.year,
            seed=args.seed,
            force=True,
            stdout=open("/dev/null", "w"),  # noqa: SIM115
        )
        generated = time.perf_counter() - started
        total = counted_rows()
        print(f"scale {scale}: {total} rows (generated in {generated:.0f} s)", file=sys.stderr)
        for unit in (None, Unit.objects.get(code="S001-03")):
            result = measure(args.year, unit, args.repeat)
            rows.append(
                [
                    scale,
                    f"{total:,}",
                    "whole district" if unit is None else "one unit",
                    f"{result['engine_s'] * 1000:.0f}",
                    f"{result['sql_s'] * 1000:.0f}",
                    f"{result['engine_s'] / result['sql_s']:.2f}×",
                    result["engine_queries"],
                    result["sql_queries"],
                ]
            )
            print(rows[-1], file=sys.stderr)
    print(
        markdown_table(
            [
                "scale",
                "rows",
                "report",
                "engine (ms)",
                "hand-written SQL (ms)",
                "engine ÷ SQL",
                "engine queries",
                "SQL statements",
            ],
            rows,
        )
    )


if __name__ == "__main__":
    main()
