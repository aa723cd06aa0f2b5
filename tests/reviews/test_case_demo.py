"""The demo data set: the 2017 report's case figures come from its records."""

import datetime

import time_machine
from django.core.management import call_command
from django.test import override_settings

from reviews.models import (
    AccountabilityRecord,
    CriminalTransfer,
    LitigationCase,
    LitigationHearing,
    OutcomeClass,
    ReconsiderationCase,
    RectificationProblem,
)

MODELS = [
    ReconsiderationCase,
    LitigationCase,
    LitigationHearing,
    AccountabilityRecord,
    CriminalTransfer,
    RectificationProblem,
]


def snapshot():
    return [(model.__name__, model.objects.count(), model.history.count()) for model in MODELS]


def test_loading_the_demo_twice_writes_nothing_the_second_time(demo):
    first = snapshot()
    with override_settings(DEBUG=True):
        call_command("load_demo", stdout=open("/dev/null", "w"))
    assert snapshot() == first


def test_reconsideration_2017_four_received_three_accepted_three_concluded(demo):
    cases = ReconsiderationCase.objects.approved()
    assert cases.received_count(2017) == 4
    assert cases.accepted_count(2017) == 3
    assert cases.not_accepted_count(2017) == 1
    assert cases.concluded_count(2017) == 3
    assert sum(cases.outcome_counts(2017).values()) == cases.concluded_count(2017)
    rate = cases.direct_correction_rate(2017)
    assert (rate.numerator, rate.denominator) == (1, 3)


def test_litigation_2017_thirteen_cases_all_with_a_head_appearing(demo):
    cases = LitigationCase.objects.approved()
    assert cases.case_count(2017) == 13
    assert cases.heard_count(2017) == 13
    rate = cases.head_appearance_rate(2017)
    assert (rate.numerator, rate.denominator, rate.percent) == (13, 13, 100)
    classes = cases.outcome_class_counts(2017)
    assert sum(classes.values()) == cases.concluded_count(2017)
    assert classes[OutcomeClass.WIN] == cases.win_count(2017)


def test_supervision_records_of_2017(demo):
    assert CriminalTransfer.objects.approved().transferred_count(2017) == 1
    assert sum(AccountabilityRecord.objects.approved().measure_counts(2017).values()) == 3
    problems = RectificationProblem.objects.approved()
    assert problems.due_count(2017) == problems.rectified_count(2017) == 3


def test_demo_gives_the_deadline_board_something_to_show(demo, client):
    client.login(username="office", password="demo")
    with time_machine.travel(datetime.datetime(2026, 11, 30, 9, tzinfo=datetime.UTC), tick=False):
        page = client.get("/deadlines/").content.decode()
    assert 'data-urgency="overdue"' in page
    assert 'data-urgency="soon"' in page
    assert "咸安复〔2026〕21号" in page

    client.login(username="liaison", password="demo")
    with time_machine.travel(datetime.datetime(2026, 11, 30, 9, tzinfo=datetime.UTC), tick=False):
        page = client.get("/deadlines/").content.decode()
    assert "咸安复〔2026〕18号" in page
    assert "咸安复〔2026〕21号" not in page
