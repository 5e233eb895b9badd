"""The outbox: services announce what changed, in the change's own transaction.

    with transaction.atomic():
        person.save()
        announce("person.created", person, actor=actor)

One INSERT and nothing else, so a write pays well under a millisecond for it; everything
else (who subscribed, the payload, the HTTP calls) happens later in the worker. Kept here in
the infrastructure layer so that the domain apps can announce without knowing who listens.
"""

from __future__ import annotations

from django.db import models
from django.utils import timezone

from attract.jobs.models import OutboxEvent


def announce(name: str, record: models.Model, *, actor=None) -> None:
    # No savepoint of its own: it is meant to commit or roll back with the caller's change.
    OutboxEvent.objects.create(
        name=name,
        object_type=record._meta.label_lower,
        object_id=record.pk,
        actor_id=getattr(actor, "pk", None),
        occurred_at=timezone.now(),
    )
