"""Quick-log without a reload and the honest review, in a real Chromium."""

import pytest

from attract.engagement.models import Interaction
from attract.engagement.tests.factories import InteractionFactory
from attract.people.tests.factories import PersonFactory
from attract.pipeline.tests.factories import DealFactory

pytestmark = pytest.mark.browser


def test_quick_log_on_a_person_fills_the_timeline_without_a_reload(owner_page, owner):
    person = PersonFactory(owner=owner, first_name="Ann", last_name="Lee")
    page = owner_page
    page.goto(f"/people/{person.pk}/")
    page.evaluate("window.notReloaded = true")
    card = page.locator("#timeline")
    card.get_by_label("Channel").select_option("call")
    card.get_by_label("Direction").select_option("they_reached_out")
    card.get_by_label("Summary").fill("Asked about pricing")
    card.get_by_role("button", name="Log interaction").click()
    page.locator("#timeline li", has_text="Asked about pricing").wait_for()
    assert page.evaluate("window.notReloaded") is True
    assert page.locator("#timeline").get_by_text("awaiting our reply").is_visible()
    assert Interaction.objects.get().direction == "they_reached_out"


def test_quick_log_with_an_empty_summary_shows_the_error_at_the_field(owner_page, owner):
    person = PersonFactory(owner=owner)
    page = owner_page
    page.goto(f"/people/{person.pk}/")
    page.locator("#timeline").get_by_role("button", name="Log interaction").click()
    page.locator("#id_summary_errors").wait_for()
    assert "Say in a few words" in page.locator("#id_summary_errors").inner_text()
    assert not Interaction.objects.exists()


def test_the_review_shows_push_and_pull_and_keeps_an_override_reason(owner_page, owner):
    warm = DealFactory(owner=owner, title="Warm deal")
    DealFactory(owner=owner, title="Cold deal")
    InteractionFactory(deal=warm, direction="they_reached_out", summary="Rang us about a demo")
    page = owner_page
    page.goto("/engagement/review/")
    assert page.locator("[data-share]").inner_text().startswith("50% Pull")
    warm_row = page.locator("tr", has_text="Warm deal")
    assert warm_row.locator(".badge").inner_text() == "Pull"
    assert "Rang us about a demo" in warm_row.inner_text()
    cold_row = page.locator("tr", has_text="Cold deal")
    cold_row.get_by_label("Verdict for Cold deal").select_option("pull")
    cold_row.get_by_label("Why, for Cold deal").fill("Their CEO asked for a meeting")
    cold_row.get_by_role("button", name="Override").click()
    page.locator("[data-share]", has_text="100% Pull").wait_for()
    assert "Their CEO asked for a meeting" in page.locator("tr", has_text="Cold deal").inner_text()


def test_the_pages_of_the_day_are_one_click_or_two_keys_away(owner_page):
    page = owner_page
    page.goto("/")
    day = page.get_by_role("navigation", name="Your day")
    for label, path in (
        ("Awaiting reply", "/engagement/awaiting-reply/"),
        ("Tasks", "/engagement/tasks/"),
        ("Goals", "/engagement/goals/"),
        ("Get honest", "/engagement/review/"),
    ):
        day.get_by_role("link", name=label, exact=True).click()
        page.wait_for_url(f"**{path}")
        assert page.locator("h1").first.is_visible()
        assert day.get_by_role("link", name=label, exact=True).get_attribute("aria-current")
    page.goto("/people/")
    page.keyboard.press("g")
    page.keyboard.press("h")
    page.wait_for_url("**/engagement/review/")
    page.keyboard.press("g")
    page.keyboard.press("k")
    page.wait_for_url("**/engagement/tasks/")


def test_the_review_filters_by_verdict_and_pages_through(owner_page, owner):
    for n in range(28):
        deal = DealFactory(owner=owner, title=f"Deal {n:02}")
        if n < 3:
            InteractionFactory(deal=deal, direction="they_reached_out", summary="Rang us")
    page = owner_page
    page.goto("/engagement/review/")
    assert "28 deals, 1–25 shown" in page.locator("[data-count]").inner_text()
    page.get_by_role("link", name="Next").click()
    page.wait_for_url("**page=2")
    assert page.locator("tr[data-verdict]").count() == 3
    page.get_by_label("Verdict", exact=True).select_option("pull")
    page.get_by_role("button", name="Show").click()
    page.wait_for_url("**verdict=pull**")
    assert page.locator("[data-count]").inner_text().startswith("3 deals")
    assert page.locator('tr[data-verdict="pull"]').count() == 3
    assert page.locator('tr[data-verdict="push"]').count() == 0
