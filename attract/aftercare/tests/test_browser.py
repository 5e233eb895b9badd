"""Care in a real Chromium, on a phone (390 px) and a desktop (1366 px): doing a care step
on the customer's page and recording a broken promise there; doing a step due from the Care
page, where the customers at risk are listed."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from attract.aftercare.models import CareStep, Promise
from attract.aftercare.promise_services import promise_create
from attract.aftercare.tests.factories import make_customer, make_plan
from attract.aftercare.tests.test_care_views import _age
from attract.conftest import sign_in
from attract.engagement.models import Interaction

pytestmark = pytest.mark.browser
WIDTHS = [390, 1366]
SHOTS = Path("var/screenshots/care")


def _page(browser, live_server, owner, width: int):
    context = browser.new_context(
        base_url=live_server.url, viewport={"width": width, "height": 900}
    )
    context.set_default_timeout(20_000)
    page = context.new_page()
    sign_in(page, owner)
    return context, page


def _no_sideways_scroll(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def _shot(page, name: str, width: int) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}-{width}.png"), full_page=True)


@pytest.mark.parametrize("width", WIDTHS)
def test_do_a_care_step_and_record_a_broken_promise_on_the_customer_page(
    browser, live_server, owner, width
):
    make_plan(owner)
    company, _ = make_customer(owner, "Crust & Crumb")
    _age(company, 30)  # the welcome call is missed, the plan's rhythm not yet passed
    promise_create(actor=owner, company=company, what="Delivery", metric="delivery time",
                   value=48, unit="hours", due_on=timezone.localdate() + timedelta(days=5))  # fmt: skip
    context, page = _page(browser, live_server, owner, width)
    try:
        page.goto(f"/companies/{company.pk}/#care")
        care = page.locator("#care")
        expect(care).to_contain_text("Missed")
        step = care.locator(".care-step-missed").first
        step.get_by_placeholder("What came of it").fill("They love the new oven")
        assert _no_sideways_scroll(page)
        _shot(page, "customer", width)
        step.get_by_role("button", name="Done").click()
        expect(page.locator("#care .care-step-done").first).to_contain_text(
            "They love the new oven"
        )
        expect(page.locator("#timeline")).to_contain_text("They love the new oven")

        page.locator("#care summary", has_text="Record what happened").click()
        record = page.locator("#care .promise-record")
        record.get_by_label("Value reached (hours)").fill("60")
        record.get_by_label("What happened").fill("The van broke down")
        record.get_by_role("button", name="Record", exact=True).click()
        expect(page.locator("#care .promise-broken")).to_contain_text("reached 60 hours")
        expect(page.locator("#care .care-evidence")).to_contain_text("1 promise broken")
        assert _no_sideways_scroll(page)
        assert Promise.objects.get(company=company).outcome == "broken"
    finally:
        context.close()


@pytest.mark.parametrize("width", WIDTHS)
def test_the_care_page_lists_customers_at_risk_and_does_a_step_due(
    browser, live_server, owner, width
):
    make_plan(owner)
    ignored, _ = make_customer(owner, "Quiet Customer Ltd", revenue=9000)
    _age(ignored, 200)
    fresh, _ = make_customer(owner, "New Customer Ltd")
    step = CareStep.objects.filter(care__company=fresh).order_by("due_on").first()
    step.due_on = timezone.localdate()
    step.save()
    context, page = _page(browser, live_server, owner, width)
    try:
        page.goto("/")
        expect(page.locator("#today-care")).to_contain_text("Quiet Customer Ltd")
        page.goto("/care/")
        expect(page.locator("h1")).to_have_text("Care")
        row = page.locator("#at-risk tbody tr").first
        expect(row).to_contain_text("Quiet Customer Ltd")
        expect(row).to_contain_text("No personal touch for 200 days")
        assert _no_sideways_scroll(page)
        _shot(page, "care", width)
        # One click logs the call in place: the row answers with its evidence refreshed.
        row.get_by_placeholder("What was said (optional)").fill("Caught up on the new order")
        row.get_by_role("button", name="Log a call with Quiet Customer Ltd").click()
        expect(row).to_contain_text("Call logged on Quiet Customer Ltd's timeline")
        expect(row).not_to_contain_text("No personal touch for 200 days")
        assert Interaction.objects.filter(
            company=ignored, summary="Call: Caught up on the new order"
        ).exists()
        due = page.locator("#steps-due")
        due.get_by_placeholder("What came of it").fill("Warm welcome")
        due.get_by_role("button", name="Done").click()
        expect(page.locator("#steps-due")).to_contain_text("No care step of yours is due")
        step.refresh_from_db()
        assert step.done_at is not None
    finally:
        context.close()
