"""The interactions page in a real Chromium: tick two rows, the bar shows the count, move them
to the trash, and Undo from the message; on a phone and a desktop, with no sideways scroll."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from playwright.sync_api import expect

from attract.engagement.models import Interaction
from attract.engagement.tests.factories import InteractionFactory
from attract.people.tests.factories import PersonFactory

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("width", [390, 1366])
def test_trash_two_selected_interactions_then_undo(owner_page, owner, width):
    ann = PersonFactory(first_name="Ann", last_name="Caller", owner=owner)
    for summary in ("First call about the quote", "Second call", "Third call stays"):
        InteractionFactory(summary=summary, person=ann, created_by=owner)
    page = owner_page
    page.set_viewport_size({"width": width, "height": 900})
    page.goto("/engagement/interactions/")
    bar = page.get_by_role("form", name="Act on the selected interactions")
    expect(bar).to_be_hidden()
    page.get_by_label("Select First call about the quote").check()
    page.get_by_label("Select Second call").check()
    expect(bar).to_contain_text("2 selected")
    bar.get_by_label("Action").select_option("trash")
    shots = os.environ.get("ATTRACT_TEST_SCREENSHOTS")
    if shots:  # screenshots for a person to look at, when asked for
        page.screenshot(path=str(Path(shots) / f"interactions_{width}.png"), full_page=True)
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")
    bar.get_by_role("button", name="Apply").click()
    toast = page.locator(".toast").filter(has_text="done for 2 records")
    expect(toast).to_be_visible()
    assert list(Interaction.objects.values_list("summary", flat=True)) == ["Third call stays"]
    expect(page.get_by_label("Select Second call")).to_have_count(0)
    toast.get_by_role("button", name="Undo").click()
    expect(page.locator(".toast").filter(has_text="Undone: 2 records")).to_be_visible()
    assert Interaction.objects.count() == 3
    expect(page.get_by_label("Select Second call")).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")
