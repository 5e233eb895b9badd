"""The departure pages in a real Chromium: recording a departure from the company page (at
1366 and 390 px), answering the exit survey on a phone-sized screen, and the other pages
(why ours leave, who buys again, testimonials, a case study) at both widths, screenshotted
under var/screenshots/aftercare and checked for sideways scroll."""

from __future__ import annotations

import io
from datetime import date, timedelta
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image
from playwright.sync_api import expect

from attract.aftercare import testimonial_services as praise
from attract.aftercare.departure_services import departure_record
from attract.aftercare.models import Departure
from attract.aftercare.survey_services import survey_link_create
from attract.aftercare.tests.departure_factories import make_customer
from attract.conftest import sign_in

pytestmark = pytest.mark.browser
WIDTHS = [390, 1366]
SHOTS = Path("var/screenshots/aftercare")


def _context(browser, live_server, width: int):
    return browser.new_context(base_url=live_server.url, viewport={"width": width, "height": 900})


def _fits(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def _shot(page, name: str, width: int) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}-{width}.png"), full_page=True)


@pytest.mark.parametrize("width", WIDTHS)
def test_record_a_departure_from_the_company_page(browser, live_server, owner, width):
    company = make_customer(
        owner, name="Corner Bakery",
        purchases=[(date(2024, 2, 1), "1200", "500"), (timezone.localdate() - timedelta(days=90),
                                                       "800", "300")],
    )  # fmt: skip
    context = _context(browser, live_server, width)
    page = context.new_page()
    try:
        sign_in(page, owner)
        page.goto(f"/companies/{company.pk}/")
        card = page.locator("#customer-value")
        expect(card).to_contain_text("Repeat buyer")
        assert _fits(page)
        _shot(page, "company-card", width)
        card.get_by_role("link", name="Mark as departed").click()
        page.get_by_label("Perceived indifference — control: total (published 68%)").check()
        page.get_by_label("Who we dealt with").select_option(label="Dana Baker")
        page.get_by_label("Note").fill("Nobody called them for a year.")
        assert _fits(page)
        _shot(page, "departure-form", width)
        page.get_by_role("button", name="Mark as departed").click()
        expect(page.locator("[data-testid=our-guess]")).to_contain_text("Perceived indifference")
        expect(page.locator("[data-testid=their-answer]")).to_contain_text("Not answered yet")
        assert _fits(page)
        _shot(page, "departure", width)
        page.get_by_role("button", name="Create a survey link").click()
        expect(page.locator("h1")).to_have_text("Exit survey link")
        assert "/care/survey/" in page.locator("#survey-url").input_value()
        assert _fits(page)
        _shot(page, "survey-link", width)
        departure = Departure.objects.get()
        assert departure.reason == "indifference" and departure.contact.first_name == "Dana"
    finally:
        context.close()


def test_answer_the_exit_survey_on_a_phone(browser, live_server, owner):
    company = make_customer(owner, name="Quiet Florist")
    departure = departure_record(
        actor=owner, company=company, departed_on=timezone.localdate(), reason="product_price"
    )
    _, raw = survey_link_create(actor=owner, departure=departure)
    context = browser.new_context(
        base_url=live_server.url, viewport={"width": 390, "height": 844}, is_mobile=True,
        has_touch=True,
    )  # fmt: skip
    page = context.new_page()
    try:
        page.goto(f"/care/survey/{raw}/")
        expect(page.locator("h1")).to_contain_text("would like to hear from you")
        assert "Quiet Florist" not in page.content()
        assert _fits(page)
        _shot(page, "survey", 390)
        page.get_by_role("button", name="Send my answers").click()
        expect(page.locator(".errorlist")).to_contain_text("This field is required")
        page.get_by_label("We felt you did not care about us any more").check()
        page.get_by_label("What could we have done better?").fill("Call us now and then.")
        page.locator("fieldset", has_text="Would you come back").get_by_label("Maybe").check()
        page.locator("fieldset", has_text="May we contact").get_by_label("Yes").check()
        page.get_by_role("button", name="Send my answers").click()
        expect(page.locator("h1")).to_have_text("Thank you")
        _shot(page, "survey-thanks", 390)
        page.goto(f"/care/survey/{raw}/")
        expect(page.locator("h1")).to_have_text("This link does not work any more")
        departure.refresh_from_db()
        assert departure.customer_reason == "indifference" and departure.reason == "product_price"
        assert departure.customer_would_return == "maybe" and departure.customer_may_contact
    finally:
        context.close()


