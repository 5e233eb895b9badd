"""When a care step falls: dates counted from the start in days and calendar months (a month
after 31 January is the last day of February), and the time of day its task is due in the
assignee's own time zone."""

from __future__ import annotations

import calendar
import zoneinfo
from datetime import date, datetime, time, timedelta

from django.conf import settings

# Repeating steps are written this far ahead; the nightly schedule keeps the horizon moving.
HORIZON_DAYS = 400
# A step's task is due at this hour of its day, where the one who does it lives.
TASK_HOUR = time(9, 0)


def add_months(start: date, months: int) -> date:
    """`start` plus whole calendar months, on the same day of the month or the month's last."""
    month_index = start.month - 1 + months
    year, month = start.year + month_index // 12, month_index % 12 + 1
    day = min(start.day, calendar.monthrange(year, month)[1])
    return date(year, month, day)


def occurrences(
    *, start: date, day: int, repeat_months: int, until: date, after: date | None = None
) -> list[tuple[int, date]]:
    """(occurrence number, date) of a step from `start` up to `until`. A step done once has
    the one occurrence 0 (at `day`), however far; a repeating one has 1, 2, ... at every
    `repeat_months` months after the start (plus `day` days). `after` skips dates before it
    (a step added to a plan in use is not due in the past)."""
    if not repeat_months:
        found = [(0, start + timedelta(days=day))]
    else:
        found = []
        number = 1
        while True:
            when = add_months(start, number * repeat_months) + timedelta(days=day)
            if when > until:
                break
            found.append((number, when))
            number += 1
    if after is not None:
        found = [(n, d) for n, d in found if d >= after]
    return found


def task_due_at(due_on: date, user) -> datetime:
    """The step's date at 09:00 where the assignee lives (their time zone, else the site's)."""
    name = getattr(user, "time_zone", "") or settings.TIME_ZONE
    try:
        zone = zoneinfo.ZoneInfo(name)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        zone = zoneinfo.ZoneInfo(settings.TIME_ZONE)
    return datetime.combine(due_on, TASK_HOUR, tzinfo=zone)
