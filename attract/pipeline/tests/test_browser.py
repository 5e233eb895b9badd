"""The board in a real Chromium: drag and drop, refusals shown inline, and the keyboard path."""

import pytest
from playwright.sync_api import expect

from attract.conftest import sign_in
from attract.pipeline.models import Deal, Stage
from attract.pipeline.services import deal_create

pytestmark = pytest.mark.browser


def _column(page, stage):
    return page.locator(f'.board-column[data-stage="{stage}"]')


def test_dragging_a_card_to_the_next_stage_moves_it_and_updates_the_totals(owner_page, owner):
    page = owner_page
    deal = deal_create(actor=owner, title="Bakery ovens", pain="Bread burns", revenue="2000")
    page.goto("/pipeline/")
    page.evaluate("window.notReloaded = true")
    attention, interest = _column(page, "attention"), _column(page, "interest")
    assert attention.locator("[data-column-count]").inner_text() == "1"
    assert interest.locator("[data-column-weighted]").inner_text() == "$0"

    page.locator(f"#deal-{deal.pk}").drag_to(interest.locator(".board-cards"))

    interest.locator(f"#deal-{deal.pk}").wait_for()
    assert attention.locator("[data-column-count]").inner_text() == "0"
    assert interest.locator("[data-column-count]").inner_text() == "1"
    assert interest.locator("[data-column-total]").inner_text() == "$2,000"
    assert interest.locator("[data-column-weighted]").inner_text() == "$400"  # 20 %
    assert page.locator("[data-total-weighted]").inner_text() == "$400"
    assert "Moved “Bakery ovens” to Interest." in page.locator("[data-board-status]").inner_text()
    assert page.evaluate("window.notReloaded") is True
    assert Deal.objects.get(pk=deal.pk).stage == Stage.INTEREST


def test_dragging_past_an_unmet_gate_shows_the_refusal_on_the_card(page, teammate):
    sign_in(page, teammate)
    deal = deal_create(actor=teammate, title="Vague lead", revenue="500")
    page.goto("/pipeline/")
    interest = _column(page, "interest")

    page.locator(f"#deal-{deal.pk}").drag_to(interest.locator(".board-cards"))

    refusal = page.locator(f"#deal-{deal.pk} [role=alert]")
    refusal.wait_for()
    assert "Cannot move to Interest yet" in refusal.inner_text()
    assert "pain, described in their own words" in refusal.inner_text()
    assert "Override" not in refusal.inner_text()  # members cannot override
    assert _column(page, "attention").locator(f"#deal-{deal.pk}").count() == 1
    assert interest.locator("[data-column-count]").inner_text() == "0"
    assert Deal.objects.get(pk=deal.pk).stage == Stage.ATTENTION


def test_a_card_moves_with_the_keyboard_alone(owner_page, owner):
    page = owner_page
    deal = deal_create(actor=owner, title="Keyboard deal", pain="Too slow", revenue="1000")
    page.goto("/pipeline/")
    card = page.locator(f"#deal-{deal.pk}")
    card.focus()
    page.keyboard.press("Shift+ArrowRight")  # Attention → Interest

    _column(page, "interest").locator(f"#deal-{deal.pk}").wait_for()
    # Focus stays with the moved card, so the next key press continues from there.
    expect(page.locator(f"#deal-{deal.pk}")).to_be_focused()
    assert Deal.objects.get(pk=deal.pk).stage == Stage.INTEREST


def test_an_admin_overrides_a_refused_move_with_a_reason(owner_page, owner):
    page = owner_page
    deal = deal_create(actor=owner, title="Override me")
    page.goto("/pipeline/")
    page.locator(f"#deal-{deal.pk}").focus()
    page.keyboard.press("Shift+ArrowRight")
    reason = page.get_by_label("Override as admin: why?")
    reason.fill("The pain was told at the fair")
    page.get_by_role("button", name="Override and move").click()

    _column(page, "interest").locator(f"#deal-{deal.pk}").wait_for()
    assert deal.moves.order_by("-id").first().override_reason == "The pain was told at the fair"


def test_a_new_deal_started_from_a_company_page_belongs_to_that_company(owner_page, owner):
    from attract.people.services import company_create

    acme = company_create(actor=owner, name="Acme Bakery")
    page = owner_page
    page.goto(f"/companies/{acme.pk}/")
    page.locator("#deals").get_by_role("link", name="New deal").click()
    page.get_by_label("Title").fill("New ovens")
    page.get_by_role("button", name="Add deal").click()
    page.get_by_role("heading", name="New ovens").wait_for()
    page.goto(f"/companies/{acme.pk}/")
    page.locator("#deals").get_by_role("link", name="New ovens").click()
    page.get_by_role("heading", name="New ovens").wait_for()
    assert Deal.objects.get(title="New ovens").company == acme
