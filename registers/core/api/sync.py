"""Incremental sync: what changed since a moment, and what was deleted since.

Sync protocol (see also docs/api.md): a client remembers the moment it *started* its last
pull and asks every list for ``updated_since=<that moment, less five minutes>`` (a save in
progress, such as a large upload, stamps its records before it commits them). It receives
every record created or changed since then (by its audit history or its ``updated_at``), and
on the first page ``deleted``: the ids of records deleted since then. Children shown inside
a record (an item's check points, a case's hearings…) count as changes of that record.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable

from django.core.exceptions import FieldDoesNotExist
from django.db.models import Q
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.timezone import make_aware
from django.utils.translation import gettext as _

from registers.core import permissions as rules
from registers.core.api.errors import InvalidQuery
from registers.core.dates import EARLIEST, LATEST
from registers.core.roles import Role

#: Real time zones lie within 14 hours of UTC; PostgreSQL refuses offsets of 16 hours or more.
LARGEST_OFFSET = datetime.timedelta(hours=14)


def parse_since(value: str, name: str = "updated_since") -> datetime.datetime:
    """An ISO 8601 moment (or a date) from the query string, within the registers' dates."""
    try:
        moment = parse_datetime(value)
    except ValueError:  # well-formed but impossible: 25 o'clock, an offset of 30 hours
        moment = None
    if moment is None:
        try:
            day = parse_date(value)
        except ValueError:
            day = None
        if day is not None:
            moment = datetime.datetime.combine(day, datetime.time())
    if moment is None:
        raise InvalidQuery(
            _("查询参数 %(name)s 的时间格式不正确，请使用 ISO 8601（如 2018-01-31T08:00+08:00）。")
            % {"name": name},
            code="invalid_timestamp",
            parameter=name,
        )
    offset = moment.utcoffset()
    if offset is not None and abs(offset) > LARGEST_OFFSET:
        raise InvalidQuery(
            _("查询参数 %(name)s 的时区偏移超出范围（与 UTC 相差不能超过 14 小时）。")
            % {"name": name},
            code="timestamp_offset_out_of_range",
            parameter=name,
        )
    if not EARLIEST <= moment.date() <= LATEST:
        raise InvalidQuery(
            _("查询参数 %(name)s 超出可查询的范围（%(earliest)s 至 %(latest)s）。")
            % {"name": name, "earliest": EARLIEST, "latest": LATEST},
            code="timestamp_out_of_range",
            parameter=name,
        )
    if moment.tzinfo is None:
        moment = make_aware(moment)
    return moment


def _has_field(model, name: str) -> bool:
    try:
        model._meta.get_field(name)
    except FieldDoesNotExist:
        return False
    return True


def changed_since(model, since: datetime.datetime, children: Iterable[str] = ()) -> Q:
    """Records created or changed since ``since``, or whose listed children were.

    The audit history is the change log (it also sees writes that leave ``updated_at`` alone,
    such as bulk updates); ``updated_at`` covers rows loaded in bulk without history.
    """
    condition = Q(pk__in=model.history.filter(history_date__gte=since).values("id"))
    if _has_field(model, "updated_at"):
        condition |= Q(updated_at__gte=since)
    for name in children:
        relation = model._meta.get_field(name)
        child = relation.related_model
        link = relation.field.attname
        condition |= Q(pk__in=child.history.filter(history_date__gte=since).values(link))
    return condition


def unit_of_history_row(row, path: list[str], cache: dict) -> int | None:
    """The owning unit of a deleted row, following its scope path through live rows or,
    for parents deleted too, through their last history row."""
    target, model = row, type(row).instance_type
    for name in path[:-1]:
        related = model._meta.get_field(name).related_model
        pk = getattr(target, f"{name}_id", None)
        if pk is None:
            return None
        key = (related, pk)
        if key not in cache:
            cache[key] = (
                related._default_manager.filter(pk=pk).first()
                or related.history.filter(id=pk).order_by("-history_date").first()
            )
        target, model = cache[key], related
        if target is None:
            return None
    return getattr(target, f"{path[-1]}_id", None)


def tombstones(model, user, since: datetime.datetime) -> list[dict]:
    """Records of ``model`` deleted since ``since`` that ``user`` could see, from the audit
    history."""
    rows = model.history.filter(history_type="-", history_date__gte=since).order_by("history_date")
    path = rules.scope_field_of(model)
    if path and rules.role_of(user) == Role.LIAISON:
        parts = path.split("__")
        if len(parts) == 1:
            rows = [row for row in rows.filter(**{f"{path}_id": user.unit_id})]
        else:
            cache: dict = {}
            rows = [row for row in rows if unit_of_history_row(row, parts, cache) == user.unit_id]
    return [
        {"id": row.id, "deleted_at": timezone.localtime(row.history_date).isoformat()}
        for row in rows
    ]
