"""Joint initiatives in a real Chromium, at 390 and 1366 px: record one from the partner's
page, see it ranked in the list by what it brought, and the Today card of a challenge."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from attract.partners import initiative_services as initiatives
from attract.partners.tests.factories import make_partner
from attract.partners.tests.test_browser import WIDTHS, _no_sideways_scroll, _page, _shot
from attract.people.services import person_create
from attract.pipeline.services import deal_create, deal_win

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("width", WIDTHS)
def test_create_an_initiative_and_see_it_ranked(browser, live_server, owner, width):
    partner = make_partner(owner, name="Bright Partners")
    topic = initiatives.topic_create(actor=owner, name="Pricing without fear")
    initiatives.initiative_create(
        actor=owner, partners=[partner], title="Quiet newsletter", kind="feature",
        our_role="featured", held_on=timezone.localdate(),
    )  # fmt: skip
    person = person_create(actor=owner, first_name="Nora", last_name="Newcomer")
    context, page = _page(browser, live_server, owner, width)
    try:
        page.goto(f"/partners/{partner.pk}/")
        page.get_by_role("link", name="New initiative with Bright Partners").click()
        page.get_by_label("Title").fill("Pricing workshop")
        page.get_by_label("Kind").select_option(label="Seminar or workshop")
        page.get_by_label("Date").fill(timezone.localdate().isoformat())
        page.get_by_label("Our role").select_option(label="Co-organiser")
        page.get_by_label("Topic").select_option(label=topic.name)
        page.get_by_label("Audience reached").fill("35")
        assert _no_sideways_scroll(page)
        _shot(page, "initiative-form", width)
        page.get_by_role("button", name="Save").click()

        expect(page.locator("h1")).to_have_text("Pricing workshop")
        page.get_by_role("searchbox", name="Find a person").fill("nora")
        page.get_by_role("button", name="Find").click()
        page.get_by_role("button", name="Came through this").click()
        expect(page.locator("#people")).to_contain_text("Nora Newcomer")
        assert _no_sideways_scroll(page)
        _shot(page, "initiative-detail", width)

        deal = deal_create(
            actor=owner, title="Nora's pricing", contact=person, revenue=Decimal("2000")
        )
        deal_win(actor=owner, deal=deal)
        page.goto("/partners/initiatives/")
        rows = page.locator(".initiative-table tbody tr")
        expect(rows).to_have_count(2)
        expect(rows.first).to_contain_text("Pricing workshop")
        expect(rows.first).to_contain_text("2,000")
        expect(rows.nth(1)).to_contain_text("Quiet newsletter")
        assert _no_sideways_scroll(page)
        _shot(page, "initiative-list", width)

        page.goto("/partners/topics/")
        expect(page.locator(".topic-table")).to_contain_text("Pricing workshop")
        assert _no_sideways_scroll(page)
        _shot(page, "topics", width)
    finally:
        context.close()


@pytest.mark.parametrize("width", WIDTHS)
def test_today_shows_the_challenge_card(browser, live_server, owner, width):
    from attract.partners import challenge as rules

    rules.challenge_start(actor=owner)
    context, page = _page(browser, live_server, owner, width)
    try:
        page.goto("/")
        card = page.locator("#today-challenge")
        expect(card).to_contain_text("day 1 of 21")
        card.get_by_role("link", name="Tick today's meeting").click()
        expect(page).to_have_url(f"{live_server.url}/partners/challenge/#today-challenge")
        page.goto("/")
        assert _no_sideways_scroll(page)
        _shot(page, "today-challenge", width)
    finally:
        context.close()
