"""Major administrative decisions: the legality-review gate, comment periods, dissent."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse

from registers.core.models import CalendarDay
from registers.core.status import Status
from reviews.models import (
    DecisionParticipant,
    DecisionStep,
    LegalityResult,
    MajorDecision,
    MeetingKind,
    Stance,
    StepKind,
)
from reviews.services.decisions import (
    Participant,
    record_collective_discussion,
    record_legality_review,
)
from tests.factories import make_decision

D = datetime.date.fromisoformat
REVIEWED = D("2017-03-29")
MEETING = D("2017-04-07")


def codes(error: ValidationError) -> set[str]:
    return {e.code for errors in error.error_dict.values() for e in errors}


@pytest.fixture
def decision(unit_a):
    return make_decision(unit_a, title="城东片区房屋征收补偿方案")


def review(decision, result=LegalityResult.PASSED, *, by, reviewed_on=REVIEWED):
    return record_legality_review(
        decision,
        sent_on=D("2017-03-21"),
        due_on=D("2017-03-31"),
        reviewed_on=reviewed_on,
        result=result,
        opinion="同意提交讨论。",
        by=by,
    )


def discuss(decision, *, by, on=MEETING, participants=()):
    return record_collective_discussion(
        decision,
        meeting_kind=MeetingKind.EXECUTIVE,
        meeting="区政府第3次常务会议",
        discussed_on=on,
        decided_by="陈立新",
        participants=participants,
        by=by,
    )


def test_discussion_without_any_legality_review_is_refused_and_nothing_saved(decision, office):
    with pytest.raises(ValidationError) as caught:
        discuss(decision, by=office, participants=[Participant("刘国平", "常务副区长")])
    assert codes(caught.value) == {"discussion_without_passed_legality_review"}
    assert "第二十五条" in caught.value.message_dict["discussed_on"][0]
    saved = MajorDecision.objects.get(pk=decision.pk)
    assert saved.discussed_on is None
    assert not DecisionParticipant.objects.exists()


def test_discussion_after_a_failed_review_is_refused(decision, office):
    review(decision, LegalityResult.FAILED, by=office)
    with pytest.raises(ValidationError) as caught:
        discuss(decision, by=office)
    assert codes(caught.value) == {"discussion_without_passed_legality_review"}
    assert MajorDecision.objects.get(pk=decision.pk).discussed_on is None


def test_discussion_dated_before_the_passed_review_is_refused(decision, office):
    review(decision, by=office, reviewed_on=D("2017-03-29"))
    with pytest.raises(ValidationError) as caught:
        discuss(decision, by=office, on=D("2017-03-28"))
    assert codes(caught.value) == {"discussion_before_legality_review"}


def test_discussion_after_a_passed_review_is_recorded_with_every_opinion(decision, office):
    review(decision, by=office)
    discuss(
        decision,
        by=office,
        participants=[
            Participant("刘国平", "常务副区长"),
            Participant("吴建军", "副区长", Stance.DISSENT, "商铺补偿标准偏低。"),
        ],
    )
    saved = MajorDecision.objects.get(pk=decision.pk)
    assert (saved.discussed_on, saved.decided_by) == (D("2017-04-07"), "陈立新")
    dissent = saved.participants.get(stance=Stance.DISSENT)
    assert (dissent.name, dissent.reason) == ("吴建军", "商铺补偿标准偏低。")
    assert MajorDecision.objects.with_dissent().get() == saved


def test_exploratory_reform_may_go_to_discussion_once_its_legal_risk_is_stated(decision, office):
    review(decision, LegalityResult.RISK_STATED, by=office)
    discuss(decision, by=office)
    assert MajorDecision.objects.get(pk=decision.pk).discussed_on == D("2017-04-07")


def test_dissent_without_a_reason_refuses_the_whole_discussion(decision, office):
    review(decision, by=office)
    with pytest.raises(ValidationError) as caught:
        discuss(
            decision,
            by=office,
            participants=[
                Participant("刘国平", "常务副区长"),
                Participant("吴建军", "副区长", Stance.DISSENT),
            ],
        )
    assert "吴建军" in caught.value.messages[0]
    assert MajorDecision.objects.get(pk=decision.pk).discussed_on is None
    assert not DecisionParticipant.objects.exists()


def test_the_database_refuses_a_discussion_without_passed_review(decision):
    with pytest.raises(IntegrityError), transaction.atomic():
        MajorDecision.objects.filter(pk=decision.pk).update(discussed_on=D("2017-04-07"))


@pytest.mark.parametrize(
    ("opens", "closes", "reason", "refused"),
    [
        ("2017-04-05", "2017-05-04", "", False),  # 30 days, both ends counted
        ("2017-04-05", "2017-05-03", "", True),  # 29 days
        ("2017-04-05", "2017-05-03", "汛期前须出台，情况紧急。", False),
        ("2017-02-06", "2017-03-07", "", False),  # 30 days across February
    ],
)
def test_public_comment_period_is_at_least_30_days_unless_shortening_is_explained(
    decision, opens, closes, reason, refused
):
    step = DecisionStep(
        decision=decision,
        kind=StepKind.PUBLIC_PARTICIPATION,
        method="网上公开征求意见",
        comment_opens_on=D(opens),
        comment_closes_on=D(closes),
        short_period_reason=reason,
    )
    if refused:
        with pytest.raises(ValidationError) as caught:
            step.full_clean()
        assert codes(caught.value) == {"comment_period_too_short"}
        assert "本次只有29日" in caught.value.message_dict["comment_closes_on"][0]
    else:
        step.full_clean()


def test_step_not_applicable_needs_a_reason(decision):
    step = DecisionStep(decision=decision, kind=StepKind.EXPERT_ARGUMENT, applicable=False)
    with pytest.raises(ValidationError) as caught:
        step.full_clean()
    assert codes(caught.value) == {"reason_required"}
    step.reason_not_applicable = "不涉及专业性、技术性较强的问题。"
    step.full_clean()


def test_legality_review_time_allowed_counts_working_days_across_national_day(decision, office):
    # Sent on Thursday 28 September 2017: 29 and Saturday 30 September (a make-up working
    # day), then 9 and 10 October after the holiday: only 4 working days.
    with pytest.raises(ValidationError) as caught:
        record_legality_review(
            decision,
            sent_on=D("2017-09-28"),
            due_on=D("2017-10-10"),
            reviewed_on=D("2017-10-10"),
            result=LegalityResult.PASSED,
            by=office,
        )
    assert codes(caught.value) == {"legality_review_time_too_short"}
    assert "只有4个工作日" in caught.value.message_dict["legality_review_due_on"][0]
    assert MajorDecision.objects.get(pk=decision.pk).legality_review_result == ""

    record_legality_review(
        decision,
        sent_on=D("2017-09-28"),
        due_on=D("2017-10-13"),
        reviewed_on=D("2017-10-12"),
        result=LegalityResult.PASSED,
        by=office,
    )
    assert decision.review_working_days_allowed() == 7


def test_a_calendar_correction_changes_the_review_time_allowed(decision):
    decision.legality_review_sent_on = D("2017-03-21")
    decision.legality_review_due_on = D("2017-03-30")
    assert decision.review_working_days_allowed() == 7
    CalendarDay.objects.create(date=D("2017-03-24"), is_working_day=False, note="测试")
    assert decision.review_working_days_allowed() == 6


def test_publication_before_the_decision_is_refused(decision, office):
    review(decision, by=office)
    discuss(decision, by=office)
    decision.refresh_from_db()
    decision.published_on = D("2017-04-06")
    with pytest.raises(ValidationError) as caught:
        decision.full_clean()
    assert codes(caught.value) == {"dated_before_decision"}


def test_liaison_cannot_record_a_discussion_for_another_unit(decision, office, liaison2):
    review(decision, by=office)
    with pytest.raises(ValidationError) as caught:
        discuss(decision, by=liaison2)
    assert caught.value.code == "not_allowed"


def admin_form(decision, **fields):
    """The change form as the admin posts it, with empty step and participant formsets."""
    data = {
        "catalogue": decision.catalogue_id,
        "unit": decision.unit_id,
        "title": decision.title,
        "category": decision.category,
        "steps-TOTAL_FORMS": "3",
        "steps-INITIAL_FORMS": "0",
        "participants-TOTAL_FORMS": "0",
        "participants-INITIAL_FORMS": "0",
    }
    for i, kind in enumerate(StepKind):
        data[f"steps-{i}-kind"] = kind
        data[f"steps-{i}-applicable"] = "on"
    data.update(fields)
    return data


def test_admin_refuses_discussion_before_passed_review_with_the_message(client, office, decision):
    client.force_login(office)
    url = reverse("admin:reviews_majordecision_change", args=[decision.pk])
    response = client.post(
        url,
        admin_form(
            decision,
            meeting_kind=MeetingKind.EXECUTIVE,
            meeting="区政府第3次常务会议",
            discussed_on="2017-04-07",
            decided_by="陈立新",
        ),
    )
    assert response.status_code == 200
    assert "不得提交决策机关讨论" in response.content.decode()
    assert MajorDecision.objects.get(pk=decision.pk).discussed_on is None


def test_admin_offers_one_block_per_step_and_saves_only_what_was_filled(client, office, decision):
    client.force_login(office)
    url = reverse("admin:reviews_majordecision_change", args=[decision.pk])
    page = client.get(url).content.decode()
    for kind in StepKind:
        assert f'<option value="{kind.value}" selected>' in page

    data = admin_form(decision)
    data |= {
        "steps-1-applicable": "",
        "steps-1-reason_not_applicable": "不涉及专业性问题。",
    }
    response = client.post(url, data)
    assert response.status_code == 302
    step = DecisionStep.objects.get(decision=decision)
    assert (step.kind, step.applicable) == (StepKind.EXPERT_ARGUMENT, False)


def test_liaison_reads_but_cannot_edit_steps_of_a_submitted_decision(client, liaison, decision):
    DecisionStep.objects.create(
        decision=decision, kind=StepKind.RISK_ASSESSMENT, method="社会稳定风险评估"
    )
    MajorDecision.objects.filter(pk=decision.pk).update(status=Status.SUBMITTED)
    client.force_login(liaison)
    page = client.get(
        reverse("admin:reviews_majordecision_change", args=[decision.pk])
    ).content.decode()
    assert "社会稳定风险评估" in page
    assert 'name="steps-0-method"' not in page
    assert 'name="_save"' not in page
