"""A person's way through the accounts pages in a real Chromium."""

import pytest
from playwright.sync_api import expect

from attract.accounts.models import Role, User
from attract.accounts.services import api_token_authenticate
from attract.conftest import sign_in

pytestmark = pytest.mark.browser

NEW_PASSWORD = "a lighthouse in the fog"


def test_a_fresh_installation_is_set_up_through_the_form_and_lands_on_today(page):
    page.goto("/people/")
    page.wait_for_url("**/setup/")
    page.get_by_label("Your name").fill("Ann Owner")
    page.get_by_label("Email").fill("ann@example.com")
    page.get_by_label("Password").fill("password")
    page.get_by_role("button", name="Create my account").click()
    # A common password is refused next to its field, and nothing is created.
    expect(page.locator("#id_password_errors")).to_be_visible()
    assert not User.objects.exists()

    page.get_by_label("Password").fill(NEW_PASSWORD)
    page.get_by_role("button", name="Create my account").click()
    page.wait_for_url(lambda url: "/setup/" not in url)
    expect(page.get_by_role("heading", name="Today")).to_be_visible()
    expect(page.get_by_text("Ann Owner").first).to_be_visible()
    assert User.objects.get().role == Role.OWNER


def test_logging_in_and_out(page, teammate):
    page.goto("/")
    page.wait_for_url("**/login/**")
    page.get_by_label("Email").fill("TEAMMATE@example.com")
    page.get_by_label("Password").fill("wrong password")
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_text("do not match an active account")).to_be_visible()

    sign_in(page, teammate)
    expect(page.get_by_role("heading", name="Today")).to_be_visible()
    page.get_by_role("button", name="Log out").click()
    page.wait_for_url("**/login/")
    page.goto("/settings/")
    page.wait_for_url("**/login/**")


def test_an_api_token_is_shown_once_then_only_its_prefix(owner_page, owner):
    page = owner_page
    page.context.grant_permissions(["clipboard-read", "clipboard-write"])
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Settings").click()
    page.get_by_role("link", name="Manage API tokens").click()
    page.get_by_label("Token name").fill("Invoice sync")
    page.get_by_role("button", name="Create token").click()

    raw = page.get_by_test_id("new-token").inner_text().strip()
    assert raw.startswith("att_")
    assert api_token_authenticate(raw) == owner
    page.get_by_role("button", name="Copy token").click()
    expect(page.get_by_role("button", name="Copied")).to_be_visible()
    assert page.evaluate("navigator.clipboard.readText()") == raw

    page.goto("/settings/tokens/")
    assert raw not in page.content()
    row = page.get_by_role("row", name="Invoice sync")
    expect(row).to_contain_text(raw[:12])

    row.get_by_role("button", name="Revoke").click()
    page.get_by_role("dialog").get_by_role("button", name="Confirm").click()
    page.get_by_text("is revoked").wait_for()
    assert api_token_authenticate(raw) is None


def test_the_owner_invites_someone_who_accepts_in_their_own_browser(
    owner_page, browser, live_server
):
    page = owner_page
    page.goto("/settings/team/")
    invite = page.get_by_role("region", name="Invite someone")
    invite.get_by_label("Email").fill("nina@example.com")
    invite.get_by_label("Role").select_option("viewer")
    invite.get_by_role("button", name="Send invitation").click()
    link = page.get_by_test_id("invitation-link").inner_text().strip()
    assert "/invite/att_" in link

    invitee = browser.new_context(base_url=live_server.url)
    try:
        other = invitee.new_page()
        other.goto(link)
        expect(other.get_by_text("nina@example.com")).to_be_visible()
        other.get_by_label("Your name").fill("Nina New")
        other.get_by_label("Choose a password").fill(NEW_PASSWORD)
        other.get_by_role("button", name="Accept and join").click()
        other.wait_for_url(lambda url: "/invite/" not in url)
        expect(other.get_by_role("heading", name="Today")).to_be_visible()
        expect(other.get_by_text("Nina New").first).to_be_visible()
        # The link worked once.
        other.goto(link)
        expect(
            other.get_by_role("heading", name="This invitation link does not work")
        ).to_be_visible()
    finally:
        invitee.close()

    page.goto("/settings/team/")
    row = page.get_by_role("row", name="nina@example.com")
    expect(row.get_by_role("combobox")).to_have_value("viewer")
    assert User.objects.get(email="nina@example.com").role == Role.VIEWER
