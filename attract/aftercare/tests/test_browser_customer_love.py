"""Events, visits and ideas in a real Chromium, on a phone (390 px) and a desktop (1366 px):
inviting a customer found by name and recording that they came; recording a visit from the
customer's page and keeping an idea from it; editing a care plan's step."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from attract.aftercare import customer_love_services as love
from attract.aftercare.models import CarePlanStep, EventGuest, Idea
from attract.aftercare.tests.factories import make_plan
from attract.aftercare.tests.test_browser import WIDTHS, _no_sideways_scroll, _page, _shot
from attract.engagement.models import Interaction
from attract.people.services import company_create

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("width", WIDTHS)
def test_invite_a_customer_and_record_that_they_came(browser, live_server, owner, width):
    shop = company_create(actor=owner, name="Lantern Books", relationship="customer")
    event = love.event_create(actor=owner, title="Reading evening", kind="celebration",
                              held_on=timezone.localdate() - timedelta(days=1))  # fmt: skip
    context, page = _page(browser, live_server, owner, width)
    try:
        page.goto(f"/care/events/{event.pk}/")
        page.get_by_label("Customer's name").fill("lantern")
        page.get_by_role("button", name="Find").click()
        page.get_by_role("button", name="Invite Lantern Books").click()
        guests = page.locator("#guests")
        expect(guests).to_contain_text("Lantern Books")
        guests.get_by_role("button", name="Lantern Books came").click()
        expect(page.locator("#guests .guests")).to_contain_text("Came")
        assert _no_sideways_scroll(page)
        _shot(page, "event", width)
        assert EventGuest.objects.get(event=event).came is True
        assert Interaction.objects.filter(company=shop, summary__startswith="Came to").exists()
    finally:
        context.close()


@pytest.mark.parametrize("width", WIDTHS)
def test_record_a_visit_from_the_customer_page_and_keep_an_idea(browser, live_server, owner,
                                                                width):  # fmt: skip
    shop = company_create(actor=owner, name="Harbour Cafe", relationship="customer")
    context, page = _page(browser, live_server, owner, width)
    try:
        page.goto(f"/companies/{shop.pk}/#care")
        page.locator("#care").get_by_role("link", name="Record a visit").click()
        page.get_by_label("What we watched them do").fill("the morning rush")
        page.get_by_label("What we learned").fill("Cups run out at nine")
        page.get_by_role("button", name="Save").click()
        expect(page.locator("h1")).to_have_text("the morning rush")
        page.get_by_role("link", name="Keep an idea from this visit").click()
        page.get_by_label("The idea").fill("A cup subscription")
        page.get_by_role("button", name="Keep the idea").click()
        expect(page.locator(".inspired")).to_contain_text("Harbour Cafe")
        assert _no_sideways_scroll(page)
        _shot(page, "idea", width)
        assert list(Idea.objects.get().companies.all()) == [shop]
        page.goto(f"/companies/{shop.pk}/")
        expect(page.locator("#timeline")).to_contain_text("Visit: watched the morning rush")
    finally:
        context.close()


def test_edit_a_care_plan_step(browser, live_server, owner):
    plan = make_plan(owner)
    context, page = _page(browser, live_server, owner, 1366)
    try:
        page.goto(f"/care/plans/{plan.pk}/")
        page.get_by_role("link", name="Edit “Welcome call”").click()
        page.get_by_label("Title").fill("Welcome visit")
        page.get_by_label("Day after the start").fill("2")
        page.get_by_role("button", name="Save").click()
        expect(page.locator("#steps")).to_contain_text("Welcome visit")
        assert CarePlanStep.objects.get(plan=plan, title="Welcome visit").day == 2
    finally:
        context.close()
