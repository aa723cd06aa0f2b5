"""A unit's annual report in the unit's own words: it starts from its kind's unit template
(never the district's text), its liaison writes and submits it, the office returns or
approves it, and approving publishes it, frozen."""

import datetime
import importlib
import io
import json
import re
import zipfile

import pytest
from django.apps import apps as django_apps
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from registers.core.roles import Role
from registers.core.status import Status
from registers.models import UnitKind
from tests import factories as f
from tests.api.conftest import client_for
from xianan_lawgov.reports.figures import Scope
from xianan_lawgov.reports.models import (
    PublishedReport,
    Report,
    Section,
    TemplateKind,
    UnitReport,
)
from xianan_lawgov.reports.services import (
    check_placeholders,
    get_or_start_report,
    live_document,
    save_report_text,
    unit_template,
)
from xianan_lawgov.reports.text import plain_text

TODAY = datetime.datetime(2018, 3, 1, 9, 0)


@pytest.fixture(autouse=True)
def spring_2018(time_machine):
    time_machine.move_to(TODAY, tick=False)


@pytest.fixture
def transport(db):
    """咸安区交通运输局 with two approved power-list items (another unit has one)."""
    unit = f.make_unit(name="咸安区交通运输局", short_name="交通局", kind=UnitKind.DEPARTMENT)
    f.make_power_item(unit)
    f.make_power_item(unit)
    f.make_power_item(f.make_unit())
    return unit


def browser_for(user) -> Client:
    browser = Client()
    browser.force_login(user)
    return browser


def text_of(markup: str) -> str:
    """What a reader sees of a page or a Word document: a figure is a run of its own."""
    return re.sub(r"<[^>]+>", "", markup)


def edit_url(unit=None, year: int = 2017) -> str:
    return reverse("reports:edit", args=[year]) + (f"?unit={unit.code}" if unit else "")


def review_url(unit, year: int = 2017) -> str:
    return reverse("reports:unit_review", args=[year]) + f"?unit={unit.code}"


def posted_text(unit, body: str, year: int = 2017) -> dict:
    report = Report.objects.filter(year=year, unit=unit).first()
    return {
        "revision": report.revision if report else 0,
        "title": f"{unit.name}关于{year}年度法治政府建设情况的报告",
        "part": ["measures"],
        "heading": ["一、主要举措和成效"],
        "body": [body],
    }


# --- The templates --------------------------------------------------------------------------


def test_each_kind_of_unit_has_a_template_of_its_own_figures_only(db):
    for kind in TemplateKind:
        # The office's templates start as those shipped (the migration saves them).
        template = unit_template(kind)
        check_placeholders([template.text], for_unit=True)  # raises if not
        assert "{{ unit.name }}" in template.text
        assert "区政府法制办" not in template.text


def test_a_template_naming_a_district_figure_is_refused_naming_it(db):
    template = unit_template(TemplateKind.DEPARTMENT)
    template.text += "\n今年{{ licences.first_licence_on }}颁发了首张营业执照。"
    with pytest.raises(ValidationError) as refused:
        template.full_clean()
    assert refused.value.error_dict["__all__"][0].code == "district_only_placeholder"
    message = " ".join(refused.value.messages)
    assert "{{ licences.first_licence_on }}" in message
    assert "首张多证合一营业执照颁发日期" in message


def test_the_office_changes_a_template_in_the_admin_with_its_history(office):
    template = unit_template(TemplateKind.TOWNSHIP)
    url = reverse("admin:reports_unittemplate_change", args=[template.pk])
    browser = Client()
    browser.force_login(office)
    bad = browser.post(
        url, {"text": "共有{{ inspection.units }}个单位。", "revision": template.revision}
    )
    assert bad.status_code == 200
    assert "{{ inspection.units }}（有抽查事项的单位）" in bad.content.decode()
    template.refresh_from_db()
    assert "inspection.units" not in template.text

    new_text = template.text + "\n（四）做好村规民约合法性审查。"
    saved = browser.post(url, {"text": new_text, "revision": template.revision})
    assert saved.status_code == 302
    template.refresh_from_db()
    assert template.text == new_text.replace("\n", "\r\n") or template.text == new_text
    assert template.updated_by == office
    assert template.history.count() == 2  # the default and the office's change


def test_a_liaison_reads_the_templates_but_cannot_change_them(liaison):
    template = unit_template(TemplateKind.DEPARTMENT)
    browser = browser_for(liaison)
    url = reverse("admin:reports_unittemplate_change", args=[template.pk])
    refused = browser.post(url, {"text": "改写", "revision": template.revision})
    assert refused.status_code == 403
    template.refresh_from_db()
    assert template.text != "改写"


# --- The unit's text -------------------------------------------------------------------------


