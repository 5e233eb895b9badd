"""A touch logged from the Care page's at-risk list, in place: a call made or a note written
to the customer (each logged on their timeline as ours, so their care signal follows), or a
task to get in touch (due tomorrow at 09:00 in the user's zone, for the user)."""

from __future__ import annotations

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from attract.accounts.models import User
from attract.aftercare.models import CustomerCare
from attract.core.permissions import can_change_record
from attract.engagement.models import Channel, Direction
from attract.engagement.services import interaction_log, task_create

ACTS = {"call": "Call", "note": "Note", "task": "Task"}


def _tomorrow_nine(actor: User) -> datetime:
    zone = getattr(actor, "time_zone", "") or timezone.get_current_timezone_name()
    try:
        tz = ZoneInfo(zone)
    except (KeyError, ValueError):
        tz = timezone.get_current_timezone()
    day = timezone.localtime(timezone.now(), tz).date() + timedelta(days=1)
    return datetime.combine(day, time(9), tz)


@transaction.atomic
def care_touch(*, actor: User, care: CustomerCare, act: str, text: str = "") -> str:
    """Log the touch; the answer says what was done, in words."""
    customer = care.customer
    if not can_change_record(actor, customer) or customer.in_trash:
        raise PermissionDenied("You may not change this customer's records.")
    if act not in ACTS:
        raise ValidationError({"act": "Choose a call, a note or a task."})
    text = " ".join((text or "").split())[:400]
    key = {"company": care.company} if care.company_id else {"person": care.person}
    if act == "task":
        task = task_create(actor=actor, title=text or f"Get in touch with {customer}",
                           due_at=_tomorrow_nine(actor), **key)  # fmt: skip
        return f"Task added for tomorrow: {task.title}."
    channel = Channel.CALL if act == "call" else Channel.LETTER
    label = "Call" if act == "call" else "Note"
    interaction_log(actor=actor, channel=channel, direction=Direction.WE_REACHED_OUT,
                    summary=f"{label}: {text}" if text else f"{label} (care)", **key)  # fmt: skip
    return f"{label} logged on {customer}'s timeline."
