"""In a real browser: the person and company pages (first things first, fit in a dialog, the
focus kept across htmx updates) and editing in place, on a 1366 px desktop and a 390 px
phone, with a stale edit, bad input and the keyboard."""

from __future__ import annotations

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

from attract.attraction.services import quality_create
from attract.conftest import sign_in
from attract.engagement.models import Interaction
from attract.people import services
from attract.people.models import Company, Person
from attract.people.tests.factories import CompanyFactory

pytestmark = pytest.mark.browser

NO_SIDEWAYS_SCROLL = "document.documentElement.scrollWidth <= window.innerWidth"
AXE_RULES = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}}


def _ann(owner) -> Person:
    company = CompanyFactory(owner=owner, name="Good Bakery", relationship="customer")
    return services.person_create(
        actor=owner,
        first_name="Ann",
        last_name="Lee",
        job_title="Buyer",
        company=company,
        emails=["ann@example.com"],
        phones=["+44 20 7946 0958"],
        tags=["vip"],
    )


def _serious_violations(page) -> list[str]:
    results = Axe().run(page, options=AXE_RULES)
    return [
        f"{v['id']} at {[n['target'] for n in v['nodes'][:3]]}"
        for v in results.response["violations"]
        if v["impact"] in {"serious", "critical"}
    ]


@pytest.mark.parametrize("width", [390, 1366])
def test_the_person_page_puts_first_things_first_on_a_desktop_and_a_phone(
    owner_page, owner, width, tmp_path
):
    person = _ann(owner)
    page = owner_page
    page.set_viewport_size({"width": width, "height": 900})
    page.goto(f"/people/{person.pk}/")
    facts = page.get_by_role("list", name="Key facts")
    expect(facts).to_contain_text("Good Bakery")
    expect(facts).to_contain_text("Fit not assessed")
    expect(facts.get_by_role("link", name="ann@example.com")).to_be_visible()
    expect(page.locator("#next-step")).to_contain_text("No next step.")
    timeline = page.locator("#timeline").bounding_box()
    side = page.locator("#details").bounding_box()
    if width == 1366:
        assert side["x"] > timeline["x"] + timeline["width"] - 1  # two columns
        assert side["y"] < timeline["y"] + 50
    else:
        assert side["y"] > timeline["y"]  # one column: the timeline first
    page.screenshot(path=tmp_path / f"person-{width}.png", full_page=True)
    assert page.evaluate(NO_SIDEWAYS_SCROLL)

    page.goto(f"/companies/{person.company_id}/")
    expect(page.get_by_role("heading", name="Good Bakery", level=1)).to_be_visible()
    page.screenshot(path=tmp_path / f"company-{width}.png", full_page=True)
    assert page.evaluate(NO_SIDEWAYS_SCROLL)


def test_two_pages_edit_the_same_field_and_the_second_is_refused_keeping_its_input(
    browser, live_server, owner, teammate, tmp_path
):
    person = _ann(owner)
    pages = []
    for user in (owner, teammate):
        context = browser.new_context(
            base_url=live_server.url, viewport={"width": 1366, "height": 900}
        )
        page = context.new_page()
        sign_in(page, user)
        page.goto(f"/people/{person.pk}/")
        pages.append(page)
    first, second = pages
    try:
        for page in pages:  # both open the editor on the version they see
            page.get_by_role("link", name="Edit job title").click()
            expect(page.get_by_label("Job title", exact=True)).to_be_focused()

        first.get_by_label("Job title", exact=True).fill("Head of buying")
        first.keyboard.press("Enter")
        expect(first.locator("#details")).to_contain_text("Head of buying")
        expect(first.get_by_role("link", name="Edit job title")).to_be_focused()

        field = second.get_by_label("Job title", exact=True)
        field.fill("Chief buyer")
        field.press("Enter")
        refusal = second.locator(".inline-errors")
        expect(refusal).to_contain_text("nothing was saved")
        expect(refusal).to_contain_text("Job title: Buyer → Head of buying")
        expect(field).to_have_value("Chief buyer")
        # Leaving the refused editor does not save it behind the user's back.
        second.get_by_role("heading", name="Details").click()
        second.wait_for_timeout(300)
        assert Person.objects.get(pk=person.pk).job_title == "Head of buying"
        second.screenshot(path=tmp_path / "conflict.png", full_page=True)

        # Saving again is a choice made having read the change.
        second.get_by_role("button", name="Save").click()
        expect(second.locator("#details")).to_contain_text("Chief buyer")
        assert Person.objects.get(pk=person.pk).job_title == "Chief buyer"
        assert person.history.first().history_user == teammate
    finally:
        for page in pages:
            page.context.close()


