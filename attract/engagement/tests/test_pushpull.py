from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.core.exceptions import ValidationError

from attract.engagement import services
from attract.engagement.models import Direction, Verdict
from attract.engagement.pushpull import deal_verdicts, pull_share, weekly_pull_share
from attract.people.tests.factories import PersonFactory
from attract.pipeline.tests.factories import DealFactory

NOW = datetime(2026, 11, 20, 12, 0, tzinfo=UTC)


@pytest.fixture
def deal(owner):
    return DealFactory(owner=owner, contact=PersonFactory(owner=owner))


def log(owner, deal, direction, when):
    with time_machine.travel(when, tick=False):
        return services.interaction_log(
            actor=owner, channel="email", direction=direction, summary="x", deal=deal
        )


def verdict(deal):
    with time_machine.travel(NOW, tick=False):
        return deal_verdicts(deal_ids=[deal.pk])[deal.pk]


def test_a_deal_nobody_answered_is_push(deal):
    assert verdict(deal).verdict == Verdict.PUSH
    assert verdict(deal).score == 0


@pytest.mark.parametrize(("hours", "expected"), [(47, Verdict.PULL), (49, Verdict.PUSH)])
def test_a_reply_within_two_days_is_pull_and_later_is_push(owner, deal, hours, expected):
    asked = NOW - timedelta(days=5)
    log(owner, deal, Direction.WE_REACHED_OUT, asked)
    log(owner, deal, Direction.THEY_REPLIED, asked + timedelta(hours=hours))
    assert verdict(deal).verdict == expected


@pytest.mark.parametrize(
    ("age", "expected"),
    [
        (timedelta(days=30) - timedelta(hours=1), Verdict.PULL),
        (timedelta(days=30) + timedelta(hours=1), Verdict.PUSH),
    ],
)
def test_their_reach_out_counts_only_inside_the_30_day_window(owner, deal, age, expected):
    log(owner, deal, Direction.THEY_REACHED_OUT, NOW - age)
    assert verdict(deal).verdict == expected


def test_the_window_is_configurable(owner, deal, settings):
    settings.ATTRACT_PULL_WINDOW_DAYS = 7
    log(owner, deal, Direction.THEY_REACHED_OUT, NOW - timedelta(days=8))
    assert verdict(deal).verdict == Verdict.PUSH


def test_the_evidence_is_the_interactions_that_decided(owner, deal):
    reach = log(owner, deal, Direction.THEY_REACHED_OUT, NOW - timedelta(days=2))
    log(owner, deal, Direction.WE_REPLIED, NOW - timedelta(days=1))
    assert verdict(deal).evidence == [reach]


def test_a_fresh_reach_out_scores_higher_than_an_old_quick_reply(owner, deal):
    other = DealFactory(owner=owner, contact=PersonFactory(owner=owner))
    log(owner, deal, Direction.THEY_REACHED_OUT, NOW - timedelta(hours=1))
    log(owner, other, Direction.WE_REACHED_OUT, NOW - timedelta(days=26))
    log(owner, other, Direction.THEY_REPLIED, NOW - timedelta(days=25))
    fresh, faded = verdict(deal).score, verdict(other).score
    assert 95 <= fresh <= 100
    assert 0 < faded < 30


def test_an_override_wins_and_keeps_its_reason(owner, deal):
    services.verdict_override_set(actor=owner, deal=deal, verdict="pull", reason="Met at lunch")
    seen = verdict(deal)
    assert (seen.verdict, seen.computed, seen.override.reason) == ("pull", "push", "Met at lunch")


def test_an_override_without_a_reason_is_refused(owner, deal):
    with pytest.raises(ValidationError) as exc:
        services.verdict_override_set(actor=owner, deal=deal, verdict="pull", reason=" ")
    assert "reason" in exc.value.message_dict


def test_share_of_pull_overall_and_per_owner(owner, teammate):
    pulled = DealFactory(owner=owner)
    DealFactory(owner=owner)
    DealFactory(owner=teammate)
    log(owner, pulled, Direction.THEY_REACHED_OUT, NOW - timedelta(days=1))
    with time_machine.travel(NOW, tick=False):
        overall, per_owner = pull_share(user=owner)
    assert (overall.pull, overall.total, overall.percent) == (1, 3, 33)
    assert {s.label: (s.pull, s.total) for s in per_owner} == {
        "Olivia Owner": (1, 2),
        "Tom Teammate": (0, 1),
    }


def test_the_weekly_share_follows_when_signals_came(owner):
    with time_machine.travel(NOW - timedelta(weeks=8), tick=False):
        deal = DealFactory(owner=owner)
    log(owner, deal, Direction.THEY_REACHED_OUT, NOW - timedelta(days=3))
    with time_machine.travel(NOW, tick=False):
        weeks = weekly_pull_share(user=owner, weeks=3)
    assert [w.pull for w in weeks] == [0, 0, 1]
