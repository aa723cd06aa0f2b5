"""Admin of legality reviews, replies, filings and clean-ups: scoping and the confirm button."""

import datetime

import pytest
import time_machine
from django.urls import reverse

from registers.core.status import Status
from registers.models import Document, DocumentKind, DocumentStatus
from reviews.models import CleanupCampaign, CleanupItem, CleanupOutcome, Filing
from tests.factories import (
    make_campaign,
    make_cleanup_item,
    make_comment_draft_reply,
    make_document,
    make_filing,
    make_legality_review,
)

D = datetime.date


@pytest.fixture(autouse=True)
def today():
    with time_machine.travel(datetime.datetime(2018, 3, 1, 10, 0), tick=False):
        yield


def url(model, view, *args):
    return reverse(f"admin:reviews_{model}_{view}", args=args)


BUILDERS = {
    "legalityreview": lambda unit, label: make_legality_review(unit, title=label),
    "commentdraftreply": lambda unit, label: make_comment_draft_reply(unit, title=label),
    "filing": lambda unit, label: make_filing(make_document(unit, title=label)),
    "cleanupcampaign": lambda unit, label: make_campaign(unit, name=label),
    "cleanupitem": lambda unit, label: make_cleanup_item(
        make_campaign(unit), make_document(unit, title=label)
    ),
}


@pytest.fixture(params=sorted(BUILDERS))
def records(request, unit_a, unit_b):
    build = BUILDERS[request.param]
    return request.param, build(unit_a, "城管的记录"), build(unit_b, "交通的记录")


@pytest.mark.parametrize(
    ("role", "sees_a", "sees_b"),
    [("liaison", True, False), ("liaison2", False, True), ("office", True, True)],
)
def test_changelist_shows_only_the_units_records(client, users, records, role, sees_a, sees_b):
    model, _a, _b = records
    client.force_login(users[role])
    page = client.get(url(model, "changelist")).content.decode()
    assert ("城管的记录" in page) is sees_a
    assert ("交通的记录" in page) is sees_b


@pytest.mark.parametrize("view", ["change", "history", "delete"])
def test_another_units_record_answers_404(client, liaison2, records, view):
    model, record_a, _b = records
    client.force_login(liaison2)
    response = client.get(url(model, view, record_a.pk))
    assert response.status_code == 404
    assert "城管的记录" not in response.content.decode()


def test_a_liaison_files_only_their_own_units_documents(client, liaison, unit_b):
    other = make_document(unit_b, title="交通的办法")
    mine = make_document(liaison.unit, title="城管的办法")
    client.force_login(liaison)
    refused = client.post(
        url("filing", "add"), {"document": other.pk, "filed_with": "municipal_government"}
    )
    assert refused.status_code == 200
    assert not Filing.objects.exists()
    accepted = client.post(
        url("filing", "add"), {"document": mine.pk, "filed_with": "municipal_government"}
    )
    assert accepted.status_code == 302
    filing = Filing.objects.get()
    assert (filing.unit, filing.status) == (liaison.unit, Status.DRAFT)


def test_the_filing_list_shows_due_date_and_timeliness(client, office, unit_a):
    make_filing(make_document(unit_a, title="国庆前印发的办法", issued_on=D(2017, 9, 18)))
    client.force_login(office)
    page = client.get(url("filing", "changelist")).content.decode()
    assert "2017年10月9日" in page or "2017-10-09" in page
    assert "逾期未报" in page
    overdue = client.get(url("filing", "changelist"), {"timeliness": "overdue"}).content.decode()
    assert "国庆前印发的办法" in overdue
    on_time = client.get(url("filing", "changelist"), {"timeliness": "on_time"}).content.decode()
    assert "国庆前印发的办法" not in on_time


def test_linking_an_issued_normative_document_in_the_admin_opens_its_filing(client, office, unit_a):
    review = make_legality_review(
        unit_a, kind="normative", received_on=D(2017, 9, 1), completed_on=D(2017, 9, 8)
    )
    document = make_document(unit_a, issued_on=D(2017, 9, 18))
    client.force_login(office)
    response = client.post(
        url("legalityreview", "change", review.pk),
        {
            "title": review.title,
            "kind": review.kind,
            "unit": unit_a.pk,
            "received_on": "2017-09-01",
            "completed_on": "2017-09-08",
            "result": review.result,
            "opinion": "同意",
            "resulting_document": document.pk,
            # The review is approved: linking its document is a correction, with its reason.
            "correction_reason": "补录审核后印发的文件",
        },
    )
    assert response.status_code == 302
    assert Filing.objects.get().document == document


# --- Clean-up: confirm button, summary, lock ---------------------------------------------------


