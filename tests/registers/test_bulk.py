"""Creating records with their history in bulk: the same rows django-simple-history's
``bulk_create_with_history`` writes, keys in order, all or nothing."""

import datetime
from decimal import Decimal

import pytest
from django.db import IntegrityError, connection, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy
from simple_history.utils import bulk_create_with_history

from registers.core.exchange import uploads, writing
from reviews.models import GovernmentContract
from tests.factories import make_exchange_references, make_xlsx, template_example

SLUGS = [resource_class.slug for resource_class in uploads.resource_classes()]
AUTO_TIMES = {"created_at", "updated_at"}


def example_values(slug, user) -> dict:
    """Field values of the register's example row as an upload reads it (nothing kept)."""
    resource_class = uploads.resource_for(slug)
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


def written(model, values, write) -> tuple[dict, dict]:
    """The stored record and history row after ``write([instance])`` (then undone)."""
    with transaction.atomic():
        instance = model(**values)
        write([instance])
        record = model._default_manager.filter(pk=instance.pk).values().get()
        history = model.history.filter(id=instance.pk).values().get()
        transaction.set_rollback(True)
    return record, history


@pytest.mark.parametrize("slug", SLUGS)
def test_every_register_is_written_as_simple_history_writes_it(slug, liaison, unit_a):
    make_exchange_references(unit_a)
    model = uploads.resource_for(slug)._meta.model
    values = example_values(slug, liaison)
    date = timezone.now() - datetime.timedelta(minutes=5)

    fast_record, fast_history = written(
        model,
        values,
        lambda instances: writing.create_with_history(
            instances, model, user=liaison, change_reason="Excel 上传", date=date
        ),
    )
    record, history = written(
        model,
        values,
        lambda instances: bulk_create_with_history(
            instances,
            model,
            default_user=liaison,
            default_change_reason="Excel 上传",
            default_date=date,
        ),
    )

    assert fast_history["id"] == fast_record["id"]
    assert fast_history["history_type"] == "+"
    assert fast_history["history_user_id"] == liaison.pk
    for name in AUTO_TIMES & set(fast_record):
        assert fast_record[name] == date  # the batch's moment, as in its history row
        assert fast_history[name] == date
    ignored = {"id", "history_id", *AUTO_TIMES}
    assert {k: v for k, v in fast_record.items() if k not in ignored} == {
        k: v for k, v in record.items() if k not in ignored
    }
    assert {k: v for k, v in fast_history.items() if k not in ignored} == {
        k: v for k, v in history.items() if k not in ignored
    }


#: Values a field may be given that are not of the type it stores as it is: each must be
#: prepared exactly as the field itself prepares it.
ODD_VALUES = [gettext_lazy("是"), True, 1, Decimal("1.50"), datetime.date(2017, 5, 20)]


@pytest.mark.parametrize("slug", SLUGS)
def test_values_are_sent_as_the_fields_own_preparing_sends_them(slug, liaison, unit_a):
    make_exchange_references(unit_a)
    model = uploads.resource_for(slug)._meta.model
    values = example_values(slug, liaison)
    compared = 0
    for current in (model, model.history.model):
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
    return example_values("contracts", liaison)


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
