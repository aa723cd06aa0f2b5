"""Which report the pages, the API and the ``annual_report`` command serve for the same
(reader, unit, year): one check, one file, the same answer everywhere; and reading a
report never saves one."""

import datetime
import io
import json
import re
from urllib.parse import quote

import pytest
from django.core.management import CommandError, call_command
from django.test import Client
from django.urls import reverse

from registers.core.files import download_name
from registers.core.roles import Role
from tests.api.conftest import client_for
from tests.factories import make_user
from xianan_lawgov.reports.models import PublishedReport, Report, Section
from xianan_lawgov.reports.outputs import CONTENT_TYPES, FORMATS

# Reports run from 2017 (the first year) to the current year.
TODAY = datetime.datetime(2018, 3, 1, 9, 0)


@pytest.fixture(autouse=True)
def spring_2018(time_machine):
    time_machine.move_to(TODAY, tick=False)


def page(user, year: int, unit: str, fmt: str = "json", run_jobs=None):
    """Status and body of the report page's download, as ``user`` (None: not logged in);
    a file made by the background worker (``run_jobs``) is followed to its download."""
    from django.test import Client, TestCase

    client = Client()
    if user is not None:
        client.force_login(user)
    url = reverse("reports:download", args=[year, fmt])
    with TestCase.captureOnCommitCallbacks(execute=True):
        response = client.get(url, {"unit": unit} if unit else {})
    if run_jobs is not None and response.status_code == 302 and "/jobs/" in response.url:
        run_jobs()
        response = client.get(response.url + "download/")
    return response.status_code, b"".join(response) if response.status_code == 200 else None


def api(user, year: int, unit: str, fmt: str = "json", run_jobs=None):
    from django.test import TestCase

    client = client_for(user)
    with TestCase.captureOnCommitCallbacks(execute=True):
        response = client.get(
            f"/api/v1/reports/{year}/report.{fmt}", {"unit": unit} if unit else {}
        )
    if run_jobs is not None and response.status_code == 202:
        run_jobs()
        response = client.get(client.get(response.json()["url"]).json()["download"])
        return response.status_code, b"".join(response)
    if response.status_code != 200:
        return response.status_code, response.json().get("code")
    return response.status_code, response.content


def command(year: int, unit: str, fmt: str = "json"):
    out = io.StringIO()
    options = {"unit": unit} if unit else {}
    try:
        call_command("annual_report", year=year, format=fmt, output="-", stdout=out, **options)
    except CommandError as error:
        return str(error)
    return out.getvalue()


def _unit_of(body: bytes) -> str | None:
    return json.loads(body)["unit"]


# (reader, unit asked for) -> the unit whose report they get, or the error code.
READS = {
    ("office", ""): None,
    ("office", "TA"): "TA",
    ("office", "TB"): "TB",
    ("office", "NOPE"): "unknown_unit",
    ("leader", ""): None,
    ("leader", "TB"): "TB",
    ("municipal", ""): None,
    ("municipal", "TA"): "TA",
    ("liaison", ""): "TA",
    ("liaison", "TA"): "TA",
    ("liaison", "TB"): "unknown_unit",  # another unit's report: as if it did not exist
    ("liaison", "NOPE"): "unknown_unit",
    ("liaison2", ""): "TB",
    ("liaison2", "TA"): "unknown_unit",
}


@pytest.mark.parametrize(("reader", "unit"), list(READS))
def test_page_and_api_give_the_same_report_or_the_same_refusal(
    memo_group, users, unit_a, unit_b, reader, unit
):
    expected = READS[(reader, unit)]
    api_status, api_answer = api(users[reader], 2017, unit)
    if expected in ("unknown_unit",):
        assert (api_status, api_answer) == (404, expected)
        assert page(users[reader], 2017, unit)[0] == (403 if reader == "municipal" else 404)
        return
    assert api_status == 200
    assert _unit_of(api_answer) == expected
    if reader == "municipal":
        assert page(users[reader], 2017, unit) == (403, None)  # API clients have no pages
    else:
        assert page(users[reader], 2017, unit) == (200, api_answer)


@pytest.mark.parametrize("unit", ["", "TA", "TB"])
def test_the_command_writes_what_the_office_downloads(memo_group, users, unit_a, unit_b, unit):
    status, body = page(users["office"], 2017, unit)
    assert status == 200
    assert command(2017, unit).encode() == body


@pytest.mark.parametrize("year", [2016, 2019])
@pytest.mark.parametrize("reader", ["office", "leader", "liaison", "municipal"])
def test_a_year_without_a_report_is_refused_alike_everywhere(memo_group, users, reader, year):
    assert api(users[reader], year, "") == (404, "year_out_of_range")
    if reader != "municipal":
        assert page(users[reader], year, "")[0] == 404
    assert command(year, "") == (f"没有 {year} 年度的报告：年度须在 2017 至 2018 之间。")