@pytest.fixture
def campaign(unit_a, office):
    campaign = make_campaign(unit_a, name="2017年文件清理", created_by=office)
    for outcome in [CleanupOutcome.CONTINUE, CleanupOutcome.REPEAL, CleanupOutcome.REPEAL]:
        make_cleanup_item(campaign, make_document(unit_a, issued_on=D(2016, 3, 1)), outcome=outcome)
    make_cleanup_item(
        campaign,
        make_document(unit_a, kind=DocumentKind.NON_NORMATIVE, issued_on=D(2016, 3, 1)),
        outcome=CleanupOutcome.TO_REVISE,
    )
    return campaign


def test_office_sees_a_confirm_button_instead_of_approve(client, office, campaign):
    CleanupCampaign.objects.filter(pk=campaign.pk).update(status=Status.SUBMITTED)
    client.force_login(office)
    page = client.get(url("cleanupcampaign", "change", campaign.pk)).content.decode()
    assert "确认清理结果" in page
    assert "审核通过" not in page
    assert "清理文件（4 份）" in page


def test_the_confirm_page_summarises_counts_by_kind_and_outcome(client, office, campaign):
    client.force_login(office)
    page = client.get(url("cleanupcampaign", "confirm", campaign.pk)).content.decode()
    assert "继续有效 1，修改 0，废止 2，失效 0" in page
    assert "在有效期内 0，超过有效期 0，拟修改完善 1" in page
    assert "以下问题须先处理" not in page


def test_confirming_from_the_admin_writes_the_register_and_locks_the_campaign(
    client, office, campaign
):
    client.force_login(office)
    response = client.post(
        url("cleanupcampaign", "confirm", campaign.pk), {"confirmed_on": "2017-11-30"}
    )
    assert response.status_code == 302
    campaign.refresh_from_db()
    assert campaign.confirmed_on == D(2017, 11, 30)
    repealed = Document.objects.in_status_on(D(2017, 11, 30), DocumentStatus.REPEALED)
    assert repealed.count() == 2

    page = client.get(url("cleanupcampaign", "change", campaign.pk)).content.decode()
    assert 'name="_save"' not in page
    assert "确认清理结果" not in page
    posted = client.post(url("cleanupcampaign", "change", campaign.pk), {"name": "改名"})
    assert posted.status_code == 403
    item = campaign.items.first()
    assert client.post(url("cleanupitem", "change", item.pk), {"note": "x"}).status_code == 403
    assert CleanupCampaign.objects.get(pk=campaign.pk).name == "2017年文件清理"


def test_problems_are_listed_and_the_campaign_is_not_confirmed(client, office, campaign, unit_a):
    make_cleanup_item(campaign, make_document(unit_a, title="还没结论的办法"))
    client.force_login(office)
    page = client.get(url("cleanupcampaign", "confirm", campaign.pk)).content.decode()
    assert "还没结论的办法" in page and "尚未填写清理结论" in page
    response = client.post(
        url("cleanupcampaign", "confirm", campaign.pk), {"confirmed_on": "2017-11-30"}
    )
    assert response.status_code == 200
    assert not CleanupCampaign.objects.get(pk=campaign.pk).is_confirmed


def test_a_liaison_cannot_confirm(client, liaison, campaign):
    client.force_login(liaison)
    response = client.post(
        url("cleanupcampaign", "confirm", campaign.pk), {"confirmed_on": "2017-11-30"}
    )
    assert response.status_code == 403
    assert not CleanupCampaign.objects.get(pk=campaign.pk).is_confirmed


def test_the_outcome_action_refuses_a_wrong_kind_and_changes_nothing(client, office, campaign):
    client.force_login(office)
    items = list(campaign.items.values_list("pk", flat=True))
    response = client.post(
        url("cleanupitem", "changelist"),
        {"action": "set_outcome_repeal", "_selected_action": items},
        follow=True,
    )
    assert "未作任何修改" in response.content.decode()
    assert CleanupItem.objects.filter(outcome=CleanupOutcome.REPEAL).count() == 2


def test_documents_are_added_by_issuer_and_kind(client, office, unit_a):
    campaign = make_campaign(unit_a)
    make_document(unit_a, kind=DocumentKind.NON_NORMATIVE)
    make_document(unit_a)
    make_document(unit_a, status=Status.DRAFT)
    client.force_login(office)
    response = client.post(
        url("cleanupcampaign", "add_documents", campaign.pk),
        {"units": [unit_a.pk], "kind": DocumentKind.NORMATIVE},
    )
    assert response.status_code == 302
    assert campaign.items.get().document.kind == DocumentKind.NORMATIVE
