"""Response and rhythm on a small known history: working hours to answer, by user and by
week, against the target; the week's conversations against the goal."""

from __future__ import annotations

from datetime import UTC, date, datetime

from attract.engagement.models import Channel, Direction, GoalDay, GoalKind
from attract.engagement.tests.factories import InteractionFactory
from attract.reports.filters import ReportFilters
from attract.reports.rhythm import rhythm_report

MARCH = ReportFilters(start=date(2026, 3, 1), end=date(2026, 3, 31))


def _answered(by, occurred, answered, **extra):
    return InteractionFactory(
        channel=Channel.EMAIL,
        direction=Direction.THEY_REACHED_OUT,
        needs_reply=True,
        occurred_at=occurred,
        answered_at=answered,
        answered_by=by,
        created_by=by,
        **extra,
    )


def test_response_times_by_user_and_week_and_conversations_against_the_goal(owner, teammate):
    # Monday 2 March, 10:00 → 12:00: two working hours; Friday 16:00 → Monday 11:00: three.
    _answered(owner, datetime(2026, 3, 2, 10, tzinfo=UTC), datetime(2026, 3, 2, 12, tzinfo=UTC))
    _answered(owner, datetime(2026, 3, 6, 16, tzinfo=UTC), datetime(2026, 3, 9, 11, tzinfo=UTC))
    _answered(
        teammate, datetime(2026, 3, 3, 9, tzinfo=UTC), datetime(2026, 3, 4, 11, tzinfo=UTC)
    )  # ten working hours: over the four-hour target
    GoalDay.objects.create(user=owner, day=date(2026, 3, 3), kind=GoalKind.CONVERSATIONS, count=7)
    figures = rhythm_report(user=owner, filters=MARCH)
    users = {r["group"]: r for r in figures.rows if r["by"] == "user"}
    assert users["Olivia Owner"]["answered"] == 2 and users["Olivia Owner"]["median_hours"] == 2.5
    assert users["Tom Teammate"]["median_hours"] == 10.0
    assert users["Tom Teammate"]["over_target"] == 1
    weeks = {r["group"]: r for r in figures.rows if r["by"] == "week"}
    assert weeks["2 Mar 2026"]["answered"] == 2 and weeks["9 Mar 2026"]["answered"] == 1
    assert weeks["2 Mar 2026"]["conversations"] == 7
    assert weeks["2 Mar 2026"]["conversations_goal"] == 25  # five a day, five days
    mine = rhythm_report(user=owner, filters=ReportFilters(**vars(MARCH) | {"owner": teammate}))
    assert [r["group"] for r in mine.rows if r["by"] == "user"] == ["Tom Teammate"]