def test_the_command_and_the_api_name_an_unknown_unit_alike(memo_group, office):
    response = client_for(office).get("/api/v1/reports/2017/report.json", {"unit": "NOPE"})
    assert response.json() == {"detail": command(2017, "NOPE"), "code": "unknown_unit"}
    assert command(2017, "NOPE") == "没有单位代码为“NOPE”的单位。"


def test_visitors_log_in_first(db):
    assert api(None, 2017, "") == (401, "not_authenticated")
    assert page(None, 2017, "")[0] == 302


@pytest.mark.parametrize("fmt", FORMATS)
def test_every_format_is_served_alike_by_page_api_and_command(memo_group, office, fmt, run_jobs):
    status, body = page(office, 2017, "", fmt, run_jobs)
    assert status == 200
    api_status, api_body = api(office, 2017, "", fmt, run_jobs)
    assert api_status == 200
    if fmt in ("html", "json"):
        assert api_body == body
        assert command(2017, "", fmt).encode() == body
    else:
        assert body.startswith(b"PK") and api_body.startswith(b"PK")


def test_downloads_are_named_after_the_report_and_its_version(
    memo_group, client, office, run_jobs, django_capture_on_commit_callbacks
):
    client.force_login(office)
    title = "咸安区人民政府关于2017年度法治政府建设情况的报告"
    with django_capture_on_commit_callbacks(execute=True):
        job_page = client.get(reverse("reports:download", args=[2017, "docx"])).url
    run_jobs()
    response = client.get(job_page + "download/")
    assert response["Content-Type"] == CONTENT_TYPES["docx"]
    disposition = response["Content-Disposition"]
    assert (
        disposition.startswith("attachment;")
        and f"filename*=UTF-8''{quote(title)}.docx" in disposition
    )
    assert download_name(disposition) == f"{title}.docx"  # the name the browser saves it as
    client.post(reverse("reports:publish", args=[2017]))
    response = client.get(reverse("reports:published_download", args=[2017, 1, "json"]))
    disposition = response["Content-Disposition"]
    assert disposition.startswith("inline;") and download_name(disposition) == f"{title}-v1.json"


# --- Reading saves nothing --------------------------------------------------------------------


def test_reading_a_report_anywhere_saves_no_report(memo_group, users, unit_a, client):
    client.force_login(users["office"])
    for url in [
        reverse("reports:index"),
        reverse("reports:detail", args=[2017]),
        reverse("reports:detail", args=[2017]) + f"?unit={unit_a.code}",
        reverse("reports:edit", args=[2017]),
        reverse("reports:records", args=[2017, "memos.total"]),
        *(reverse("reports:download", args=[2017, fmt]) for fmt in ("html", "json")),
    ]:
        assert client.get(url).status_code == 200, url
    for fmt in ("docx", "xlsx"):  # made by the background worker
        response = client.get(reverse("reports:download", args=[2017, fmt]))
        assert response.status_code == 302 and "/jobs/" in response.url
    liaison = client_for(users["liaison"])
    for url in [
        "/api/v1/reports/2017/figures/",
        "/api/v1/reports/2017/versions/",
        *(f"/api/v1/reports/2017/report.{fmt}" for fmt in FORMATS),
    ]:
        assert liaison.get(url).status_code == 200, url
    for fmt in ("html", "json"):
        command(2017, "", fmt)
        command(2018, unit_a.code, fmt)
    assert (Report.objects.count(), Section.objects.count()) == (0, 0)


def test_a_report_never_edited_reads_as_it_would_start(memo_group, office, client):
    client.force_login(office)
    page_2017 = client.get(reverse("reports:detail", args=[2017])).content.decode()
    assert "咸安区人民政府关于2017年度法治政府建设情况的报告" in page_2017
    editor = client.get(reverse("reports:edit", args=[2017]))
    assert editor.context["sections"][0]["part"] == "intro"
    assert not Report.objects.exists()


def test_the_first_edit_starts_the_report_and_a_refused_edit_starts_nothing(
    memo_group, office, client
):
    client.force_login(office)
    edit = reverse("reports:edit", args=[2018])
    refused = client.post(
        edit, {"title": "标题", "part": ["intro"], "heading": [""], "body": ["{{ memos.nope }}"]}
    )
    assert refused.status_code == 400
    assert not Report.objects.exists()

    saved = client.post(
        edit,
        {
            "title": "二〇一八年报告",
            "part": ["intro"],
            "heading": [""],
            "body": ["共{{ memos.total }}件"],
        },
    )
    assert saved.status_code == 302
    report = Report.objects.get()
    assert (report.year, report.unit, report.title, report.updated_by) == (
        2018,
        None,
        "二〇一八年报告",
        office,
    )
    assert [s.body for s in report.sections.all()] == ["共{{ memos.total }}件"]


def test_publishing_starts_the_report_it_freezes(memo_group, office, client):
    client.force_login(office)
    response = client.post(reverse("reports:publish", args=[2017]))
    assert response.status_code == 302
    assert Report.objects.get().year == 2017
    assert PublishedReport.objects.get().version == 1


