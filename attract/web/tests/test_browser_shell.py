import pytest

from attract.web.navigation import NAV_ITEMS

pytestmark = pytest.mark.browser


def test_every_menu_entry_opens_a_real_page(owner_page):
    page = owner_page
    nav = page.get_by_role("navigation", name="Main")
    for item in NAV_ITEMS:
        nav.get_by_role("link", name=item.label, exact=True).click()
        page.wait_for_load_state()
        assert page.locator("h1").first.is_visible()
        link = nav.get_by_role("link", name=item.label, exact=True)
        assert link.get_attribute("aria-current") == "page"


def test_keyboard_shortcuts_jump_between_sections(owner_page):
    page = owner_page
    page.keyboard.press("g")
    page.keyboard.press("p")
    page.wait_for_url("**/people/")
    page.keyboard.press("?")
    assert page.get_by_role("dialog", name="Keyboard shortcuts").is_visible()


def test_tab_reaches_the_skip_link_first_with_a_visible_focus_ring(owner_page):
    page = owner_page
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.textContent.trim()")
    assert focused == "Skip to content"
    outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    assert outline != "none"


def test_on_a_phone_the_menu_folds_behind_a_button(browser, live_server, owner):
    from attract.conftest import sign_in

    context = browser.new_context(base_url=live_server.url, viewport={"width": 390, "height": 844})
    page = context.new_page()
    try:
        sign_in(page, owner)
        people = page.get_by_role("navigation", name="Main").get_by_role("link", name="People")
        assert not people.is_visible()
        page.get_by_role("button", name="Menu").click()
        people.click()
        page.wait_for_url("**/people/")
        assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    finally:
        context.close()
