"""Adding a webhook in a real browser: the secret is shown once, the ping lands in the log."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from attract.webhooks.dispatch import deliver_due
from attract.webhooks.models import Subscription
from attract.webhooks.tests.receiver import running_receiver

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_owner_adds_a_webhook_and_pings_it(owner_page, settings, tmp_path):
    settings.ATTRACT_WEBHOOKS_ALLOW_PRIVATE = True
    page = owner_page
    with running_receiver() as receiver:
        page.goto("/settings/")
        page.get_by_role("link", name="Webhooks", exact=True).click()
        page.get_by_label("URL").fill(receiver.url)
        page.get_by_label("A deal was won").check()
        page.get_by_role("button", name="Add webhook").click()
        secret = page.get_by_test_id("new-secret")
        expect(secret).to_contain_text("whsec_")
        assert secret.inner_text() == Subscription.objects.get().secret
        page.get_by_role("link", name=receiver.url).click()
        page.get_by_role("button", name="Send a ping").click()
        expect(page.get_by_text("A ping is queued")).to_be_visible()
        deliver_due()
        page.reload()
        expect(page.get_by_text("HTTP 200")).to_be_visible()
        for width in (390, 1366):
            page.set_viewport_size({"width": width, "height": 900})
            page.screenshot(path=str(tmp_path / f"webhook-{width}.png"), full_page=True)
            assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
