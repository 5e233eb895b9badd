"""The command palette and the search page in a real Chromium: Ctrl-K and "/", arrow keys
and Enter, the two-step "Log a call with…", the top bar's box, and a phone's width."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from playwright.sync_api import expect

from attract.people.tests.factories import CompanyFactory, PersonFactory
from attract.pipeline.tests.factories import DealFactory

pytestmark = pytest.mark.browser


@pytest.fixture
def records(owner):
    company = CompanyFactory(name="Fjord Logistics", owner=owner)
    person = PersonFactory(first_name="Ingrid", last_name="Fjordsen", owner=owner, company=company)
    DealFactory(title="Fjord fleet renewal", owner=owner, company=company)
    return {"person": person, "company": company}


def test_ctrl_k_finds_a_person_and_enter_opens_their_page(owner_page, records):
    page = owner_page
    page.keyboard.press("Control+k")
    palette = page.get_by_role("dialog", name="Search and commands")
    expect(palette).to_be_visible()
    # The first screen offers the actions.
    expect(palette.get_by_role("option", name="New deal")).to_be_visible()
    page.keyboard.type("fjord")
    expect(palette.get_by_role("option").filter(has_text="Ingrid Fjordsen")).to_be_visible()
    expect(palette.get_by_role("option").filter(has_text="Fjord fleet renewal")).to_be_visible()
    # Down from the first choice (the person) to the next one, then back up, then Enter.
    first = palette.get_by_role("option").first
    expect(first).to_have_attribute("aria-selected", "true")
    page.keyboard.press("ArrowDown")
    expect(first).to_have_attribute("aria-selected", "false")
    page.keyboard.press("ArrowUp")
    expect(first).to_have_attribute("aria-selected", "true")
    page.keyboard.press("Enter")
    page.wait_for_url(f"**/people/{records['person'].pk}/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Ingrid Fjordsen")


def test_log_a_call_asks_with_whom_and_lands_in_the_form(owner_page, records):
    page = owner_page
    page.goto("/pipeline/forecast/")  # a page without a list search: "/" opens the palette
    page.keyboard.press("/")
    palette = page.get_by_role("dialog", name="Search and commands")
    page.keyboard.type("log a call")
    palette.get_by_role("option", name="Log a call").click()
    expect(palette.get_by_text("Log a call with…")).to_be_visible()
    page.keyboard.type("ingrid")
    palette.get_by_role("option").filter(has_text="Ingrid Fjordsen").click()
    page.wait_for_url("**#id_summary")
    expect(page.locator("#id_summary")).to_be_focused()
    page.keyboard.type("Talked about the winter routes")
    page.get_by_role("button", name="Log interaction").click()
    expect(page.locator("#timeline")).to_contain_text("Talked about the winter routes")


def test_the_top_bar_box_opens_the_palette_and_enter_searches_everywhere(owner_page, records):
    page = owner_page
    page.get_by_role("searchbox", name="Search people, companies, deals and the plan").click()
    palette = page.get_by_role("dialog", name="Search and commands")
    expect(palette).to_be_visible()
    page.keyboard.type("zzz nothing")
    expect(palette.get_by_text("Nothing matches")).to_be_visible()
    page.keyboard.press("Enter")  # nothing to choose: the full search page
    page.wait_for_url("**/search/?*")
    expect(page.get_by_text("Nothing found")).to_be_visible()


@pytest.mark.parametrize("width", [390, 1366])
def test_the_search_page_and_palette_fit_the_screen(owner_page, records, width):
    page = owner_page
    page.set_viewport_size({"width": width, "height": 900})
    page.goto("/search/?q=fjord")
    expect(page.get_by_role("heading", name="Companies")).to_be_visible()
    expect(page.get_by_role("link", name="Fjord fleet renewal")).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")
    page.keyboard.press("Control+k")
    page.keyboard.type("fjord")
    palette = page.get_by_role("dialog", name="Search and commands")
    expect(palette.get_by_role("option").filter(has_text="Ingrid Fjordsen")).to_be_visible()
    box = palette.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= width
    shots = os.environ.get("ATTRACT_TEST_SCREENSHOTS")
    if shots:  # screenshots for a person to look at, when asked for
        page.screenshot(path=str(Path(shots) / f"palette_{width}.png"))
