"""Every page passes the axe-core accessibility engine (WCAG 2.x A and AA rules) in a real
Chromium with the demo data: no violation of serious or critical impact, on a desktop and
on a phone. A page added to the menu or the palette's page list is checked here for free."""

from __future__ import annotations

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.urls import reverse

from attract.partners.models import Partner
from attract.people.models import Company, Person
from attract.pipeline.models import Deal
from attract.web.commands import PAGES
from attract.web.demo import demo_load

pytestmark = pytest.mark.browser

RULES = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}}
BLOCKING = {"serious", "critical"}


def _pages() -> list[str]:
    """The menu's and palette's pages, a record of each kind, and the other main pages."""
    person = Person.objects.order_by("pk").first()
    company = Company.objects.order_by("pk").first()
    deal = Deal.objects.order_by("pk").first()
    urls = [reverse(page.url_name) for page in PAGES]
    urls += [
        reverse("people:person_detail", args=[person.pk]),
        reverse("people:company_detail", args=[company.pk]),
        reverse("pipeline:deal_detail", args=[deal.pk]),
        reverse("partners:detail", args=[Partner.objects.order_by("pk").first().pk]),
        reverse("partners:create") + "?q=a",
        reverse("partners:refer", args=["deal", deal.pk]),
        reverse("people:person_create"),
        reverse("pipeline:deal_create"),
        reverse("web:search") + "?q=a",
        reverse("transfer:import_start"),
        reverse("attraction:journal"),
        reverse("attraction:traits"),
        reverse("attraction:learning"),
        reverse("accounts:settings"),
    ]
    return list(dict.fromkeys(urls))


def _violations(page, url: str) -> list[str]:
    page.goto(url)
    page.wait_for_load_state()
    results = Axe().run(page, options=RULES)
    found = []
    for violation in results.response["violations"]:
        if violation["impact"] in BLOCKING:
            targets = [", ".join(node["target"]) for node in violation["nodes"][:3]]
            found.append(f"{url}: {violation['id']} ({violation['impact']}) at {targets}")
    return found


@pytest.mark.parametrize("width", [390, 1366])
def test_no_page_has_a_serious_accessibility_violation(owner_page, owner, width):
    demo_load(owner=owner, seed=7)
    page = owner_page
    page.set_viewport_size({"width": width, "height": 900})
    found = [v for url in _pages() for v in _violations(page, url)]
    assert not found, "\n".join(found)