def test_bad_input_in_place_is_explained_at_the_field_and_escape_cancels(owner_page, owner):
    person = _ann(owner)
    page = owner_page
    page.goto(f"/people/{person.pk}/")
    page.get_by_role("link", name="Edit email").click()
    email = page.get_by_label("Email", exact=True)
    email.fill("not an address")
    email.press("Enter")
    expect(page.locator(".inline-errors")).to_be_visible()
    expect(page.get_by_label("Email", exact=True)).to_have_value("not an address")
    expect(page.get_by_label("Email", exact=True)).to_have_attribute("aria-invalid", "true")
    assert not _serious_violations(page)

    page.get_by_label("Email", exact=True).press("Escape")
    expect(page.locator("#details")).to_contain_text("ann@example.com")
    expect(page.get_by_role("link", name="Edit email")).to_be_focused()
    assert [e.email for e in Person.objects.get(pk=person.pk).emails.all()] == ["ann@example.com"]


def test_a_list_cell_is_edited_by_keyboard_and_saved_when_leaving_it(owner_page, owner, teammate):
    company = CompanyFactory(owner=owner, name="Acme", relationship="prospect")
    page = owner_page
    page.goto("/companies/")
    edit = page.get_by_role("link", name="Edit relationship of Acme")
    edit.focus()
    page.keyboard.press("Enter")
    select = page.get_by_label("Relationship of Acme", exact=True)
    expect(select).to_be_focused()
    select.select_option("partner")
    page.keyboard.press("Enter")
    expect(page.get_by_role("link", name="Edit relationship of Acme")).to_be_focused()
    assert Company.objects.get(pk=company.pk).relationship == "partner"

    # The owner: chosen, then saved by leaving the field (a blur), not by Enter.
    page.get_by_role("link", name="Edit owner of Acme").click()
    page.get_by_label("Owner of Acme", exact=True).select_option(str(teammate.pk))
    page.get_by_label("Search", exact=True).click()
    expect(page.get_by_label("Owner of Acme", exact=True)).to_have_count(0)
    expect(page.locator("table.list td[data-label=Owner]")).to_contain_text("Tom Teammate")
    expect(page.get_by_label("Search", exact=True)).to_be_focused()  # not pulled back
    assert Company.objects.get(pk=company.pk).owner == teammate
    # Two edits in a row on one page: the page's version moved on with the first one.
    assert Company.objects.get(pk=company.pk).version == 3


