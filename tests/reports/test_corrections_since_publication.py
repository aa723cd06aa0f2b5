"""A published report's "what would change" page lists the corrections made since it was
published and the figures they move; a reopened record leaves the figures until approved."""

import datetime

import pytest
from django.urls import reverse

from registers.core.status import Status
from registers.core.workflow import approval_of, reopen, save_edit, transition
from tests.workflowapp.models import Memo
from xianan_lawgov.reports import figures as engine
from xianan_lawgov.reports.services import get_or_start_report, publish


@pytest.fixture(autouse=True)
def spring_2018(time_machine):
    time_machine.move_to(datetime.datetime(2018, 3, 1, 9, 0), tick=False)


@pytest.fixture
def published(memo_group, memos, office):
    report = get_or_start_report(2017, by=office)
    return publish(report, by=office)


def test_a_reopened_record_leaves_the_figures_until_approved_again(memo_group, memos, office):
    before = engine.compute_figures(2017)["memos.total"].value
    reopened = reopen(memos[0], by=office, reason="类别错了")
    assert engine.compute_figures(2017)["memos.total"].value == before - 1
    transition(reopened, approval_of(reopened), by=office)
    assert reopened.status == Status.APPROVED
    assert engine.compute_figures(2017)["memos.total"].value == before


def test_changes_page_lists_corrections_since_publication_and_the_figures_they_move(
    client, office, published, memos, time_machine
):
    time_machine.move_to(datetime.datetime(2018, 3, 2, 9, 0), tick=False)
    reopen(memos[0], by=office, reason="重复登记，应删除")
    corrected = Memo.objects.get(pk=memos[2].pk)
    corrected.kind = Memo.Kind.NOTICE
    save_edit(corrected, by=office, reason="误填为报告")

    client.force_login(office)
    page = client.get(reverse("reports:published_diff", args=[2017, published.version]))
    text = page.content.decode()
    assert page.status_code == 200
    assert "发布以来的更正" in text
    assert "重复登记，应删除" in text and "误填为报告" in text
    assert "报告一" in text
    # the reopened memo leaves the total; the edited one moves from reports to notices
    assert "备忘总数：3 → 2" in text
    assert "报告：1 → 0" in text


def test_changes_page_says_so_when_nothing_was_corrected(client, office, published):
    client.force_login(office)
    text = client.get(reverse("reports:published_diff", args=[2017, published.version]))
    assert "发布以来没有更正已审核的记录" in text.content.decode()


def test_a_correction_before_publication_is_not_listed(client, office, memo_group, memos):
    reopen(memos[0], by=office, reason="发布前的更正")
    published = publish(get_or_start_report(2017, by=office), by=office)
    client.force_login(office)
    text = client.get(reverse("reports:published_diff", args=[2017, published.version]))
    assert "发布前的更正" not in text.content.decode()
