"""Act on many in a real Chromium: tick rows, the bar appears with the count and the field
the action needs, Apply, and Undo from the message; on a phone and a desktop."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from playwright.sync_api import expect

from attract.people.models import Person
from attract.people.tests.factories import PersonFactory

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("width", [390, 1366])
def test_tag_the_selected_people_then_undo(owner_page, owner, width):
    for name in ("Aino", "Bertil", "Cecilia"):
        PersonFactory(first_name=name, last_name="Lindqvist", owner=owner)
    page = owner_page
    page.set_viewport_size({"width": width, "height": 900})
    page.goto("/people/")
    bar = page.get_by_role("form", name="Act on the selected people")
    expect(bar).to_be_hidden()  # nothing chosen yet
    page.get_by_label("Select Aino Lindqvist").check()
    page.get_by_label("Select Cecilia Lindqvist").check()
    expect(bar).to_be_visible()
    expect(bar).to_contain_text("2 selected")
    expect(bar.get_by_label("Owner")).to_be_visible()  # the first action's field
    bar.get_by_label("Action").select_option("add_tag")
    expect(bar.get_by_label("Owner")).to_be_hidden()
    bar.get_by_label("Tag").fill("Nordic")
    shots = os.environ.get("ATTRACT_TEST_SCREENSHOTS")
    if shots:  # screenshots for a person to look at, when asked for
        page.screenshot(path=str(Path(shots) / f"bulk_{width}.png"))
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")
    bar.get_by_role("button", name="Apply").click()
    toast = page.locator(".toast").filter(has_text="done for 2 records")
    expect(toast).to_be_visible()
    tagged = Person.objects.filter(tags__name="Nordic")
    assert sorted(tagged.values_list("first_name", flat=True)) == ["Aino", "Cecilia"]
    toast.get_by_role("button", name="Undo").click()
    expect(page.locator(".toast").filter(has_text="Undone: 2 records")).to_be_visible()
    assert not Person.objects.filter(tags__name="Nordic").exists()


def test_select_all_on_the_page_moves_them_to_the_trash(owner_page, owner):
    for name in ("Dag", "Eir"):
        PersonFactory(first_name=name, last_name="Trashable", owner=owner)
    page = owner_page
    page.goto("/people/?q=trashable")
    page.get_by_label("Select everyone on this page").check()
    bar = page.get_by_role("form", name="Act on the selected people")
    expect(bar).to_contain_text("2 selected")
    bar.get_by_label("Action").select_option("trash")
    bar.get_by_role("button", name="Apply").click()
    expect(page.locator(".toast").filter(has_text="done for 2 records")).to_be_visible()
    assert not Person.objects.filter(last_name="Trashable").exists()
