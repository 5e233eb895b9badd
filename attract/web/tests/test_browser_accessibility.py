"""Every page passes the axe-core accessibility engine (WCAG 2.x A and AA rules) in a real
Chromium with the demo data: no violation of serious or critical impact, on a desktop and
on a phone. A page added to the menu or the palette's page list is checked here for free."""

from __future__ import annotations

import pytest
from axe_playwright_python.sync_playwright import Axe

from attract.web.demo import demo_load
from attract.web.page_list import every_page_url

pytestmark = pytest.mark.browser

RULES = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}}
BLOCKING = {"serious", "critical"}


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
    found = [v for url in every_page_url() for v in _violations(page, url)]
    assert not found, "\n".join(found)
