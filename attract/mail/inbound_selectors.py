"""Reads for receiving: a user's mailbox and the addresses waiting to become persons."""

from __future__ import annotations

from django.db.models import QuerySet

from attract.accounts.models import User
from attract.mail.models import Mailbox, UnmatchedAddress


def mailbox_for(*, user: User) -> Mailbox | None:
    return Mailbox.objects.filter(user=user).prefetch_related("folder_states").first()


def unmatched_waiting_for(*, user: User, suspicious: bool | None = None) -> QuerySet:
    """The user's unmatched addresses still waiting, most recent first (one query, indexed)."""
    rows = UnmatchedAddress.objects.filter(user=user, resolved_at__isnull=True)
    if suspicious is not None:
        rows = (
            rows.exclude(suspicious_reason="") if suspicious else rows.filter(suspicious_reason="")
        )
    return rows.order_by("-last_seen_at", "-id")
