"""Pinning reports to one's own dashboard."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction

from attract.accounts.models import User
from attract.reports.models import ReportPin

MAX_PINS = 6


def pinned_names(*, user: User) -> list[str]:
    return list(ReportPin.objects.filter(user=user).values_list("report", flat=True))


@transaction.atomic
def report_pin_toggle(*, user: User, report: str) -> bool:
    """Pin the report, or unpin it when it is pinned; returns whether it is pinned now."""
    deleted, _ = ReportPin.objects.filter(user=user, report=report).delete()
    if deleted:
        return False
    if ReportPin.objects.filter(user=user).count() >= MAX_PINS:
        raise ValidationError(f"At most {MAX_PINS} reports fit on the dashboard: unpin one first.")
    pin = ReportPin(user=user, report=report)
    pin.full_clean()
    pin.save()
    return True
