"""Incremental sync: what changed since a moment, and what was deleted since.

Sync protocol (see also docs/api.md): a client remembers the moment it *started* its last
pull and asks every list for ``updated_since=<that moment, less five minutes>`` (a save in
progress, such as a large upload, stamps its records before it commits them). It receives
every record created or changed since then (by its audit history or its ``updated_at``), and
on the first page ``deleted``: the ids of records deleted since then, and of records that
left what the client sees since then (moved to another unit, or under a parent that did).
Children shown inside a record (an item's check points, a case's hearings, its evidence
files…) count as changes of that record.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable

from django.contrib.contenttypes.fields import GenericRelation
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import FieldDoesNotExist
from django.db.models import Max, Q
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.timezone import make_aware
from django.utils.translation import gettext as _

from registers.core import permissions as rules
from registers.core.api.errors import InvalidQuery
from registers.core.dates import EARLIEST, LATEST

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
    """Records created or changed since ``since``, or whose listed children were, or
    whose parents along the scope path were.

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
    # Rows attached through a generic relation (evidence files) count as changes too.
    for relation in model._meta.private_fields:
        if isinstance(relation, GenericRelation) and hasattr(relation.related_model, "history"):
            rows = relation.related_model.history.filter(
                history_date__gte=since,
                **{relation.content_type_field_name: ContentType.objects.get_for_model(model)},
            )
            condition |= Q(pk__in=rows.values(relation.object_id_field_name))
    # A record whose parent changed may have come into a unit with it (a hearing whose case
    # moved): sent again, so the unit that now sees it receives it.
    return condition | parents_changed_since(model, since)


def parents_changed_since(model, since: datetime.datetime) -> Q:
    """Records one of whose parents along the scope path (``scope_field``) has a history
    row since ``since``: their unit may have changed with it. Empty for a model owned
    directly by its unit."""
    condition = Q()
    parts = (rules.scope_field_of(model) or "").split("__")[:-1]
    target = model
    for depth, name in enumerate(parts):
        target = target._meta.get_field(name).related_model
        lookup = "__".join(parts[: depth + 1])
        condition |= Q(
            **{f"{lookup}__in": target.history.filter(history_date__gte=since).values("id")}
        )
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


def _last_change(
    model, ids: Iterable[int], path: list[str], since: datetime.datetime
) -> dict[int, datetime.datetime]:
    """The moment of the latest history row since ``since`` of each record of ``ids``, or
    of its parents along the scope ``path``."""
    ids = list(ids)
    last = dict(
        model.history.filter(id__in=ids, history_date__gte=since)
        .values("id")
        .annotate(last=Max("history_date"))
        .values_list("id", "last")
    )
    if len(path) > 1:
        link = f"{path[0]}_id"
        parents = dict(model._default_manager.filter(pk__in=ids).values_list("pk", link))
        parent = model._meta.get_field(path[0]).related_model
        parent_last = _last_change(parent, set(parents.values()) - {None}, path[1:], since)
        for pk, parent_pk in parents.items():
            if parent_pk in parent_last:
                last[pk] = max(last.get(pk, parent_last[parent_pk]), parent_last[parent_pk])
    return last


def _units_since(
    model, ids: Iterable[int], path: list[str], since: datetime.datetime
) -> dict[int, set[int]]:
    """The units each record of ``ids`` may have belonged to at some moment since
    ``since``: along ``path``, every value its history holds from the last row before
    ``since`` on, and its value now. A superset (parents and their units are followed
    separately), which is all a tombstone needs: it is sent only for a record the user
    cannot see now."""
    ids = list(ids)
    link = f"{path[0]}_id"
    linked: dict[int, set] = {pk: set() for pk in ids}
    history = model.history.filter(id__in=ids)
    last_before = (
        history.filter(history_date__lt=since).values("id").annotate(last=Max("history_id"))
    )
    rows = history.filter(
        Q(history_date__gte=since) | Q(history_id__in=last_before.values("last"))
    ).values_list("id", link)
    current = model._default_manager.filter(pk__in=ids).values_list("pk", link)
    for pk, value in [*rows, *current]:
        if value is not None:
            linked[pk].add(value)
    if len(path) == 1:
        return linked
    parent = model._meta.get_field(path[0]).related_model
    parents = set().union(*linked.values()) if linked else set()
    units = _units_since(parent, parents, path[1:], since)
    return {pk: set().union(*(units[p] for p in values)) for pk, values in linked.items()}


def departures(model, user, since: datetime.datetime) -> list[dict]:
    """Records of ``model`` that ``user`` could see at some moment since ``since`` and
    cannot see now, though they still exist: moved to another unit, or under a parent
    that was. For a client that sees every unit there are none (deletions aside)."""
    path = rules.scope_field_of(model)
    role = rules.role_of(user)
    if not path or role is None or role.reads_everything or rules.is_reference_data(model):
        return []
    parts = path.split("__")
    manager = model._default_manager
    moved = Q(pk__in=model.history.filter(history_date__gte=since).values("id"))
    gone = list(
        manager.filter(moved | parents_changed_since(model, since))
        .exclude(pk__in=rules.scope_queryset(manager.all(), user).values("pk"))
        .values_list("pk", flat=True)
    )
    if not gone:
        return []
    units = _units_since(model, gone, parts, since)
    left = [pk for pk in gone if user.unit_id in units[pk]]
    moments = _last_change(model, left, parts, since)
    return [
        {"id": pk, "deleted_at": timezone.localtime(moments[pk]).isoformat()}
        for pk in sorted(left, key=lambda pk: (moments[pk], pk))
    ]


def tombstones(model, user, since: datetime.datetime) -> list[dict]:
    """Records of ``model`` deleted since ``since`` that ``user`` could see, from the audit
    history; and those that left what ``user`` sees since then (``departures``)."""
    rows = model.history.filter(history_type="-", history_date__gte=since).order_by("history_date")
    path = rules.scope_field_of(model)
    if path and rules.reads_own_unit_only(user):
        parts = path.split("__")
        if len(parts) == 1:
            rows = [row for row in rows.filter(**{f"{path}_id": user.unit_id})]
        else:
            cache: dict = {}
            rows = [row for row in rows if unit_of_history_row(row, parts, cache) == user.unit_id]
    deleted = [
        {"id": row.id, "deleted_at": timezone.localtime(row.history_date).isoformat()}
        for row in rows
    ]
    return deleted + departures(model, user, since)