def test_fit_is_assessed_in_a_dialog_and_the_side_card_follows(owner_page, owner):
    quality_create(actor=owner, text="Pays on time", weight=3)
    quality_create(actor=owner, text="Loves to learn", weight=1)
    company = CompanyFactory(owner=owner, name="Good Bakery")
    page = owner_page
    page.goto(f"/companies/{company.pk}/")
    card = page.locator("#fit-card")
    expect(card.get_by_test_id("fit-score")).to_have_text("Fit not assessed")
    assert page.locator("#fit-card select").count() == 0  # no selects on the page itself

    card.get_by_role("button", name="Assess").click()
    dialog = page.get_by_role("dialog", name="Assess fit")
    expect(dialog).to_be_visible()
    dialog.get_by_label("Pays on time").select_option("yes")
    expect(card.get_by_test_id("fit-score")).to_have_text("Fit 100")
    expect(dialog.locator(".fit-summary")).to_contain_text("Fit 100")  # the dialog redrawn
    expect(dialog.get_by_label("Pays on time")).to_be_focused()  # the focus stays
    dialog.get_by_label("Loves to learn").select_option("no")
    expect(card.get_by_test_id("fit-score")).to_have_text("Fit 75")
    expect(dialog).to_be_visible()  # still open for the next answer
    assert not _serious_violations(page)
    page.keyboard.press("Escape")
    expect(dialog).to_be_hidden()
    expect(card.get_by_role("button", name="Assess")).to_be_focused()
    expect(page.get_by_role("list", name="Key facts")).to_contain_text("Fit")

    # A deal's "Assess" link opens the page at the dialog.
    page.goto("/companies/")
    page.goto(f"/companies/{company.pk}/#fit-assess")
    expect(page.get_by_role("dialog", name="Assess fit")).to_be_visible()


def test_logging_an_interaction_keeps_the_focus_in_the_form(owner_page, owner):
    person = _ann(owner)
    page = owner_page
    page.goto(f"/people/{person.pk}/")
    page.get_by_label("Summary").fill("Asked about the autumn order")
    button = page.get_by_role("button", name="Log interaction")
    button.focus()
    page.keyboard.press("Enter")
    expect(page.locator("#timeline")).to_contain_text("Asked about the autumn order")
    expect(page.get_by_role("button", name="Log interaction")).to_be_focused()
    assert Interaction.objects.filter(person=person).count() == 1


def test_the_lists_are_compact_rows_with_a_sort_menu_on_a_phone(
    browser, live_server, owner, tmp_path
):
    company = CompanyFactory(owner=owner, name="Good Bakery")
    for first in ("Bea", "Ann", "Cid"):
        services.person_create(
            actor=owner, first_name=first, last_name="Lee", job_title="Buyer", company=company
        )
    context = browser.new_context(base_url=live_server.url, viewport={"width": 390, "height": 844})
    page = context.new_page()
    try:
        sign_in(page, owner)
        page.goto("/people/")
        rows = page.locator("table.list tbody tr")
        expect(rows.first).to_contain_text("Ann Lee")
        # One row: the name on its own line, then company and job title on one line.
        first_row = rows.first
        name = first_row.get_by_role("link", name="Ann Lee", exact=True).bounding_box()
        detail = first_row.get_by_role("link", name="Good Bakery").bounding_box()
        assert detail["y"] > name["y"]
        expect(first_row.locator("td[data-label=Owner]")).to_be_hidden()
        page.screenshot(path=tmp_path / "people-390.png", full_page=True)
        assert page.evaluate(NO_SIDEWAYS_SCROLL)

        page.get_by_label("Sort by").select_option("-name")
        expect(rows.first).to_contain_text("Cid Lee")
        assert "sort=-name" in page.url
        page.goto("/companies/")
        expect(page.get_by_label("Sort by")).to_be_visible()
        page.screenshot(path=tmp_path / "companies-390.png", full_page=True)
        assert page.evaluate(NO_SIDEWAYS_SCROLL)
    finally:
        context.close()


def test_a_next_step_is_added_from_the_header_in_a_dialog(owner_page, owner):
    person = _ann(owner)
    page = owner_page
    page.goto(f"/people/{person.pk}/")
    page.get_by_role("button", name="Add a next step").click()
    dialog = page.get_by_role("dialog", name="Add a next step")
    dialog.get_by_label("Title").fill("Send the autumn price list")
    dialog.get_by_label("Due").fill("2030-05-04T09:30")
    dialog.get_by_role("button", name="Add task").click()
    expect(page.locator("#next-step")).to_contain_text("Send the autumn price list")
    expect(page.locator("#next-step")).not_to_contain_text("No next step.")
