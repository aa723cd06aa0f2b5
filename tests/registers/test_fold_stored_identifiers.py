"""Identifiers stored before they were normalised on save are folded once by each app's data
migration, with each field's own normalisation; records whose folding would clash on a unique
key are left unchanged and listed by ``manage.py check_identifiers``."""

import datetime
import importlib
from io import StringIO

import pytest
from django.apps import apps
from django.core.management import call_command
from django.db import connection

from registers.models import Document, InspectionTarget
from reviews.models import GovernmentContract, ReconsiderationCase
from tests.factories import (
    make_contract,
    make_credit_code_for,
    make_document,
    make_reconsideration,
    make_target,
)

pytestmark = pytest.mark.django_db

fold_registers = importlib.import_module("registers.migrations.0016_fold_stored_identifiers").fold
fold_reviews = importlib.import_module("reviews.migrations.0008_fold_stored_identifiers").fold


def store_raw(record, **values):
    """Write ``values`` as an old version stored them: in SQL, past the fields' own folding
    (which even ``QuerySet.update`` applies)."""
    meta = type(record)._meta
    columns = ", ".join(f"{meta.get_field(name).column} = %s" for name in values)
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {meta.db_table} SET {columns} WHERE {meta.pk.column} = %s",
            [*values.values(), record.pk],
        )
    record.refresh_from_db()
    return record


def full_width(text: str) -> str:
    return "".join(chr(ord(c) + 0xFEE0) if "0" <= c <= "9" else c for c in text)


def test_stored_identifiers_are_folded_by_the_fields_own_normalisation(unit_a):
    long_ago = datetime.datetime(2025, 1, 1, tzinfo=datetime.UTC)
    document = store_raw(
        make_document(unit_a), number=" 咸政规〔２０２４〕１号 ", updated_at=long_ago
    )
    code = make_credit_code_for(7)
    target = store_raw(make_target(unit_a), credit_code=full_width(code.lower()))
    case = store_raw(make_reconsideration(unit_a), number="咸安复(２０２４)３号")
    contract = store_raw(make_contract(unit_a), number="ＨＴ-２０２４-１", filing_number="")

    fold_registers(apps, None)
    document.refresh_from_db()
    target.refresh_from_db()
    assert document.number == "咸政规〔2024〕1号"
    assert document.updated_at > long_ago  # syncing clients fetch the folded number
    assert target.credit_code == code
    case.refresh_from_db()
    assert case.number == "咸安复(２０２４)３号"  # the reviews migration's records

    fold_reviews(apps, None)
    case.refresh_from_db()
    contract.refresh_from_db()
    assert case.number == "咸安复（2024）3号"
    assert contract.number == "HT-2024-1"
    # History keeps what was stored then.
    assert document.history.filter(number="咸政规〔2024〕1号").count() == 0


def test_folding_that_would_clash_leaves_both_records_and_lists_them(unit_a, unit_b):
    kept = make_document(unit_a, number="咸政规〔2024〕1号")
    clashing = store_raw(make_document(unit_b), number="咸政规〔２０２４〕１号")
    other = store_raw(make_document(unit_b), number="咸政规〔２０２４〕２号")
    # Blank contract numbers are outside their unique key: folded, no clash among them.
    blanks = [store_raw(make_contract(unit_a), number=blank) for blank in (" ", "\u3000")]
    make_contract(unit_a, number="")
    taken = make_contract(unit_a, number="HT-1")
    spaced = store_raw(make_contract(unit_a), number="HT-1 ")

    fold_registers(apps, None)
    fold_reviews(apps, None)
    assert Document.objects.get(pk=kept.pk).number == "咸政规〔2024〕1号"
    assert Document.objects.get(pk=clashing.pk).number == "咸政规〔２０２４〕１号"
    assert Document.objects.get(pk=other.pk).number == "咸政规〔2024〕2号"
    assert [GovernmentContract.objects.get(pk=c.pk).number for c in blanks] == ["", ""]
    assert GovernmentContract.objects.get(pk=spaced.pk).number == "HT-1 "

    out = StringIO()
    with pytest.raises(SystemExit) as exit_:
        call_command("check_identifiers", stdout=out)
    assert exit_.value.code == 1
    listed = out.getvalue()
    assert "统一后重复，未改写" in listed
    assert f"#{kept.pk}" in listed and f"#{clashing.pk}" in listed
    assert f"#{other.pk}" not in listed
    assert f"reviews.GovernmentContract unit_id/number → {unit_a.pk}/HT-1" in listed
    contracts = next(line for line in listed.splitlines() if "GovernmentContract" in line)
    assert f"#{taken.pk} " in contracts and f"#{spaced.pk} " in contracts
    assert all(f"#{blank.pk} " not in contracts for blank in blanks)


def test_check_identifiers_lists_and_folds_what_can_be_folded(unit_a):
    case = store_raw(make_reconsideration(unit_a), number="咸安复〔２０２４〕５号")
    out = StringIO()
    call_command("check_identifiers", stdout=out)
    assert "reviews.ReconsiderationCase：1 条记录的编号可统一" in out.getvalue()
    assert ReconsiderationCase.objects.get(pk=case.pk).number == "咸安复〔２０２４〕５号"

    call_command("check_identifiers", "--fold", stdout=out)
    assert ReconsiderationCase.objects.get(pk=case.pk).number == "咸安复〔2024〕5号"
    out = StringIO()
    call_command("check_identifiers", stdout=out)
    assert "所有编号均已是统一写法" in out.getvalue()


def test_a_target_pool_clash_is_per_unit(unit_a, unit_b):
    code = make_credit_code_for(11)
    make_target(unit_a, credit_code=code)
    elsewhere = store_raw(make_target(unit_b), credit_code=code.lower())
    fold_registers(apps, None)
    assert InspectionTarget.objects.get(pk=elsewhere.pk).credit_code == code
