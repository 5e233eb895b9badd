"""Response and rhythm: how long inbound messages waited for our answer (working hours, as the
Awaiting-reply page measures them) by user and by week against the target; and the
conversations and quotes of each week against the daily goals.

Whose rhythm: the owner filter's user, else the reader's own (goals are personal). Queries:
the answered messages of the period (three columns each), their answerers, the stored goal
days and the sent quotes, the goals: fixed, whatever the history. The working hours are
counted here, from the rows, with the same function as everywhere else."""

from __future__ import annotations

import statistics
from collections import defaultdict
from datetime import date, timedelta

from attract.accounts.models import User
from attract.engagement.goals import daily_counts, goal_targets
from attract.engagement.models import GoalKind
from attract.engagement.responses import target_hours, user_zone, working_hours_between
from attract.engagement.selectors import interactions_visible_to
from attract.reports.charts import ChartSpec, Series
from attract.reports.figures import Column, Figures, in_period, user_name
from attract.reports.filters import ReportFilters

COLUMNS = [
    Column("by", "By"),
    Column("group", "Group"),
    Column("answered", "Messages answered", "count"),
    Column("median_hours", "Median working hours", "hours"),
    Column("over_target", "Over the target", "count"),
    Column("conversations", "Conversations", "count"),
    Column("quotes", "Quotes sent", "count"),
    Column("conversations_goal", "Conversations goal", "count"),
    Column("quotes_goal", "Quotes goal", "count"),
]
WORKDAYS_A_WEEK = 5


def _monday(day: date) -> date:
    return day - timedelta(days=day.weekday())


def _weeks(filters: ReportFilters) -> list[date]:
    found, week = [], _monday(filters.start)
    while week <= filters.end:
        found.append(week)
        week += timedelta(weeks=1)
    return found


def _median(values: list[float]) -> float | None:
    return round(statistics.median(values), 1) if values else None


def rhythm_report(*, user: User, filters: ReportFilters) -> Figures:
    target = target_hours()
    answered = interactions_visible_to(user).filter(
        in_period("answered_at", filters.start_at, filters.end_before), needs_reply=True
    )
    if filters.owner:
        answered = answered.filter(answered_by=filters.owner)
    if filters.tag:
        answered = answered.filter(deal__tags=filters.tag)
    rows = list(answered.order_by().values_list("occurred_at", "answered_at", "answered_by_id"))
    users = User.objects.in_bulk({r[2] for r in rows if r[2]})
    zones = {pk: user_zone(u) for pk, u in users.items()}
    by_user: dict[int | None, list[float]] = defaultdict(list)
    by_week: dict[date, list[float]] = defaultdict(list)
    for occurred_at, answered_at, answerer in rows:
        zone = zones.get(answerer) or user_zone(user)
        hours = working_hours_between(occurred_at, answered_at, zone)
        by_user[answerer].append(hours)
        by_week[_monday(answered_at.astimezone(zone).date())].append(hours)

    def response_row(by: str, group: str, hours: list[float]) -> dict:
        return {
            "by": by,
            "group": group,
            "answered": len(hours),
            "median_hours": _median(hours),
            "over_target": sum(1 for h in hours if h > target),
        }

    user_rows = sorted(
        (response_row("user", user_name(users.get(k)), v) for k, v in by_user.items()),
        key=lambda r: r["group"],
    )
    weeks = _weeks(filters)
    whose = filters.owner or user
    counts = daily_counts(user=whose, start=filters.start, end=filters.end)
    goals = goal_targets(user=whose)
    week_rows = []
    for week in weeks:
        days = [week + timedelta(days=i) for i in range(7)]
        row = response_row("week", f"{week:%-d %b %Y}", by_week.get(week, []))
        row["conversations"] = sum(counts[GoalKind.CONVERSATIONS][d] for d in days)
        row["quotes"] = sum(counts[GoalKind.QUOTES][d] for d in days)
        row["conversations_goal"] = goals[GoalKind.CONVERSATIONS] * WORKDAYS_A_WEEK
        row["quotes_goal"] = goals[GoalKind.QUOTES] * WORKDAYS_A_WEEK
        week_rows.append(row)
    labels = [r["group"] for r in week_rows]
    charts = [
        ChartSpec(
            kind="line",
            title="Median response time by week",
            x_labels=labels,
            series=[
                Series("Median working hours", [r["median_hours"] for r in week_rows]),
                Series("Target", [target for _ in week_rows]),
            ],
            unit="hours",
            caption="How long inbound messages answered each week had waited, in working hours "
            "(Monday to Friday, 9 to 5), against the target.",
        ),
        ChartSpec(
            kind="hbar",
            title="Median response time by user",
            x_labels=[r["group"] for r in user_rows],
            series=[
                Series("Median working hours", [r["median_hours"] for r in user_rows]),
                Series("Target", [target for _ in user_rows]),
            ],
            unit="hours",
            caption="Per user who answered in the period.",
        ),
        ChartSpec(
            kind="line",
            title=f"Conversations each week, {user_name(whose)}",
            x_labels=labels,
            series=[
                Series("Conversations", [r["conversations"] for r in week_rows]),
                Series("Goal", [r["conversations_goal"] for r in week_rows]),
            ],
            caption="Conversations with prospects each week against the daily goal times five "
            "working days.",
        ),
        ChartSpec(
            kind="line",
            title=f"Quotes sent each week, {user_name(whose)}",
            x_labels=labels,
            series=[
                Series("Quotes sent", [r["quotes"] for r in week_rows]),
                Series("Goal", [r["quotes_goal"] for r in week_rows]),
            ],
            caption="New quotes sent each week against the daily goal times five working days.",
        ),
    ]
    return Figures(
        name="rhythm",
        title="Response and rhythm",
        filters=filters,
        columns=COLUMNS,
        rows=user_rows + week_rows,
        charts=charts,
    )
