"""What a seller's day starts with, composed from the selectors: the Today page and
`attract today` show the same thing."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.utils import timezone

from attract.engagement.goals import GoalProgress, goal_progress
from attract.engagement.models import Task
from attract.engagement.pushpull import open_deals_with_pull
from attract.engagement.responses import Waiting, awaiting_reply
from attract.engagement.selectors import tasks_due_today
from attract.pipeline.models import Deal
from attract.pipeline.selectors import long_maybes_for_user

ITEMS_PER_SECTION = 10


@dataclass
class Today:
    awaiting: list[Waiting]
    tasks: list[Task]
    goals: list[GoalProgress]
    long_maybes: list[Deal]
    push_deals: list[Deal]


def push_deals_for_owner(*, user, now: datetime | None = None, limit: int = ITEMS_PER_SECTION):
    """The user's own Push deals, longest in their stage first: each needs a reason for the
    prospect to hear from us (an idea, a useful article, an invitation), not another chase."""
    deals = open_deals_with_pull(user=user, now=now).filter(owner=user, is_pull=False)
    return list(
        deals.select_related("company", "contact").order_by("stage_entered_at", "id")[:limit]
    )


def today_for_user(*, user, now: datetime | None = None) -> Today:
    now = now or timezone.now()
    return Today(
        awaiting=awaiting_reply(user=user, limit=ITEMS_PER_SECTION, now=now),
        tasks=tasks_due_today(user=user, now=now),
        goals=goal_progress(user=user, now=now),
        long_maybes=list(
            long_maybes_for_user(user=user, owner_id=user.pk, now=now)[:ITEMS_PER_SECTION]
        ),
        push_deals=push_deals_for_owner(user=user, now=now),
    )
