"""The API docs page renders in a real Chromium with nothing but this server to talk to."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser


def test_the_docs_page_renders_the_persons_operations_offline(page, live_server):
    off_site: list[str] = []

    def only_this_server(route) -> None:
        # Anything not served by Attract is refused, as it would be with no internet.
        url = route.request.url
        if url.startswith(live_server.url) or url.startswith("data:"):
            route.continue_()
        else:
            off_site.append(url)
            route.abort()

    page.route("**/*", only_this_server)

    page.goto("/api/v1/docs")

    # Swagger UI builds the page from the whole schema in the browser: on a busy machine
    # that takes longer than expect()'s five-second default.
    expect(page.get_by_role("heading", name="Attract API")).to_be_visible(timeout=30_000)
    persons = page.locator('.opblock-summary-path[data-path="/api/v1/persons/{person_id}"]')
    expect(persons.first).to_be_visible()
    expect(page.get_by_text("/api/v1/persons/{person_id}/restore")).to_be_visible()
    expect(page.get_by_text("Move a person to the trash")).to_be_visible()
    assert off_site == []
