"""Which annual reports exist and who may read them: the one check behind the report pages,
the API and the ``annual_report`` command, so the three give the same answer to the same
(reader, year, unit).

A year has a report from ``FIRST_YEAR`` to the current year (the live report of a year in
progress grows as its records are approved). Those who read every unit read the district's
report and any unit's; a liaison reads only their own unit's, which is also what they get
without naming a unit. A unit the reader may not see answers exactly like one that does not
exist.
"""

from __future__ import annotations

import datetime

from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from registers.core import permissions
from registers.models import Unit

from .figures import Scope
from .models import PublishedReport
from .services import ReportDocument, build_published, live_document

#: The first year the district kept its registers and reported from them.
FIRST_YEAR = 2017


class ReportNotFound(Http404):
    """No such report for this reader: the pages and the API answer 404 with the message,
    the command fails with it; ``code`` says which part of the request was wrong."""

    def __init__(self, message: str, code: str) -> None:
        super().__init__(message)
        self.message = message
        self.code = code


class _CommandLine:
    """The reader behind ``manage.py``: whoever runs it holds the database, every unit's."""

    def __repr__(self) -> str:
        return "COMMAND_LINE"


COMMAND_LINE = _CommandLine()


def report_years(today: datetime.date | None = None) -> range:
    today = today or timezone.localdate()
    return range(FIRST_YEAR, today.year + 1)


def check_year(year: int) -> None:
    years = report_years()
    if year not in years:
        raise ReportNotFound(
            _("没有 %(year)s 年度的报告：年度须在 %(first)s 至 %(last)s 之间。")
            % {"year": year, "first": years[0], "last": years[-1]},
            code="year_out_of_range",
        )


def report_unit(reader, unit_code: str = ""):
    """The unit whose report ``reader`` asks for with ``unit_code`` (None: the district)."""
    unit_code = (unit_code or "").strip()
    if not unit_code:
        if reader is COMMAND_LINE or permissions.reads_every_unit(reader):
            return None
        unit = getattr(reader, "unit", None)  # a liaison's own report
    else:
        unit = Unit.objects.filter(code=unit_code).first()
    if unit is not None and (reader is COMMAND_LINE or permissions.may_read_unit(reader, unit.pk)):
        return unit
    if not unit_code:
        raise ReportNotFound(_("该账号不属于任何单位，没有可看的报告。"), code="no_unit")
    # A unit the reader may not see answers exactly like one that does not exist.
    raise ReportNotFound(
        _("没有单位代码为“%(code)s”的单位。") % {"code": unit_code}, code="unknown_unit"
    )


def report_scope(reader, year: int, unit_code: str = "") -> Scope:
    """The (year, unit) of the report ``reader`` asks for, or ``ReportNotFound``."""
    check_year(year)
    return Scope(year, report_unit(reader, unit_code))


def published_report(scope: Scope, version: int) -> PublishedReport:
    published = (
        PublishedReport.objects.select_related("published_by", "unit")
        .filter(year=scope.year, unit=scope.unit, version=version)
        .first()
    )
    if published is None:
        raise ReportNotFound(
            _("%(year)s 年度没有第 %(version)s 版已发布的报告。")
            % {"year": scope.year, "version": version},
            code="version_not_found",
        )
    return published


def report_document(scope: Scope, version: int | None = None) -> ReportDocument:
    """The live report of ``scope``, or its published ``version`` as it was frozen."""
    if version is None:
        return live_document(scope)
    return build_published(published_report(scope, version))
