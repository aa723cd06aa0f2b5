"""The figures engine makes a fixed number of queries, however many records there are.

Measured with ``CaptureQueriesContext`` on the demo data set, then again after ten synthetic
districts (each about the demo's volume per year) are added on top, for the whole district
and for units with no, few and many records. The data sets are built once for the module
and flushed afterwards.
"""

from __future__ import annotations

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext

from registers.core import stamps
from registers.models import Document, InspectionItem, Unit, UnitKind
from reviews.models import EvaluatedFile, GovernmentContract, LegalityReview, LitigationCase
from xianan_lawgov.reports import groups  # noqa: F401  (registers the figure groups)
from xianan_lawgov.reports.access import COMMAND_LINE, report_scope
from xianan_lawgov.reports.figures import compute_figures, records_behind
from xianan_lawgov.reports.outputs import record_rows

#: The most queries one report (a year with its previous year) may take: its figures, the
#: correction-rate definitions of both years, the calendar's overrides and schedules, and
#: the publications held to a provisional due day (``DrawGroup.warnings``).
QUERY_BOUND = 49

#: Registers whose size the comparison is about: each must grow at least tenfold.
REGISTERS = (
    Document,
    InspectionItem,
    GovernmentContract,
    EvaluatedFile,
    LegalityReview,
    LitigationCase,
)

#: Demo units: 工商分局 (many records), 公安分局 (some), and a unit made empty for the test.
DEMO_UNITS = ("V01", "D05", "EMPTY")


def report_queries(unit_code: str | None = None) -> int:
    unit = Unit.objects.get(code=unit_code) if unit_code else None
    # Each report as made from nothing kept by the one before (the calendar among them).
    stamps.forget()
    cache.clear()
    with CaptureQueriesContext(connection) as queries:
        figures = compute_figures(2017, unit)
    assert figures.figures, "the report has figures"
    return len(queries.captured_queries)


def record_sheet_queries() -> dict[str, int]:
    """Queries for the records behind each figure of the district's report, as its workbook
    lists them on one sheet per figure."""
    scope = report_scope(COMMAND_LINE, 2017, "")
    counts = {}
    for key, figure in compute_figures(2017, None).figures.items():
        if not figure.has_records or not records_behind(key, 2017).exists():
            continue
        with CaptureQueriesContext(connection) as queries:
            list(record_rows(key, scope))
        counts[key] = len(queries.captured_queries)
    return counts


def measure(unit_codes) -> dict:
    return {
        "district": report_queries(),
        "sheets": record_sheet_queries(),
        **{code: report_queries(code) for code in unit_codes},
        "rows": {model.__name__: model.objects.count() for model in REGISTERS},
    }


@pytest.fixture(scope="module")
def measured(django_db_setup, django_db_blocker):
    quiet = open("/dev/null", "w")  # noqa: SIM115
    with django_db_blocker.unblock(), override_settings(DEBUG=True):
        call_command("load_demo", stdout=quiet)
        Unit.objects.create(
            code="EMPTY", name="无记录的单位", short_name="无记录", kind=UnitKind.DEPARTMENT
        )
        demo = measure(DEMO_UNITS)
        call_command("generate_synthetic", scale=10, year=2017, stdout=quiet, stderr=quiet)
        large = measure((*DEMO_UNITS, "S001-03", "S010-15"))
    yield demo, large
    with django_db_blocker.unblock():
        call_command("flush", interactive=False, verbosity=0)


def test_the_larger_data_set_is_at_least_ten_times_the_demo(measured):
    demo, large = measured
    for register, count in demo["rows"].items():
        assert count > 0, register
        assert large["rows"][register] >= 10 * count, register


def test_district_report_takes_the_same_queries_on_ten_times_the_demo(measured):
    demo, large = measured
    assert large["district"] == demo["district"]
    assert demo["district"] <= QUERY_BOUND


def test_each_record_sheet_of_the_workbook_takes_the_same_queries_on_ten_times_the_demo(
    measured,
):
    """The workbook names every record behind a figure (a clean-up item by its document):
    a sheet takes a few queries (one, or four where the figure's records are chosen by
    their working-day deadline: the calendar's overrides and schedules too), however many
    records."""
    demo, large = measured
    assert len(demo["sheets"]) > 20
    assert {key: large["sheets"][key] for key in demo["sheets"]} == demo["sheets"]
    assert max(large["sheets"].values()) <= 4


def test_unit_report_takes_the_same_queries_whatever_the_units_records(measured):
    demo, large = measured
    counts = {
        **{f"demo {code}": demo[code] for code in DEMO_UNITS},
        **{f"large {code}": large[code] for code in (*DEMO_UNITS, "S001-03", "S010-15")},
    }
    assert set(counts.values()) == {demo["district"]}, counts
    assert demo["district"] <= QUERY_BOUND


def test_synthetic_units_have_records_of_their_own(measured, db):
    """The unit-scoped comparison covers units with many records, not just empty ones."""
    assert GovernmentContract.objects.filter(unit__code="S001-03").count() >= 3
    assert InspectionItem.objects.filter(unit__code="S010-15").count() >= 10
