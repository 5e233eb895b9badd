"""The partner pages in a real Chromium, on a phone (390 px) and a desktop (1366 px):
referring a poor-fit deal to a partner, marking a line of their definition, the list."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
from playwright.sync_api import expect

from attract.attraction import services as plan_services
from attract.conftest import sign_in
from attract.partners import services
from attract.partners.tests.factories import make_partner
from attract.pipeline.models import Deal, Outcome
from attract.pipeline.services import deal_create

pytestmark = pytest.mark.browser
WIDTHS = [390, 1366]
SHOTS = Path("var/screenshots/partners")


def _page(browser, live_server, owner, width: int):
    context = browser.new_context(
        base_url=live_server.url, viewport={"width": width, "height": 900}
    )
    page = context.new_page()
    sign_in(page, owner)
    return context, page


def _no_sideways_scroll(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def _shot(page, name: str, width: int) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}-{width}.png"), full_page=True)


@pytest.mark.parametrize("width", WIDTHS)
def test_refer_a_poor_fit_deal_to_a_partner_from_its_page(browser, live_server, owner, width):
    partner = make_partner(owner, name="Smaller Jobs Ltd")
    deal = deal_create(actor=owner, title="Tiny kitchen refit", revenue=Decimal("800"))
    context, page = _page(browser, live_server, owner, width)
    try:
        page.goto(f"/deals/{deal.pk}/")
        page.get_by_role("link", name="Refer to a partner").click()
        page.locator("#id_partner").select_option(label="Smaller Jobs Ltd")
        page.get_by_label("Why this partner").fill("They love small jobs")
        assert _no_sideways_scroll(page)
        _shot(page, "refer", width)
        page.get_by_role("button", name="Record the referral").click()

        expect(page.locator("h1")).to_have_text("Smaller Jobs Ltd")
        expect(page.locator("#referrals tbody tr")).to_have_count(1)
        expect(page.locator("#partner-figures")).to_contain_text("Referred out")
        expect(page.locator("#referrals")).to_contain_text("Tiny kitchen refit")
        assert _no_sideways_scroll(page)
        assert Deal.objects.get(pk=deal.pk).outcome == Outcome.REFERRED_OUT
        assert partner.referrals.count() == 1
    finally:
        context.close()


@pytest.mark.parametrize("width", WIDTHS)
def test_mark_a_line_of_their_definition_beside_our_plan(browser, live_server, owner, width):
    plan_services.quality_create(actor=owner, text="Values a long relationship")
    partner = make_partner(owner)
    services.step_record(actor=owner, partner=partner, step="identified")
    context, page = _page(browser, live_server, owner, width)
    try:
        page.goto(f"/partners/{partner.pk}/")
        page.get_by_label("Kind").select_option("industry")
        page.get_by_label("Their words").fill("Dental practices")
        page.get_by_role("button", name="Add the line").click()
        line = page.locator(".partner-lines li", has_text="Dental practices")
        expect(line).to_be_visible()
        line.get_by_label("Mark “Dental practices”").select_option("complement")
        line.get_by_role("button", name="Mark").click()
        expect(page.locator(".partner-lines li[data-mark=complement]")).to_have_count(1)
        expect(page.locator("#definition")).to_contain_text("Values a long relationship")
        expect(page.locator("#alliance")).to_contain_text("Identified")
        assert _no_sideways_scroll(page)
        _shot(page, "detail", width)
    finally:
        context.close()


@pytest.mark.parametrize("width", WIDTHS)
def test_the_list_searches_in_place_and_fits_the_screen(browser, live_server, owner, width):
    make_partner(owner, name="Alpha Alliance with a rather long name indeed")
    make_partner(owner, name="Beta Bookkeeping")
    context, page = _page(browser, live_server, owner, width)
    try:
        page.goto("/partners/")
        expect(page.locator("#partner-table tbody tr")).to_have_count(2)
        page.locator("#id_q").fill("beta")
        expect(page.locator("#partner-table tbody tr")).to_have_count(1)
        assert "q=beta" in page.url
        assert _no_sideways_scroll(page)
        _shot(page, "list", width)
    finally:
        context.close()


@pytest.mark.parametrize("width", WIDTHS)
def test_start_the_challenge_and_tick_today(browser, live_server, owner, width):
    from attract.people.services import person_create

    person_create(actor=owner, first_name="Nina", last_name="Networker")
    context, page = _page(browser, live_server, owner, width)
    try:
        page.goto("/partners/")
        page.get_by_role("link", name="21-day challenge").click()
        page.get_by_role("button", name="Start the 21-day challenge").click()
        expect(page.locator(".challenge-day")).to_have_count(21)
        expect(page.locator(".challenge-day.is-today")).to_have_count(1)
        page.get_by_label("Who did you meet today?").fill("nina")
        page.get_by_role("button", name="Find").click()
        page.get_by_label("What we talked about with Nina Networker").fill("Coffee")
        page.get_by_role("button", name="Met Nina Networker today").click()
        expect(page.locator(".challenge-day.is-met")).to_contain_text("Nina Networker")
        expect(page.locator("#challenge-figures")).to_contain_text("1 of 21")
        assert _no_sideways_scroll(page)
        _shot(page, "challenge", width)
    finally:
        context.close()


@pytest.mark.parametrize("width", WIDTHS)
def test_record_that_a_referral_out_became_the_partners_customer(
    browser, live_server, owner, width
):
    from attract.people.services import person_create

    partner = make_partner(owner, name="Bigger Jobs Ltd")
    prospect = person_create(actor=owner, first_name="Rita", last_name="Referred")
    services.referral_create(actor=owner, partner=partner, direction="out", person=prospect)
    context, page = _page(browser, live_server, owner, width)
    try:
        page.goto(f"/partners/{partner.pk}/")
        page.locator("#referrals").get_by_role("link", name="Edit the referral").click()
        page.get_by_label("Became the partner's customer").select_option("yes")
        page.get_by_label("Revenue won").fill("1200")
        page.get_by_label("Profit won").fill("300")
        assert _no_sideways_scroll(page)
        _shot(page, "referral-edit", width)
        page.get_by_role("button", name="Save").click()

        expect(page.locator("#referrals")).to_contain_text("Became their customer")
        expect(page.locator("[data-figure=given]")).to_contain_text("1 became their customer")
        assert _no_sideways_scroll(page)
    finally:
        context.close()
