"""A published report's pages open: the version, its changes since, its admin history."""

import datetime

import pytest
from django.urls import reverse

from tests.api.conftest import client_for
from xianan_lawgov.reports.models import PublishedReport

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
