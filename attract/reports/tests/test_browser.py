"""The Reports pages in a real Chromium: charts present and labelled, the Data table behind
one click, no sideways scroll on a phone. ATTRACT_SCREENSHOTS=<folder> keeps the pictures."""

from __future__ import annotations

import os

import pytest
from axe_playwright_python.sync_playwright import Axe

from attract.reports.registry import REPORTS

pytestmark = pytest.mark.browser

PERIOD = "?from=2026-01-01&to=2026-06-30"


RULES = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}}


def _look(page, name: str) -> None:
    """No sideways scroll and no serious accessibility violation, on a laptop and a phone."""
    shots = os.environ.get("ATTRACT_SCREENSHOTS")
    for width in (1366, 390):
        page.set_viewport_size({"width": width, "height": 900})
        page.reload()
        assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"), width
        found = [
            f"{v['id']} at {[n['target'] for n in v['nodes'][:3]]}"
            for v in Axe().run(page, options=RULES).response["violations"]
            if v["impact"] in {"serious", "critical"}
        ]
        assert not found, found
        if shots:
            page.screenshot(path=f"{shots}/reports-{name}-{width}.png", full_page=True)


def _chart_is_labelled(page) -> None:
    chart = page.locator("svg.pygal-chart").first
    assert chart.is_visible()
    assert chart.get_attribute("aria-label").endswith("The numbers are in the table under Data.")
    assert chart.locator("g.axis").count() >= 1 and chart.locator("g.legends").count() >= 1
    point = chart.locator("[data-point]").first
    point.focus()
    readout = page.locator(".chart-readout").first
    assert readout.inner_text() == point.get_attribute("data-point") != ""
    assert point.locator("title").count() == 1


def test_the_dashboard_draws_its_charts(owner_page, history):
    owner_page.goto("/reports/")
    assert owner_page.locator("svg.pygal-chart").count() >= 1
    _chart_is_labelled(owner_page)
    owner_page.get_by_text("Data", exact=True).first.click()
    assert owner_page.locator("details.chart-table table").first.is_visible()
    _look(owner_page, "dashboard")


@pytest.mark.parametrize("name", list(REPORTS))
def test_each_report_draws_a_labelled_chart_and_its_table(owner_page, history, name):
    owner_page.goto(f"/reports/{name}/{PERIOD}")
    _chart_is_labelled(owner_page)
    owner_page.get_by_role("link", name="Table").click()
    assert owner_page.locator("#report-table table").is_visible()
    _look(owner_page, name)
