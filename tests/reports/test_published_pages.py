"""A published report's pages open: the version, its changes since, its admin history."""

import datetime
import io
import json

import openpyxl
import pytest
from django.urls import reverse

from tests.api.conftest import client_for
from xianan_lawgov.reports.figures import Scope
from xianan_lawgov.reports.models import PublishedReport
from xianan_lawgov.reports.outputs import report_file

pytestmark = pytest.mark.django_db


@pytest.fixture
def published(office, time_machine):
    time_machine.move_to(datetime.datetime(2018, 2, 1, 9, tzinfo=datetime.UTC))
    assert client_for(office).post(reverse("reports:publish", args=[2017])).status_code == 302
    return PublishedReport.objects.get()


@pytest.mark.parametrize("reader", ["office", "leader"])
def test_a_published_reports_version_and_changes_pages_open(published, users, reader):
    client = client_for(users[reader])
    for name in ("reports:published", "reports:published_diff"):
        response = client.get(reverse(name, args=[2017, published.version]))
        assert response.status_code == 200, name
        assert published.title in response.content.decode()


def test_a_published_reports_history_opens_in_the_admin(published, office):
    client = client_for(office)
    url = reverse("admin:reports_publishedreport_history", args=[published.pk])
    response = client.get(url)
    assert response.status_code == 200
    assert str(published.version) in response.content.decode()


def test_a_published_versions_files_give_its_time_in_beijing_time(office, time_machine):
    """Published at 07:30 on 2 April in Beijing, which is 23:30 on 1 April in UTC: the
    workbook and the JSON say 2 April, as the page does."""
    time_machine.move_to(datetime.datetime(2018, 4, 1, 23, 30, tzinfo=datetime.UTC))
    client = client_for(office)
    assert client.post(reverse("reports:publish", args=[2017])).status_code == 302
    version = PublishedReport.objects.get().version
    page = client.get(reverse("reports:published", args=[2017, version])).content.decode()
    assert "2018-04-02 07:30" in page or "2018年4月2日 07:30" in page

    workbook = report_file(Scope(2017), "xlsx", version)
    book = openpyxl.load_workbook(io.BytesIO(workbook.content))
    summary = {row[0]: row[1] for row in book.worksheets[0].iter_rows(values_only=True)}
    assert summary["发布时间"] == "2018-04-02 07:30"

    data = json.loads(report_file(Scope(2017), "json", version).content)
    assert data["published_at"].startswith("2018-04-02T07:30:00")
    assert data["published_at"].endswith("+08:00")
