"""``manage.py generate_synthetic``: synthetic districts for load tests and benchmarks."""

from __future__ import annotations

import io

import pytest
from django.core.management import CommandError, call_command
from django.db import transaction
from django.test import override_settings

from registers.core.status import Status
from registers.models import Document, InspectionItem, Unit
from reviews.models import EvaluatedFile, GovernmentContract, LitigationCase
from xianan_lawgov.reports import groups  # noqa: F401  (registers the figure groups)
from xianan_lawgov.reports.figures import compute_figures
from xianan_lawgov.reports.synthetic import generate


class Rollback(Exception):
    pass


def contracts_snapshot() -> list[tuple]:
    return list(
        GovernmentContract.objects.order_by("unit__code", "number").values_list(
            "unit__code", "number", "amount", "signed_on", "lawyer_reviewed_on", "status"
        )
    )


def test_the_command_refuses_when_debug_is_off(db):
    with override_settings(DEBUG=False), pytest.raises(CommandError, match="--force"):
        call_command("generate_synthetic", scale=1)
    assert not Unit.objects.filter(code__startswith="S").exists()


@override_settings(DEBUG=True)
def test_the_command_builds_the_districts_and_says_what_it_wrote(db):
    out, err = io.StringIO(), io.StringIO()
    call_command("generate_synthetic", scale=2, stdout=out, stderr=err)
    assert Unit.objects.filter(code__in=["S001-01", "S002-20"]).count() == 2
    assert "reviews.GovernmentContract: " in out.getvalue()
    assert "2 个合成区" in out.getvalue()
    assert "2/2" in err.getvalue()


def test_one_district_is_about_the_demos_volume_per_year(db):
    generate(1, 2017)
    per_year = {
        "documents issued": Document.objects.filter(issued_on__year=2017).count(),
        "inspection items": InspectionItem.objects.filter(year=2017).count(),
        "contracts": GovernmentContract.objects.filter(signed_on__year=2017).count(),
        "evaluated files": EvaluatedFile.objects.filter(round__year=2017).count(),
        "lawsuits": LitigationCase.objects.filter(served_on__year=2017).count(),
    }
    demo = {
        "documents issued": 128,
        "inspection items": 208,
        "contracts": 51,
        "evaluated files": 56,
        "lawsuits": 14,
    }
    for register, count in per_year.items():
        assert 0.7 * demo[register] <= count <= 1.3 * demo[register], (register, count)
    assert Document.objects.count() > 500
    assert InspectionItem.objects.filter(year=2016).exists()


def test_some_records_are_not_approved_and_the_report_leaves_them_out(db):
    generate(1, 2017)
    unapproved = GovernmentContract.objects.exclude(status=Status.APPROVED)
    assert unapproved.filter(signed_on__year=2017).exists()
    figures = compute_figures(2017)
    approved = GovernmentContract.objects.approved().filter(signed_on__year=2017).count()
    assert figures["contracts.signed"].value == approved
    assert figures.warnings == []


def test_the_same_seed_gives_the_same_records(db):
    with pytest.raises(Rollback), transaction.atomic():
        generate(1, 2017, seed=7)
        first = contracts_snapshot()
        raise Rollback
    assert not GovernmentContract.objects.exists()
    generate(1, 2017, seed=7)
    assert contracts_snapshot() == first


def test_another_seed_gives_other_records(db):
    with pytest.raises(Rollback), transaction.atomic():
        generate(1, 2017, seed=7)
        first = contracts_snapshot()
        raise Rollback
    generate(1, 2017, seed=8)
    assert contracts_snapshot() != first


def test_a_larger_scale_adds_only_the_missing_districts(db):
    generate(1, 2017)
    first = contracts_snapshot()
    written = generate(3, 2017)
    assert written["registers.Unit"] == 40
    assert [row for row in contracts_snapshot() if row[0].startswith("S001-")] == first
    assert generate(3, 2017) == {}
