"""The background benchmark works on a tiny scale: every task runs, the outbox is timed with
and without its INSERT, every webhook event is delivered, and nothing is left behind."""

import pytest
from django.test.utils import override_settings
from django_tasks_db.models import DBTaskResult
from rich.console import Console

from attract.jobs.models import OutboxEvent
from attract.webhooks.models import Subscription
from bench import background, seeding

pytestmark = pytest.mark.django_db


def test_the_background_section_measures_and_cleans_up():
    seeded = seeding.seed(persons=40, companies=5)
    events_before = OutboxEvent.objects.count()
    with override_settings(ATTRACT_WEBHOOKS_ALLOW_PRIVATE=False):
        figures = background.run(
            console=Console(file=None, quiet=True),
            owner=seeded.owner,
            runs=5,
            warmups=0,
            jobs=20,
            webhook_deliveries=30,
        )
    assert figures["queue"]["done"] == 20
    assert figures["webhooks"]["delivered"] == 30
    assert figures["outbox"]["writes"] >= 5
    assert figures["outbox"]["outbox_insert_ms"] > 0
    assert not DBTaskResult.objects.exists()
    assert not Subscription.objects.exists()
    assert OutboxEvent.objects.count() == events_before