def test_the_transport_bureaus_2017_report_speaks_for_the_bureau_only(transport, office):
    # The district's report exists and has its own sentences: none of them may leak.
    get_or_start_report(2017, by=office)
    text = plain_text(live_document(Scope(2017, transport)).paragraphs)

    assert text.startswith("2017年，咸安区交通运输局")
    assert "纳入权责清单的行政权力事项共2项" in text
    assert "主要举措和成效" in text and "存在的不足" in text and "下一年度工作安排" in text
    assert "区政府法制办" not in text
    assert "咸安区首张" not in text
    assert "—" not in text
    assert "{{" not in text


def test_a_townships_report_starts_from_the_township_template(db):
    township = f.make_unit(name="咸安区马桥镇", kind=UnitKind.TOWNSHIP)
    text = plain_text(live_document(Scope(2017, township)).paragraphs)
    assert text.startswith("2017年，咸安区马桥镇")
    assert "本乡镇（街道）2017年度法治政府建设情况" in text


def test_a_units_next_year_starts_from_its_own_last_year(transport, office):
    report = get_or_start_report(2017, transport, by=office)
    save_report_text(report, report.title, [("measures", "一、成效", "本局去年的话。")], by=office)
    text = plain_text(live_document(Scope(2018, transport)).paragraphs)
    assert "本局去年的话。" in text


def test_a_unit_text_naming_a_district_figure_is_not_saved(transport):
    liaison = f.make_user(Role.LIAISON, unit=transport)
    response = browser_for(liaison).post(
        edit_url(), posted_text(transport, "首张执照于{{ licences.first_licence_on }}颁发。")
    )
    assert response.status_code == 400
    assert "{{ licences.first_licence_on }}" in response.content.decode()
    assert not Report.objects.filter(unit=transport).exists()
    assert not UnitReport.objects.exists()


# --- Who writes it -------------------------------------------------------------------------


def test_the_liaison_writes_their_own_units_report(liaison, unit_a):
    browser = browser_for(liaison)
    editor = browser.get(edit_url())
    assert editor.status_code == 200
    assert "unit.name" in editor.content.decode()
    assert "licences.first_licence_on" not in editor.content.decode()  # not offered

    saved = browser.post(edit_url(), posted_text(unit_a, "{{ unit.name }}全面落实权责清单。"))
    assert saved.status_code == 302
    record = UnitReport.objects.get(unit=unit_a, year=2017)
    assert record.status == Status.DRAFT
    assert record.report.sections.get().body == "{{ unit.name }}全面落实权责清单。"
    page = browser.get(reverse("reports:detail", args=[2017])).content.decode()
    assert f"{unit_a.name}全面落实权责清单。" in text_of(page)


def test_another_units_report_is_not_found_for_a_liaison(liaison, unit_b, office):
    get_or_start_report(2017, unit_b, by=office)
    browser = browser_for(liaison)
    assert browser.get(edit_url(unit_b)).status_code == 404
    assert browser.post(edit_url(unit_b), posted_text(unit_b, "改写")).status_code == 404
    preview = reverse("reports:preview", args=[2017]) + f"?unit={unit_b.code}"
    assert browser.post(preview, posted_text(unit_b, "改写")).status_code == 404
    assert browser.post(review_url(unit_b), {"action": "submit"}).status_code == 404
    assert (
        browser.get(reverse("reports:detail", args=[2017]) + f"?unit={unit_b.code}").status_code
        == 404
    )
    record = UnitReport.objects.get(unit=unit_b)
    assert record.status == Status.DRAFT
    assert "改写" not in record.report.sections.first().body


def test_a_leader_reads_a_unit_report_but_neither_writes_nor_submits_it(leader, unit_a, office):
    get_or_start_report(2017, unit_a, by=office)
    browser = browser_for(leader)
    assert (
        browser.get(reverse("reports:detail", args=[2017]) + f"?unit={unit_a.code}").status_code
        == 200
    )
    assert browser.get(edit_url(unit_a)).status_code == 403
    browser.post(review_url(unit_a), {"action": "submit"})
    assert UnitReport.objects.get(unit=unit_a).status == Status.DRAFT


# --- Submit, return, approve and publish ----------------------------------------------------


