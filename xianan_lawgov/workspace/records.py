"""Every workflow record kind, found at run time, and what the pages ask of all of them.

A "kind" is one ``WorkflowRecord`` model, named in URLs by ``app_label.model_name``
(``reviews.commentdraftreply``). Each function costs a fixed number of queries per kind,
whatever the number of records or units.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from functools import cache

from django.apps import apps
from django.db import models
from django.db.models import Count, Q
from django.db.models.functions import ExtractYear
from django.http import Http404
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _

from registers.core import permissions
from registers.core.models import WorkflowRecord
from registers.core.status import Status
from registers.models import Unit

from ..reports.access import report_years

#: The date that puts a record in a year, by kind (the date the report counts it by).
#: Kinds not listed are standing lists (power items, officers…): they count in every year.
YEAR_FIELDS = {
    "registers.document": "issued_on",
    "registers.inspectiondraw": "drawn_on",
    "reviews.cleanupcampaign": "started_on",
    "reviews.governmentcontract": "signed_on",
    "reviews.majordecision": "catalogue__year",
    "reviews.evaluatedfile": "evaluated_on",
    "reviews.legalityreview": "received_on",
    "reviews.commentdraftreply": "received_on",
    "reviews.filing": "filed_on",
    "reviews.litigationcase": "served_on",
    "reviews.reconsiderationcase": "received_on",
    "reviews.accountabilityrecord": "decided_on",
    "reviews.criminaltransfer": "reported_on",
    "reviews.rectificationproblem": "found_on",
}


def kind_key(model) -> str:
    return f"{model._meta.app_label}.{model._meta.model_name}"


@cache
def workflow_models() -> tuple[type[WorkflowRecord], ...]:
    """Every concrete ``WorkflowRecord`` model installed, by app then verbose name."""
    found = [
        model
        for model in apps.get_models()
        if issubclass(model, WorkflowRecord) and not model._meta.abstract
    ]
    return tuple(sorted(found, key=lambda m: (m._meta.app_label, str(m._meta.verbose_name))))


def model_for_kind(kind: str) -> type[WorkflowRecord]:
    for model in workflow_models():
        if kind_key(model) == kind:
            return model
    raise Http404(_("没有这类记录。"))


def year_expression(model):
    """How to read a record's year in a query, or None for a standing list."""
    path = YEAR_FIELDS.get(kind_key(model))
    if path is None:
        return None
    target = model
    for name in path.split("__"):
        target_field = target._meta.get_field(name)
        target = target_field.related_model or target
    if isinstance(target_field, models.DateField):
        return ExtractYear(path)
    return models.F(path)


def admin_url(obj_or_model, view: str = "change", pk=None) -> str | None:
    opts = obj_or_model._meta
    args = [pk if pk is not None else obj_or_model.pk] if view == "change" else []
    try:
        return reverse(f"admin:{opts.app_label}_{opts.model_name}_{view}", args=args)
    except NoReverseMatch:
        return None


def with_related(queryset):
    """Join the foreign keys a record's ``__str__`` and the pages read."""
    names = [f.name for f in queryset.model._meta.fields if f.many_to_one]
    return queryset.select_related(*names)


# --- Counts by unit and status --------------------------------------------------------------


@dataclass
class StatusCounts:
    draft: int = 0
    submitted: int = 0
    returned: int = 0
    approved: int = 0

    def add(self, status: str, count: int) -> None:
        name = Status(status).name.lower()
        setattr(self, name, getattr(self, name) + count)

    @property
    def total(self) -> int:
        return self.draft + self.submitted + self.returned + self.approved

    @property
    def approved_percent(self) -> int:
        return round(self.approved * 100 / self.total) if self.total else 0

    @property
    def pending_percent(self) -> int:
        """Submitted or returned: in the office's hands or back with the unit."""
        return round((self.submitted + self.returned) * 100 / self.total) if self.total else 0


@dataclass
class UnitProgress:
    unit: Unit
    counts: StatusCounts = field(default_factory=StatusCounts)


@dataclass
class KindCount:
    model: type
    count: int

    @property
    def label(self) -> str:
        return str(self.model._meta.verbose_name_plural)

    @property
    def key(self) -> str:
        return kind_key(self.model)


@dataclass
class Overview:
    """What the office home shows about the workflow, computed in one query per kind."""

    year: int
    years_with_data: list[int]
    progress: list[UnitProgress]
    not_started: list[Unit]
    awaiting_review: list[KindCount]

    @property
    def awaiting_total(self) -> int:
        return sum(item.count for item in self.awaiting_review)


