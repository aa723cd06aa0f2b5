"""Writing records with their history in bulk: the same rows django-simple-history's
``bulk_create_with_history`` and ``bulk_history_create`` write, keys in order, all or
nothing; for every model a file can create records of (the data-exchange page's registers
and those with an import button in the admin)."""

import datetime
from decimal import Decimal

import pytest
from django.contrib import admin
from django.db import IntegrityError, connection, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy
from simple_history.utils import bulk_create_with_history, get_history_manager_for_model

from registers.admin.base import ScopedImportMixin
from registers.core.exchange import uploads, writing
from reviews.models import GovernmentContract
from tests.factories import make_exchange_references, make_xlsx, template_example

AUTO_TIMES = {"created_at", "updated_at"}


def importable_resources() -> list:
    """Every resource through which a file creates records."""
    found = set(uploads.resource_classes())
    for model_admin in admin.site._registry.values():
        if isinstance(model_admin, ScopedImportMixin) and model_admin.import_allowed:
            found.add(model_admin.import_resource_class())
    return sorted(found, key=lambda resource_class: resource_class.__name__)


RESOURCES = importable_resources()


def test_every_register_of_the_exchange_page_and_the_admin_imports_is_compared():
    models = {resource_class._meta.model._meta.label for resource_class in RESOURCES}
    assert {"registers.Unit", "workflowapp.Memo", "reviews.GovernmentContract"} <= models
    assert len(models) >= len(uploads.resource_classes()) + 2


def uploader(resource_class, liaison, office):
    return liaison if uploads.may_exchange(liaison, resource_class) else office


def example_values(resource_class, user) -> dict:
    """Field values of the register's example row as an upload reads it (nothing kept)."""
    model = resource_class._meta.model
    header, example = template_example(resource_class, user)
    with transaction.atomic():
        result = uploads.upload(resource_class, make_xlsx([example], header), user=user)
        assert result.errors == []
        record = result.created[0]
        values = {
            field.attname: getattr(record, field.attname)
            for field in model._meta.concrete_fields
            if not field.primary_key
        }
        transaction.set_rollback(True)
    return values


def example_of(resource_class, liaison, office, unit) -> tuple:
    """(model, uploader, field values of the example row) of a register."""
    make_exchange_references(unit)
    user = uploader(resource_class, liaison, office)
    return resource_class._meta.model, user, example_values(resource_class, user)


def history_of(model):
    return get_history_manager_for_model(model)


def written(model, values, write) -> tuple[dict, dict]:
    """The stored record and history row after ``write([instance])`` (then undone)."""
    with transaction.atomic():
        instance = model(**values)
        write([instance])
        record = model._default_manager.filter(pk=instance.pk).values().get()
        pk_name = model._meta.pk.attname
        history = history_of(model).filter(**{pk_name: instance.pk}).values().get()
        transaction.set_rollback(True)
    return record, history


def without(row: dict, ignored: set) -> dict:
    return {key: value for key, value in row.items() if key not in ignored}


@pytest.mark.parametrize("resource_class", RESOURCES, ids=lambda r: r.__name__)
def test_every_register_is_written_as_simple_history_writes_it(
    resource_class, liaison, office, unit_a
):
    model, user, values = example_of(resource_class, liaison, office, unit_a)
    date = timezone.now() - datetime.timedelta(minutes=5)

    fast_record, fast_history = written(
        model,
        values,
        lambda instances: writing.create_with_history(
            instances, model, user=user, change_reason="Excel 上传", date=date
        ),
    )
    record, history = written(
        model,
        values,
        lambda instances: bulk_create_with_history(
            instances,
            model,
            default_user=user,
            default_change_reason="Excel 上传",
            default_date=date,
        ),
    )

    assert writing.can_create_fast(model, connection)  # the fast path is what is compared
    assert fast_history["history_type"] == "+"
    assert fast_history["history_user_id"] == user.pk
    assert fast_history["history_date"] == date
    for name in AUTO_TIMES & set(fast_record):
        assert fast_record[name] == date  # the batch's moment, as in its history row
        assert fast_history[name] == date
    ignored = {model._meta.pk.attname, "history_id", *AUTO_TIMES}
    assert without(fast_record, ignored) == without(record, ignored)
    assert without(fast_history, ignored) == without(history, ignored)


@pytest.mark.parametrize("resource_class", RESOURCES, ids=lambda r: r.__name__)
def test_every_registers_change_rows_are_written_as_simple_history_writes_them(
    resource_class, liaison, office, unit_a
):
    model, user, values = example_of(resource_class, liaison, office, unit_a)
    date = timezone.now() - datetime.timedelta(minutes=5)

    def changed_row(write) -> dict:
        with transaction.atomic():
            instance = model(**values)
            writing.create_with_history(
                [instance], model, user=user, change_reason="Excel 上传", date=date
            )
            write([instance])
            row = history_of(model).filter(history_type="~").values().get()
            transaction.set_rollback(True)
        return row

    later = date + datetime.timedelta(minutes=1)
    fast = changed_row(
        lambda instances: writing.add_history(
            instances, model, user=office, change_reason="审核通过", date=later
        )
    )
    expected = changed_row(
        lambda instances: history_of(model).bulk_history_create(
            instances,
            update=True,
            default_user=office,
            default_change_reason="审核通过",
            default_date=later,
        )
    )

    assert (fast["history_user_id"], fast["history_date"]) == (office.pk, later)
    ignored = {model._meta.pk.attname, "history_id", *AUTO_TIMES}
    assert without(fast, ignored) == without(expected, ignored)


