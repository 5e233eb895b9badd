from datetime import UTC, date, datetime, timedelta

import time_machine

from attract.engagement import services
from attract.engagement.goals import goal_progress
from attract.engagement.models import GoalKind, Interaction
from attract.engagement.tests.factories import InteractionFactory
from attract.people.models import Relationship
from attract.people.tests.factories import CompanyFactory, PersonFactory
from attract.pipeline.tests.factories import QuoteFactory

# 23:30 on Friday 20 November in New York is 04:30 on Saturday in UTC.
LATE_FRIDAY_NY = datetime(2026, 11, 21, 4, 30, tzinfo=UTC)


def progress(user, kind, now):
    return next(p for p in goal_progress(user=user, now=now) if p.kind == kind)


def calls(user, when, n=1, **links):
    for _ in range(n):
        InteractionFactory(created_by=user, occurred_at=when, channel="call", **links)


def test_conversations_are_counted_on_the_users_local_day(owner):
    owner.time_zone = "America/New_York"
    owner.save()
    calls(owner, LATE_FRIDAY_NY)
    # Still Friday in New York: the call counts for today.
    assert progress(owner, GoalKind.CONVERSATIONS, LATE_FRIDAY_NY).today == 1
    # Just after midnight in New York it is a new day.
    saturday = LATE_FRIDAY_NY + timedelta(minutes=31)
    assert progress(owner, GoalKind.CONVERSATIONS, saturday).today == 0


def test_a_call_just_before_utc_midnight_counts_for_a_tokyo_user_on_the_next_day(owner):
    owner.time_zone = "Asia/Tokyo"
    owner.save()
    calls(owner, datetime(2026, 11, 20, 23, 0, tzinfo=UTC))
    # 08:00 on 21 November in Tokyo.
    assert (
        progress(owner, GoalKind.CONVERSATIONS, datetime(2026, 11, 20, 23, 5, tzinfo=UTC)).today
        == 1
    )


def test_calls_with_customers_and_emails_are_not_prospect_conversations(owner):
    customer = CompanyFactory(owner=owner, relationship=Relationship.CUSTOMER)
    now = datetime(2026, 11, 20, 12, tzinfo=UTC)
    calls(owner, now, person=PersonFactory(owner=owner, company=customer))
    InteractionFactory(created_by=owner, occurred_at=now, channel="email")
    assert progress(owner, GoalKind.CONVERSATIONS, now).today == 0


def test_a_sent_quote_counts_toward_the_quote_goal(owner):
    QuoteFactory(created_by=owner, status="sent", sent_on=date(2026, 11, 20))
    QuoteFactory(created_by=owner, status="draft")
    assert progress(owner, GoalKind.QUOTES, datetime(2026, 11, 20, 12, tzinfo=UTC)).today == 1


def test_thank_you_letters_to_previous_customers_count_by_week(owner):
    former = CompanyFactory(owner=owner, relationship=Relationship.FORMER_CUSTOMER)
    for day in (16, 18, 20):
        InteractionFactory(
            created_by=owner,
            channel="letter",
            company=former,
            person=None,
            occurred_at=datetime(2026, 11, day, 12, tzinfo=UTC),
        )
    letters = progress(owner, GoalKind.THANK_YOU_LETTERS, datetime(2026, 11, 20, 13, tzinfo=UTC))
    assert (letters.this_week, letters.met) == (3, True)


def test_a_streak_counts_days_in_a_row_and_today_only_once_met(owner):
    services.goal_set(actor=owner, kind=GoalKind.CONVERSATIONS, target=2)
    now = datetime(2026, 11, 20, 12, tzinfo=UTC)
    for back in (1, 2, 3):
        calls(owner, now - timedelta(days=back), n=2)
    calls(owner, now - timedelta(days=5), n=2)
    with time_machine.travel(now, tick=False):
        assert progress(owner, GoalKind.CONVERSATIONS, now).streak == 3
        calls(owner, now, n=2)
        assert progress(owner, GoalKind.CONVERSATIONS, now).streak == 4
    assert Interaction.objects.count() == 10


def test_goals_default_to_five_conversations_one_quote_and_three_letters_a_week(owner):
    found = {p.kind: (p.target, p.period) for p in goal_progress(user=owner)}
    assert found == {
        "conversations": (5, "day"),
        "quotes": (1, "day"),
        "thank_you_letters": (3, "week"),
    }
