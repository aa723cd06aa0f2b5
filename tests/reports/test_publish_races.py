"""Two clerks publishing the annual report at the same moment both succeed, with the next two
versions, the first time too (when neither has started the report yet)."""

from django.test import Client

from registers.core.roles import Role
from tests.factories import make_user
from tests.races import at_once, races
from xianan_lawgov.reports.models import PublishedReport, Report

pytestmark = races(elsewhere="one publication after another is in test_published_pages.py")


def test_two_publications_at_once_get_the_next_two_versions():
    clerks = []
    for username in ("office_a", "office_b"):
        browser = Client()
        browser.force_login(make_user(Role.OFFICE, username=username))
        clerks.append(browser)

    def publish(browser):
        return lambda: browser.post("/reports/2017/publish/").status_code

    for _round in range(3):
        assert at_once(*(publish(browser) for browser in clerks)) == [302, 302]
    versions = PublishedReport.objects.filter(year=2017, unit=None).values_list(
        "version", flat=True
    )
    assert sorted(versions) == [1, 2, 3, 4, 5, 6]
    assert Report.objects.filter(year=2017, unit=None).count() == 1