#: Values a field may be given that are not of the type it stores as it is: each must be
#: prepared exactly as the field itself prepares it.
ODD_VALUES = [gettext_lazy("是"), True, 1, Decimal("1.50"), datetime.date(2017, 5, 20)]


@pytest.mark.parametrize("resource_class", RESOURCES, ids=lambda r: r.__name__)
def test_values_are_sent_as_the_fields_own_preparing_sends_them(
    resource_class, liaison, office, unit_a
):
    model, _user, values = example_of(resource_class, liaison, office, unit_a)
    compared = 0
    for current in (model, history_of(model).model):
        for field in current._meta.concrete_fields:
            prepare = writing.value_preparer(field, connection)
            for value in [None, values.get(field.attname), timezone.now(), *ODD_VALUES]:
                try:
                    expected = field.get_db_prep_save(value, connection)
                except Exception:  # not a value this field can hold
                    continue
                assert prepare(value) == expected, (current.__name__, field.name, value)
                assert type(prepare(value)) is type(expected), (current.__name__, field.name)
                compared += 1
    assert compared > 100


@pytest.fixture
def contract_values(liaison, unit_a):
    make_exchange_references(unit_a)
    return example_values(uploads.resource_for("contracts"), liaison)


def contracts(values, count, start=1):
    return [
        GovernmentContract(**{**values, "number": f"HT-{n:05d}", "title": f"合同{n}"})
        for n in range(start, start + count)
    ]


def test_keys_come_back_in_order_across_statements(contract_values, liaison):
    # More rows than one statement takes, on SQLite and on PostgreSQL.
    instances = contracts(contract_values, 1500)
    writing.create_with_history(
        instances, GovernmentContract, user=liaison, change_reason="上传", date=timezone.now()
    )
    stored = dict(GovernmentContract.objects.values_list("pk", "number"))
    assert len(stored) == 1500
    assert all(stored[instance.pk] == instance.number for instance in instances)
    assert all(not instance._state.adding for instance in instances)
    history = dict(GovernmentContract.history.values_list("id", "number"))
    assert history == stored


def test_nothing_is_written_when_any_row_fails(contract_values, liaison):
    instances = contracts(contract_values, 1500)
    instances[-1].number = instances[0].number  # same unit and number: refused by the database
    with pytest.raises(IntegrityError), transaction.atomic():
        writing.create_with_history(
            instances, GovernmentContract, user=liaison, change_reason="上传", date=timezone.now()
        )
    assert not GovernmentContract.objects.exists()
    assert not GovernmentContract.history.exists()


def test_other_databases_get_simple_historys_own_bulk_create(contract_values, liaison, monkeypatch):
    monkeypatch.setattr(type(connection.features), "can_return_rows_from_bulk_insert", False)
    assert not writing.can_create_fast(GovernmentContract, connection)
    instances = contracts(contract_values, 3)
    writing.create_with_history(
        instances, GovernmentContract, user=liaison, change_reason="上传", date=timezone.now()
    )
    assert GovernmentContract.objects.count() == 3
    assert GovernmentContract.history.filter(history_user=liaison, history_type="+").count() == 3


def test_change_rows_follow_the_records_order_across_statements(contract_values, liaison, office):
    # More records than one statement takes on SQLite, and not in the order of their keys.
    instances = contracts(contract_values, 1200)
    writing.create_with_history(
        instances, GovernmentContract, user=liaison, change_reason="上传", date=timezone.now()
    )
    reordered = instances[600:][::-1] + instances[:600]
    writing.add_history(
        reordered, GovernmentContract, user=office, change_reason="审核通过", date=timezone.now()
    )
    rows = GovernmentContract.history.filter(history_type="~").order_by("history_id")
    assert list(rows.values_list("number", flat=True)) == [i.number for i in reordered]
    assert set(rows.values_list("history_user_id", "history_change_reason")) == {
        (office.pk, "审核通过")
    }


def test_a_change_row_holds_the_record_as_stored(contract_values, liaison, office):
    # What the history keeps is the row the database holds, not a copy in memory.
    [instance] = contracts(contract_values, 1)
    writing.create_with_history(
        [instance], GovernmentContract, user=liaison, change_reason="上传", date=timezone.now()
    )
    GovernmentContract.objects.filter(pk=instance.pk).update(title="改后的标题")
    writing.add_history(
        [instance], GovernmentContract, user=office, change_reason="更正", date=timezone.now()
    )
    assert GovernmentContract.history.get(history_type="~").title == "改后的标题"
