"""Forecasts, checked: the forecast at the start of a month uses only what was known then.
Each of the three ways the future could leak in (the deal's stage now, a chance changed since,
a deal closed since) would change the figures asserted here."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from attract.pipeline.models import Outcome, Stage, StageMove, StageSetting
from attract.pipeline.tests.factories import DealFactory
from attract.reports.filters import ReportFilters
from attract.reports.forecasts import forecasts_report
from attract.reports.tests.conftest import at

MARCH = ReportFilters(start=date(2026, 3, 1), end=date(2026, 3, 31))


def _deal(owner, *, moves, outcome, closed, revenue="1000", furthest, private=False):
    deal = DealFactory(
        owner=owner,
        outcome=outcome,
        closed_at=closed,
        revenue=Decimal(revenue),
        furthest_stage_index=furthest,
        stage=moves[-1][1],
        is_private=private,
        created_at=moves[0][0],
    )
    previous = ""
    for moved_at, stage in moves:
        StageMove.objects.create(deal=deal, from_stage=previous, to_stage=stage, moved_at=moved_at)
        previous = stage
    return deal


@pytest.fixture
def known_history(owner, teammate):
    # Learned from: one deal won before March, that had reached Interest.
    _deal(
        teammate,
        moves=[(at(2025, 12, 1), Stage.ATTENTION), (at(2025, 12, 5), Stage.INTEREST)],
        outcome=Outcome.WON,
        closed=at(2026, 1, 15),
        furthest=1,
    )
    # Open on 1 March at Interest, moved to Action in March, won: March must use Interest.
    _deal(
        teammate,
        moves=[(at(2026, 2, 1), Stage.INTEREST), (at(2026, 3, 15), Stage.ACTION)],
        outcome=Outcome.WON,
        closed=at(2026, 3, 20),
        furthest=4,
    )
    # Open on 1 March at Attention, lost; private to the owner.
    _deal(
        owner,
        moves=[(at(2026, 2, 1), Stage.ATTENTION)],
        outcome=Outcome.LOST,
        closed=at(2026, 3, 10),
        revenue="500",
        furthest=0,
        private=True,
    )
    # Closed in April: must not teach March's learned chances anything.
    _deal(
        teammate,
        moves=[(at(2026, 3, 20), Stage.ATTENTION)],
        outcome=Outcome.LOST,
        closed=at(2026, 4, 15),
        furthest=0,
    )
    # Interest's chance changed today (after March): March keeps the 20% it had then.
    setting = StageSetting.objects.get(stage=Stage.INTEREST)
    setting.probability = 60
    setting.save()


def test_the_march_forecast_uses_only_what_was_known_on_1_march(known_history, owner):
    row = forecasts_report(user=owner, filters=MARCH).rows[0]
    assert row["month"] == "Mar 2026" and row["decided"] == 2
    assert row["forecast_configured"] == Decimal("250")  # 1000 × 20% + 500 × 10%
    # Learned on 1 March from the one January win: Interest (1 + 2) / 11, Attention (1 + 1) / 11.
    assert row["forecast_learned"] == Decimal("364")  # 1000 × 27.27% + 500 × 18.18%
    assert row["actual"] == Decimal("1000")
    assert row["error_configured"] == Decimal("-750")
    assert row["brier_configured"] == pytest.approx(0.325)  # (0.2 − 1)² and 0.1², averaged
    assert row["brier_learned"] == pytest.approx(((3 / 11 - 1) ** 2 + (2 / 11) ** 2) / 2, abs=1e-4)


def test_others_do_not_see_the_private_deal_in_the_check(known_history, outsider):
    row = forecasts_report(user=outsider, filters=MARCH).rows[0]
    assert row["decided"] == 1 and row["forecast_configured"] == Decimal("200")


def test_an_empty_history_checks_nothing(owner):
    figures = forecasts_report(user=owner, filters=MARCH)
    assert figures.rows[0]["decided"] == 0 and figures.rows[0]["brier_learned"] is None
    assert figures.notes == []