def test_submit_return_resubmit_approve_publishes_the_units_text(
    liaison, unit_a, office, django_capture_on_commit_callbacks
):
    writer = browser_for(liaison)
    reviewer = browser_for(office)
    writer.post(edit_url(), posted_text(unit_a, "{{ unit.name }}第一稿。"))

    writer.post(review_url(unit_a), {"action": "submit"})
    record = UnitReport.objects.get(unit=unit_a)
    assert record.status == Status.SUBMITTED
    # Submitted, the text waits for the office: its liaison may not change it meanwhile.
    assert writer.get(edit_url()).status_code == 403
    queue = reviewer.get(reverse("workspace:review_queue")).content.decode()
    assert str(record) in queue

    # Returning needs a comment; the liaison reads it on their home page and the editor.
    reviewer.post(review_url(unit_a), {"action": "return", "comment": ""})
    assert UnitReport.objects.get(unit=unit_a).status == Status.SUBMITTED
    reviewer.post(review_url(unit_a), {"action": "return", "comment": "请补充案卷评查整改情况。"})
    assert UnitReport.objects.get(unit=unit_a).status == Status.RETURNED
    home = writer.get(reverse("workspace:home")).content.decode()
    assert "已退回" in home and reverse("reports:detail", args=[2017]) in home
    assert "请补充案卷评查整改情况。" in writer.get(edit_url()).content.decode()

    writer.post(edit_url(), posted_text(unit_a, "{{ unit.name }}第二稿，已补充整改情况。"))
    writer.post(review_url(unit_a), {"action": "submit"})
    # A liaison cannot approve their own report.
    writer.post(review_url(unit_a), {"action": "approve"})
    assert UnitReport.objects.get(unit=unit_a).status == Status.SUBMITTED
    assert not PublishedReport.objects.exists()

    with django_capture_on_commit_callbacks(execute=True):
        approved = reviewer.post(review_url(unit_a), {"action": "approve"})
    assert UnitReport.objects.get(unit=unit_a).status == Status.APPROVED
    published = PublishedReport.objects.get(unit=unit_a, year=2017)
    assert approved.url.startswith(reverse("reports:published", args=[2017, published.version]))
    assert published.sections[0]["body"] == "{{ unit.name }}第二稿，已补充整改情况。"
    page = writer.get(approved.url).content.decode()
    assert f"{unit_a.name}第二稿，已补充整改情况。" in text_of(page)

    # Published, it is frozen: nobody edits it until the office reopens it.
    assert writer.get(edit_url()).status_code == 403
    assert reviewer.get(edit_url(unit_a)).status_code == 403
    reviewer.post(review_url(unit_a), {"action": "reopen", "comment": "数字有误，请更正。"})
    assert UnitReport.objects.get(unit=unit_a).status == Status.RETURNED
    assert writer.get(edit_url()).status_code == 200
    assert PublishedReport.objects.get(unit=unit_a).sections == published.sections


def test_the_office_approves_a_unit_report_from_the_review_queue_page(liaison, unit_a, office):
    browser_for(liaison).post(edit_url(), posted_text(unit_a, "{{ unit.name }}报送稿。"))
    browser_for(liaison).post(review_url(unit_a), {"action": "submit"})
    record = UnitReport.objects.get(unit=unit_a)
    page = reverse("workspace:review_detail", args=["reports.unitreport", record.pk])
    reviewer = browser_for(office)
    assert record.get_absolute_url() in reviewer.get(page).content.decode()
    reviewer.post(page, {"action": "approve", "revision": record.revision, "comment": ""})
    assert PublishedReport.objects.get(unit=unit_a).sections[0]["body"] == "{{ unit.name }}报送稿。"


def test_the_reviewer_sees_what_the_unit_changed_in_its_text_since_it_was_returned(
    liaison, unit_a, office, time_machine
):
    time_machine.move_to(TODAY, tick=True)  # each save at its own moment, as in use
    writer = browser_for(liaison)
    reviewer = browser_for(office)
    writer.post(edit_url(), posted_text(unit_a, "{{ unit.name }}第一稿。"))
    writer.post(review_url(unit_a), {"action": "submit"})
    record = UnitReport.objects.get(unit=unit_a)
    page = reverse("workspace:review_detail", args=["reports.unitreport", record.pk])
    assert "首次报送" in reviewer.get(page).content.decode()

    time_machine.move_to(TODAY + datetime.timedelta(minutes=1), tick=True)
    reviewer.post(review_url(unit_a), {"action": "return", "comment": "请补充整改情况。"})
    time_machine.move_to(TODAY + datetime.timedelta(minutes=2), tick=True)
    writer.post(edit_url(), posted_text(unit_a, "{{ unit.name }}第二稿，已补充整改情况。"))
    writer.post(review_url(unit_a), {"action": "submit"})

    shown = reviewer.get(page).content.decode()
    assert "与上次退回时的版本" in shown and "内容没有改动" not in shown
    assert "报告正文第 1 节" in shown
    assert "{{ unit.name }}第一稿。</del>" in shown
    assert "{{ unit.name }}第二稿，已补充整改情况。</ins>" in shown

    # Approved, then reopened and corrected: compared with the approved text.
    time_machine.move_to(TODAY + datetime.timedelta(minutes=3), tick=True)
    reviewer.post(review_url(unit_a), {"action": "approve"})
    time_machine.move_to(TODAY + datetime.timedelta(minutes=4), tick=True)
    reviewer.post(review_url(unit_a), {"action": "reopen", "comment": "数字有误，请更正。"})
    time_machine.move_to(TODAY + datetime.timedelta(minutes=5), tick=True)
    writer.post(edit_url(), posted_text(unit_a, "{{ unit.name }}第三稿。"))
    shown = reviewer.get(page).content.decode()
    assert "与上次审核通过的版本" in shown
    assert "第二稿，已补充整改情况。</del>" in shown and "第三稿。</ins>" in shown


