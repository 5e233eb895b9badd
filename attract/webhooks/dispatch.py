"""The worker's side of webhooks: outbox events become deliveries, and deliveries are sent.

Both run as the worker's idle work (attract.jobs.worker.register_idle_work), between tasks.
Each subscription's deliveries go out in the order the events happened, one at a time: a
worker leases the subscription, sends its due deliveries oldest first, and stops at one
that fails (it is retried with a growing wait, for a day, before it is failed for good and
the next one goes). Several workers deliver different subscriptions at once.
"""

from __future__ import annotations

import json
import logging
import uuid
from collections import defaultdict
from datetime import datetime, timedelta

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from standardwebhooks.webhooks import Webhook

from attract.jobs.models import OutboxEvent
from attract.webhooks import events
from attract.webhooks.models import Attempt, Delivery, DeliveryStatus, Subscription
from attract.webhooks.sending import Outcome, post

logger = logging.getLogger("attract.webhooks")

LEASE = timedelta(minutes=5)
# A worker hands a subscription back after this long, so others get their turn.
TURN = timedelta(seconds=30)
FAN_OUT_BATCH = 500


def new_message_id() -> str:
    return f"msg_{uuid.uuid4().hex}"


def envelope(name: str, occurred_at: datetime, data: dict) -> dict:
    return {"type": name, "timestamp": occurred_at.isoformat(), "data": data}


def fan_out_events(*, batch: int = FAN_OUT_BATCH) -> int:
    """Turn undispatched outbox events into deliveries. Returns how many events it handled."""
    with transaction.atomic():
        pending = list(
            OutboxEvent.objects.filter(dispatched_at__isnull=True)
            .order_by("id")
            .select_for_update(skip_locked=True)[:batch]
        )
        if not pending:
            return 0
        subscriptions = list(
            Subscription.objects.filter(is_active=True, deleted_at__isnull=True).select_related(
                "created_by"
            )
        )
        now = timezone.now()
        deliveries = _deliveries_for(pending, subscriptions, now) if subscriptions else []
        Delivery.objects.bulk_create(deliveries, batch_size=500)
        OutboxEvent.objects.filter(pk__in=[event.pk for event in pending]).update(dispatched_at=now)
    return len(pending)


def _deliveries_for(
    pending: list[OutboxEvent], subscriptions: list[Subscription], now: datetime
) -> list[Delivery]:
    ids_by_type: dict[str, list[int]] = defaultdict(list)
    for event in pending:
        ids_by_type[event.object_type].append(event.object_id)
    records = {kind: events.load_objects(kind, ids) for kind, ids in ids_by_type.items()}
    deliveries = []
    for event in pending:
        record = records.get(event.object_type, {}).get(event.object_id)
        if record is None:
            continue  # a record gone for good (emptied from the trash) before we got here
        for subscription in subscriptions:
            if not subscription.wants(event.name):
                continue
            # Announced only to subscriptions whose owner may see the record.
            if not events.visible_to_reader(event.object_type, record, subscription.created_by):
                continue
            data = events.as_api_shows(event.object_type, record, reader=subscription.created_by)
            deliveries.append(
                Delivery(
                    subscription=subscription,
                    event_name=event.name,
                    message_id=new_message_id(),
                    payload=envelope(event.name, event.occurred_at, data),
                    created_at=now,
                    next_attempt_at=now,
                )
            )
    return deliveries


def deliver_due(*, subscriptions: int = 10) -> int:
    """Send what is due for a few subscriptions. Returns how many attempts were made."""
    now = timezone.now()
    due = (
        Subscription.objects.filter(
            is_active=True,
            deleted_at__isnull=True,
            deliveries__status=DeliveryStatus.PENDING,
            deliveries__next_attempt_at__lte=now,
        )
        .filter(Q(leased_until__isnull=True) | Q(leased_until__lt=now))
        .order_by("pk")
        .values_list("pk", flat=True)
        .distinct()[:subscriptions]
    )
    sent = 0
    for pk in list(due):
        if _lease(pk, now):
            try:
                sent += deliver_subscription(Subscription.objects.get(pk=pk))
            finally:
                Subscription.objects.filter(pk=pk).update(leased_until=None)
    return sent


