"""Clean-up campaigns: outcome sets per kind, confirmation applied all-or-nothing."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from registers.core.status import Status
from registers.models import (
    Document,
    DocumentChange,
    DocumentChangeKind,
    DocumentKind,
    DocumentStatus,
)
from reviews.models import CleanupCampaign, CleanupItem, CleanupOutcome
from reviews.services import documents as services
from reviews.services.documents import (
    add_documents_to_cleanup,
    confirm_cleanup,
    set_cleanup_outcome,
)
from tests.factories import make_campaign, make_cleanup_item, make_document, make_unit

D = datetime.date
CONFIRMED_ON = D(2017, 11, 30)
NORMATIVE, NON_NORMATIVE = DocumentKind.NORMATIVE, DocumentKind.NON_NORMATIVE


@pytest.fixture
def government(db):
    return make_unit(name="区政府（测试）", code="G01T")


@pytest.fixture
def campaign(government, office):
    return make_campaign(government, name="2017年规范性文件清理", created_by=office)


ISSUED_IN_FORCE = D(2015, 4, 8)


def document(government, kind=NORMATIVE, issued_on=ISSUED_IN_FORCE, **overrides):
    return make_document(government, kind=kind, issued_on=issued_on, **overrides)


def statuses(documents, day):
    return {
        d.pk: d.status_on(day)
        for d in Document.objects.prefetch_related("changes").filter(
            pk__in=[d.pk for d in documents]
        )
    }


def test_each_kind_has_its_own_outcomes():
    assert CleanupOutcome.for_kind(NORMATIVE) == [
        CleanupOutcome.CONTINUE,
        CleanupOutcome.AMEND,
        CleanupOutcome.REPEAL,
        CleanupOutcome.EXPIRE,
    ]
    assert CleanupOutcome.for_kind(NON_NORMATIVE) == [
        CleanupOutcome.IN_VALIDITY,
        CleanupOutcome.PAST_VALIDITY,
        CleanupOutcome.TO_REVISE,
    ]


@pytest.mark.parametrize(
    ("kind", "outcome"),
    [
        (NORMATIVE, CleanupOutcome.IN_VALIDITY),
        (NORMATIVE, CleanupOutcome.TO_REVISE),
        (NON_NORMATIVE, CleanupOutcome.REPEAL),
        (NON_NORMATIVE, CleanupOutcome.CONTINUE),
    ],
)
def test_an_outcome_of_the_other_kind_is_refused_with_the_allowed_set(
    campaign, government, kind, outcome
):
    item = CleanupItem(campaign=campaign, document=document(government, kind), outcome=outcome)
    with pytest.raises(ValidationError) as caught:
        item.full_clean()
    error = caught.value.error_dict["outcome"][0]
    assert error.code == "outcome_not_for_kind"
    allowed = CleanupOutcome.for_kind(kind)
    assert all(str(o.label) in error.message for o in allowed)


def test_confirming_applies_every_outcome_to_the_register(campaign, government, office):
    repealed = document(government)
    expired = document(government)
    amended = document(government)
    kept = document(government)
    revised = document(government, NON_NORMATIVE)
    for doc, outcome in [
        (repealed, CleanupOutcome.REPEAL),
        (expired, CleanupOutcome.EXPIRE),
        (amended, CleanupOutcome.AMEND),
        (kept, CleanupOutcome.CONTINUE),
        (revised, CleanupOutcome.TO_REVISE),
    ]:
        make_cleanup_item(campaign, doc, outcome=outcome)

    confirm_cleanup(campaign, by=office, on=CONFIRMED_ON)

    day_before = statuses([repealed, expired, amended, kept], CONFIRMED_ON - D.resolution)
    assert set(day_before.values()) == {DocumentStatus.IN_FORCE}
    assert statuses([repealed, expired, amended, kept], CONFIRMED_ON) == {
        repealed.pk: DocumentStatus.REPEALED,
        expired.pk: DocumentStatus.EXPIRED,
        amended.pk: DocumentStatus.IN_FORCE,
        kept.pk: DocumentStatus.IN_FORCE,
    }
    marked = Document.objects.prefetch_related("changes").filter(
        changes__kind=DocumentChangeKind.AMENDMENT_PLANNED
    )
    assert set(marked) == {amended, revised}
    repeal = DocumentChange.objects.get(document=repealed)
    assert (repeal.changed_on, repeal.basis) == (CONFIRMED_ON, campaign.name)

    campaign.refresh_from_db()
    assert campaign.confirmed_on == CONFIRMED_ON
    assert (campaign.confirmed_by, campaign.status) == (office, Status.APPROVED)
    assert campaign.history.first().history_user == office


def test_the_result_document_is_recorded_as_the_basis_of_a_repeal(campaign, government, office):
    result = document(government, NON_NORMATIVE, issued_on=CONFIRMED_ON, title="清理结果的决定")
    campaign.result_document = result
    campaign.save()
    repealed = document(government)
    make_cleanup_item(campaign, repealed, outcome=CleanupOutcome.REPEAL)
    confirm_cleanup(campaign, by=office, on=CONFIRMED_ON)
    assert DocumentChange.objects.get(document=repealed).by_document == result


def test_a_failure_midway_leaves_every_document_unchanged(
    campaign, government, office, monkeypatch
):
    documents = [document(government) for _ in range(4)]
    for doc in documents:
        make_cleanup_item(campaign, doc, outcome=CleanupOutcome.REPEAL)
    real_apply = services._apply_outcome
    calls = []

    def apply_then_fail_on_the_third(item, *args):
        calls.append(item)
        if len(calls) == 3:
            raise RuntimeError("数据库连接中断")
        real_apply(item, *args)

    monkeypatch.setattr(services, "_apply_outcome", apply_then_fail_on_the_third)

    with pytest.raises(RuntimeError):
        confirm_cleanup(campaign, by=office, on=CONFIRMED_ON)

    assert len(calls) == 3  # two documents had been repealed before the failure
    assert not DocumentChange.objects.exists()
    assert set(statuses(documents, CONFIRMED_ON).values()) == {DocumentStatus.IN_FORCE}
    campaign.refresh_from_db()
    assert (campaign.confirmed_on, campaign.status) == (None, Status.DRAFT)


def test_outcomes_that_contradict_the_register_are_all_reported_and_nothing_is_applied(
    campaign, government, office
):
    repealed_before = document(government, title="已废止的办法")
    DocumentChange.objects.create(
        document=repealed_before, kind=DocumentChangeKind.REPEALED, changed_on=D(2016, 5, 1)
    )
    expired = document(government, NON_NORMATIVE, issued_on=D(2010, 3, 1), title="过期的通知")
    still_valid = document(government, NON_NORMATIVE, issued_on=D(2016, 3, 1), title="有效的通知")
    undecided = document(government, title="未定的办法")
    fine = document(government, title="正常废止的办法")
    make_cleanup_item(campaign, repealed_before, outcome=CleanupOutcome.CONTINUE)
    make_cleanup_item(campaign, expired, outcome=CleanupOutcome.IN_VALIDITY)
    make_cleanup_item(campaign, still_valid, outcome=CleanupOutcome.PAST_VALIDITY)
    make_cleanup_item(campaign, undecided)
    make_cleanup_item(campaign, fine, outcome=CleanupOutcome.REPEAL)

    with pytest.raises(ValidationError) as caught:
        confirm_cleanup(campaign, by=office, on=CONFIRMED_ON)

    messages = caught.value.messages
    assert len(messages) == 4
    assert any("已废止的办法" in m and "已经废止" in m for m in messages)
    assert any("过期的通知" in m and "已失效" in m for m in messages)
    assert any("有效的通知" in m and "尚未超过有效期" in m for m in messages)
    assert any("未定的办法" in m and "尚未填写" in m for m in messages)
    assert not DocumentChange.objects.filter(document=fine).exists()
    assert not CleanupCampaign.objects.get(pk=campaign.pk).is_confirmed


def test_only_office_staff_confirm(campaign, government, liaison):
    make_cleanup_item(campaign, document(government), outcome=CleanupOutcome.CONTINUE)
    with pytest.raises(ValidationError) as caught:
        confirm_cleanup(campaign, by=liaison, on=CONFIRMED_ON)
    assert caught.value.code == "office_only"
    assert not CleanupCampaign.objects.get(pk=campaign.pk).is_confirmed


def test_an_empty_campaign_cannot_be_confirmed(campaign, office):
    with pytest.raises(ValidationError) as caught:
        confirm_cleanup(campaign, by=office, on=CONFIRMED_ON)
    assert caught.value.code == "campaign_empty"


def test_a_confirmed_campaign_cannot_be_changed_in_any_way(campaign, government, office):
    doc = document(government)
    item = make_cleanup_item(campaign, doc, outcome=CleanupOutcome.CONTINUE)
    confirm_cleanup(campaign, by=office, on=CONFIRMED_ON)
    campaign.refresh_from_db()

    with pytest.raises(ValidationError) as caught:
        confirm_cleanup(campaign, by=office, on=CONFIRMED_ON)
    assert caught.value.code == "campaign_confirmed"

    item = CleanupItem.objects.get(pk=item.pk)
    item.outcome = CleanupOutcome.REPEAL
    with pytest.raises(ValidationError, match="已确认"):
        item.full_clean()
    with pytest.raises(ValidationError, match="已确认"):
        campaign.full_clean()
    with pytest.raises(ValidationError, match="已于 2017-11-30 确认"):
        add_documents_to_cleanup(campaign, Document.objects.all(), by=office)
    with pytest.raises(ValidationError, match="已确认"):
        set_cleanup_outcome(CleanupItem.objects.all(), CleanupOutcome.REPEAL, by=office)
    assert CleanupItem.objects.get(pk=item.pk).outcome == CleanupOutcome.CONTINUE


def test_setting_one_outcome_on_a_selection_is_all_or_nothing(campaign, government, office):
    normative = make_cleanup_item(campaign, document(government))
    other = make_cleanup_item(campaign, document(government, NON_NORMATIVE))
    with pytest.raises(ValidationError) as caught:
        set_cleanup_outcome(CleanupItem.objects.all(), CleanupOutcome.REPEAL, by=office)
    assert "非规范性文件" in caught.value.messages[0]
    assert set(CleanupItem.objects.values_list("outcome", flat=True)) == {""}

    count = set_cleanup_outcome(
        CleanupItem.objects.filter(pk=normative.pk), CleanupOutcome.REPEAL, by=office
    )
    assert count == 1
    assert CleanupItem.objects.get(pk=normative.pk).outcome == CleanupOutcome.REPEAL
    assert CleanupItem.objects.get(pk=other.pk).outcome == ""
    assert CleanupItem.history.filter(id=normative.pk).first().history_user == office


def test_adding_documents_skips_those_already_listed(campaign, government, office):
    first, second = document(government), document(government)
    assert add_documents_to_cleanup(campaign, Document.objects.filter(pk=first.pk), by=office) == 1
    assert add_documents_to_cleanup(campaign, Document.objects.all(), by=office) == 1
    assert set(campaign.items.values_list("document", flat=True)) == {first.pk, second.pk}


def test_the_years_figures_count_confirmed_campaigns_only(
    campaign, government, office, django_assert_num_queries
):
    for outcome in [CleanupOutcome.CONTINUE, CleanupOutcome.CONTINUE, CleanupOutcome.REPEAL]:
        make_cleanup_item(campaign, document(government), outcome=outcome)
    make_cleanup_item(
        campaign, document(government, NON_NORMATIVE), outcome=CleanupOutcome.IN_VALIDITY
    )
    unconfirmed = make_campaign(government, name="另一次清理")
    make_cleanup_item(unconfirmed, document(government), outcome=CleanupOutcome.CONTINUE)
    confirm_cleanup(campaign, by=office, on=CONFIRMED_ON)

    with django_assert_num_queries(1):
        tally = CleanupItem.objects.confirmed_in(2017).tally()
    assert tally.total == 4
    assert (tally.of_kind(NORMATIVE), tally.of_kind(NON_NORMATIVE)) == (3, 1)
    assert tally.of_outcome(CleanupOutcome.CONTINUE) == 2
    assert tally.of_outcome(CleanupOutcome.REPEAL) == 1
    assert tally.of_outcome(CleanupOutcome.IN_VALIDITY) == 1
    assert CleanupItem.objects.confirmed_in(2018).tally().total == 0
    # The records behind a figure, for the report's traceability.
    repealed = CleanupItem.objects.confirmed_in(2017).of_kind(NORMATIVE)
    assert repealed.with_outcome(CleanupOutcome.REPEAL).count() == 1


def test_a_liaison_adds_documents_only_to_their_units_draft_campaign(campaign, government, liaison):
    document(government)
    with pytest.raises(ValidationError) as caught:
        add_documents_to_cleanup(campaign, Document.objects.all(), by=liaison)
    assert caught.value.code == "not_allowed"
    assert not campaign.items.exists()
