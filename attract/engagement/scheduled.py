"""Engagement's daily work: the Push/Pull signals, the weekly shares of Pull, the goal counts and
the response times of the last 30 days counted again, so that what the pages store follows the clock (a signal leaves the window, a
week ends) without anyone running `attract engagement_refresh`."""

from __future__ import annotations

from attract.engagement.goals import refresh_all_goal_days
from attract.engagement.models import PullShareWeek
from attract.engagement.pushpull import fill_past_weeks, refresh_all_deal_signals
from attract.engagement.responses import refresh_all_response_days
from attract.jobs.queue import background_task
from attract.jobs.schedule import every


@every(
    "0 2 * * *",
    name="engagement-refresh",
    description="Count Push/Pull signals, weekly shares of Pull and goal days again",
)
@background_task()
def engagement_refresh() -> dict[str, int]:
    deals = refresh_all_deal_signals()
    PullShareWeek.objects.all().delete()
    weeks = fill_past_weeks()
    days = refresh_all_goal_days()
    responses = refresh_all_response_days()
    return {"deals": deals, "weeks": weeks, "days": days, "response_days": responses}
