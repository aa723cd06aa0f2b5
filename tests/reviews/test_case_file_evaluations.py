"""Case-file evaluations: score ranges, veto items, grade bands and rectification deadlines."""

import datetime
from decimal import Decimal

import pytest
import time_machine
from django.conf import settings
from django.core.exceptions import ValidationError
from django.test import override_settings
from django.urls import reverse

from registers.core.status import Status
from reviews.models import CaseType, EvaluatedFile, EvaluationProblem, FileVeto, Grade, VetoItem
from reviews.services.evaluations import record_rectification, score_file
from tests.factories import make_evaluated_file, make_problem, make_round

D = datetime.date.fromisoformat
EVALUATED = D("2017-06-20")


def scored(unit, form, content, **overrides):
    return make_evaluated_file(
        unit, form_score=Decimal(form), content_score=Decimal(content), **overrides
    )


@pytest.mark.parametrize(
    ("form", "content", "grade"),
    [
        ("20", "80", Grade.EXCELLENT),
        ("18", "72", Grade.EXCELLENT),  # 90
        ("17.5", "72", Grade.PASS),  # 89.5
        ("15", "45", Grade.PASS),  # 60
        ("15", "44", Grade.FAIL),  # 59
        ("0", "0", Grade.FAIL),
    ],
)
def test_grade_bands_at_their_boundaries_in_python_and_in_the_database(
    unit_a, form, content, grade
):
    file = scored(unit_a, form, content)
    assert file.grade == grade
    assert EvaluatedFile.objects.with_grade().get(pk=file.pk).computed_grade == grade
    assert list(EvaluatedFile.objects.graded(grade)) == [file]


@pytest.mark.parametrize("item", list(VetoItem))
def test_any_veto_item_fails_a_file_whatever_its_score(unit_a, item):
    file = scored(unit_a, "20", "80")
    FileVeto.objects.create(file=file, item=item, note="见笔录")
    file = EvaluatedFile.objects.get(pk=file.pk)
    assert file.total_score == Decimal("100")
    assert file.grade == Grade.FAIL
    assert EvaluatedFile.objects.graded(Grade.FAIL).get() == file


def test_unscored_file_has_no_grade_until_vetoed(unit_a):
    file = make_evaluated_file(unit_a)
    assert file.grade is None
    assert EvaluatedFile.objects.with_grade().get().computed_grade is None
    FileVeto.objects.create(file=file, item=VetoItem.FEWER_THAN_TWO_OFFICERS)
    assert EvaluatedFile.objects.get(pk=file.pk).grade == Grade.FAIL


@override_settings(
    LAWGOV={
        **settings.LAWGOV,
        "EVALUATION_GRADE_BANDS": [(85, "优秀"), (75, "良好"), (60, "合格")],
    }
)
def test_grade_bands_come_from_the_settings_by_label_or_value(unit_a):
    files = {
        grade: scored(unit_a, form, content)
        for grade, form, content in [
            (Grade.EXCELLENT, "17", "68"),
            (Grade.GOOD, "16", "64"),
            (Grade.PASS, "15", "59.5"),
        ]
    }
    for grade, file in files.items():
        assert file.grade == grade
        assert EvaluatedFile.objects.with_grade().get(pk=file.pk).computed_grade == grade


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("form_score", "20.5", "形式得分不能超过20分。"),
        ("form_score", "-0.5", "形式得分不能小于0。"),
        ("content_score", "80.5", "内容得分不能超过80分。"),
        ("content_score", "-1", "内容得分不能小于0。"),
    ],
)
def test_scores_out_of_range_are_refused(unit_a, field, value, message):
    file = scored(unit_a, "18", "70")
    setattr(file, field, Decimal(value))
    with pytest.raises(ValidationError) as caught:
        file.full_clean()
    assert message in caught.value.message_dict[field]


def test_form_and_content_scores_are_entered_together(unit_a):
    file = make_evaluated_file(unit_a, form_score=Decimal("18"))
    with pytest.raises(ValidationError) as caught:
        file.full_clean()
    assert caught.value.error_dict["content_score"][0].code == "score_incomplete"


def test_office_scores_a_file_and_replaces_its_veto_items(unit_a, office):
    file = make_evaluated_file(unit_a, round=make_round())
    score_file(
        file,
        form_score=Decimal("19"),
        content_score=Decimal("75"),
        vetoes=[(VetoItem.WRONG_LAW, "适用已废止的条款")],
        evaluated_on=EVALUATED,
        by=office,
    )
    assert EvaluatedFile.objects.get(pk=file.pk).grade == Grade.FAIL
    score_file(
        file,
        form_score=Decimal("19"),
        content_score=Decimal("75"),
        evaluated_on=EVALUATED,
        by=office,
    )
    assert not FileVeto.objects.exists()
    assert EvaluatedFile.objects.get(pk=file.pk).grade == Grade.EXCELLENT
    assert FileVeto.history.filter(history_type="-").get().history_user == office


def test_liaison_cannot_score_their_own_units_file(unit_a, liaison):
    file = make_evaluated_file(unit_a)
    with pytest.raises(ValidationError) as caught:
        score_file(
            file,
            form_score=Decimal("20"),
            content_score=Decimal("80"),
            evaluated_on=EVALUATED,
            by=liaison,
        )
    assert caught.value.code == "office_only"
    assert EvaluatedFile.objects.get(pk=file.pk).form_score is None


