from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import pytest
import time_machine
from django.utils import timezone

from attract.people.models import Tag
from attract.pipeline.configuration import stage_setting_update
from attract.pipeline.forecasting import (
    PRIOR_WEIGHT,
    decision_times,
    forecast_by_month,
    learned_chances,
    profit_ranking,
)
from attract.pipeline.models import Outcome, Stage, stage_index
from attract.pipeline.selectors import (
    deal_board,
    deal_list_for_user,
    deal_stage_history,
    long_maybes_for_user,
)
from attract.pipeline.services import deal_create, deal_move_to_stage
from attract.pipeline.tests.factories import DealFactory

pytestmark = pytest.mark.django_db


def _deals(n, owner, **kwargs):
    return [DealFactory(owner=owner, **kwargs) for _ in range(n)]


def test_the_board_sums_count_total_and_weighted_total_per_stage(owner):
    _deals(2, owner, stage=Stage.ATTENTION, revenue=Decimal("1000"))
    _deals(1, owner, stage=Stage.DESIRE, revenue=Decimal("3000"))
    DealFactory(owner=owner, stage=Stage.DESIRE, outcome=Outcome.WON, revenue=Decimal("9999"))
    board = deal_board(user=owner)
    by_stage = {c.stage: c for c in board.columns}
    assert [c.stage for c in board.columns] == list(Stage.values)
    assert (by_stage["attention"].count, by_stage["attention"].total) == (2, Decimal("2000"))
    assert by_stage["attention"].weighted_total == Decimal("200.00")  # 10 %
    assert by_stage["desire"].weighted_total == Decimal("2100.00")  # 70 %
    assert board.total == Decimal("5000")
    assert board.weighted_total == Decimal("2300.00")


@pytest.mark.parametrize("per_stage", [1, 10])
def test_the_board_runs_a_fixed_number_of_queries(owner, django_assert_num_queries, per_stage):
    for stage in Stage.values:
        _deals(per_stage, owner, stage=stage)
    with django_assert_num_queries(3):  # settings, the columns' totals, every column's cards
        board = deal_board(user=owner)
        for column in board.columns:
            for card in column.cards:
                assert card.company.name and card.owner.email


def test_the_board_hides_private_deals_of_others_and_filters_by_owner_and_tag(
    owner, teammate, outsider
):
    DealFactory(owner=owner, is_private=True)
    mine = DealFactory(owner=teammate)
    tagged = DealFactory(owner=teammate)
    tagged.tags.add(Tag.objects.create(name="Warm"))
    assert deal_board(user=outsider).count == 2
    assert deal_board(user=owner).count == 3
    assert deal_board(user=owner, owner_id=teammate.pk).count == 2
    board = deal_board(user=owner, tag="warm")
    assert [card.pk for c in board.columns for card in c.cards] == [tagged.pk]
    assert mine.pk not in [card.pk for c in board.columns for card in c.cards]


def test_a_deal_past_its_stage_limit_is_a_long_maybe(owner):
    with time_machine.travel(datetime(2026, 1, 1, 12, tzinfo=UTC)):
        stalled = deal_create(actor=owner, title="Stalled")
    with time_machine.travel(datetime(2026, 1, 20, 12, tzinfo=UTC)):
        fresh = deal_create(actor=owner, title="Fresh")
    # Attention allows 21 days by default.
    with time_machine.travel(datetime(2026, 1, 23, 12, tzinfo=UTC)):
        cards = {c.pk: c for c in deal_board(user=owner).columns[0].cards}
        assert cards[stalled.pk].is_long_maybe and not cards[fresh.pk].is_long_maybe
        assert cards[stalled.pk].days_in_stage == 22
        assert list(long_maybes_for_user(user=owner)) == [stalled]
        stage_setting_update(actor=owner, stage=Stage.ATTENTION, probability=10, stale_after_days=2)
        assert list(long_maybes_for_user(user=owner)) == [stalled, fresh]


def test_stage_history_shows_the_time_spent_in_each_stage(owner):
    with time_machine.travel(datetime(2026, 2, 1, 9, tzinfo=UTC), tick=False):
        deal = deal_create(actor=owner, title="Path", pain="Slow quotes")
    with time_machine.travel(datetime(2026, 2, 4, 9, tzinfo=UTC), tick=False):
        deal = deal_move_to_stage(actor=owner, deal=deal, stage=Stage.INTEREST)
    with time_machine.travel(datetime(2026, 2, 5, 9, tzinfo=UTC), tick=False):
        deal = deal_move_to_stage(actor=owner, deal=deal, stage=Stage.ATTENTION)
    with time_machine.travel(datetime(2026, 2, 10, 9, tzinfo=UTC), tick=False):
        visits, per_stage = deal_stage_history(deal=deal)
    assert [v.move.to_stage for v in visits] == ["attention", "interest", "attention"]
    assert per_stage == {"attention": timedelta(days=8), "interest": timedelta(days=1)}


