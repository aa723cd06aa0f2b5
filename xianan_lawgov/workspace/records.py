"""Every workflow record kind, found at run time, and what the pages ask of all of them.

A "kind" is one ``WorkflowRecord`` model, named in URLs by ``app_label.model_name``
(``reviews.commentdraftreply``). Each function costs a fixed number of queries, at most
one per kind, whatever the number of records or units; a list across kinds finds its
records in one query for every kind (``record_keys``, the review queue's page) and reads
only those it shows (``load_rows``).
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from functools import cache

from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import EmptyResultSet
from django.core.paginator import Page, Paginator
from django.db import connection
from django.db.models import Count, F, Q, QuerySet, Value
from django.http import Http404
from django.urls import reverse
from django.utils.translation import gettext as _

from registers.core import permissions
from registers.core.admin_links import admin_url
from registers.core.attachments import current_by_record
from registers.core.models import WorkflowRecord
from registers.core.register_order import index_position
from registers.core.status import Status
from registers.core.text import KEY_LIMIT, whole_number
from registers.models import Unit

from ..reports.access import report_years


def kind_key(model) -> str:
    return f"{model._meta.app_label}.{model._meta.model_name}"


@cache
def workflow_models() -> tuple[type[WorkflowRecord], ...]:
    """Every concrete ``WorkflowRecord`` model installed, in the registers' order."""
    found = [
        model
        for model in apps.get_models()
        if issubclass(model, WorkflowRecord) and not model._meta.abstract
    ]
    return tuple(sorted(found, key=index_position))


def model_for_kind(kind: str) -> type[WorkflowRecord]:
    for model in workflow_models():
        if kind_key(model) == kind:
            return model
    raise Http404(_("没有这类记录。"))


def record_url(record) -> str | None:
    """Where a record is worked on: its own page if it has one (a unit's report), else its
    admin page."""
    if hasattr(record, "get_absolute_url"):
        return record.get_absolute_url()
    return admin_url(record)


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

    @property
    def complete(self) -> bool:
        """Every record approved (``approved_percent`` may round 99.6 up to 100)."""
        return self.total > 0 and self.approved == self.total


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

    @property
    def under_way(self) -> list[UnitProgress]:
        """The units with a record not approved yet: the ones the office follows up."""
        return [item for item in self.progress if not item.counts.complete]

    @property
    def completed(self) -> list[UnitProgress]:
        return [item for item in self.progress if item.counts.complete]


def _dated_rows(model, user):
    """(unit id, status, year or None, count) for every record ``user`` may see.

    A record's year is the one its register declares (``year_field``), the same the annual
    report counts it in; None while the date that puts it in a year is empty.
    """
    queryset = permissions.scope_queryset(model._default_manager.with_record_year(), user)
    unit_path = model.scope_field
    rows = queryset.order_by().values(unit_path, "status", "record_year")
    for row in rows.annotate(count=Count("pk")):
        year = row["record_year"]
        yield row[unit_path], row["status"], None if year is None else int(year), row["count"]


