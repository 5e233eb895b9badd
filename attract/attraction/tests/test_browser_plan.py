"""Side 1 of the plan in a real Chromium, at 1366 px and on a 390 px phone: the full quality
with a compact weight control that saves on change, its text edited in place, removal with
Undo, and the statement that follows the plan as it changes."""

import os
from pathlib import Path

import pytest
from playwright.sync_api import expect

from attract.attraction.models import Quality
from attract.attraction.services import quality_create
from attract.conftest import sign_in

pytestmark = pytest.mark.browser

SIZES = {"1366": {"width": 1366, "height": 900}, "390": {"width": 390, "height": 844}}
SENTENCE = "I am in the process of attracting customers who "


@pytest.fixture(params=list(SIZES))
def plan_page(request, browser, live_server, owner):
    context = browser.new_context(base_url=live_server.url, viewport=SIZES[request.param])
    context.set_default_timeout(15_000)
    page = context.new_page()
    page.console_errors = []
    page.on("console", lambda m: m.type == "error" and page.console_errors.append(m.text))
    sign_in(page, owner)
    page.size = request.param
    yield page
    context.close()


@pytest.fixture
def qualities(owner):
    return [
        quality_create(actor=owner, text="Values quality over the lowest price", weight=5),
        quality_create(actor=owner, text="Treats our staff with respect", weight=4),
        quality_create(actor=owner, text="Pays on time", weight=3),
        quality_create(actor=owner, text="Open to new ideas", weight=2),
    ]


def _statement(page):
    return page.locator("#statement-text")


def test_a_weight_is_changed_in_place_and_the_statement_follows(plan_page, qualities):
    page = plan_page
    page.goto("/plan/")
    page.evaluate("window.notReloaded = true")
    expect(_statement(page)).to_have_text(
        SENTENCE + "value quality over the lowest price, treat our staff with respect and pay "
        "on time."
    )
    open_minded = qualities[3]
    row = page.locator(f"#quality-{open_minded.pk}")
    expect(row.locator(".quality-text")).to_have_text("Open to new ideas")
    assert not row.get_by_role("button", name="Save weight").is_visible()  # saves on change
    row.get_by_text("5", exact=True).click()

    expect(page.locator(f"#quality-{open_minded.pk}-weight-5")).to_be_checked()
    expect(_statement(page)).to_have_text(
        SENTENCE + "value quality over the lowest price, are open to new ideas and treat our "
        "staff with respect."
    )
    assert Quality.objects.get(pk=open_minded.pk).weight == 5
    assert page.evaluate("window.notReloaded") is True
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    shots = os.environ.get("ATTRACT_TEST_SCREENSHOTS")
    if shots:
        page.screenshot(path=str(Path(shots) / f"plan-{page.size}.png"), full_page=True)
    assert page.console_errors == []


def test_the_weight_is_set_from_the_keyboard(plan_page, qualities):
    page = plan_page
    page.goto("/plan/")
    quality = qualities[2]
    page.locator(f"#quality-{quality.pk}-weight-3").focus()
    page.keyboard.press("ArrowRight")
    # Saved when the side comes back with the next version; the focus stays on the control.
    version = page.locator(f"#quality-{quality.pk} .weight-form input[name=version]")
    expect(version).to_have_value(str(quality.version + 1))
    expect(page.locator(f"#quality-{quality.pk}-weight-4")).to_be_checked()
    expect(page.locator(f"#quality-{quality.pk}-weight-4")).to_be_focused()
    assert Quality.objects.get(pk=quality.pk).weight == 4


def test_a_quality_is_edited_in_place_against_the_version_seen(plan_page, qualities, owner):
    page = plan_page
    page.goto("/plan/")
    row = page.locator(f"#quality-{qualities[2].pk}")
    row.locator("summary").click()
    field = row.get_by_label("Quality")
    expect(field).to_be_focused()
    field.fill("Pays every invoice on time.")
    row.get_by_role("button", name="Save").click()
    expect(page.locator(f"#quality-{qualities[2].pk} .quality-text")).to_have_text(
        "Pays every invoice on time."
    )
    expect(_statement(page)).to_contain_text("and pay every invoice on time.")

    # Someone else changes it meanwhile: the stale edit is refused and explained in the row.
    from attract.attraction.services import quality_update

    quality_update(actor=owner, quality=Quality.objects.get(pk=qualities[2].pk), weight=1)
    row = page.locator(f"#quality-{qualities[2].pk}")
    row.locator("summary").click()
    row.get_by_label("Quality").fill("Pays late")
    row.get_by_role("button", name="Save").click()
    expect(page.locator(f"#quality-{qualities[2].pk}-errors")).to_contain_text(
        "Someone else changed"
    )
    assert Quality.objects.get(pk=qualities[2].pk).text == "Pays every invoice on time."
    assert page.console_errors == []


def test_a_removed_quality_comes_back_with_undo(plan_page, qualities):
    page = plan_page
    page.goto("/plan/")
    page.evaluate("window.notReloaded = true")
    page.get_by_role("button", name="Remove “Treats our staff with respect”").click()
    expect(page.locator(f"#quality-{qualities[1].pk}")).to_have_count(0)
    expect(_statement(page)).to_have_text(
        SENTENCE + "value quality over the lowest price, pay on time and are open to new ideas."
    )
    toast = page.locator("[data-toast]", has_text="taken off the plan")
    expect(toast).to_contain_text("Treats our staff with respect")
    toast.get_by_role("button", name="Undo").click()

    expect(page.locator(f"#quality-{qualities[1].pk}")).to_be_visible()
    expect(_statement(page)).to_contain_text("treat our staff with respect and pay on time.")
    expect(page.locator("[data-toast]", has_text="taken off the plan")).to_have_count(0)
    assert Quality.objects.get(pk=qualities[1].pk).is_active
    assert page.evaluate("window.notReloaded") is True
    assert page.console_errors == []
