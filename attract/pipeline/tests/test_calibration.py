"""The calibration of the forecast: each closed deal scored at every stage it reached, with the
chance learned from the deals closed before it, against its outcome; the Brier score checked
by hand on a small set."""

from __future__ import annotations

import io
from datetime import UTC, datetime

import pytest
from django.core.management import call_command
from django.urls import reverse

from attract.pipeline.calibration import forecast_calibration
from attract.pipeline.models import Outcome
from attract.pipeline.tests.factories import DealFactory
from attract.pipeline.tests.test_api import ApiClient


def _closed(owner, day: int, outcome: str, furthest: int):
    return DealFactory(
        owner=owner,
        outcome=outcome,
        furthest_stage_index=furthest,
        closed_at=datetime(2026, 1, day, tzinfo=UTC),
    )


@pytest.fixture
def three_closed(owner):
    # In the order they closed: lost at Attention, won, lost at Interest.
    _closed(owner, 3, Outcome.LOST, 1)
    _closed(owner, 1, Outcome.LOST, 0)
    _closed(owner, 2, Outcome.WON, 4)
    DealFactory(owner=owner)  # open: not scored


def test_brier_score_and_bins_match_the_hand_computed_ones(three_closed):
    # Configured chances 10/20/40/70/90 %, each blended with what was learned before (a prior
    # worth 10 deals). Deal 1 (lost) at Attention: 10 % → 0.01. Deal 2 (won) at its five
    # stages: 1/11 = 9.09 % (one loss learned at Attention) → 0.8264, then 20, 40, 70, 90 %
    # → 0.64, 0.36, 0.09, 0.01. Deal 3 (lost) at Attention: 2/12 = 16.67 % → 0.0278; at
    # Interest: 3/11 = 27.27 % → 0.0744. Eight forecasts.
    result = forecast_calibration()
    assert (result.deals, result.forecasts) == (3, 8)
    expected = 0.01 + (1 - 1 / 11) ** 2 + 0.64 + 0.36 + 0.09 + 0.01 + (1 / 6) ** 2 + (3 / 11) ** 2
    assert result.brier == pytest.approx(expected / 8)
    assert result.brier == pytest.approx(0.25483, abs=1e-5)
    # The configured percentages on the same eight forecasts.
    assert result.configured_brier == pytest.approx(
        (0.01 + 0.81 + 0.64 + 0.36 + 0.09 + 0.01 + 0.01 + 0.04) / 8
    )
    bins = {b.label: (b.count, b.won) for b in result.occupied_bins}
    assert bins == {
        "0–10%": (1, 1),  # 9.09 %, won
        "10–20%": (2, 0),  # 10 % and 16.67 %, both lost
        "20–30%": (2, 1),  # 20 % won, 27.27 % lost
        "40–50%": (1, 1),
        "70–80%": (1, 1),
        "90–100%": (1, 1),
    }
    middle = next(b for b in result.bins if b.low == 10)
    assert middle.mean_chance == pytest.approx((10 + 100 / 6) / 2)
    assert middle.won_share == 0


def test_without_closed_deals_there_is_no_score(db):
    result = forecast_calibration()
    assert (result.deals, result.forecasts, result.brier) == (0, 0, None)


def test_the_forecast_page_shows_the_calibration_with_its_sample(owner_client, three_closed):
    html = owner_client.get(reverse("pipeline:forecast")).content.decode()
    assert "Do the chances deserve trust?" in html
    assert "0.255" in html  # the learned chances' Brier score
    assert "8 forecasts of 3 closed deals" in html
    assert 'id="calibration-chart"' in html and "10–20%" in html


def test_the_forecast_page_says_when_nothing_is_closed_yet(owner_client):
    html = owner_client.get(reverse("pipeline:forecast")).content.decode()
    assert "No closed deal yet" in html


def test_the_api_gives_the_calibration(owner, three_closed):
    response = ApiClient(owner).get("/forecast/calibration")
    assert response.status_code == 200
    body = response.json()
    assert body["deals"] == 3 and body["forecasts"] == 8
    assert body["brier"] == pytest.approx(0.25483, abs=1e-4)
    assert body["bins"][1] == {
        "low": 10,
        "high": 20,
        "count": 2,
        "won": 0,
        "mean_chance": pytest.approx(13.33, abs=0.01),
        "won_share": 0.0,
    }


def test_the_command_line_prints_the_calibration(owner, three_closed):
    out = io.StringIO()
    call_command("pipeline", "--as", owner.email, stdout=out)
    text = out.getvalue()
    assert "Brier score" in text and "0.255" in text and "8 forecasts of 3 closed deals" in text
