"""What may be kept between requests: results computed from the registers (the report's
figures, the open deadlines, pages of lists), kept under a stamp of the data they were
computed from (and of the rules' settings, ``LAWGOV``), so that any change to the data is
seen by the next request: in this process's memory, and in
the shared cache (``CACHES["default"]``) for the other processes and servers.

The stamp is one query: for every table of the registers' apps (``TRACKED_APPS``) and every
table kept with a history, the largest key of its history table (every create, change and
deletion of a record writes a history row, the bulk writers and the batch workflow
included), or the number of rows, the largest key and the latest of each date-and-time
column of a table kept without history. A result is taken from or kept in either place only
when nothing can hide a change from the stamp:

- the request is not inside a transaction (its own uncommitted writes would be counted in
  the stamp and could be rolled back);
- on PostgreSQL, no other transaction is writing to a tracked table of this database
  (``pg_locks``; a copy of it on the same server has the same table identifiers): a
  transaction that took a history key and has not committed yet could commit after a later
  one, leaving the largest key unchanged. SQLite has one writer at a time.

Otherwise the result is computed as if nothing were kept. A request that only reads (GET,
HEAD) takes the stamp once (``OneStampPerRequest``). Entries also expire after
``LAWGOV_STAMPED_CACHE_SECONDS`` (default 300) and the memory holds at most a few hundred.
"""

from __future__ import annotations

import functools
import hashlib
import logging
import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from contextvars import ContextVar
from typing import TypeVar

from django.apps import apps
from django.conf import settings
from django.core.cache import cache
from django.core.cache.backends.locmem import LocMemCache
from django.db import connection, models
from django.utils import timezone
from django.utils.translation import get_language

from registers.core.permissions import may_see_personal_data, scope_key

T = TypeVar("T")

logger = logging.getLogger(__name__)

#: The apps whose data the kept results are computed from: every table of theirs, and every
#: table anywhere that keeps a history (a register added by another app).
TRACKED_APPS = ("registers", "reviews", "reports")
#: Tables that no kept result reads and that change all the time.
UNTRACKED_MODELS = (
    "registers.Job",
    "registers.WorkerHeartbeat",
    "registers.ScheduledRun",
    "workspace.Notification",
)

#: Columns that change without changing anything a result is computed from: a user's last
#: login is set at every login, which would otherwise drop every kept result of the site.
UNTRACKED_COLUMNS = ("registers.User.last_login",)

#: The stamp of a reading request, once taken (a one-item list), or None outside one.
_request_stamp: ContextVar[list | None] = ContextVar("lawgov_request_stamp", default=None)

_memory = LocMemCache("lawgov-stamped", {"OPTIONS": {"MAX_ENTRIES": 300}})


class _Objects:
    """Results kept in this process as they are, not copied (``kept(as_is=True)``): for
    results made of frozen rows that no caller changes, whose copying would cost more than
    using them (a model instance takes far longer to unpickle than to read)."""

    def __init__(self, size: int):
        self.size = size
        self.items: OrderedDict[str, tuple[float, object]] = OrderedDict()
        self.lock = threading.Lock()

    def get(self, entry: str):
        with self.lock:
            found = self.items.get(entry)
            if found is None:
                return None
            if found[0] < time.monotonic():
                del self.items[entry]
                return None
            self.items.move_to_end(entry)
            return found[1]

    def set(self, entry: str, value, seconds: int) -> None:
        with self.lock:
            self.items[entry] = (time.monotonic() + seconds, value)
            self.items.move_to_end(entry)
            while len(self.items) > self.size:
                self.items.popitem(last=False)

    def clear(self) -> None:
        with self.lock:
            self.items.clear()


_objects = _Objects(100)


def _tracked_tables() -> list[tuple[str, str, bool, tuple[str, ...]]]:
    """(table, key column) of what the stamp reads, whether it is a history table, and a
    table without history's date-and-time columns: a row changed in place (a holiday
    schedule withdrawn, a user's last login) moves none of its count and largest key, but
    sets one of those to now."""
    tables = []
    for model in apps.get_models():
        meta = model._meta
        if meta.label in UNTRACKED_MODELS or meta.model_name.startswith("historical"):
            continue  # a history table is read through the model it records
        history = getattr(model, "history", None)
        history_model = getattr(history, "model", None)
        if meta.app_label not in TRACKED_APPS and history_model is None:
            continue
        if history_model is not None:
            tables.append((history_model._meta.db_table, history_model._meta.pk.column, True, ()))
        else:
            moments = tuple(
                field.column
                for field in meta.concrete_fields
                if isinstance(field, models.DateTimeField)
                and f"{meta.label}.{field.name}" not in UNTRACKED_COLUMNS
            )
            tables.append((meta.db_table, meta.pk.column, False, moments))
    return tables


@functools.cache
def _followed_tables() -> frozenset[str]:
    return frozenset(table for table, *_ in _tracked_tables())


def follows(model: type[models.Model]) -> bool:
    """Whether every change to ``model``'s records moves the stamp (a page showing other
    records, such as the audit log or a user's last login, must not be kept under it)."""
    history = getattr(getattr(model, "history", None), "model", None)
    return (history or model)._meta.db_table in _followed_tables()


