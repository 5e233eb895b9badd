"""What the engagement pages store (each deal's last pull, the judged past weeks, the goal
counts per day) always equals what the interactions say, after logging, editing and deleting,
and as time passes."""

import random
from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError

from attract.engagement import services
from attract.engagement.goals import counted_interactions, daily_counts
from attract.engagement.models import (
    DealSignal,
    Direction,
    GoalKind,
    Interaction,
    PullShareWeek,
    Verdict,
)
from attract.engagement.pushpull import (
    deal_verdicts,
    fill_past_weeks,
    judge_week,
    open_deals_with_pull,
    pull_share,
    refresh_all_deal_signals,
)
from attract.engagement.tests.factories import InteractionFactory
from attract.people.tests.factories import PersonFactory
from attract.pipeline import services as pipeline_services
from attract.pipeline.tests.factories import DealFactory

NOW = datetime(2026, 11, 20, 12, 0, tzinfo=UTC)


def log(owner, deal, direction, when, channel="email"):
    with time_machine.travel(when, tick=False):
        return services.interaction_log(
            actor=owner, channel=channel, direction=direction, summary="x", deal=deal
        )


def stored_and_computed(user, deals, now=NOW):
    """The verdict as the lists read it (stored signal) and as computed from interactions."""
    stored = {d.pk: d.is_pull for d in open_deals_with_pull(user=user, now=now)}
    computed = {
        pk: v.computed == Verdict.PULL
        for pk, v in deal_verdicts(deal_ids=[d.pk for d in deals], now=now).items()
    }
    return {pk: stored[pk] for pk in computed}, computed


@pytest.fixture
def deals(owner):
    return [DealFactory(owner=owner, contact=PersonFactory(owner=owner)) for _ in range(6)]


def test_the_stored_signal_equals_the_computed_one_after_random_logging(owner, deals):
    rng = random.Random(4)
    for _ in range(60):
        deal = rng.choice(deals)
        log(owner, deal, rng.choice(Direction.values), NOW - timedelta(hours=rng.randint(1, 1500)))
    stored, computed = stored_and_computed(owner, deals)
    assert stored == computed
    assert any(computed.values()) and not all(computed.values())


def test_a_pull_turns_into_push_when_the_window_passes_without_any_write(owner, deals):
    log(owner, deals[0], Direction.THEY_REACHED_OUT, NOW - timedelta(days=29))
    assert stored_and_computed(owner, deals)[0][deals[0].pk] is True
    later = NOW + timedelta(days=2)
    stored, computed = stored_and_computed(owner, deals, now=later)
    assert stored[deals[0].pk] is False and stored == computed


def test_editing_and_deleting_keep_the_stored_signal_in_step(owner, deals):
    first, second = deals[0], deals[1]
    reach = log(owner, first, Direction.THEY_REACHED_OUT, NOW - timedelta(days=3))
    older = log(owner, first, Direction.THEY_REACHED_OUT, NOW - timedelta(days=40))
    with time_machine.travel(NOW, tick=False):
        # No longer a pull signal: the deal falls back to its older, out-of-window signal.
        services.interaction_edit(
            actor=owner, interaction=reach, direction=Direction.WE_REACHED_OUT
        )
        assert DealSignal.objects.get(deal=first).last_pull_at == older.occurred_at
        assert stored_and_computed(owner, deals)[0][first.pk] is False
        # Moved back into the window, then onto another deal: both deals follow.
        services.interaction_edit(
            actor=owner, interaction=older, occurred_at=NOW - timedelta(days=1)
        )
        assert stored_and_computed(owner, deals)[0][first.pk] is True
        older.deal = second
        older.save()
        stored, computed = stored_and_computed(owner, deals)
        assert (stored[first.pk], stored[second.pk]) == (False, True) and stored == computed
        services.interaction_delete(actor=owner, interaction=older)
    assert not DealSignal.objects.filter(deal=second).exists()
    assert stored_and_computed(owner, deals)[0] == stored_and_computed(owner, deals)[1]


def test_a_reply_edited_to_come_later_stops_being_quick(owner, deals):
    deal = deals[0]
    log(owner, deal, Direction.WE_REACHED_OUT, NOW - timedelta(days=5))
    reply = log(owner, deal, Direction.THEY_REPLIED, NOW - timedelta(days=5) + timedelta(hours=47))
    assert stored_and_computed(owner, deals)[0][deal.pk] is True
    with time_machine.travel(NOW, tick=False):
        services.interaction_edit(
            actor=owner,
            interaction=reply,
            occurred_at=NOW - timedelta(days=5) + timedelta(hours=49),
        )
    stored, computed = stored_and_computed(owner, deals)
    assert stored[deal.pk] is False and stored == computed


