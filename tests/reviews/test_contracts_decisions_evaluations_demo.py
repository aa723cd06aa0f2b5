"""The 2017 demo set reproduces the report's contract, decision and evaluation figures."""

from collections import Counter

from django.core.management import call_command
from django.test import override_settings

from registers.core.status import Status
from registers.models import Unit
from reviews.models import (
    CaseType,
    DecisionParticipant,
    DecisionStep,
    EvaluatedFile,
    EvaluationProblem,
    EvaluationRound,
    FileVeto,
    GovernmentContract,
    MajorDecision,
    StepKind,
)


def history_counts():
    models = [
        GovernmentContract,
        MajorDecision,
        DecisionStep,
        DecisionParticipant,
        EvaluationRound,
        EvaluatedFile,
        FileVeto,
        EvaluationProblem,
    ]
    return {model.__name__: (model.objects.count(), model.history.count()) for model in models}


def test_loading_the_demo_twice_writes_nothing_the_second_time(demo):
    first = history_counts()
    with override_settings(DEBUG=True), open("/dev/null", "w") as out:
        call_command("load_demo", stdout=out)
    assert history_counts() == first


def test_2017_contracts_40_at_or_above_two_million_reviewed_by_lawyers(demo):
    figures = GovernmentContract.objects.figures(2017)
    assert figures.lawyer_reviewed == 40
    # Every contract of the threshold or more signed in 2017 was reviewed: "所有200万元以上".
    assert figures.signed_needing_lawyer_review == figures.lawyer_reviewed
    assert figures.signed > figures.lawyer_reviewed  # smaller contracts were filed only
    assert figures.filed == figures.signed
    assert (figures.missing_lawyer_review, figures.missing_filing) == (0, 0)
    assert not GovernmentContract.objects.exclude(status=Status.APPROVED).exists()


def test_2017_decisions_went_through_every_required_step(demo):
    figures = MajorDecision.objects.figures(2017)
    assert 2 <= figures.catalogued <= 3
    assert figures.legality_passed == figures.discussed == figures.catalogued
    for kind in StepKind:
        step = figures.steps[kind]
        assert step.done + step.not_applicable == figures.catalogued
    assert figures.with_dissent >= 1
    for decision in MajorDecision.objects.all():
        assert decision.pending_steps() == []
        assert decision.legality_reviewed_on <= decision.discussed_on


def test_2017_evaluations_two_rounds_46_units_56_files_with_grades_and_rectification(demo):
    figures = EvaluatedFile.objects.figures(2017)
    assert (figures.rounds, figures.units, figures.files) == (2, 46, 56)
    assert figures.by_case_type[CaseType.LICENSING] == 25
    assert figures.by_case_type[CaseType.PENALTY] == 25
    assert figures.by_case_type[CaseType.COERCION] == 6
    assert sum(figures.by_case_type.values()) == figures.files

    # The database grades agree with each file's own grade.
    files = EvaluatedFile.objects.prefetch_related("vetoes").all()
    assert Counter(file.grade for file in files) == +Counter(figures.by_grade)
    assert figures.ungraded == 0
    assert figures.vetoed >= 1

    # The 46 are distinct district-level enforcement bodies.
    eligible = Unit.objects.district_level().enforcement_bodies()
    units = set(EvaluatedFile.objects.values_list("unit", flat=True))
    assert len(units) == figures.units
    assert units <= set(eligible.values_list("pk", flat=True))

    # Every problem found in 2017 was rectified, one of them after its due date.
    problems = EvaluationProblem.objects
    assert figures.problems == problems.count() > 0
    assert figures.problems_rectified == problems.rectified().count() == figures.problems
    assert not problems.awaiting_rectification().exists()
    assert sum(problem.rectified_late for problem in problems.all()) == 1