def test_evaluation_date_must_fall_within_the_round(unit_a, office):
    file = make_evaluated_file(unit_a, round=make_round())
    with pytest.raises(ValidationError) as caught:
        score_file(
            file,
            form_score=Decimal("18"),
            content_score=Decimal("70"),
            evaluated_on=D("2017-07-15"),
            by=office,
        )
    assert caught.value.error_dict["evaluated_on"][0].code == "evaluated_outside_round"


# --- Rectification -----------------------------------------------------------------------------


@time_machine.travel(datetime.datetime(2018, 1, 5, 10, 0), tick=False)
def test_overdue_rectifications_are_those_past_due_and_not_rectified(unit_a):
    file = make_evaluated_file(unit_a)
    late = make_problem(file, description="逾期未改", due_on=D("2018-01-04"))
    due_today = make_problem(file, description="今日到期", due_on=D("2018-01-05"))
    done_late = make_problem(
        file,
        description="逾期后已改",
        due_on=D("2017-12-29"),
        rectified_on=D("2018-01-03"),
        rectification="已补正",
    )
    problems = EvaluationProblem.objects
    assert list(problems.overdue()) == [late]
    assert set(problems.awaiting_rectification()) == {late, due_today}
    assert late.is_overdue() and not due_today.is_overdue()
    assert done_late.rectified_late and not done_late.is_overdue()
    assert list(problems.overdue(D("2018-01-06"))) == [late, due_today]


def test_rectification_needs_a_description(unit_a, office):
    problem = make_problem(make_evaluated_file(unit_a))
    with pytest.raises(ValidationError) as caught:
        record_rectification(problem, rectified_on=D("2017-12-20"), rectification="", by=office)
    assert caught.value.error_dict["rectification"][0].code == "rectification_description_required"
    assert EvaluationProblem.objects.get(pk=problem.pk).rectified_on is None


def test_rectification_follows_the_files_permissions(unit_a, liaison, liaison2):
    file = make_evaluated_file(unit_a)
    problem = make_problem(file)
    with pytest.raises(ValidationError):
        record_rectification(
            problem, rectified_on=D("2017-12-20"), rectification="已改", by=liaison2
        )
    record_rectification(problem, rectified_on=D("2017-12-20"), rectification="已改", by=liaison)
    assert EvaluationProblem.objects.get(pk=problem.pk).is_rectified

    EvaluatedFile.objects.filter(pk=file.pk).update(status=Status.APPROVED)
    other = make_problem(EvaluatedFile.objects.get(pk=file.pk), description="另一问题")
    with pytest.raises(ValidationError) as caught:
        record_rectification(other, rectified_on=D("2017-12-21"), rectification="已改", by=liaison)
    assert caught.value.code == "not_allowed"


def test_deadline_board_reads_problems_visible_to_the_user_by_due_date(unit_a, unit_b, liaison):
    mine = make_problem(make_evaluated_file(unit_a), due_on=D("2018-01-10"))
    make_problem(make_evaluated_file(unit_b), due_on=D("2018-01-09"))
    visible = EvaluationProblem.objects.visible_to(liaison).awaiting_rectification()
    assert [(p, p.due_on, p.unit) for p in visible] == [(mine, D("2018-01-10"), unit_a)]


# --- Admin ---------------------------------------------------------------------------------------


def test_liaison_sees_the_score_sheet_but_cannot_enter_scores_or_vetoes(client, liaison, unit_a):
    file = scored(unit_a, "18", "70", case_title="温泉路违法搭建案")
    FileVeto.objects.create(file=file, item=VetoItem.ILLEGAL_PROCEDURE, note="未告知听证权利")
    make_problem(file, description="未告知听证权利")
    client.force_login(liaison)
    page = client.get(
        reverse("admin:reviews_evaluatedfile_change", args=[file.pk])
    ).content.decode()
    assert "温泉路违法搭建案" in page
    assert "不合格" in page and "88.0" in page
    assert 'name="form_score"' not in page
    assert 'name="vetoes-0-item"' not in page  # shown, not editable
    assert 'name="problems-0-rectification"' in page  # the draft's problems are the unit's


def test_admin_lists_files_by_grade_and_overdue_rectification(client, office, unit_a):
    excellent = scored(unit_a, "19", "75", case_title="优秀案卷")
    failed = scored(unit_a, "12", "40", case_title="不合格案卷")
    make_problem(failed, due_on=D("2017-12-29"))
    client.force_login(office)
    url = reverse("admin:reviews_evaluatedfile_changelist")
    page = client.get(url, {"grade": Grade.EXCELLENT}).content.decode()
    assert excellent.case_title in page and failed.case_title not in page
    page = client.get(url, {"rectification": "overdue"}).content.decode()
    assert failed.case_title in page and excellent.case_title not in page


def test_evaluated_file_changelist_queries_do_not_grow_with_rows(
    client, office, unit_a, django_assert_max_num_queries
):
    round_ = make_round()
    for n in range(20):
        scored(unit_a, "18", "70", round=round_, case_type=CaseType.LICENSING, case_title=f"案{n}")
    client.force_login(office)
    with django_assert_max_num_queries(12):
        response = client.get(reverse("admin:reviews_evaluatedfile_changelist"))
    assert response.status_code == 200
