"""The forecast page's calibration view in a real Chromium, on a phone and a laptop."""

from __future__ import annotations

import os
from datetime import UTC, datetime

import pytest

from attract.pipeline.models import Outcome
from attract.pipeline.tests.factories import DealFactory

pytestmark = pytest.mark.browser


def test_the_calibration_view_shows_the_brier_score_and_the_bands(owner_page, owner):
    for day, outcome, furthest in ((1, Outcome.LOST, 0), (2, Outcome.WON, 4), (3, Outcome.LOST, 1)):
        DealFactory(
            owner=owner,
            outcome=outcome,
            furthest_stage_index=furthest,
            closed_at=datetime(2026, 1, day, tzinfo=UTC),
        )
    page = owner_page
    shots = os.environ.get("ATTRACT_SCREENSHOTS")  # a folder to look at the page in
    for width in (1366, 390):
        page.set_viewport_size({"width": width, "height": 900})
        page.goto("/pipeline/forecast/")
        section = page.locator("#calibration")
        section.scroll_into_view_if_needed()
        assert "0.255" in page.get_by_test_id("brier-learned").inner_text()
        assert "8 forecasts of 3 closed deals" in section.inner_text()
        chart = page.locator("#calibration-chart svg")
        assert chart.is_visible() and chart.get_attribute("role") == "img"
        # One pair of bars (chance given, share won) for each band that holds forecasts.
        assert page.locator("#calibration-chart rect.bar:has(title)").count() == 6
        page.get_by_text("Data", exact=True).click()
        table = page.locator("table.calibration-table")
        assert table.is_visible() and "10–20%" in table.inner_text()
        assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
        if shots:
            section.screenshot(path=f"{shots}/calibration-{width}.png")
