"""Writing many records and their history rows in a few statements.

``create_with_history`` writes what django-simple-history's ``bulk_create_with_history``
writes: the same rows with the same values, except that the times a record sets itself on
creation (``auto_now``, ``auto_now_add``) are the batch's one moment, as its history rows'
times already are. ``add_history`` writes the "changed" rows (``~``) that simple-history's
``bulk_history_create(update=True)`` writes, for records changed by one ``UPDATE`` (a batch's
workflow transition). Django's ``bulk_create`` passes every value of every row through the
query compiler; at an upload's 50,000 rows that costs more than reading the workbook. Here
each chunk's ``INSERT … RETURNING`` is written once, and each value is prepared by its
field's own ``get_db_prep_save``, except where that is known to return the value unchanged
(text in a text field, a whole number in an integer field or a key, a boolean, nothing).
Keys come back by ``RETURNING``, as ``bulk_create`` gets them. The history rows are not sent
again: one ``INSERT … SELECT`` a chunk copies each record's row, as it now stands, into its
history table on the server, with the batch's moment, reason, kind and user, in the
records' order. ``tests/registers/test_bulk.py`` compares the rows of every model an upload
writes with simple-history's own.

Where that cannot be done (a database without ``RETURNING`` from a multi-row insert, a model
whose key the database does not assign, a history table with columns of its own) the calls
fall back to simple-history's own functions.

Django and simple-history internals relied on (checked against Django 5.2 and
django-simple-history 3.13): ``Field.get_db_prep_save``, ``Field.pre_save``,
``Field.db_type``, ``Field.attname``/``column``, ``ForeignKey.target_field``;
``connection.ops.bulk_batch_size``, ``connection.ops.return_insert_columns``,
``connection.features.can_return_rows_from_bulk_insert`` and ``connection.data_types``
(Django's own test for ``UNNEST``); ``Model._state.adding``/``db``. From simple-history:
``get_history_manager_for_model``, the historical model's ``tracked_fields`` (the tracked
fields under their own attnames, each filled from the model's column of that attname) and
its own columns ``history_id``, ``history_date``, ``history_change_reason``,
``history_type`` ("+" created, "~" changed) and ``history_user_id``. Not honoured here, as
uploads never set them: an instance's own ``_history_user``/``_history_date``/
``_change_reason`` and the ``SIMPLE_HISTORY_ENABLED`` setting.
"""

from __future__ import annotations

import datetime
import functools
from collections.abc import Callable, Sequence
from typing import Any

from django.db import connections, models, router, transaction
from django.db.models.fields import AutoFieldMixin
from simple_history.utils import bulk_create_with_history, get_history_manager_for_model

#: The most values one statement sends (the database may ask for fewer: SQLite's 999).
MAX_VALUES_PER_STATEMENT = 30_000

#: Field classes whose ``get_db_prep_save`` returns nothing (None) as it is, and values of
#: the types listed as they are, on every backend Django ships. Exact classes only: a
#: subclass may prepare values its own way.
_UNCHANGED_TYPES: dict[type[models.Field], tuple[type, ...]] = {
    models.CharField: (str,),
    models.TextField: (str,),
    models.BooleanField: (bool,),
    models.IntegerField: (int,),
    models.BigIntegerField: (int,),
    models.SmallIntegerField: (int,),
    models.PositiveIntegerField: (int,),
    models.PositiveBigIntegerField: (int,),
    models.PositiveSmallIntegerField: (int,),
    models.AutoField: (int,),
    models.BigAutoField: (int,),
    models.SmallAutoField: (int,),
    models.DateField: (),
    models.DateTimeField: (),
    models.DecimalField: (),
}

#: Fields whose prepared values are worth remembering: an upload's rows share a few dates,
#: and every row shares its creation time.
_REMEMBERED = (models.DateField, models.DateTimeField)

#: The history table's own columns, filled the way ``bulk_history_create`` fills them.
_HISTORY_COLUMNS = {
    "history_id",
    "history_date",
    "history_change_reason",
    "history_type",
    "history_user_id",
}


def _plain_field(field: models.Field) -> models.Field:
    """The field whose preparing applies: a foreign key's target field, else the field."""
    if type(field) in (models.ForeignKey, models.OneToOneField):
        return _plain_field(field.target_field)
    return field


def value_preparer(field: models.Field, connection) -> Callable[[Any], Any]:
    """A function giving what the database is sent for one value of ``field``, as
    ``field.get_db_prep_save`` gives it."""

    def prepare(value):
        return field.get_db_prep_save(value, connection)

    plain = _plain_field(field)
    if type(plain) in _REMEMBERED:
        # Typed, so that a date and a midnight datetime are never taken for each other.
        prepare = functools.lru_cache(maxsize=4096, typed=True)(prepare)
    if type(plain) not in _UNCHANGED_TYPES:
        return prepare
    types = _UNCHANGED_TYPES[type(plain)]
    return lambda value: value if value is None or type(value) in types else prepare(value)


