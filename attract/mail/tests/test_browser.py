"""Writing to a person in a real Chromium, at a phone's and a desktop's width: from the
person page, preview with the fields filled, send through a real SMTP server (aiosmtpd), and
find the message on their timeline; and a template written on its page."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import expect

from attract.conftest import sign_in
from attract.mail.models import MailTemplate
from attract.people.tests.factories import CompanyFactory, EmailAddressFactory, PersonFactory

pytestmark = pytest.mark.browser
SHOTS = Path("var/screenshots/mail")


@pytest.mark.parametrize("width", [390, 1366])
def test_compose_from_a_person_page_preview_and_send(
    browser, live_server, owner, smtp_server, width
):
    company = CompanyFactory(name="Crust & Crumb", owner=owner)
    ana = PersonFactory(first_name="Ana", last_name="Ruiz", owner=owner, company=company)
    EmailAddressFactory(person=ana, email="ana@crust.example")
    context = browser.new_context(
        base_url=live_server.url, viewport={"width": width, "height": 900}
    )
    context.set_default_timeout(20_000)
    page = context.new_page()
    try:
        sign_in(page, owner)
        page.goto(f"/people/{ana.pk}/")
        page.get_by_role("link", name="Write an e-mail").click()
        page.get_by_label("Subject").fill("Hello {{ first_name }}")
        page.get_by_label("Letter").fill(
            "Dear {{ first_name }} of {{ company }},\n\nHow are things?"
        )
        page.get_by_role("button", name="Preview").click()
        preview = page.locator("#preview")
        expect(preview).to_contain_text("Hello Ana")
        expect(preview).to_contain_text("Dear Ana of Crust & Crumb,")
        assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
        SHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SHOTS / f"compose-{width}.png"), full_page=True)
        page.get_by_role("button", name="Send").click()
        expect(page.get_by_text("Sent to ana@crust.example.")).to_be_visible()
        assert page.url.endswith(f"/people/{ana.pk}/")
        expect(page.get_by_text("Hello Ana").first).to_be_visible()  # on the timeline
    finally:
        context.close()
    [got] = smtp_server.messages
    assert got.message["Subject"] == "Hello Ana" and got.recipients == ["ana@crust.example"]


def test_write_a_template_and_be_told_of_an_unknown_field(owner_page):
    page = owner_page
    page.goto("/mail/templates/")
    page.get_by_role("link", name="New template").click()
    page.get_by_label("Name").fill("Spring hello")
    page.get_by_label("Subject").fill("Spring, {{ first_name }}")
    page.get_by_label("Body").fill("Hi {{ nickname }}")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("Unknown merge field {{ nickname }}")).to_be_visible()
    page.get_by_label("Body").fill("Hi {{ first_name }}")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("heading", name="Spring hello")).to_be_visible()
    assert MailTemplate.objects.filter(name="Spring hello").exists()