@functools.cache
def _stamp_sql(vendor: str) -> tuple[str, list[str]]:
    quote = connection.ops.quote_name
    parts, names = [], []
    for table, key, history, moments in _tracked_tables():
        names.append(table)
        parts.append(f"(SELECT MAX({quote(key)}) FROM {quote(table)})")
        if not history:
            parts.append(f"(SELECT COUNT(*) FROM {quote(table)})")
        parts.extend(f"(SELECT MAX({quote(column)}) FROM {quote(table)})" for column in moments)
    sql = "SELECT " + ", ".join(parts)
    if vendor == "postgresql":
        relations = ", ".join(f"'{table}'::regclass" for table in names)
        sql += (
            ", (SELECT COUNT(*) FROM pg_locks WHERE locktype = 'relation'"
            " AND mode = 'RowExclusiveLock' AND granted AND pid <> pg_backend_pid()"
            " AND database = (SELECT oid FROM pg_database WHERE datname = current_database())"
            f" AND relation IN ({relations}))"
        )
    return sql, names


def data_stamp() -> tuple | None:
    """The stamp of the tracked data as this connection sees it now, or None when a result
    computed now must not be kept (a transaction is open here, or another one is writing)."""
    if connection.in_atomic_block:
        return None
    taken = _request_stamp.get()
    if taken is None:
        return _read_stamp()
    if not taken:
        taken.append(_read_stamp())
    return taken[0]


def _read_stamp() -> tuple | None:
    sql, _names = _stamp_sql(connection.vendor)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            _execute_prepared(cursor, sql)
        else:
            cursor.execute(sql)
        row = tuple(cursor.fetchone())
    if connection.vendor == "postgresql":
        row, writers = row[:-1], row[-1]
        if writers:
            return None
    return row


def kept(
    name: str, key: tuple, compute: Callable[[], T], *, in_memory: bool = True, as_is: bool = False
) -> T:
    """``compute()``, or what it returned for the same ``key`` on the same data. Large
    results (files) are kept in the shared cache only (``in_memory=False``). A result kept
    ``as_is`` is given to every request of this process as the same object (``_Objects``):
    only for one that nobody changes."""
    stamp = data_stamp()
    if stamp is None:
        return compute()
    # The rules' settings (deadline days, thresholds…) are part of every result: a result
    # kept by a server started with other settings is not taken.
    rules = repr(sorted(settings.LAWGOV.items()))
    entry = hashlib.sha256(repr((name, key, get_language(), stamp, rules)).encode()).hexdigest()
    seconds = settings.LAWGOV_STAMPED_CACHE_SECONDS
    memory = (_objects if as_is else _memory) if in_memory else None
    found = memory.get(entry) if memory else None
    if found is None:
        found = _shared(entry)  # made by another process or server
        if found is not None and memory:
            memory.set(entry, found, seconds)
    if found is not None:
        return found
    value = compute()
    if memory:
        memory.set(entry, value, seconds)
    _share(entry, value, seconds)
    return value


def page_key(request) -> tuple:
    """What a part of a page kept for its reader is kept for besides the data: the reader's
    account, role and scope, whether it may see personal data (an API client's token
    decides, so one account's tokens differ), the address (filters, search, ordering, page)
    and the day (a status or a deadline as of today)."""
    user = request.user
    return (
        user.pk,
        getattr(user, "role", None),
        scope_key(user),
        may_see_personal_data(user, getattr(request, "auth", None)),
        request.get_full_path(),
        timezone.localdate(),
    )


def _share(entry: str, value, seconds: int) -> None:
    """Keep ``value`` for the other processes. A shared cache that cannot take it (its table
    not made yet by ``createcachetable``, as after restoring an older backup; /readyz tells)
    only costs them the work: the result is still given."""
    try:
        cache.set(entry, value, seconds)
    except Exception:  # noqa: BLE001 (any cache backend's failure)
        logger.warning("the shared cache cannot keep a result", exc_info=True)


def _shared(entry: str):
    """What the shared cache holds for ``entry``; an entry this code cannot read (kept by
    the release before an upgrade) is made again."""
    try:
        return cache.get(entry)
    except Exception:  # noqa: BLE001 (unpickling objects of an earlier release)
        return None


def _execute_prepared(cursor, sql: str) -> None:
    """Run ``sql`` as a statement prepared once per database session: planning its fifty
    subqueries takes several times longer than running them. (A pooler that shares server
    sessions between clients, such as PgBouncer in transaction mode, would lose it; the
    deployment connects directly, ``docs/deploy.md``.)"""
    name = "lawgov_stamp_" + hashlib.sha256(sql.encode()).hexdigest()[:16]
    raw = connection.connection
    if getattr(connection, "_lawgov_stamp_prepared", None) != (raw, name):
        cursor.execute(f"PREPARE {name} AS {sql}")
        connection._lawgov_stamp_prepared = (raw, name)
    cursor.execute(f"EXECUTE {name}")


class OneStampPerRequest:
    """Middleware: a request that only reads takes the stamp once, when first asked for."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.method not in ("GET", "HEAD"):
            return self.get_response(request)
        token = _request_stamp.set([])
        try:
            return self.get_response(request)
        finally:
            _request_stamp.reset(token)


def forget() -> None:
    """Drop what this process keeps in memory (tests; the shared cache is cleared apart)."""
    _memory.clear()
    _objects.clear()
