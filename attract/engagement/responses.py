"""Response time: how long an inbound message that needs an answer waits for ours.

Waiting is measured in working hours (Monday to Friday, 9:00–17:00 in the user's time zone),
because a message that arrives on Friday evening and is answered on Monday morning was not
neglected for three days.
"""

from __future__ import annotations

import statistics
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db.models import QuerySet
from django.utils import timezone

from attract.engagement.models import Interaction
from attract.engagement.selectors import interactions_visible_to

WORKDAY_START, WORKDAY_END = time(9), time(17)


def user_zone(user) -> ZoneInfo:
    try:
        return ZoneInfo(user.time_zone or settings.TIME_ZONE)
    except (KeyError, ValueError):
        return ZoneInfo(settings.TIME_ZONE)


def working_hours_between(start: datetime, end: datetime, zone: ZoneInfo) -> float:
    """Working hours from start to end, counted day by day in the given zone."""
    if end <= start:
        return 0.0
    start, end = start.astimezone(zone), end.astimezone(zone)
    seconds, day = 0.0, start.date()
    while day <= end.date():
        if day.weekday() < 5:
            opens = datetime.combine(day, WORKDAY_START, zone)
            closes = datetime.combine(day, WORKDAY_END, zone)
            lo, hi = max(opens, start), min(closes, end)
            if hi > lo:
                seconds += (hi - lo).total_seconds()
        day += timedelta(days=1)
    return seconds / 3600


def target_hours() -> int:
    return settings.ATTRACT_RESPONSE_TARGET_WORKING_HOURS


@dataclass
class Waiting:
    interaction: Interaction
    working_hours: float

    @property
    def over_target(self) -> bool:
        return self.working_hours > target_hours()


def awaiting_reply(*, user, limit: int = 50, now: datetime | None = None) -> list[Waiting]:
    """Inbound messages still waiting for our answer, oldest first."""
    now = now or timezone.now()
    zone = user_zone(user)
    rows = (
        interactions_visible_to(user)
        # Only inbound messages start a clock (the service sees to it), so these two columns
        # are the open clocks' partial index, read oldest first until the page is full.
        .filter(needs_reply=True, answered_at__isnull=True)
        .select_related("person", "company", "deal")
        .order_by("occurred_at", "id")[:limit]
    )
    return [Waiting(i, working_hours_between(i.occurred_at, now, zone)) for i in rows]


@dataclass
class ResponseStats:
    user_label: str
    answered: int
    median_hours: float
    p90_hours: float

    @property
    def meets_target(self) -> bool:
        return self.median_hours <= target_hours()


def _p90(values: list[float]) -> float:
    if len(values) == 1:
        return values[0]
    return statistics.quantiles(values, n=10, method="inclusive")[-1]


def response_stats(*, days: int = 30, now: datetime | None = None) -> list[ResponseStats]:
    """Median and 90th percentile of working hours to answer, per user who answered."""
    now = now or timezone.now()
    answered: QuerySet[Interaction] = Interaction.objects.filter(
        answered_at__gt=now - timedelta(days=days), answered_at__lte=now, needs_reply=True
    ).select_related("answered_by")
    by_user: dict[int, tuple[str, list[float]]] = {}
    for i in answered.order_by("answered_by_id"):
        user = i.answered_by
        if user is None:
            continue
        label, hours = by_user.setdefault(user.pk, (user.display_name, []))
        hours.append(working_hours_between(i.occurred_at, i.answered_at, user_zone(user)))
    return [
        ResponseStats(label, len(h), round(statistics.median(h), 1), round(_p90(h), 1))
        for label, h in by_user.values()
    ]