def _lease(pk: int, now: datetime) -> bool:
    free = Q(leased_until__isnull=True) | Q(leased_until__lt=now)
    return bool(Subscription.objects.filter(free, pk=pk).update(leased_until=now + LEASE))


def deliver_subscription(subscription: Subscription) -> int:
    started = timezone.now()
    sent = 0
    queue = subscription.deliveries.filter(status=DeliveryStatus.PENDING).order_by("id")
    for delivery in queue.iterator(chunk_size=100):
        now = timezone.now()
        if delivery.next_attempt_at > now or now - started > TURN:
            break  # the oldest waits for its retry: the ones after it wait too (order)
        outcome = send(subscription, delivery)
        sent += 1
        accepted = record_attempt(subscription, delivery, outcome)
        if not accepted and delivery.status == DeliveryStatus.PENDING:
            break
        if not subscription.is_active:
            break
    return sent


def signed_headers(subscription: Subscription, delivery: Delivery, body: str) -> dict[str, str]:
    now = timezone.now()
    return {
        "content-type": "application/json",
        "user-agent": "Attract-Webhooks/1",
        "webhook-id": delivery.message_id,
        "webhook-timestamp": str(int(now.timestamp())),
        "webhook-signature": Webhook(subscription.secret).sign(
            msg_id=delivery.message_id, timestamp=now, data=body
        ),
    }


def send(subscription: Subscription, delivery: Delivery) -> Outcome:
    body = json.dumps(delivery.payload, separators=(",", ":"), ensure_ascii=False)
    return post(
        subscription.url,
        body.encode(),
        signed_headers(subscription, delivery, body),
        timeout=settings.ATTRACT_WEBHOOKS_TIMEOUT_SECONDS,
    )


def retry_wait(attempts: int) -> timedelta:
    first = settings.ATTRACT_WEBHOOKS_FIRST_RETRY_SECONDS
    return min(timedelta(seconds=first * 2 ** (attempts - 1)), timedelta(hours=2))


@transaction.atomic
def record_attempt(subscription: Subscription, delivery: Delivery, outcome: Outcome) -> bool:
    """Log the attempt and move the delivery on. Returns whether it was accepted."""
    now = timezone.now()
    Attempt.objects.create(
        delivery=delivery,
        at=now,
        status_code=outcome.status_code,
        duration_ms=outcome.duration_ms,
        error=outcome.error[:500],
        response_excerpt=outcome.excerpt[:500],
    )
    delivery.attempts += 1
    delivery.last_attempt_at = now
    if outcome.accepted:
        delivery.status = DeliveryStatus.SUCCEEDED
        if subscription.failures_in_a_row:
            subscription.failures_in_a_row = 0
            subscription.save(update_fields=["failures_in_a_row"])
    elif now - delivery.created_at >= timedelta(hours=settings.ATTRACT_WEBHOOKS_RETRY_HOURS):
        delivery.status = DeliveryStatus.FAILED
        _count_failure(subscription)
    else:
        delivery.next_attempt_at = now + retry_wait(delivery.attempts)
    delivery.save(update_fields=["attempts", "last_attempt_at", "status", "next_attempt_at"])
    return outcome.accepted


def _count_failure(subscription: Subscription) -> None:
    subscription.failures_in_a_row += 1
    fields = ["failures_in_a_row"]
    if subscription.failures_in_a_row >= settings.ATTRACT_WEBHOOKS_DISABLE_AFTER:
        subscription.is_active = False
        subscription.disabled_reason = (
            f"{subscription.failures_in_a_row} deliveries in a row were refused for a day each."
        )
        fields += ["is_active", "disabled_reason"]
        transaction.on_commit(lambda: _tell_owner(subscription))
    subscription.save(update_fields=fields)


def _tell_owner(subscription: Subscription) -> None:
    try:
        send_mail(
            "Attract stopped a webhook that kept failing",
            f"The webhook to {subscription.url} was switched off: "
            f"{subscription.disabled_reason}\nFix the receiver, then switch it on again under "
            "Settings → Webhooks; the failed deliveries can be sent again from its log.",
            None,
            [subscription.created_by.email],
        )
    except OSError:
        logger.exception(
            "Could not tell %s about webhook %s", subscription.created_by, subscription.pk
        )