def _standing_rows(model, user, year: int):
    """(unit id, status, count in ``year``, count) for a standing list ``user`` may see: a
    year's entries are those standing on its 31 December (``in_year``)."""
    queryset = permissions.scope_queryset(model._default_manager.all(), user)
    unit_path = model.scope_field
    rows = queryset.order_by().values(unit_path, "status")
    of_year = queryset.year_condition(year)
    for row in rows.annotate(of_year=Count("pk", filter=of_year), count=Count("pk")):
        yield row[unit_path], row["status"], row["of_year"], row["count"]


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
    per_unit: dict[int, dict[int, StatusCounts]] = defaultdict(dict)
    kinds_by_year: dict[int, set[str]] = defaultdict(set)
    waiting: dict[type, int] = defaultdict(int)
    standing = [model for model in workflow_models() if model.year_field is None]
    dated = [model for model in workflow_models() if model not in standing]
    for model in dated:
        for unit_id, status, record_year, count in _dated_rows(model, user):
            if status == Status.SUBMITTED:
                waiting[model] += count
            if record_year is None:
                continue  # in no year yet: no report counts it, nor does the progress
            per_unit[unit_id].setdefault(record_year, StatusCounts()).add(status, count)
            if status == Status.APPROVED:
                kinds_by_year[record_year].add(kind_key(model))

    # Only years that have a report are offered; records of an earlier year are there for
    # the first report's comparison with the year before.
    reportable = report_years(today)
    kinds_by_year = {y: kinds for y, kinds in kinds_by_year.items() if y in reportable}
    if year is None:
        year = report_year(kinds_by_year, today)
    years = sorted(set(kinds_by_year) | {today.year, year}, reverse=True)
    of_year = {unit_id: by_year.get(year, StatusCounts()) for unit_id, by_year in per_unit.items()}
    for model in standing:
        for unit_id, status, in_year, count in _standing_rows(model, user, year):
            if status == Status.SUBMITTED:
                waiting[model] += count
            of_year.setdefault(unit_id, StatusCounts()).add(status, in_year)
    awaiting = [KindCount(model, waiting[model]) for model in workflow_models() if waiting[model]]

    units = Unit.objects.open_on(datetime.date(year, 1, 1)).order_by("kind", "code")
    if not permissions.reads_every_unit(user):
        units = units.filter(pk=user.unit_id)
    progress, not_started = [], []
    for unit in units:
        counts = of_year.get(unit.pk, StatusCounts())
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
    #: The record's current evidence files, where a page shows them.
    files: list = field(default_factory=list)

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
        return record_url(self.record)

    @property
    def review_url(self) -> str:
        return reverse("workspace:review_detail", args=[self.kind, self.record.pk])


def _union_all(parts: list[QuerySet]) -> tuple[str, list] | None:
    """One ``UNION ALL`` of ``parts`` (querysets of different kinds giving the same columns
    by ``values``), each in a subquery of its own so it keeps its order and slice, with the
    kind's place in ``parts`` as the first column, ``kind``; None when every part is empty
    by its scope (``.none()``)."""
    selects, params = [], []
    for index, part in enumerate(parts):
        try:
            sql, part_params = part.query.sql_with_params()
        except EmptyResultSet:
            continue
        selects.append(f"SELECT {index} AS kind, part{index}.* FROM ({sql}) AS part{index}")
        params.extend(part_params)
    return (" UNION ALL ".join(selects), params) if selects else None


def _fetch(sql: str, params: list) -> list[tuple]:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


#: A kind and a record's key, as the queries across kinds give them.
RecordKey = tuple[type, int]


def record_keys(user, condition: Q, *, order_by: str, limit: int) -> list[RecordKey]:
    """The first ``limit`` records ``user`` may see matching ``condition``, across kinds,
    newest ``order_by`` first (empty ones last; on a tie, in the order of the kinds, then
    the newest key first): one query, whatever the number of kinds or records."""
    models = workflow_models()
    parts = [
        permissions.scope_queryset(model._default_manager.filter(condition), user)
        .order_by(F(order_by).desc(nulls_last=True), "-pk")
        .values(found_pk=F("pk"), found_at=F(order_by))[:limit]
        for model in models
    ]
    found = _union_all(parts)
    if found is None:
        return []
    union, params = found
    sql = (
        f"SELECT kind, found_pk FROM ({union}) AS found"
        " ORDER BY found_at IS NULL, found_at DESC, kind, found_pk DESC"
        f" LIMIT {int(limit)}"
    )
    return [(models[kind], pk) for kind, pk in _fetch(sql, params)]


def load_rows(user, *key_lists: list[RecordKey]) -> list[list[RecordRow]]:
    """The records of each list of ``key_lists``, in its order, with what their pages read:
    one query per kind among them all. A record gone meanwhile (deleted, or no longer seen
    by ``user``) is left out."""
    wanted: dict[type, set[int]] = defaultdict(set)
    for keys in key_lists:
        for model, pk in keys:
            wanted[model].add(pk)
    found = {}
    for model, pks in wanted.items():
        queryset = permissions.scope_queryset(model._default_manager.filter(pk__in=pks), user)
        for record in with_related(queryset):
            found[model, record.pk] = record
    return [[RecordRow(found[key], key[0]) for key in keys if key in found] for keys in key_lists]


