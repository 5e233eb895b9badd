import pytest
from playwright.sync_api import expect

from attract.conftest import sign_in
from attract.people import services
from attract.people.models import Person
from attract.people.tests.factories import CompanyFactory, PersonFactory

pytestmark = pytest.mark.browser


def test_create_a_person_through_the_form_and_see_them_on_their_page(owner_page, owner):
    page = owner_page
    services.company_create(actor=owner, name="Acme Widgets")
    page.goto("/people/")
    page.keyboard.press("n")  # the shortcut for "New person"
    page.wait_for_url("**/people/new/")

    page.get_by_label("First name").fill("Ann")
    page.get_by_label("Last name").fill("Lee")
    page.get_by_label("Job title").fill("Buyer")
    page.get_by_label("Company").fill("Acme")
    # The suggestions arrive through htmx into the <datalist>.
    page.locator('#company-suggestions option[value="Acme Widgets"]').wait_for(state="attached")
    page.get_by_label("Company").fill("Acme Widgets")
    page.get_by_label("Emails").fill("ann@example.com")
    page.get_by_label("Phones").fill("+44 20 7946 0958")
    page.get_by_label("Tags").fill("lead, fair")
    page.get_by_role("button", name="Add person").click()

    page.wait_for_url("**/people/*/")
    assert page.locator("h1").inner_text() == "Ann Lee"
    facts = page.locator(".facts")
    assert "Acme Widgets" in facts.inner_text()
    assert "+44 20 7946 0958" in facts.inner_text()
    assert page.locator("#timeline").is_visible()
    assert "Created" in page.locator("#history").inner_text()
    assert Person.objects.get().company.name == "Acme Widgets"


def test_searching_the_list_narrows_the_table_in_place(owner_page, owner):
    page = owner_page
    PersonFactory(owner=owner, first_name="Ann", last_name="Lee")
    PersonFactory(owner=owner, first_name="Bob", last_name="Stone")
    page.goto("/people/")
    rows = page.locator("#person-table tbody tr")
    assert rows.count() == 2
    page.evaluate("window.notReloaded = true")

    page.keyboard.press("/")  # focuses the search box
    page.keyboard.type("stone")

    expect(page.locator("#person-table tbody tr")).to_have_count(1)
    assert "Bob Stone" in rows.first.inner_text()
    assert page.evaluate("window.notReloaded") is True  # htmx swapped the table only
    assert "q=stone" in page.url  # and the address can be shared or reloaded


def test_a_form_error_appears_next_to_its_field(owner_page):
    page = owner_page
    page.goto("/people/new/")
    page.get_by_label("First name").fill("Ann")
    page.get_by_label("Emails").fill("not-an-address")
    page.get_by_role("button", name="Add person").click()

    error = page.locator("#id_emails_errors")
    assert error.is_visible()
    field = page.locator(".field.has-error")
    assert field.count() == 1 and field.locator("#id_emails").count() == 1
    assert page.get_by_label("First name").input_value() == "Ann"  # nothing typed is lost
    assert not Person.objects.exists()


def test_the_lists_fit_a_phone_screen(browser, live_server, owner):
    company = CompanyFactory(owner=owner, name="A company with a rather long name indeed")
    for n in range(5):
        services.person_create(
            actor=owner,
            first_name=f"Person{n}",
            last_name="With-a-fairly-long-family-name",
            job_title="Head of procurement and supply chain",
            company=company,
            emails=[f"someone.with.a.long.address{n}@example.org"],
            phones=["+44 20 7946 0958"],
            tags=["lead", "conference 2026", "vip"],
        )
    context = browser.new_context(base_url=live_server.url, viewport={"width": 390, "height": 844})
    page = context.new_page()
    try:
        sign_in(page, owner)
        for url in ["/people/", "/companies/"]:
            page.goto(url)
            assert page.locator("table.list.stack tbody tr").count() >= 1
            assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"), url
    finally:
        context.close()
