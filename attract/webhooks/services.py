"""Writes on webhooks: subscriptions made, changed, deleted; a delivery sent again; a ping."""

from __future__ import annotations

import base64
import secrets
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from attract.accounts.models import User
from attract.core.permissions import can_manage_team
from attract.webhooks import events
from attract.webhooks.addresses import check_url
from attract.webhooks.dispatch import envelope, new_message_id
from attract.webhooks.models import Delivery, DeliveryStatus, Subscription


def require_webhook_manager(user: User) -> None:
    if not can_manage_team(user):
        raise PermissionDenied("Only the owner and admins manage webhooks.")


def new_secret() -> str:
    return "whsec_" + base64.b64encode(secrets.token_bytes(24)).decode()


def _clean_events(names: Any) -> list[str]:
    if not isinstance(names, list | tuple) or not all(isinstance(n, str) for n in names):
        raise ValidationError({"events": "Give a list of event names."})
    unknown = sorted(set(names) - set(events.EVENTS))
    if unknown:
        raise ValidationError(
            {"events": f"Unknown event {', '.join(unknown)}; known: {', '.join(events.EVENTS)}."}
        )
    return sorted(set(names))


def _validate(subscription: Subscription, *, check_address: bool = True) -> None:
    errors: dict[str, list[str]] = {}
    checks = [lambda: subscription.full_clean(exclude=["created_by"])]
    if check_address:
        checks.append(lambda: check_url(subscription.url))
    for check in checks:
        try:
            check()
        except ValidationError as exc:
            for field, messages in exc.message_dict.items():
                errors.setdefault(field, []).extend(
                    m for m in messages if m not in errors.get(field, [])
                )
    if errors:
        raise ValidationError(errors)


def subscription_create(
    *, actor: User, url: str, events: list[str] | None = None, description: str = ""
) -> tuple[Subscription, str]:
    """Returns the subscription and its secret, to be shown once."""
    require_webhook_manager(actor)
    secret = new_secret()
    subscription = Subscription(
        url=url.strip(),
        events=_clean_events(events or []),
        description=description.strip(),
        secret=secret,
        created_by=actor,
    )
    _validate(subscription)
    subscription.save()
    return subscription, secret


def subscription_update(*, actor: User, subscription: Subscription, **fields: Any) -> Subscription:
    """Change the URL, events, description, or switch it on/off (on again clears the count
    of failures)."""
    require_webhook_manager(actor)
    allowed = {"url", "events", "description", "is_active"}
    unknown = set(fields) - allowed
    if unknown:
        raise ValidationError({name: "This field cannot be changed." for name in unknown})
    if "events" in fields:
        fields["events"] = _clean_events(fields["events"])
    for name, value in fields.items():
        setattr(subscription, name, value.strip() if isinstance(value, str) else value)
    if fields.get("is_active"):
        subscription.failures_in_a_row = 0
        subscription.disabled_reason = ""
    # The address is looked up again only when it changes or the webhook is switched on:
    # switching off or renaming works even while its host cannot be found.
    _validate(subscription, check_address="url" in fields or bool(fields.get("is_active")))
    subscription.save()
    return subscription


def subscription_delete(*, actor: User, subscription: Subscription) -> None:
    """Into the trash: no more deliveries, the log is kept; `subscription_restore` undoes it."""
    require_webhook_manager(actor)
    subscription.deleted_at = timezone.now()
    subscription.save(update_fields=["deleted_at", "updated_at"])


def subscription_restore(*, actor: User, subscription: Subscription) -> None:
    require_webhook_manager(actor)
    subscription.deleted_at = None
    subscription.save(update_fields=["deleted_at", "updated_at"])


def subscription_ping(*, actor: User, subscription: Subscription) -> Delivery:
    """Queue a `webhook.ping` delivery for the worker: the receiver's answer shows in the log."""
    require_webhook_manager(actor)
    now = timezone.now()
    return Delivery.objects.create(
        subscription=subscription,
        event_name=events.PING,
        message_id=new_message_id(),
        payload=envelope(events.PING, now, {"subscription_id": subscription.pk}),
        created_at=now,
        next_attempt_at=now,
    )


@transaction.atomic
def delivery_resend(*, actor: User, delivery: Delivery) -> Delivery:
    """Send a delivery again (with its webhook-id, so a receiver that has it can skip it),
    with a new day of retries."""
    require_webhook_manager(actor)
    now = timezone.now()
    delivery.status = DeliveryStatus.PENDING
    delivery.created_at = now
    delivery.next_attempt_at = now
    delivery.save(update_fields=["status", "created_at", "next_attempt_at"])
    return delivery