def _awaiting(model, user):
    return permissions.scope_queryset(model._default_manager.awaiting_review(), user)


#: ``ORDER BY`` text comparing as Python compares strings (by code point), whatever the
#: database's own collation: SQLite compares bytes already.
_CODE_POINT_ORDER = {"postgresql": ' COLLATE "C"'}


class _Queue:
    """The records awaiting review in the queue's order, as the paginator reads them: one
    query gives the page asked for and the number of records (a page past the end takes a
    second query, for the last page)."""

    def __init__(self, user, number, per_page: int):
        models = workflow_models()
        labels = sorted({str(model._meta.verbose_name) for model in models})
        self.models = models
        self.union = _union_all(
            [
                _awaiting(model, user)
                .order_by()
                .values(
                    found_pk=F("pk"),
                    unit_kind=F("unit__kind"),
                    unit_code=F("unit__code"),
                    found_unit=F("unit_id"),
                    label=Value(labels.index(str(model._meta.verbose_name))),
                    found_at=F("submitted_at"),
                )
                for model in models
            ]
        )
        # A page past the end shows the last; one whose offset no database takes (2**58
        # records in) is read as past the end too.
        first = min(whole_number(str(number)) or 1, KEY_LIMIT // per_page - 1)
        self.window = slice((first - 1) * per_page, first * per_page)
        self.total, self.keys, self.read = None, [], False

    def _read(self, window: slice) -> tuple[int | None, list[RecordKey]]:
        if self.union is None:
            return 0, []
        union, params = self.union
        text = _CODE_POINT_ORDER.get(connection.vendor, "")
        sql = (
            f"SELECT kind, found_pk, COUNT(*) OVER () FROM ({union}) AS queue ORDER BY"
            f" unit_kind{text}, unit_code{text}, found_unit, label,"
            " found_at IS NOT NULL, found_at, found_pk, kind"
            f" LIMIT {int(window.stop - window.start)} OFFSET {int(window.start)}"
        )
        rows = _fetch(sql, params)
        total = rows[0][2] if rows else (0 if window.start == 0 else None)
        return total, [(self.models[kind], pk) for kind, pk, _total in rows]

    def count(self) -> int:
        if not self.read:
            self.total, self.keys = self._read(self.window)
            self.read = True
        if self.total is None:  # past the end: counted apart
            union, params = self.union
            self.total = _fetch(f"SELECT COUNT(*) FROM ({union}) AS queue", params)[0][0]
        return self.total

    def __getitem__(self, window: slice) -> list[RecordKey]:
        if self.read and window.start == self.window.start:
            return self.keys[: window.stop - window.start]
        return self._read(window)[1]


def awaiting_review_page(user, number, per_page: int) -> tuple[Page, list[RecordRow]]:
    """One page of the records awaiting review, in the queue's order: by unit, kind, then
    the order they were submitted in; each row with its current files.

    The page's keys and the queue's length are read in one query, whatever the number of
    kinds or records; the records themselves for the page only (one query per kind on it).
    """
    page = Paginator(_Queue(user, number, per_page), per_page).get_page(number)
    # A record approved between the two reads is left out of this page.
    [rows] = load_rows(user, page.object_list)
    rows = [row for row in rows if row.record.status == Status.SUBMITTED]
    # Each with its current files (one query for the page).
    files = current_by_record(row.record for row in rows)
    for row in rows:
        content_type = ContentType.objects.get_for_model(row.model)
        row.files = files.get((content_type.pk, row.record.pk), [])
    return page, rows


def get_record_for_user(user, kind: str, pk: int) -> tuple[type, WorkflowRecord]:
    """The record, or 404 when it does not exist or the user may not see it."""
    model = model_for_kind(kind)
    queryset = permissions.scope_queryset(with_related(model._default_manager.all()), user)
    try:
        return model, queryset.get(pk=pk)
    except model.DoesNotExist as exc:
        raise Http404(_("记录不存在。")) from exc