def _picture() -> SimpleUploadedFile:
    out = io.BytesIO()
    Image.new("RGB", (1200, 800), "seagreen").save(out, "JPEG")
    return SimpleUploadedFile("p.jpg", out.getvalue())


@pytest.mark.parametrize("width", WIDTHS)
def test_the_care_pages_fit_the_screen(browser, live_server, owner, width):
    today = timezone.localdate()
    for n, reason in enumerate(["indifference", "indifference", "competitor", "moved"]):
        gone = make_customer(owner, name=f"Former customer with a long name {n}", contact=False,
                             purchases=[(today - timedelta(days=200), "5000", "2000")])  # fmt: skip
        departure_record(actor=owner, company=gone, departed_on=today - timedelta(days=n * 40),
                         reason=reason)  # fmt: skip
    happy = make_customer(owner, name="Happy Hens",
                          purchases=[(date(2024, 1, 1), "100", "10"), (date(2025, 1, 1), "90", "9")])  # fmt: skip
    dana = happy.persons.get()
    praise.testimonial_create(actor=owner, company=happy, person=dana,
                              words="The only supplier who calls to ask how things went.",
                              consent="full")  # fmt: skip
    case = praise.case_study_create(
        actor=owner, company=happy, person=dana, title="Twice the eggs", pain="Empty shelves",
        what_we_did="A weekly delivery", result="Sales up 40% in 3 months", consent="first_name",
        image=_picture(),
    )  # fmt: skip
    context = _context(browser, live_server, width)
    page = context.new_page()
    try:
        sign_in(page, owner)
        page.goto("/care/departures/")
        expect(page.locator("#reasons-chart svg")).to_be_visible()
        expect(page.locator("[data-testid=share-in-control]")).to_contain_text("75.0%")
        expect(page.locator("#in-our-control tbody tr")).to_have_count(3)
        assert _fits(page)
        _shot(page, "why-they-leave", width)
        page.goto("/care/repeat/")
        expect(page.locator("#cohorts")).to_be_visible()
        assert _fits(page)
        _shot(page, "repeat", width)
        page.goto("/care/testimonials/")
        expect(page.locator("#testimonials li")).to_have_count(1)
        assert _fits(page)
        _shot(page, "testimonials", width)
        page.goto(f"/care/case-studies/{case.pk}/")
        expect(page.locator("#snippet")).to_contain_text("Dana")
        expect(page.locator("img.case-image")).to_be_visible()
        assert _fits(page)
        _shot(page, "case-study", width)
    finally:
        context.close()


def test_a_departure_recorded_by_mistake_goes_to_the_trash_and_undo_brings_it_back(
    owner_page, owner
):
    company = make_customer(owner, name="Wrong Widget",
                            purchases=[(date(2025, 1, 6), "400", "100")])  # fmt: skip
    gone = departure_record(actor=owner, company=company, departed_on=date(2025, 5, 1),
                            reason="moved", note="Moved to the coast")  # fmt: skip
    page = owner_page
    page.goto(f"/care/departures/{gone.pk}/")
    page.get_by_role("button", name="Move to the trash").click()
    toast = page.locator(".toast").filter(has_text="moved to the trash")
    expect(toast).to_be_visible()
    assert page.url.endswith(f"/companies/{company.pk}/")
    company.refresh_from_db()
    assert company.relationship == "customer"
    toast.get_by_role("button", name="Undo").click()
    expect(page.locator("[data-testid=our-guess]")).to_contain_text("Moved away")
    expect(page.locator("[data-testid=departure-in-trash]")).to_have_count(0)
    company.refresh_from_db()
    assert company.relationship == "former_customer"
    assert Departure.objects.get(pk=gone.pk).note == "Moved to the coast"