def test_a_version_never_published_is_refused_alike_everywhere(memo_group, office, client):
    client.force_login(office)
    client.post(reverse("reports:publish", args=[2017]))
    assert client.get(reverse("reports:published", args=[2017, 1])).status_code == 200
    assert client.get(reverse("reports:published", args=[2017, 2])).status_code == 404
    response = client_for(office).get("/api/v1/reports/2017/versions/2/report.json")
    assert response.json() == {
        "detail": "2017 年度没有第 2 版已发布的报告。",
        "code": "version_not_found",
    }
    with pytest.raises(CommandError, match="2017 年度没有第 2 版已发布的报告。"):
        call_command("annual_report", year=2017, format="json", output="-", version=2)


# --- A file made in the background is read under the rule as it stands -------------------------


@pytest.mark.parametrize(
    ("change", "page_status"),
    [
        # An auditor does not use the pages: they send it to the admin.
        pytest.param({"role": Role.AUDITOR}, 302, id="made-auditor"),
        pytest.param({"role": Role.LIAISON, "unit": "unit_a"}, 404, id="made-liaison"),
    ],
)
def test_a_district_file_is_not_served_to_its_maker_once_they_may_not_read_it(
    db, memo_group, request, change, page_status, run_jobs, django_capture_on_commit_callbacks
):
    leader = make_user(Role.LEADER, username="leader_moved")
    client = client_for(leader)
    with django_capture_on_commit_callbacks(execute=True):
        job_url = client.get("/api/v1/reports/2017/report.xlsx").json()["url"]
    run_jobs()
    job = client.get(job_url).json()
    assert client.get(job["download"]).status_code == 200

    for name, value in change.items():
        setattr(leader, name, request.getfixturevalue(value) if name == "unit" else value)
    leader.save()
    pages = Client()
    pages.force_login(leader)
    job_page = reverse("workspace:job", args=[job["id"]])
    if change["role"] == Role.LIAISON:  # still follows the job, no longer reads the file
        assert client.get(job_url).json()["download"] is None
        assert "你的账号现在不能下载" in pages.get(job_page).content.decode()
    assert client.get(f"/api/v1/jobs/{job['id']}/download/").status_code == 404
    assert pages.get(job_page + "download/").status_code == page_status


# --- An edit that does not pair up --------------------------------------------------------------


def _edit(client, **fields):
    return client.post(
        reverse("reports:edit", args=[2017]),
        {"title": "标题", "part": ["intro", "plan"], "heading": ["", ""], **fields},
    )


def test_a_report_edit_whose_texts_do_not_pair_with_its_parts_saves_nothing(
    memo_group, office, client
):
    client.force_login(office)
    assert _edit(client, body=["第一段", "第二段"]).status_code == 302
    kept = list(Section.objects.values_list("part", "body"))
    for bodies in ([], ["只有一段"]):
        refused = _edit(client, body=bodies, revision=str(Report.objects.get().revision))
        assert refused.status_code == 400
        assert "各部分的标题和正文数目不一致" in refused.content.decode()
        assert list(Section.objects.values_list("part", "body")) == kept


@pytest.mark.parametrize("revision", ["²", str(10**30)])
def test_a_report_edit_with_a_tampered_revision_is_saved_unchecked(
    memo_group, office, client, revision
):
    client.force_login(office)
    assert _edit(client, body=["一", "二"], revision=revision).status_code == 302


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"title": "题" * 201, "body": ["一", "二"]}, "标题：确保该变量包含不超过 200 字符"),
        (
            {"heading": ["", "标" * 201], "body": ["一", "二"]},
            "段落标题：确保该变量包含不超过 200 字符",
        ),
        ({"title": "年度\x07报告", "body": ["一", "二"]}, "标题："),
    ],
)
def test_a_report_text_longer_than_its_field_is_refused_naming_the_field(
    memo_group, office, client, fields, message
):
    client.force_login(office)
    assert _edit(client, body=["第一段", "第二段"]).status_code == 302
    kept = (Report.objects.get().title, list(Section.objects.values_list("heading", "body")))
    refused = _edit(client, **fields)
    assert refused.status_code == 400
    assert message in refused.content.decode()
    assert (
        Report.objects.get().title,
        list(Section.objects.values_list("heading", "body")),
    ) == kept


def test_every_figure_link_of_the_report_lists_its_records(office, client):
    """A setting (a contract filing threshold) has no records: it is not linked."""
    client.force_login(office)
    page = client.get(reverse("reports:detail", args=[2017])).content.decode()
    links = set(re.findall(r'href="(/reports/2017/figures/[^"/]+/)"', page))
    assert links and "/reports/2017/figures/contracts.filing_threshold_wan/" not in links
    for link in sorted(links):
        assert client.get(link).status_code == 200, link
