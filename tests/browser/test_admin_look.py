"""The admin at 1366 px in a real Chromium: the workspace's look (the red header), the user's
full name in the greeting, and the reconsideration list readable: applicants' names on one
line, the right-hand columns inside the window."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from .conftest import screenshot

pytestmark = pytest.mark.browser

RED = "rgb(140, 28, 19)"

LINES_OF = """cell => {
  const range = document.createRange();
  range.selectNodeContents(cell);
  return new Set([...range.getClientRects()].map(rect => Math.round(rect.top))).size;
}"""


def test_admin_looks_like_the_workspace_and_its_lists_fit_1366(demo_data, pages):
    page = pages.login("office")
    page.goto(pages.url("/admin/reviews/reconsiderationcase/"))
    expect(page.locator("#result_list")).to_be_visible()
    screenshot(page, "admin-reconsideration-list-1366")

    expect(page.locator("#user-tools")).to_contain_text("王法制")
    header = page.locator("#header")
    assert header.evaluate("el => getComputedStyle(el).backgroundColor") == RED

    applicants = page.locator("#result_list td.field-applicant, #result_list th.field-applicant")
    assert applicants.count() > 0
    for index in range(applicants.count()):
        cell = applicants.nth(index)
        assert cell.evaluate(LINES_OF) == 1, cell.inner_text()

    # Every column, the last included, is in view: the list does not scroll sideways and
    # its last column (the review state) ends inside the window.
    results = page.locator("#changelist .results")
    assert results.evaluate("el => el.scrollWidth <= el.clientWidth"), "the list scrolls"
    last = page.locator("#result_list thead th").last
    expect(last).to_contain_text("审核状态")
    box = last.bounding_box()
    assert box["x"] + box["width"] <= 1366
    assert page.evaluate("document.documentElement.scrollWidth") <= 1366

    page.goto(pages.url("/admin/"))
    screenshot(page, "admin-index-1366")
    assert header.evaluate("el => getComputedStyle(el).backgroundColor") == RED
