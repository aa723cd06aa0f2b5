"""Incremental sync: what changed since a moment, and what was deleted since.

Sync protocol (see also docs/api.md): a client remembers the moment it *started* its last
pull and asks every list for ``updated_since=<that moment, less five minutes>`` (a save in
progress, such as a large upload, stamps its records before it commits them). It receives
every record created or changed since then (by its audit history or its ``updated_at``), and
on the first page ``deleted``: the ids of records deleted since then. Children shown inside
a record (an item's check points, a case's hearings, its evidence files…) count as changes of
that record.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable

from django.contrib.contenttypes.fields import GenericRelation
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import FieldDoesNotExist
from django.db.models import Q
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.timezone import make_aware
from django.utils.translation import gettext as _
from rest_framework import exceptions

from registers.core import permissions as rules
from registers.core.roles import Role


def parse_since(value: str) -> datetime.datetime:
    moment = parse_datetime(value)
    if moment is None:
        day = parse_date(value)
        if day is not None:
            moment = datetime.datetime.combine(day, datetime.time())
    if moment is None:
        raise exceptions.ValidationError(
            {
                "updated_since": [
                    exceptions.ErrorDetail(
                        _("时间格式不正确，请使用 ISO 8601，例如 2018-01-31T08:00:00+08:00。"),
                        code="invalid_timestamp",
                    )
                ]
            }
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
    # Rows attached through a generic relation (evidence files) count as changes too.
    for relation in model._meta.private_fields:
        if isinstance(relation, GenericRelation) and hasattr(relation.related_model, "history"):
            rows = relation.related_model.history.filter(
                history_date__gte=since,
                **{relation.content_type_field_name: ContentType.objects.get_for_model(model)},
            )
            condition |= Q(pk__in=rows.values(relation.object_id_field_name))
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
