"""In a real Chromium, at a phone's and a desktop's width (no sideways scroll): act on many
deals and Undo; make, edit and filter tasks; edit and delete an interaction with Undo; save
a list's filters as a view and pick it again."""

from __future__ import annotations

import os
from datetime import timedelta
from pathlib import Path

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from attract.core.models import SavedView
from attract.engagement.models import Interaction, Task
from attract.engagement.services import interaction_log, task_create
from attract.people.tests.factories import PersonFactory
from attract.pipeline.models import Deal
from attract.pipeline.tests.factories import DealFactory

pytestmark = pytest.mark.browser
WIDTHS = [390, 1366]


def _look(page, name: str, width: int) -> None:
    shots = os.environ.get("ATTRACT_TEST_SCREENSHOTS")
    if shots:  # screenshots for a person to look at, when asked for
        page.screenshot(path=str(Path(shots) / f"{name}_{width}.png"), full_page=True)
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")


@pytest.mark.parametrize("width", WIDTHS)
def test_move_the_selected_deals_to_a_stage_then_undo(owner_page, owner, width):
    for title in ("Roof repair", "Garden plan", "Fence"):
        DealFactory(title=title, owner=owner, pain="Leaks")
    page = owner_page
    page.set_viewport_size({"width": width, "height": 900})
    page.goto("/deals/")
    bar = page.get_by_role("form", name="Act on the selected deals")
    expect(bar).to_be_hidden()
    page.get_by_label("Select Roof repair").check()
    page.get_by_label("Select Fence").check()
    expect(bar).to_contain_text("2 selected")
    bar.get_by_label("Action").select_option("move_stage")
    bar.get_by_label("Stage").select_option("interest")
    _look(page, "deals_bulk", width)
    bar.get_by_role("button", name="Apply").click()
    toast = page.locator(".toast").filter(has_text="done for 2 records")
    expect(toast).to_be_visible()
    assert set(Deal.objects.filter(stage="interest").values_list("title", flat=True)) == {
        "Roof repair",
        "Fence",
    }
    toast.get_by_role("button", name="Undo").click()
    expect(page.locator(".toast").filter(has_text="Undone: 2 records")).to_be_visible()
    assert not Deal.objects.filter(stage="interest").exists()


@pytest.mark.parametrize("width", WIDTHS)
def test_make_edit_and_filter_tasks(owner_page, owner, width):
    ann = PersonFactory(first_name="Ann", last_name="Planner", owner=owner)
    task_create(
        actor=owner, title="Old overdue call", due_at=timezone.now() - timedelta(days=3), person=ann
    )
    page = owner_page
    page.set_viewport_size({"width": width, "height": 900})
    page.goto("/engagement/tasks/")
    page.locator("summary").filter(has_text="New task").click()
    page.get_by_label("Title").fill("Send the brochure")
    page.get_by_role("textbox", name="Due").fill(
        (timezone.localtime() + timedelta(days=30)).strftime("%Y-%m-%dT%H:%M")
    )
    page.get_by_label("About (person)").fill(f"Ann Planner #{ann.pk}")
    page.get_by_role("button", name="Add task").click()
    expect(page.locator(".toast").filter(has_text="Task added")).to_be_visible()
    assert Task.objects.filter(title="Send the brochure", person=ann).exists()
    page.get_by_label("When due").select_option("overdue")
    expect(page.get_by_role("link", name="Edit Old overdue call")).to_be_visible()
    expect(page.get_by_text("Send the brochure")).to_have_count(0)
    _look(page, "tasks", width)
    page.get_by_role("link", name="Edit Old overdue call").click()
    page.get_by_label("Title").fill("Overdue call, now booked")
    _look(page, "task_edit", width)
    page.get_by_role("button", name="Save").click()
    expect(page.locator(".toast").filter(has_text="Saved")).to_be_visible()
    assert Task.objects.filter(title="Overdue call, now booked").exists()


@pytest.mark.parametrize("width", WIDTHS)
def test_edit_then_delete_an_interaction_and_undo(owner_page, owner, width):
    ann = PersonFactory(first_name="Ann", last_name="Caller", owner=owner)
    interaction_log(
        actor=owner, channel="call", direction="we_reached_out", summary="Left a voicemail",
        person=ann,
    )  # fmt: skip
    page = owner_page
    page.set_viewport_size({"width": width, "height": 900})
    page.goto(f"/people/{ann.pk}/")
    page.get_by_role("link", name="Edit or delete: Left a voicemail").click()
    page.get_by_label("Summary").fill("Left a voicemail, will call back")
    _look(page, "interaction_edit", width)
    page.get_by_role("button", name="Save").click()
    expect(page.locator("#timeline")).to_contain_text("will call back")
    page.get_by_role("link", name="Edit or delete: Left a voicemail, will call back").click()
    page.get_by_role("button", name="Move to the trash").click()
    page.locator("dialog[open]").get_by_role("button", name="Move to trash").click()
    toast = page.locator(".toast").filter(has_text="Moved to the trash")
    expect(toast).to_be_visible()
    expect(page.locator("#timeline")).not_to_contain_text("will call back")
    assert not Interaction.objects.exists()
    toast.get_by_role("button", name="Undo").click()
    expect(page.locator("#timeline")).to_contain_text("will call back")
    assert Interaction.objects.count() == 1


@pytest.mark.parametrize("width", WIDTHS)
def test_save_the_filters_as_a_view_and_pick_it(owner_page, owner, width):
    DealFactory(title="Interested one", owner=owner, stage="interest", pain="x")
    DealFactory(title="Attention one", owner=owner)
    page = owner_page
    page.set_viewport_size({"width": width, "height": 900})
    page.goto("/deals/?stage=interest")
    menu = page.locator("[data-saved-views]")
    menu.locator("summary").click()
    menu.get_by_label("Save these filters as").fill("Warm deals")
    _look(page, "saved_views_menu", width)
    menu.get_by_role("button", name="Save view").click()
    expect(page.locator(".toast").filter(has_text="Saved the view")).to_be_visible()
    assert SavedView.objects.get().query == "stage=interest"
    page.goto("/deals/")
    expect(page.get_by_text("Attention one")).to_be_visible()
    menu = page.locator("[data-saved-views]")
    menu.locator("summary").click()
    menu.get_by_role("link", name="Warm deals").click()
    expect(page.get_by_role("link", name="Interested one")).to_be_visible()
    expect(page.get_by_text("Attention one")).to_have_count(0)
    expect(page.locator("[data-saved-views] summary")).to_contain_text("View: Warm deals")
    page.goto("/views/")
    _look(page, "saved_views", width)
