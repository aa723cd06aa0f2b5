"""The demo data of the inspection registers: the 2017 list and a published draw.

The data set is loaded once for the module (it takes several seconds) and flushed after it.
"""

import datetime

from django.core.management import call_command
from django.test import override_settings

from registers.creditcode import is_valid_credit_code
from registers.inspection_services import verify_draw
from registers.models import (
    CheckPoint,
    DrawnTarget,
    InspectionDraw,
    InspectionItem,
    InspectionKind,
    InspectionTarget,
    Officer,
)


def test_demo_2017_list_has_208_items_187_administrative_and_21_other(demo):
    tally = InspectionItem.objects.published_list(2017).tally()
    administrative = tally.count(InspectionKind.ADMINISTRATIVE)
    other = tally.count(InspectionKind.OTHER)
    assert (tally.total, administrative, other) == (208, 187, 21)
    assert administrative + other == tally.total
    # District departments, including the 工商 and 地税 branches.
    assert "咸宁市工商行政管理局咸安分局" in tally.by_unit
    assert "咸安区地方税务局" in tally.by_unit
    assert all(code.startswith(("D", "V")) for code in
               InspectionItem.objects.values_list("unit__code", flat=True))  # fmt: skip


def test_every_demo_item_has_its_inspection_form(demo):
    assert not InspectionItem.objects.filter(check_points__isnull=True).exists()
    assert CheckPoint.objects.filter(item__code="2017-V01-001").count() >= 2


def test_demo_targets_have_valid_credit_codes_of_xianan(demo):
    codes = list(InspectionTarget.objects.values_list("credit_code", flat=True))
    assert codes and all(is_valid_credit_code(code) for code in codes)
    assert all(code[2:8] == "421202" for code in codes)


def test_demo_draws_verify_and_are_published_on_time(demo, client):
    assert all(verify_draw(draw).ok for draw in InspectionDraw.objects.all())
    published = InspectionDraw.objects.published(datetime.date(2018, 1, 1)).get()
    rows = DrawnTarget.objects.published(datetime.date(2018, 1, 1)).filter(draw=published)
    assert rows.count() == published.target_count
    assert published.published_on <= published.publication_due
    page = client.get("/public/inspections/").content.decode()
    assert all(row.target_name in page for row in rows)
    assert not InspectionDraw.objects.awaiting_publication().exists()
    assert all(not draw.published_late for draw in InspectionDraw.objects.all())


def test_demo_officers_include_expired_certificates_that_were_excluded(demo):
    draw = InspectionDraw.objects.published(datetime.date(2018, 1, 1)).get()
    expired = Officer.objects.certificate_expired_on(draw.drawn_on).of_unit(draw.unit)
    assert expired.exists()
    excluded = {row["officer_id"] for row in draw.exclusions}
    assert set(expired.values_list("pk", flat=True)) <= excluded


def snapshot():
    models = [InspectionItem, CheckPoint, InspectionTarget, Officer, InspectionDraw, DrawnTarget]
    return [(m.objects.count(), m.history.count()) for m in models]


def test_loading_the_demo_twice_writes_nothing_more(demo):
    first = snapshot()
    with override_settings(DEBUG=True):
        call_command("load_demo", stdout=open("/dev/null", "w"))
    assert snapshot() == first
