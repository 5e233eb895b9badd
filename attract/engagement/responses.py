"""Response time: how long an inbound message that needs an answer waits for ours.

Waiting is measured in working hours (Monday to Friday, 9:00–17:00 in the user's time zone),
because a message that arrives on Friday evening and is answered on Monday morning was not
neglected for three days.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import transaction
from django.db.models import Count, ExpressionWrapper, F, IntegerField, Q, QuerySet, Sum
from django.utils import timezone

from attract.accounts.models import User
from attract.engagement.models import Interaction, ResponseDay
from attract.engagement.selectors import interactions_visible_to

WORKDAY_START, WORKDAY_END = time(9), time(17)


def user_zone(user) -> ZoneInfo:
    try:
        return ZoneInfo(user.time_zone or settings.TIME_ZONE)
    except (KeyError, ValueError):
        return ZoneInfo(settings.TIME_ZONE)


def working_seconds_between(start: datetime, end: datetime, zone: ZoneInfo) -> float:
    """Working seconds from start to end, counted day by day in the given zone."""
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
    return seconds


def working_hours_between(start: datetime, end: datetime, zone: ZoneInfo) -> float:
    return working_seconds_between(start, end, zone) / 3600


def target_hours() -> int:
    return settings.ATTRACT_RESPONSE_TARGET_WORKING_HOURS


# The response times shown: the answers of the last this many days (UTC days, today included).
RESPONSE_DAYS = 30
# Tenths of a working hour: a started tenth counts (the ceiling), so a figure is never rosier
# than the truth by the rounding.
TENTH = 360
AWAITING_PAGE_SIZE = 50
# The waiting messages are counted up to here; past it the page says "more than".
AWAITING_COUNT_CAP = 1000


@dataclass
class Waiting:
    interaction: Interaction
    working_hours: float

    @property
    def over_target(self) -> bool:
        return self.working_hours > target_hours()


def _waiting_rows(user) -> QuerySet[Interaction]:
    # Only inbound messages start a clock (the service sees to it), so these two columns
    # are the open clocks' partial index, read oldest first until the page is full.
    return interactions_visible_to(user).filter(needs_reply=True, answered_at__isnull=True)


def awaiting_reply(
    *,
    user,
    limit: int = AWAITING_PAGE_SIZE,
    now: datetime | None = None,
    after: tuple[datetime, int] | None = None,
) -> list[Waiting]:
    """Inbound messages still waiting for our answer, oldest first; with `after` (the arrival
    and id of the last row of the previous page), the page that follows it (keyset pagination:
    every page costs the same, however deep)."""
    now = now or timezone.now()
    zone = user_zone(user)
    rows = _waiting_rows(user)
    if after is not None:
        occurred_at, pk = after
        rows = rows.filter(Q(occurred_at__gt=occurred_at) | Q(occurred_at=occurred_at, id__gt=pk))
    rows = rows.select_related("person", "company", "deal").order_by("occurred_at", "id")[:limit]
    return [Waiting(i, working_hours_between(i.occurred_at, now, zone)) for i in rows]


def awaiting_count(*, user) -> int:
    """How many messages wait, counted up to AWAITING_COUNT_CAP + 1 (one bounded query)."""
    return _waiting_rows(user)[: AWAITING_COUNT_CAP + 1].count()


def cursor_of(waiting: Waiting) -> str:
    """The opaque position after a row: its arrival in microseconds since 1970, and its id."""
    i = waiting.interaction
    stamp = int(i.occurred_at.timestamp()) * 1_000_000 + i.occurred_at.microsecond
    return f"{stamp}.{i.pk}"


def parse_cursor(value: str | None) -> tuple[datetime, int] | None:
    """The position a cursor names; None for none. A malformed one raises ValueError."""
    if not value:
        return None
    stamp, _, pk = value.partition(".")
    if not (stamp.isdigit() and pk.isdigit()) or len(stamp) > 17 or len(pk) > 18:
        raise ValueError("Not a position in this list.")
    seconds, micro = divmod(int(stamp), 1_000_000)
    return datetime.fromtimestamp(seconds, UTC).replace(microsecond=micro), int(pk)


# --- Response times, stored as they happen ------------------------------------------------


def response_seconds_of(interaction: Interaction, answerer: User | None) -> int | None:
    """The working seconds an answered message waited, in the answerer's zone."""
    if not (interaction.needs_reply and interaction.answered_at):
        return None
    zone = user_zone(answerer) if answerer is not None else ZoneInfo(settings.TIME_ZONE)
    return round(working_seconds_between(interaction.occurred_at, interaction.answered_at, zone))


def _utc_day(moment: datetime) -> date:
    return moment.astimezone(UTC).date()


def answer_key(interaction) -> tuple[int, date] | None:
    """The stored day an answered message counts in, or None."""
    if interaction is None or not interaction.answered_at or not interaction.answered_by_id:
        return None
    return interaction.answered_by_id, _utc_day(interaction.answered_at)


def clocks_stop(*, waiting: QuerySet[Interaction], actor: User, answered_at: datetime) -> int:
    """Our answer stops these clocks: each message keeps when, by whom and how long it waited
    (in working seconds of the answerer's zone), and the answerer's day is counted again."""
    zone = user_zone(actor)
    rows = list(waiting.only("id", "occurred_at"))
    for row in rows:
        row.answered_at, row.answered_by = answered_at, actor
        row.response_seconds = round(working_seconds_between(row.occurred_at, answered_at, zone))
    # No history rows and no signals, as before: stopping a clock is not an edit of the message.
    Interaction.objects.bulk_update(rows, ["answered_at", "answered_by", "response_seconds"])
    if rows:
        refresh_response_days({(actor.pk, _utc_day(answered_at))})
    return len(rows)