def test_sections_written_before_their_creation_was_recorded_get_a_created_row(liaison, unit_a):
    browser_for(liaison).post(edit_url(), posted_text(unit_a, "{{ unit.name }}旧稿。"))
    report = Report.objects.get(unit=unit_a)
    Section.history.filter(report_id=report.pk).delete()  # as sections were written before

    migration = importlib.import_module(
        "xianan_lawgov.reports.migrations.0005_section_creation_history"
    )
    migration.record_sections(django_apps, None)

    [row] = Section.history.filter(report_id=report.pk)
    assert (row.history_type, row.body) == ("+", "{{ unit.name }}旧稿。")
    assert row.history_date == Report.objects.get(pk=report.pk).updated_at
    migration.record_sections(django_apps, None)  # once only
    assert Section.history.filter(report_id=report.pk).count() == 1


def test_the_liaisons_home_shows_a_report_not_started_yet(liaison, unit_a):
    home = browser_for(liaison).get(reverse("workspace:home")).content.decode()
    assert "尚未开始" in home
    assert reverse("reports:detail", args=[2017]) + f"?unit={unit_a.code}" in home


# --- Outputs ---------------------------------------------------------------------------------


def test_the_report_files_carry_the_units_own_text(transport, office):
    liaison = f.make_user(Role.LIAISON, unit=transport)
    browser_for(liaison).post(
        edit_url(), posted_text(transport, "{{ unit.name }}推进交通运输综合执法。")
    )
    api = client_for(liaison)
    sentence = "咸安区交通运输局推进交通运输综合执法。"

    document = api.get("/api/v1/reports/2017/report.json").json()
    assert document["unit"] == transport.code
    assert [p["text"] for p in document["paragraphs"]][1] == sentence
    assert "区政府法制办" not in json.dumps(document, ensure_ascii=False)

    docx = b"".join(api.get("/api/v1/reports/2017/report.docx"))
    with zipfile.ZipFile(io.BytesIO(docx)) as archive:
        body = text_of(archive.read("word/document.xml").decode())
    assert sentence in body and "区政府法制办" not in body

    xlsx = b"".join(api.get("/api/v1/reports/2017/report.xlsx"))
    summary = load_workbook(io.BytesIO(xlsx)).worksheets[0]
    cells = [cell for row in summary.iter_rows(values_only=True) for cell in row if cell]
    assert "咸安区交通运输局关于2017年度法治政府建设情况的报告" in cells


def test_the_office_publishing_a_unit_report_approves_it(office, unit_a):
    response = browser_for(office).post(
        reverse("reports:publish", args=[2017]) + f"?unit={unit_a.code}"
    )
    record = UnitReport.objects.get(unit=unit_a, year=2017)
    assert record.status == Status.APPROVED
    assert record.reviewed_by == office
    published = PublishedReport.objects.get(unit=unit_a, year=2017)
    assert response.url.startswith(reverse("reports:published", args=[2017, published.version]))
    assert "区政府法制办" not in json.dumps(published.sections, ensure_ascii=False)


def test_the_admins_view_on_site_link_leads_only_to_a_report_the_user_may_see(
    client, users, unit_a, unit_b, sysadmin
):
    """Django's redirect checks no permission: it told anyone which units had started which
    year's report (302 for one, 404 for none)."""
    from django.contrib.contenttypes.models import ContentType

    from xianan_lawgov.reports.services import get_or_start_report, unit_report_of

    get_or_start_report(2017, unit_b, by=users["liaison2"])
    theirs = unit_report_of(2017, unit_b)
    kind = ContentType.objects.get_for_model(theirs).pk
    theirs_url, missing_url = f"/admin/r/{kind}/{theirs.pk}/", f"/admin/r/{kind}/{theirs.pk + 99}/"
    for reader, status in [("liaison2", 302), ("office", 302), ("liaison", 404)]:
        client.force_login(users[reader])
        assert client.get(theirs_url).status_code == status, reader
        assert client.get(missing_url).status_code == 404
    client.force_login(sysadmin)
    assert client.get(theirs_url).status_code == 404
    assert client.get(f"/admin/r/{kind}/abc/").status_code == 404