def _status_rows(model, user):
    """(unit id, status, year or None, count) for every record ``user`` may see."""
    queryset = permissions.scope_queryset(model._default_manager.all(), user)
    year = year_expression(model)
    unit_path = model.scope_field
    if year is not None:
        queryset = queryset.annotate(record_year=year)
        fields = [unit_path, "status", "record_year"]
    else:
        fields = [unit_path, "status"]
    for row in queryset.order_by().values(*fields).annotate(count=Count("pk")):
        yield row[unit_path], row["status"], row.get("record_year"), row["count"]


def report_year(kinds_by_year: dict[int, set[str]], today: datetime.date) -> int:
    """The latest finished year the units have reported for, else the current year.

    A year counts when at least half as many kinds of record have approved entries in it
    as in the best-covered year, so one late filing dated in a later year does not make
    that year the default.
    """
    finished = {y: kinds for y, kinds in kinds_by_year.items() if y < today.year}
    if not finished:
        return today.year
    best = max(len(kinds) for kinds in finished.values())
    return max(y for y, kinds in finished.items() if len(kinds) * 2 >= best)


def overview(user, year: int | None, today: datetime.date) -> Overview:
    """Submission progress per unit for ``year``, the years with data, and the review queue.

    ``year`` None picks the year whose report is being prepared (``report_year``).
    """
    per_unit: dict[int, dict[int | None, StatusCounts]] = defaultdict(dict)
    kinds_by_year: dict[int, set[str]] = defaultdict(set)
    awaiting: list[KindCount] = []
    for model in workflow_models():
        waiting = 0
        for unit_id, status, record_year, count in _status_rows(model, user):
            per_unit[unit_id].setdefault(record_year, StatusCounts()).add(status, count)
            if status == Status.SUBMITTED:
                waiting += count
            if status == Status.APPROVED and record_year is not None:
                kinds_by_year[int(record_year)].add(kind_key(model))
        if waiting:
            awaiting.append(KindCount(model, waiting))

    # Only years that have a report are offered; records of an earlier year are there for
    # the first report's comparison with the year before.
    reportable = report_years(today)
    kinds_by_year = {y: kinds for y, kinds in kinds_by_year.items() if y in reportable}
    if year is None:
        year = report_year(kinds_by_year, today)
    years = sorted(set(kinds_by_year) | {today.year, year}, reverse=True)

    units = Unit.objects.open_on(datetime.date(year, 1, 1)).order_by("kind", "code")
    if not permissions.reads_every_unit(user):
        units = units.filter(pk=user.unit_id)
    progress, not_started = [], []
    for unit in units:
        counts = StatusCounts()
        for record_year, year_counts in per_unit.get(unit.pk, {}).items():
            if record_year is None or int(record_year) == year:
                for status in Status:
                    counts.add(status, getattr(year_counts, status.name.lower()))
        if counts.total:
            progress.append(UnitProgress(unit, counts))
        else:
            not_started.append(unit)
    return Overview(year, years, progress, not_started, awaiting)


# --- Records of one unit or one user ---------------------------------------------------------


@dataclass
class RecordRow:
    record: WorkflowRecord
    model: type

    @property
    def kind_label(self) -> str:
        return str(self.model._meta.verbose_name)

    @property
    def kind(self) -> str:
        return kind_key(self.model)

    @property
    def status(self) -> Status:
        return Status(self.record.status)

    @property
    def admin_url(self) -> str | None:
        return admin_url(self.record)

    @property
    def review_url(self) -> str:
        return reverse("workspace:review_detail", args=[self.kind, self.record.pk])


def records_where(user, condition: Q, *, order_by: str, limit: int) -> list[RecordRow]:
    """Records ``user`` may see matching ``condition``, across kinds, newest first."""
    rows = []
    for model in workflow_models():
        queryset = permissions.scope_queryset(model._default_manager.all(), user)
        queryset = with_related(queryset.filter(condition)).order_by(f"-{order_by}", "-pk")
        rows.extend(RecordRow(record, model) for record in queryset[:limit])
    epoch = datetime.datetime.min.replace(tzinfo=datetime.UTC)
    rows.sort(key=lambda row: getattr(row.record, order_by) or epoch, reverse=True)
    return rows[:limit]


def awaiting_review(user) -> list[RecordRow]:
    rows = []
    for model in workflow_models():
        queryset = permissions.scope_queryset(model._default_manager.awaiting_review(), user)
        rows.extend(
            RecordRow(record, model) for record in with_related(queryset).order_by("submitted_at")
        )
    return rows


def get_record_for_user(user, kind: str, pk: int) -> tuple[type, WorkflowRecord]:
    """The record, or 404 when it does not exist or the user may not see it."""
    model = model_for_kind(kind)
    queryset = permissions.scope_queryset(with_related(model._default_manager.all()), user)
    try:
        return model, queryset.get(pk=pk)
    except model.DoesNotExist as exc:
        raise Http404(_("记录不存在。")) from exc
