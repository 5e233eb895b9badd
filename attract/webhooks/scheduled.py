"""Webhooks' scheduled work: the outbox and the delivery log are kept for the retention period."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from attract.jobs.models import OutboxEvent
from attract.jobs.queue import background_task
from attract.jobs.schedule import every
from attract.jobs.selectors import retention_days
from attract.webhooks.models import Delivery, DeliveryStatus


@every(
    "45 3 * * *",
    name="prune-webhook-log",
    description="Forget announced events and finished deliveries past the retention period",
)
@background_task()
def prune_webhook_log() -> int:
    cutoff = timezone.now() - timedelta(days=retention_days())
    events, _ = OutboxEvent.objects.filter(dispatched_at__lt=cutoff).delete()
    deliveries, _ = (
        Delivery.objects.exclude(status=DeliveryStatus.PENDING)
        .filter(last_attempt_at__lt=cutoff)
        .delete()
    )
    return events + deliveries
