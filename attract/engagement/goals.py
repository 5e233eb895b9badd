"""Daily rhythm: goal progress counted from real records (interactions, sent quotes), in the
user's own time zone, with streaks and a history. Nothing is typed in by hand."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.db import transaction
from django.db.models import Count, Q
from django.db.models.functions import TruncDate
from django.utils import timezone

from attract.accounts.models import User
from attract.engagement.models import (
    CONVERSATION_CHANNELS,
    DEFAULT_GOALS,
    OUTBOUND,
    Channel,
    Goal,
    GoalDay,
    GoalKind,
    Interaction,
    Period,
    Task,
)
from attract.engagement.responses import user_zone
from attract.people.models import Relationship
from attract.pipeline.models import SENT_QUOTE_STATUSES, Quote

HISTORY_DAYS = 28
# Streaks look back this far; a longer streak shows as "90+ days".
STREAK_LOOKBACK_DAYS = 90
PREVIOUS_CUSTOMER = (Relationship.CUSTOMER, Relationship.FORMER_CUSTOMER)
NOT_PROSPECT = (*PREVIOUS_CUSTOMER, Relationship.PARTNER)
# Goals counted from interactions (stored per day); quotes are counted from the quotes.
INTERACTION_GOALS = (GoalKind.CONVERSATIONS, GoalKind.THANK_YOU_LETTERS)


def _company_is(relationships) -> Q:
    return Q(company__relationship__in=relationships) | Q(
        company__isnull=True, person__company__relationship__in=relationships
    )


def _local_days(user, start: date, end: date) -> tuple[datetime, datetime]:
    zone = user_zone(user)
    return (
        datetime.combine(start, time.min, zone),
        datetime.combine(end + timedelta(days=1), time.min, zone),
    )


def counted_interactions(*, user, start: date, end: date) -> dict[str, Counter]:
    """For the interaction goals, how many records fell on each of the user's local days,
    counted from the interactions themselves and the tasks done that count toward them (to
    keep the stored counts in step)."""
    zone = user_zone(user)
    since, until = _local_days(user, start, end)
    mine = Interaction.objects.filter(
        created_by=user, occurred_at__gte=since, occurred_at__lt=until
    )
    conversations = mine.filter(channel__in=CONVERSATION_CHANNELS).exclude(
        _company_is(NOT_PROSPECT)
    )
    letters = mine.filter(channel=Channel.LETTER, direction__in=OUTBOUND).filter(
        _company_is(PREVIOUS_CUSTOMER)
    )
    counts = {kind: Counter() for kind in INTERACTION_GOALS}
    local_day = TruncDate("occurred_at", tzinfo=zone)
    for kind, rows in (
        (GoalKind.CONVERSATIONS, conversations),
        (GoalKind.THANK_YOU_LETTERS, letters),
    ):
        per_day = rows.annotate(day=local_day).values("day").annotate(n=Count("id")).order_by()
        counts[kind].update({r["day"]: r["n"] for r in per_day})
    # Tasks whose doing counts toward a goal (a thank-you to a referrer is a thank-you letter),
    # on the day they were done, for the one who was to do them.
    done = Task.objects.filter(
        assignee=user, done_at__gte=since, done_at__lt=until, counts_toward__in=INTERACTION_GOALS
    )
    per_day = (
        done.annotate(day=TruncDate("done_at", tzinfo=zone))
        .values("day", "counts_toward")
        .annotate(n=Count("id"))
        .order_by()
    )
    for row in per_day:
        counts[row["counts_toward"]][row["day"]] += row["n"]
    return counts


def refresh_goal_days(*, user, days: set[date]) -> None:
    """Count these local days of the user again and store them."""
    if not days:
        return
    counts = counted_interactions(user=user, start=min(days), end=max(days))
    with transaction.atomic():
        GoalDay.objects.filter(user=user, day__in=days).delete()
        GoalDay.objects.bulk_create(
            GoalDay(user=user, day=day, kind=kind, count=counts[kind][day])
            for kind in INTERACTION_GOALS
            for day in days
            if counts[kind][day]
        )


def refresh_all_goal_days(*, days: int = STREAK_LOOKBACK_DAYS + 7) -> int:
    """Count the recent days of every user again (after a bulk import or a time zone change)."""
    written = 0
    for user in User.objects.all():
        today = timezone.localtime(timezone.now(), user_zone(user)).date()
        start = today - timedelta(days=days)
        counts = counted_interactions(user=user, start=start, end=today)
        with transaction.atomic():
            GoalDay.objects.filter(user=user, day__gte=start).delete()
            rows = [
                GoalDay(user=user, day=day, kind=kind, count=n)
                for kind in INTERACTION_GOALS
                for day, n in counts[kind].items()
                if n
            ]
            GoalDay.objects.bulk_create(rows, batch_size=1000)
        written += len(rows)
    return written


def daily_counts(*, user, start: date, end: date) -> dict[str, Counter]:
    """For each goal kind, how many records fell on each of the user's local days: the stored
    day counts of interactions (one indexed read), and the sent quotes."""
    counts = {kind: Counter() for kind in GoalKind.values}
    stored = GoalDay.objects.filter(user=user, day__gte=start, day__lte=end)
    for day, kind, n in stored.values_list("day", "kind", "count"):
        counts[kind][day] += n
    # A quote's sent date is a calendar date already: the day the seller sent it.
    quotes = Quote.objects.filter(
        created_by=user, status__in=SENT_QUOTE_STATUSES, sent_on__gte=start, sent_on__lte=end
    )
    for sent_on in quotes.values_list("sent_on", flat=True):
        counts[GoalKind.QUOTES][sent_on] += 1
    return counts


def goal_targets(*, user) -> dict[str, int]:
    targets = {kind: target for kind, (target, _) in DEFAULT_GOALS.items()}
    targets.update(dict(Goal.objects.filter(user=user).values_list("kind", "target")))
    return targets


def _week_start(day: date) -> date:
    return day - timedelta(days=day.weekday())


@dataclass
class GoalProgress:
    kind: str
    label: str
    period: str
    target: int
    today: int
    this_week: int
    streak: int
    history: list[tuple[date, int]] = field(default_factory=list)

    @property
    def current(self) -> int:
        return self.today if self.period == Period.DAY else self.this_week

    @property
    def met(self) -> bool:
        return self.current >= self.target

    @property
    def percent(self) -> int:
        return 100 if not self.target else min(100, round(100 * self.current / self.target))

    @property
    def streak_unit(self) -> str:
        return "day" if self.period == Period.DAY else "week"


def _streak(met_on, periods: list) -> int:
    """Periods in a row that met the goal, newest first; the current one counts only once met,
    so a streak is not broken before the day is over."""
    run = 0
    for index, period in enumerate(periods):
        if met_on(period):
            run += 1
        elif index > 0:
            break
    return run


def goal_progress(*, user, now: datetime | None = None) -> list[GoalProgress]:
    today = timezone.localtime(now or timezone.now(), user_zone(user)).date()
    start = today - timedelta(days=STREAK_LOOKBACK_DAYS)
    counts = daily_counts(user=user, start=start, end=today)
    targets = goal_targets(user=user)
    week = _week_start(today)
    progress = []
    for kind, (_, period) in DEFAULT_GOALS.items():
        per_day, target = counts[kind], targets[kind]
        this_week = sum(n for d, n in per_day.items() if d >= week)
        if period == Period.DAY:
            days = [today - timedelta(days=n) for n in range(STREAK_LOOKBACK_DAYS)]
            streak = _streak(
                lambda d, per_day=per_day, target=target: bool(target) and per_day[d] >= target,
                days,
            )
        else:
            weeks = [week - timedelta(weeks=n) for n in range(STREAK_LOOKBACK_DAYS // 7)]

            def week_met(monday: date, per_day=per_day, target=target) -> bool:
                total = sum(per_day[monday + timedelta(days=n)] for n in range(7))
                return bool(target) and total >= target

            streak = _streak(week_met, weeks)
        history = [
            (today - timedelta(days=n), per_day[today - timedelta(days=n)])
            for n in range(HISTORY_DAYS - 1, -1, -1)
        ]
        progress.append(
            GoalProgress(
                kind=kind,
                label=GoalKind(kind).label,
                period=period,
                target=target,
                today=per_day[today],
                this_week=this_week,
                streak=streak,
                history=history,
            )
        )
    return progress
