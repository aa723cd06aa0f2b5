"""The release number: one place, shown in the footers and on /readyz, described in the
changelog."""

import importlib.metadata
import re
from pathlib import Path

import pytest

from xianan_lawgov import __version__

ROOT = Path(__file__).resolve().parents[2]


def test_the_installed_package_has_the_projects_version():
    assert importlib.metadata.version("xianan-lawgov") == __version__


def test_the_changelog_describes_this_release():
    changelog = (ROOT / "CHANGELOG.md").read_text(encoding="utf-8")
    releases = re.findall(r"^## \[([^\]]+)\]", changelog, flags=re.MULTILINE)
    assert releases[0] == __version__


@pytest.mark.django_db
def test_the_site_footer_shows_the_version(client):
    page = client.get("/login/").content.decode()
    assert f"版本 {__version__}</footer>" in page


def test_the_admin_footer_shows_the_version(admin_client):
    page = admin_client.get("/admin/").content.decode()
    assert f'<p class="release">版本 {__version__}</p>' in page