def _closed(owner, furthest, outcome, n=1):
    return _deals(
        n,
        owner,
        stage=Stage.values[furthest],
        outcome=outcome,
        furthest_stage_index=furthest,
    )


def test_learned_chances_on_a_known_history(owner):
    # 4 won after reaching Action; 4 lost in Attention; 2 lost after reaching Desire.
    _closed(owner, 4, Outcome.WON, n=4)
    _closed(owner, 0, Outcome.LOST, n=4)
    _closed(owner, 3, Outcome.LOST, n=2)
    _closed(owner, 1, Outcome.REFERRED_OUT, n=3)  # not counted
    chances = learned_chances()
    assert (chances["attention"].reached, chances["attention"].won) == (10, 4)
    assert (chances["interest"].reached, chances["interest"].won) == (6, 4)
    assert (chances["desire"].reached, chances["desire"].won) == (6, 4)
    assert (chances["action"].reached, chances["action"].won) == (4, 4)
    assert chances["attention"].observed == 40.0
    # Smoothed toward the configured 10 %: (4 + 10 × 0.10) / (10 + 10) = 25 %.
    assert chances["attention"].learned == pytest.approx(25.0)
    # Action: (4 + 10 × 0.9) / (4 + 10) ≈ 92.9 %; a small sample, and flagged as one.
    assert chances["action"].learned == pytest.approx(100 * 13 / 14)
    assert chances["action"].is_small_sample


def test_with_no_history_the_learned_chance_is_the_configured_one():
    chances = learned_chances()
    assert {s: round(c.learned) for s, c in chances.items()} == {
        "attention": 10,
        "interest": 20,
        "conviction": 40,
        "desire": 70,
        "action": 90,
    }
    assert PRIOR_WEIGHT > 0


def test_the_forecast_sums_open_deals_by_close_month_both_ways(owner):
    DealFactory(owner=owner, stage=Stage.DESIRE, revenue=1000, expected_close_date=date(2026, 3, 5))
    DealFactory(
        owner=owner, stage=Stage.ACTION, revenue=2000, expected_close_date=date(2026, 3, 28)
    )
    DealFactory(owner=owner, stage=Stage.ATTENTION, revenue=500, expected_close_date=None)
    DealFactory(owner=owner, stage=Stage.ACTION, revenue=7000, outcome=Outcome.LOST)
    forecast = forecast_by_month(user=owner)
    march, undated = forecast.months
    assert march.month == date(2026, 3, 1)
    assert (march.count, march.revenue) == (2, Decimal("3000"))
    assert march.weighted_configured == Decimal("2500.00")  # 700 + 1800
    assert undated.month is None and undated.weighted_configured == Decimal("50.00")
    assert forecast.totals.revenue == Decimal("3500")
    # One lost deal that reached Action pulls the learned chances below the configured ones.
    assert forecast.totals.weighted_learned < forecast.totals.weighted_configured


def test_owners_are_ranked_by_profit_won_not_by_revenue(owner, teammate):
    DealFactory(owner=owner, outcome=Outcome.WON, revenue=10_000, cost=9_000)
    DealFactory(owner=teammate, outcome=Outcome.WON, revenue=4_000, cost=1_000)
    DealFactory(owner=teammate, outcome=Outcome.LOST, revenue=50_000, cost=0)
    ranking = profit_ranking(user=owner)
    assert [(r.owner, r.profit) for r in ranking] == [
        (teammate, Decimal("3000")),
        (owner, Decimal("1000")),
    ]
    assert ranking[0].margin == Decimal("75.0")


def test_median_days_to_a_no_and_to_a_yes(owner):
    now = timezone.now()
    for days in (2, 4, 10):
        DealFactory(
            owner=owner,
            outcome=Outcome.LOST,
            created_at=now - timedelta(days=days),
            closed_at=now,
        )
    for days in (30, 50):
        DealFactory(
            owner=owner, outcome=Outcome.WON, created_at=now - timedelta(days=days), closed_at=now
        )
    times = decision_times(user=owner)
    assert (times.to_no, times.no_count) == (timedelta(days=4), 3)
    assert (times.to_yes, times.yes_count) == (timedelta(days=40), 2)


def test_the_closed_list_shows_won_lost_and_referred_out_newest_first(owner):
    DealFactory(owner=owner)
    won = DealFactory(owner=owner, outcome=Outcome.WON, closed_at=timezone.now())
    lost = DealFactory(
        owner=owner, outcome=Outcome.LOST, closed_at=timezone.now() - timedelta(days=1)
    )
    assert list(deal_list_for_user(user=owner, closed=True, outcome=None)) == [won, lost]
    assert stage_index(Stage.ACTION) == 4