def test_an_edit_is_checked_like_a_new_interaction(owner, outsider, deals):
    reach = log(owner, deals[0], Direction.THEY_REACHED_OUT, NOW - timedelta(days=1))
    with pytest.raises(ValidationError) as exc:
        services.interaction_edit(
            actor=owner, interaction=reach, occurred_at=NOW + timedelta(days=400), summary=" "
        )
    assert {"occurred_at", "summary"} <= set(exc.value.message_dict)
    private = DealFactory(owner=owner, is_private=True)
    hidden = InteractionFactory(deal=private, created_by=owner)
    with pytest.raises(PermissionDenied):
        services.interaction_delete(actor=outsider, interaction=hidden)
    assert Interaction.objects.filter(pk=hidden.pk).exists()


def test_a_deal_that_closes_or_changes_owner_moves_in_the_share(owner, teammate, deals):
    log(owner, deals[0], Direction.THEY_REACHED_OUT, NOW - timedelta(days=1))
    log(owner, deals[1], Direction.THEY_REACHED_OUT, NOW - timedelta(days=1))
    with time_machine.travel(NOW, tick=False):
        pipeline_services.deal_lose(actor=owner, deal=deals[0], reason="Chose another supplier")
        deals[1].owner = teammate
        deals[1].save()
        overall, per_owner = pull_share(user=owner)
    assert (overall.pull, overall.total) == (1, 5)
    assert {s.label: (s.pull, s.total) for s in per_owner} == {
        "Olivia Owner": (0, 4),
        "Tom Teammate": (1, 1),
    }


def test_the_set_based_refresh_gives_what_the_receivers_kept(owner, deals):
    rng = random.Random(9)
    for _ in range(40):
        log(
            owner,
            rng.choice(deals),
            rng.choice(Direction.values),
            NOW - timedelta(days=rng.randint(1, 60)),
        )
    kept = set(DealSignal.objects.values_list("deal_id", "last_pull_at", "owner_id", "is_open"))
    assert refresh_all_deal_signals() == len(kept)
    assert (
        set(DealSignal.objects.values_list("deal_id", "last_pull_at", "owner_id", "is_open"))
        == kept
    )


def test_a_past_week_is_judged_once_and_judged_again_after_a_back_dated_signal(owner, deals):
    with time_machine.travel(NOW - timedelta(weeks=10), tick=False):
        old = DealFactory(owner=owner, contact=PersonFactory(owner=owner))
    assert fill_past_weeks(now=NOW) == 7
    assert fill_past_weeks(now=NOW) == 0
    last_monday = datetime(2026, 11, 16, tzinfo=UTC)
    assert PullShareWeek.objects.get(week_end=last_monday).counts == judge_week(last_monday)
    log(owner, old, Direction.THEY_REACHED_OUT, NOW - timedelta(days=6))
    # The signal of Saturday 14 November counts for the weeks ending on the 16th and later.
    assert not PullShareWeek.objects.filter(week_end=last_monday).exists()
    assert PullShareWeek.objects.filter(week_end=last_monday - timedelta(weeks=1)).exists()
    assert fill_past_weeks(now=NOW) == 1
    stored = PullShareWeek.objects.get(week_end=last_monday).counts
    assert [owner.pk, False, 1, 1] in stored


def test_the_stored_goal_counts_follow_logging_editing_and_deleting(owner, deals):
    owner.time_zone = "Asia/Tokyo"
    owner.save()
    day = NOW.date()
    start = day - timedelta(days=10)
    calls = [
        log(owner, deals[n % 3], Direction.WE_REACHED_OUT, NOW - timedelta(hours=5 * n), "call")
        for n in range(12)
    ]
    with time_machine.travel(NOW, tick=False):
        services.interaction_edit(actor=owner, interaction=calls[0], channel="email")
        services.interaction_edit(
            actor=owner, interaction=calls[1], occurred_at=NOW - timedelta(days=4)
        )
        services.interaction_delete(actor=owner, interaction=calls[2])
    stored = daily_counts(user=owner, start=start, end=day)[GoalKind.CONVERSATIONS]
    live = counted_interactions(user=owner, start=start, end=day)[GoalKind.CONVERSATIONS]
    assert +stored == +live and sum(live.values()) == 10


def test_overrides_count_only_on_open_deals_the_user_may_see(owner, teammate):
    mine = DealFactory(owner=owner)
    hidden = DealFactory(owner=teammate, is_private=True)
    closed = DealFactory(owner=owner)
    for deal in (mine, hidden, closed):
        services.verdict_override_set(
            actor=deal.owner, deal=deal, verdict="pull", reason="Asked us"
        )
    pipeline_services.deal_lose(actor=owner, deal=closed, reason="No budget this year")
    overall, _ = pull_share(user=owner)
    assert (overall.pull, overall.total) == (1, 1)
    overall, _ = pull_share(user=teammate)
    assert (overall.pull, overall.total) == (2, 2)
