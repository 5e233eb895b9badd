"""The plan and the fit card in a real Chromium: sides edited in place, a company assessed."""

import pytest

from attract.attraction.models import Assessment, Quality, TickQuestion
from attract.attraction.services import quality_create
from attract.people.tests.factories import CompanyFactory

pytestmark = pytest.mark.browser


def test_the_owner_edits_the_three_sides_in_place(owner_page):
    page = owner_page
    page.goto("/plan/")
    page.evaluate("window.notReloaded = true")

    side_1 = page.locator("#side-1")
    side_1.locator("#id_text").fill("Pays on time")
    side_1.locator("#id_weight").fill("9")
    side_1.get_by_role("button", name="Add quality").click()
    page.locator("#id_weight_errors").wait_for()
    assert "from 1 to 5" in page.locator("#id_weight_errors").inner_text()

    page.locator("#side-1 #id_weight").fill("4")
    page.locator("#side-1").get_by_role("button", name="Add quality").click()
    # The saved quality appears in the side's list (the add form, re-shown after the error,
    # also holds the text, so wait for the list entry itself).
    page.locator("#side-1 .quality-list .quality-text", has_text="Pays on time").wait_for()
    assert Quality.objects.get().weight == 4

    question = TickQuestion.objects.order_by("position").first()
    answer = page.locator(f"#question-{question.pk}-answer")
    answer.fill("To build something that lasts")
    answer.locator("xpath=ancestor::form").get_by_role("button", name="Save answer").click()
    page.locator("#side-2 textarea", has_text="To build something that lasts").wait_for()

    side_3 = page.locator("#side-3")
    side_3.get_by_label("Category").select_option("services")
    side_3.locator("#id_text").fill("Fast delivery")
    side_3.get_by_label("Metric").fill("delivery time")
    side_3.get_by_label("Value").fill("48")
    side_3.get_by_label("Unit").fill("hours")
    side_3.get_by_label("Better is").select_option("lower")
    side_3.get_by_role("button", name="Add expectation").click()
    page.get_by_text("delivery time ≤ 48 hours").wait_for()

    assert page.evaluate("window.notReloaded") is True
    assert TickQuestion.objects.get(pk=question.pk).answer == "To build something that lasts"


def test_assessing_a_company_shows_its_fit_score(owner_page, owner):
    page = owner_page
    heavy = quality_create(actor=owner, text="Pays on time", weight=3)
    quality_create(actor=owner, text="Loves to learn", weight=1)
    company = CompanyFactory(owner=owner, name="Good Bakery")
    page.goto(f"/companies/{company.pk}/")
    card = page.locator("#fit-card")
    assert "not assessed" in card.locator("[data-testid=fit-score]").inner_text()

    card.get_by_role("button", name="Assess").click()  # the side card's dialog
    dialog = page.get_by_role("dialog", name="Assess fit")
    dialog.get_by_label("Pays on time").select_option("yes")
    page.locator("#fit-card [data-testid=fit-score]", has_text="Fit 100").wait_for()
    dialog.locator(".fit-summary", has_text="Fit 100").wait_for()  # the dialog redrawn too
    dialog.get_by_label("Loves to learn").select_option("no")
    page.locator("#fit-card [data-testid=fit-score]", has_text="Fit 75").wait_for()
    assert "2 of 2 qualities assessed" in page.locator("#fit-card").inner_text()
    assert Assessment.objects.get(quality=heavy).answer == "yes"


def test_an_assessed_company_leads_the_companies_list_sorted_by_fit(owner_page, owner):
    page = owner_page
    quality_create(actor=owner, text="Pays on time", weight=3)
    CompanyFactory(owner=owner, name="Aardvark Unassessed")
    company = CompanyFactory(owner=owner, name="Zebra Bakery")
    page.goto(f"/companies/{company.pk}/")
    page.locator("#fit-card").get_by_role("button", name="Assess").click()
    page.get_by_role("dialog", name="Assess fit").get_by_label("Pays on time").select_option("yes")
    page.locator("#fit-card [data-testid=fit-score]", has_text="Fit 100").wait_for()

    page.goto("/companies/")
    # By name, the unassessed company comes first; sorted by fit, the assessed one leads.
    assert "Aardvark" in page.locator("table.list tbody tr").first.inner_text()
    page.get_by_role("link", name="Fit", exact=True).click()
    page.wait_for_url("**sort=fit**")
    rows = page.locator("table.list tbody tr")
    assert "Zebra Bakery" in rows.nth(0).inner_text()
    assert rows.nth(0).locator("[data-fit]").get_attribute("data-fit") == "100"
    assert "Fit not assessed" in rows.nth(1).text_content()
    header = page.locator("th", has_text="Fit")
    assert header.get_attribute("aria-sort") == "descending"