_TENTHS = ExpressionWrapper(
    (F("response_seconds") + (TENTH - 1)) / TENTH, output_field=IntegerField()
)


def refresh_response_days(keys: Iterable[tuple[int, date] | None]) -> None:
    """Count these (user, day) pairs again from the messages, one grouped read each."""
    for key in {k for k in keys if k is not None}:
        user_id, day = key
        start = datetime.combine(day, time.min, UTC)
        counts = (
            Interaction.objects.filter(
                answered_by_id=user_id,
                answered_at__gte=start,
                answered_at__lt=start + timedelta(days=1),
                needs_reply=True,
                response_seconds__isnull=False,
            )
            .annotate(tenths=_TENTHS)
            .values("tenths")
            .annotate(n=Count("id"))
            .order_by()
        )
        with transaction.atomic():
            ResponseDay.objects.filter(user_id=user_id, day=day).delete()
            ResponseDay.objects.bulk_create(
                ResponseDay(user_id=user_id, day=day, tenths=r["tenths"], count=r["n"])
                for r in counts
            )


def refresh_all_response_days(*, days: int = RESPONSE_DAYS + 1, now: datetime | None = None) -> int:
    """Compute the waiting time of every answer of the recent days again (after a bulk import,
    or a user's change of time zone) and count the stored days again, set-based."""
    now = now or timezone.now()
    first_day = _utc_day(now) - timedelta(days=days - 1)
    since = datetime.combine(first_day, time.min, UTC)
    answered = Interaction.objects.filter(needs_reply=True, answered_at__gte=since)
    zones = {u.pk: user_zone(u) for u in User.objects.all()}
    default = ZoneInfo(settings.TIME_ZONE)
    batch: list[Interaction] = []
    rows = answered.only("id", "occurred_at", "answered_at", "answered_by_id", "response_seconds")
    for row in rows.order_by("id").iterator(chunk_size=5000):
        zone = zones.get(row.answered_by_id, default)
        seconds = round(working_seconds_between(row.occurred_at, row.answered_at, zone))
        if seconds != row.response_seconds:
            row.response_seconds = seconds
            batch.append(row)
        if len(batch) >= 5000:
            Interaction.objects.bulk_update(batch, ["response_seconds"])
            batch = []
    Interaction.objects.bulk_update(batch, ["response_seconds"])
    counts = (
        Interaction.objects.filter(
            needs_reply=True,
            answered_at__gte=since,
            answered_by__isnull=False,
            response_seconds__isnull=False,
        )
        .annotate(tenths=_TENTHS)
        .values_list("answered_by_id", "answered_at", "tenths")
    )
    per_key: dict[tuple[int, date, int], int] = {}
    for user_id, answered_at, tenths in counts.iterator(chunk_size=10000):
        key = (user_id, _utc_day(answered_at), tenths)
        per_key[key] = per_key.get(key, 0) + 1
    with transaction.atomic():
        ResponseDay.objects.filter(day__gte=first_day).delete()
        ResponseDay.objects.bulk_create(
            (ResponseDay(user_id=u, day=d, tenths=t, count=n) for (u, d, t), n in per_key.items()),
            batch_size=2000,
        )
    return len(per_key)


@dataclass
class ResponseStats:
    user_id: int
    user_label: str
    answered: int
    median_hours: float
    p90_hours: float

    @property
    def meets_target(self) -> bool:
        return self.median_hours <= target_hours()


def _nth(histogram: list[tuple[int, int]], index: int) -> int:
    """The value at this 0-based position of the sorted values a (value, count) list holds."""
    seen = 0
    for value, n in histogram:
        seen += n
        if index < seen:
            return value
    return histogram[-1][0]


def _median(histogram: list[tuple[int, int]], n: int) -> float:
    if n % 2:
        return _nth(histogram, n // 2)
    return (_nth(histogram, n // 2 - 1) + _nth(histogram, n // 2)) / 2


def _p90(histogram: list[tuple[int, int]], n: int) -> float:
    """statistics.quantiles(values, n=10, method="inclusive")[-1], from the counts."""
    if n == 1:
        return histogram[0][0]
    m = n - 1
    j, delta = divmod(9 * m, 10)
    return (_nth(histogram, j) * (10 - delta) + _nth(histogram, j + 1) * delta) / 10


def response_stats(
    *, days: int = RESPONSE_DAYS, now: datetime | None = None
) -> list[ResponseStats]:
    """Median and 90th percentile of working hours to answer, per user who answered, over the
    answers of the last `days` days: two queries (the stored counts, the users' names)."""
    now = now or timezone.now()
    first_day = _utc_day(now) - timedelta(days=days - 1)
    rows = (
        ResponseDay.objects.filter(day__gte=first_day, day__lte=_utc_day(now))
        .values_list("user_id", "tenths")
        .annotate(n=Sum("count"))
        .order_by("user_id", "tenths")
    )
    per_user: dict[int, list[tuple[int, int]]] = {}
    for user_id, tenths, n in rows:
        per_user.setdefault(user_id, []).append((tenths, n))
    names = {u.pk: u.display_name for u in User.objects.filter(pk__in=per_user)}
    stats = []
    for user_id, histogram in per_user.items():
        n = sum(count for _, count in histogram)
        stats.append(
            ResponseStats(
                user_id=user_id,
                user_label=names.get(user_id, "a former member"),
                answered=n,
                median_hours=round(_median(histogram, n) / 10, 1),
                p90_hours=round(_p90(histogram, n) / 10, 1),
            )
        )
    return stats
