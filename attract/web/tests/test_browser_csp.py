"""The Content-Security-Policy in a real Chromium: every main page, as the owner with the
sample business loaded, loads with no violation — and what needs script still works under it
(an htmx update, a toast's Undo, the keyboard shortcuts and the command palette, the print
button)."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from attract.people.models import Company, Person
from attract.pipeline.models import Deal
from attract.web.demo import demo_load

pytestmark = pytest.mark.browser

# Each violation reaches Python twice over: the DOM's securitypolicyviolation event (through a
# binding) and Chromium's console message ("Refused to execute inline script…").
WATCH_VIOLATIONS = """
document.addEventListener("securitypolicyviolation", (e) => {
  window.reportViolation(`${e.violatedDirective} blocked ${e.blockedURI || "inline"}`
    + ` at ${e.sourceFile || location.pathname}:${e.lineNumber} (${e.sample || ""})`);
});
"""

STATIC_PAGES = [
    "/",
    "/partners/",
    "/care/",
    "/reports/",
    "/search/?q=a",
    "/people/",
    "/people/new/",
    "/companies/",
    "/companies/new/",
    "/trash/",
    "/pipeline/",
    "/pipeline/forecast/",
    "/pipeline/long-maybes/",
    "/pipeline/stages/",
    "/pipeline/questions/",
    "/deals/",
    "/deals/new/",
    "/deals/closed/",
    "/plan/",
    "/plan/print/",
    "/plan/journal/",
    "/plan/traits/",
    "/plan/thank-you-notes/",
    "/plan/learning/",
    "/plan/fit/companies/",
    "/engagement/review/",
    "/engagement/awaiting-reply/",
    "/engagement/goals/",
    "/engagement/tasks/",
    "/import/",
    "/import/history/",
    "/settings/",
    "/settings/profile/",
    "/settings/password/",
    "/settings/tokens/",
    "/settings/team/",
    "/settings/background/",
    "/settings/webhooks/",
    "/api/v1/docs",
    "/no-such-page/",
]


@pytest.fixture
def watched_page(page):
    """The page, with every CSP violation it meets collected in `page.violations`."""
    violations: list[str] = []

    def report(text: str) -> None:
        violations.append(text)

    page.context.expose_function("reportViolation", report)
    page.context.add_init_script(WATCH_VIOLATIONS)

    def on_console(message) -> None:
        if "Content Security Policy" in message.text:
            violations.append(f"console: {message.text}")

    page.on("console", on_console)
    page.violations = violations
    return page


@pytest.fixture
def sample_owner_page(watched_page, owner):
    from attract.conftest import sign_in

    demo_load(owner=owner, seed=3)
    sign_in(watched_page, owner)
    return watched_page


def _record_pages() -> list[str]:
    person = Person.objects.order_by("pk").first()
    company = Company.objects.order_by("pk").first()
    deal = Deal.objects.order_by("pk").first()
    return [
        f"/people/{person.pk}/",
        f"/people/{person.pk}/edit/",
        f"/people/{person.pk}/merge/",
        f"/companies/{company.pk}/",
        f"/companies/{company.pk}/edit/",
        f"/deals/{deal.pk}/",
        f"/deals/{deal.pk}/edit/",
    ]


def test_every_main_page_loads_with_no_content_security_policy_violation(sample_owner_page):
    page = sample_owner_page
    for path in [*STATIC_PAGES, *_record_pages()]:
        response = page.goto(path)
        expected = 404 if path == "/no-such-page/" else 200
        assert response.status == expected, path
        assert "script-src 'self'" in response.headers["content-security-policy"], path
        page.wait_for_load_state("networkidle")
        assert page.violations == [], path
    # The API docs page really drew its interface from django-ninja's bundled Swagger UI, and
    # an opened operation (whose selects draw their arrows with data: images) stays clean.
    page.goto("/api/v1/docs")
    page.locator(".swagger-ui .info").wait_for()
    page.locator(".opblock-summary").first.click()
    page.locator(".opblock-body select").first.wait_for()
    page.wait_for_timeout(300)
    assert page.violations == []


def test_the_login_page_for_a_visitor_has_no_violation(watched_page, owner):
    from attract.conftest import sign_in

    sign_in(watched_page, owner)  # the log-in form, then the first page
    assert watched_page.violations == []


def test_htmx_toasts_shortcuts_and_print_work_under_the_policy(sample_owner_page, owner):
    page = sample_owner_page
    person = Person.objects.order_by("pk").first()

    # htmx: the search box replaces the table without a page load.
    page.goto("/people/")
    page.evaluate("window.samePage = true")
    page.locator("#id_q").fill(person.last_name)
    page.wait_for_url(lambda url: "q=" in url)
    rows = page.locator("#person-table tbody tr")
    rows.first.wait_for()
    assert all(person.last_name in text for text in rows.all_inner_texts())
    assert page.evaluate("window.samePage") is True

    # A toast's Undo: a trashed company comes back.
    company = Company.objects.order_by("pk").first()
    page.goto(f"/companies/{company.pk}/")
    page.get_by_role("button", name="Move to trash").click()
    page.get_by_role("dialog").get_by_role("button", name="Confirm").click()
    page.wait_for_url("**/companies/")
    page.locator("#toasts").get_by_role("button", name="Undo").click()
    page.wait_for_url(f"**/companies/{company.pk}/")
    assert f"{company.name} restored." in page.locator("#toasts").inner_text()
    assert Company.objects.filter(pk=company.pk).exists()  # `objects` hides trashed rows

    # The keyboard shortcuts: "g d" opens the pipeline, "?" the list of shortcuts.
    page.locator("h1").click()
    page.keyboard.press("g")
    page.keyboard.press("d")
    page.wait_for_url("**/pipeline/")
    page.keyboard.press("?")
    assert page.get_by_role("dialog", name="Keyboard shortcuts").is_visible()

    # The command palette: Ctrl-K, a name, and the person's page opens.
    page.keyboard.press("Escape")
    expect(page.get_by_role("dialog", name="Keyboard shortcuts")).to_be_hidden()
    page.keyboard.press("Control+k")
    palette = page.get_by_role("dialog", name="Search and commands")
    expect(palette).to_be_visible()
    page.keyboard.type(person.last_name)
    option = palette.get_by_role("option").filter(has_text=person.full_name).first
    expect(option).to_be_visible()
    option.click()
    page.wait_for_url(re.compile(r".*/people/\d+/$"))

    # The print button (an onclick attribute before the policy) still prints.
    page.goto("/plan/print/")
    page.evaluate("window.print = () => { window.printed = true; }")
    page.get_by_role("button", name="Print").click()
    assert page.evaluate("window.printed") is True

    # The share bars of the review draw their width from an attribute, not a style.
    page.goto("/engagement/review/")
    bars = page.locator("svg.share-bar")
    assert bars.count() > 0
    for index in range(bars.count()):
        bar = bars.nth(index)
        percent = int(bar.locator("rect").get_attribute("width"))
        drawn = bar.evaluate(
            "el => 100 * el.querySelector('rect').getBoundingClientRect().width"
            " / el.getBoundingClientRect().width"
        )
        assert abs(drawn - percent) < 1.5, (percent, drawn)

    assert page.violations == []


def test_the_policy_is_enforced_and_a_violation_would_be_caught(watched_page, owner):
    """The check above is only worth something if an inline script is refused and reported."""
    from attract.conftest import sign_in

    sign_in(watched_page, owner)
    page = watched_page
    page.evaluate(
        """() => {
          const script = document.createElement("script");
          script.textContent = "window.injected = true";
          document.body.append(script);
          document.body.insertAdjacentHTML("beforeend", '<p style="color: red">styled</p>');
        }"""
    )
    page.wait_for_timeout(300)  # the violation events are queued as tasks
    assert page.evaluate("window.injected") is None
    assert any("script-src" in v for v in page.violations), page.violations
    assert any("style-src" in v for v in page.violations), page.violations