def _changes_on_save(field: models.Field) -> bool:
    """Whether ``pre_save`` may set the value (``auto_now``, files), not just read it."""
    return type(field).pre_save is not models.Field.pre_save


def _is_creation_time(field: models.Field) -> bool:
    """A time field that Django fills on creation (``auto_now`` or ``auto_now_add``)."""
    return isinstance(field, models.DateTimeField) and (field.auto_now or field.auto_now_add)


def _unnestable(field: models.Field, connection) -> bool:
    """Whether a field's values can go in one typed array (Django's own rule for UNNEST)."""
    plain = field.target_field if field.is_relation else field
    return (
        not hasattr(field, "get_placeholder") and plain.get_internal_type() in connection.data_types
    )


class _Insert:
    """``INSERT`` of rows of ``model`` into its table, by chunks, returning the keys.

    On PostgreSQL the values go as one array per column, unpacked by ``UNNEST`` (as Django's
    own ``bulk_create`` does there: the server plans one small statement instead of one with
    thousands of values); elsewhere as rows of ``VALUES``.
    """

    def __init__(self, model, fields: Sequence[models.Field], connection, *, returning: bool):
        self.connection = connection
        self.fields = list(fields)
        self.preparers = [value_preparer(field, connection) for field in self.fields]
        quote = connection.ops.quote_name
        self.head = "INSERT INTO {} ({}) ".format(
            quote(model._meta.db_table), ", ".join(quote(field.column) for field in self.fields)
        )
        self.by_column = connection.vendor == "postgresql" and all(
            _unnestable(field, connection) for field in self.fields
        )
        if self.by_column:
            # Without the types' parameters, as Django does (varchar[], not varchar(50)[]).
            types = [field.db_type(connection).split("(")[0] for field in self.fields]
            self.unnest = "SELECT * FROM UNNEST({})".format(
                ", ".join(f"(%s)::{db_type}[]" for db_type in types)
            )
        self.placeholders = "(" + ", ".join(["%s"] * len(self.fields)) + ")"
        self.tail = ""
        if returning:
            self.tail, _params = connection.ops.return_insert_columns([model._meta.pk])

    def chunk_size_for(self, count: int) -> int:
        """Rows per statement: as ``bulk_create`` would batch them, within our own cap."""
        size = self.connection.ops.bulk_batch_size(self.fields, range(count))
        return max(1, min(size, MAX_VALUES_PER_STATEMENT // len(self.fields)))

    def statement(self, chunk: Sequence[Sequence[Any]]) -> tuple[str, list]:
        preparers = self.preparers
        if self.by_column:
            columns = [
                [prepare(row[index]) for row in chunk] for index, prepare in enumerate(preparers)
            ]
            return f"{self.head}{self.unnest} {self.tail}", columns
        params = [
            prepare(value) for row in chunk for prepare, value in zip(preparers, row, strict=True)
        ]
        values = ", ".join([self.placeholders] * len(chunk))
        return f"{self.head}VALUES {values} {self.tail}", params

    def run(self, rows: Sequence[Sequence[Any]]) -> list:
        """Insert ``rows`` (raw values, field by field); the new keys if asked, in order."""
        keys = []
        size = self.chunk_size_for(len(rows))
        with self.connection.cursor() as cursor:
            for start in range(0, len(rows), size):
                sql, params = self.statement(rows[start : start + size])
                cursor.execute(sql, params)
                if self.tail:
                    keys.extend(key for (key,) in cursor.fetchall())
        return keys


def _plain_history(model) -> bool:
    """Whether ``model``'s history table holds the tracked fields and simple-history's own
    columns only (no ``history_relation``, no custom columns of a project's own)."""
    history_model = get_history_manager_for_model(model).model
    tracked = {field.attname for field in history_model.tracked_fields}
    own = {field.attname for field in history_model._meta.concrete_fields} - tracked
    return own == _HISTORY_COLUMNS


def can_create_fast(model, connection) -> bool:
    """Whether ``create_with_history`` can write ``model`` itself on ``connection``."""
    return (
        connection.features.can_return_rows_from_bulk_insert
        and isinstance(model._meta.pk, AutoFieldMixin)
        and _plain_history(model)
    )


def create_with_history(
    instances: Sequence[models.Model],
    model,
    *,
    user,
    change_reason: str,
    date: datetime.datetime,
) -> list[models.Model]:
    """Insert unsaved ``instances`` of ``model`` and one "created" history row for each.

    All or nothing (one transaction). The instances get their keys and count as saved,
    as after ``bulk_create``; no signals are sent, as by ``bulk_create``. Times set on
    creation (``auto_now``, ``auto_now_add``) are ``date``, the same for the whole batch.
    """
    instances = list(instances)
    using = router.db_for_write(model)
    connection = connections[using]
    if not instances:
        return []
    if not can_create_fast(model, connection):
        return bulk_create_with_history(
            instances,
            model,
            default_user=user,
            default_change_reason=change_reason,
            default_date=date,
        )
    fields = [field for field in model._meta.concrete_fields if not field.primary_key]
    # The creation times are the batch's ``date``, as in its history rows; other fields
    # that set themselves on saving do so as in ``bulk_create``.
    for field in fields:
        if _is_creation_time(field):
            for instance in instances:
                setattr(instance, field.attname, date)
    saving = [(field, _changes_on_save(field) and not _is_creation_time(field)) for field in fields]
    rows = [
        [
            field.pre_save(instance, True) if changes else getattr(instance, field.attname)
            for field, changes in saving
        ]
        for instance in instances
    ]
    with transaction.atomic(using=using, savepoint=False):
        keys = _Insert(model, fields, connection, returning=True).run(rows)
        pk_attname = model._meta.pk.attname
        for instance, key in zip(instances, keys, strict=True):
            setattr(instance, pk_attname, key)
            instance._state.adding = False
            instance._state.db = using
        _insert_history(
            instances, model, connection, user=user, reason=change_reason, date=date, kind="+"
        )
    return instances


def add_history(
    instances: Sequence[models.Model],
    model,
    *,
    user,
    change_reason: str,
    date: datetime.datetime,
) -> None:
    """Write one "changed" history row (``~``) for each saved instance, as its row now
    stands in the table: what simple-history's ``bulk_history_create(update=True)`` writes
    for instances as they were saved."""
    instances = list(instances)
    if not instances:
        return
    connection = connections[router.db_for_write(model)]
    if not _plain_history(model):
        get_history_manager_for_model(model).bulk_history_create(
            instances,
            update=True,
            default_user=user,
            default_change_reason=change_reason,
            default_date=date,
        )
        return
    _insert_history(
        instances, model, connection, user=user, reason=change_reason, date=date, kind="~"
    )


def _insert_history(instances, model, connection, *, user, reason, date, kind: str) -> None:
    """Insert a history row of ``kind`` ("+", "~") for each instance, as its row now stands
    in the table: ``INSERT … SELECT`` copies the tracked columns on the server, so only the
    keys are sent (not every value of every row a second time), on PostgreSQL as one array
    a statement. The rows are written in the instances' order, as ``bulk_history_create``
    writes them."""
    history_model = get_history_manager_for_model(model).model
    history_fields = [
        field for field in history_model._meta.concrete_fields if not field.primary_key
    ]
    own_values = {
        "history_date": date,
        "history_change_reason": reason,
        "history_type": kind,
        "history_user_id": getattr(user, "pk", None),
    }
    quote = connection.ops.quote_name
    # PostgreSQL takes a value it cannot type from the statement itself (a parameter in the
    # SELECT list, the first row of VALUES) as text: those are cast to their columns' types.
    typed = connection.vendor == "postgresql"

    def parameter(field: models.Field) -> str:
        return f"CAST(%s AS {field.db_type(connection).split('(')[0]})" if typed else "%s"

    columns = {field.attname: field.column for field in model._meta.concrete_fields}
    selected, own_params = [], []
    for field in history_fields:
        if field.attname in own_values:
            selected.append(parameter(field))
            own_params.append(value_preparer(field, connection)(own_values[field.attname]))
        else:
            selected.append(f"t.{quote(columns[field.attname])}")
    pk = history_model._meta.get_field(model._meta.pk.attname)
    first_row = f"({parameter(pk)}, {parameter(models.IntegerField())})"
    tail = "INSERT INTO {} ({}) SELECT {} FROM {} t JOIN k ON t.{} = k.record ORDER BY k.n".format(
        quote(history_model._meta.db_table),
        ", ".join(quote(field.column) for field in history_fields),
        ", ".join(selected),
        quote(model._meta.db_table),
        quote(model._meta.pk.column),
    )
    keys = [instance.pk for instance in instances]
    size = max(1, min(connection.ops.bulk_batch_size(["record", "n"], keys), 10_000))
    with connection.cursor() as cursor:
        for start in range(0, len(keys), size):
            chunk = keys[start : start + size]
            if typed:  # the keys as one array, numbered in order (as _Insert sends values)
                pk_type = pk.db_type(connection).split("(")[0]
                head = f"SELECT * FROM UNNEST(CAST(%s AS {pk_type}[])) WITH ORDINALITY"
                cursor.execute(f"WITH k (record, n) AS ({head}) {tail}", [chunk, *own_params])
                continue
            rows = ", ".join([first_row, *["(%s, %s)"] * (len(chunk) - 1)])
            positions = [value for n, key in enumerate(chunk) for value in (key, n)]
            cursor.execute(
                f"WITH k (record, n) AS (VALUES {rows}) {tail}", [*positions, *own_params]
            )
