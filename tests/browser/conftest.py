"""Browser tests: Playwright driving Debian's Chromium against pytest-django's live server.

Nothing is downloaded: Playwright's own browsers are never installed; the tests use
``/usr/bin/chromium`` (Debian package ``chromium``) and need a CJK font
(``fonts-wqy-microhei``) so Chinese renders. ``make test`` installs both when it can; where
they are missing the browser tests are reported as SKIPPED with the reason, never as passed
(and with ``LAWGOV_REQUIRE_BROWSER=1``, as ``.ci/run`` sets, the run stops with an error).

During every browser test a request to any host other than 127.0.0.1/localhost is aborted
and recorded, and the test fails at the end if there was one.
"""

from __future__ import annotations

import os
import re
from io import StringIO
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.core.management import call_command

CHROMIUM = Path("/usr/bin/chromium")
CJK_FONTS = [
    Path("/usr/share/fonts/truetype/wqy/wqy-microhei.ttc"),
    Path("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc"),
]
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-gpu",
]
ROOT = Path(__file__).resolve().parents[2]
SCREENSHOTS = ROOT / "test-artifacts" / "screenshots"
#: What every open page showed when a browser test failed: a screenshot and the HTML.
FAILURES = ROOT / "test-artifacts" / "failures"
LOCAL_HOSTS = {"127.0.0.1", "localhost", "[::1]", "::1"}
#: The demo accounts' password here: DEBUG is off in tests, where ``demo`` must be changed at
#: login, so the demo accounts get one that meets the rules.
DEMO_PASSWORD = "Xianan-2017-Demo"


def missing_requirements() -> list[str]:
    missing = []
    if not CHROMIUM.exists():
        missing.append(f"{CHROMIUM}（apt-get install chromium）")
    if not any(font.exists() for font in CJK_FONTS):
        missing.append("中文字体（apt-get install fonts-wqy-microhei）")
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        missing.append("Python 包 playwright（pip install -e '.[test]'）")
    return missing


def pytest_collection_modifyitems(config, items):
    missing = missing_requirements()
    if not missing or not any(item.get_closest_marker("browser") for item in items):
        return
    if os.environ.get("LAWGOV_REQUIRE_BROWSER") == "1":
        # CI must run them: a missing browser is an error there, not a skip.
        raise pytest.UsageError("浏览器测试无法运行：缺少 " + "、".join(missing))
    reason = "浏览器测试已跳过（SKIPPED，不是通过）：缺少 " + "、".join(missing)
    for item in items:
        if item.get_closest_marker("browser"):
            item.add_marker(pytest.mark.skip(reason=reason))


def pytest_terminal_summary(terminalreporter, exitstatus, config):
    missing = missing_requirements()
    if missing:
        terminalreporter.write_sep("!", "BROWSER TESTS SKIPPED", red=True, bold=True)
        terminalreporter.write_line("缺少：" + "、".join(missing), red=True, bold=True)


@pytest.fixture(scope="module")
def chromium():
    from playwright.sync_api import sync_playwright

    # Playwright's sync API runs an event loop in this thread; Django must still allow the
    # test's own ORM calls here while it runs (and only then: deployment checks refuse it).
    saved = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    playwright = sync_playwright().start()
    browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
    yield browser
    browser.close()
    playwright.stop()
    if saved is None:
        os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    else:
        os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = saved


class Pages:
    """Opens guarded pages (one browser context each) and takes screenshots."""

    def __init__(self, browser, base_url: str) -> None:
        self.browser = browser
        self.base_url = base_url
        self.external: list[str] = []
        self.contexts = []

    def _guard(self, route):
        host = urlsplit(route.request.url).hostname or ""
        if route.request.url.startswith(("data:", "blob:", "about:")) or host in LOCAL_HOSTS:
            route.continue_()
        else:
            self.external.append(route.request.url)
            route.abort()

    def new(self, *, width: int = 1366, height: int = 768):
        context = self.browser.new_context(
            viewport={"width": width, "height": height},
            locale="zh-CN",
            accept_downloads=True,
        )
        context.route("**/*", self._guard)
        self.contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(20_000)
        return page

    def login(self, username: str, password: str = DEMO_PASSWORD, landing: str = "/", **size):
        page = self.new(**size)
        page.goto(self.url("/login/"))
        page.get_by_label("用户名").fill(username)
        page.get_by_label("密码").fill(password)
        page.get_by_role("button", name="登录").click()
        page.wait_for_url(self.url(landing))
        return page

    def url(self, path: str) -> str:
        return self.base_url + path

    def keep_failure(self, test_name: str) -> list[Path]:
        """Save every open page as it stands (screenshot and HTML) under
        test-artifacts/failures/, named after the failed test; the paths saved."""
        FAILURES.mkdir(parents=True, exist_ok=True)
        stem = re.sub(r"[^0-9A-Za-z_-]+", "-", test_name)
        saved = []
        for number, page in enumerate(
            (page for context in self.contexts for page in context.pages), start=1
        ):
            base = FAILURES / f"{stem}-{number}"
            try:
                page.screenshot(path=f"{base}.png", full_page=True)
                Path(f"{base}.html").write_text(page.content(), encoding="utf-8")
            except Exception:  # a page already closed or crashed: keep what the others show
                continue
            saved.append(base)
        return saved

    def close(self) -> None:
        for context in self.contexts:
            context.close()


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(item, call):
    """Keep each phase's report on the test, so that ``pages`` knows whether it failed."""
    report = yield
    setattr(item, f"report_{report.when}", report)
    return report


@pytest.fixture
def pages(request, chromium, live_server):
    opened = Pages(chromium, live_server.url)
    yield opened
    report = getattr(request.node, "report_call", None)
    if report is not None and report.failed:
        for base in opened.keep_failure(request.node.name):
            print(f"失败时的页面：{base}.png、{base}.html")
    opened.close()
    assert opened.external == [], f"页面请求了外部地址：{opened.external}"


def signed_in_liaison(unit_name: str, short_name: str):
    """A liaison ``liaison`` (张联络) of a new unit, who signs in with the demo password."""
    from registers.core.roles import Role
    from tests.factories import make_unit, make_user

    unit = make_unit(name=unit_name, short_name=short_name)
    liaison = make_user(
        Role.LIAISON, unit=unit, username="liaison", last_name="张", first_name="联络"
    )
    liaison.set_password(DEMO_PASSWORD)
    liaison.save()
    return liaison


def screenshot(page, name: str) -> Path:
    """Save a full-page screenshot under test-artifacts/screenshots/ (kept by the run)."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{re.sub(r'[^0-9A-Za-z_-]+', '-', name)}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


@pytest.fixture
def demo_data(transactional_db, settings):
    call_command("load_demo", force=True, stdout=StringIO())
    from registers.models import User

    for user in User.objects.all():
        user.set_password(DEMO_PASSWORD)
        user.save()
