"""Forecasts, checked from the monthly snapshots gives exactly what counting every deal at
every month's start gave (tests/reference_forecasts.py, the previous computation), on one
history with moves back and forth, chances changed over time, private deals, tags and deals
decided months later; a month not snapshotted yet is counted live; the snapshot's cells show
what was decided since once they are counted again (nightly, or by the command)."""

from __future__ import annotations

import random
from datetime import date, timedelta
from decimal import Decimal

import pytest
import time_machine
from django.core.management import call_command

from attract.jobs.schedule import DECLARED
from attract.people.models import Tag
from attract.pipeline.models import STAGE_ORDER, Deal, Outcome, StageMove, StageSetting
from attract.pipeline.services import deal_win
from attract.pipeline.tests.factories import DealFactory
from attract.reports.filters import ReportFilters
from attract.reports.forecast_snapshots import forecast_snapshots_refresh
from attract.reports.forecasts import forecasts_report
from attract.reports.models import ForecastCell, ForecastMonth
from attract.reports.tests import reference_forecasts as reference
from attract.reports.tests.conftest import at

pytestmark = pytest.mark.django_db

TODAY = "2026-07-15 12:00Z"
HALF_YEAR = ReportFilters(start=date(2026, 1, 1), end=date(2026, 7, 15))


def _history(owner, teammate, outsider, *, deals=40, seed=11):
    rng = random.Random(seed)
    tag = Tag.objects.create(name="Retail")
    for n in range(deals):
        created = at(2025, 11, 1) + timedelta(hours=rng.randrange(24 * 230))
        when, index, furthest = created, 0, 0
        moves = [(when, 0)]
        for _ in range(rng.randrange(0, 5)):
            when += timedelta(hours=rng.randrange(1, 24 * 40))
            index = min(max(index + rng.choice([1, 1, -1]), 0), 4)
            furthest = max(furthest, index)
            moves.append((when, index))
        outcome = rng.choice([Outcome.OPEN, Outcome.WON, Outcome.LOST, Outcome.REFERRED_OUT])
        closed = when + timedelta(days=rng.randrange(1, 60))
        if outcome != Outcome.OPEN and closed > at(2026, 7, 14):
            outcome, closed = Outcome.OPEN, None
        deal = DealFactory(
            owner=(owner, teammate, outsider)[n % 3],
            is_private=n % 5 == 2,
            outcome=outcome,
            closed_at=None if outcome == Outcome.OPEN else closed,
            revenue=Decimal(rng.randrange(1, 400) * 25),
            stage=STAGE_ORDER[index],
            furthest_stage_index=furthest,
        )
        Deal.all_objects.filter(pk=deal.pk).update(created_at=created)
        if n % 3 == 1:
            deal.tags.add(tag)
        previous = ""
        for moved_at, i in moves:
            StageMove.objects.create(
                deal=deal, from_stage=previous, to_stage=STAGE_ORDER[i], moved_at=moved_at
            )
            previous = STAGE_ORDER[i]
    # The chances changed along the way: each month must use the ones it had.
    with time_machine.travel(at(2026, 3, 20)):
        setting = StageSetting.objects.get(stage="interest")
        setting.probability = 35
        setting.save()
    with time_machine.travel(at(2026, 5, 2)):
        setting = StageSetting.objects.get(stage="desire")
        setting.probability = 55
        setting.save()
    return tag


def _readers(owner, teammate, outsider, tag):
    for user in (owner, teammate, outsider):
        for filters in (
            HALF_YEAR,
            ReportFilters(start=date(2026, 3, 1), end=date(2026, 5, 31), owner=teammate),
            ReportFilters(start=HALF_YEAR.start, end=HALF_YEAR.end, tag=tag),
        ):
            yield user, filters


@time_machine.travel(TODAY, tick=False)
def test_the_snapshots_give_what_counting_every_deal_gave(owner, teammate, outsider):
    tag = _history(owner, teammate, outsider)
    forecast_snapshots_refresh()
    assert ForecastMonth.objects.filter(month__gte=date(2026, 1, 1)).count() == 7
    decided = 0
    for user, filters in _readers(owner, teammate, outsider, tag):
        new = forecasts_report(user=user, filters=filters)
        old = reference.forecasts_report(user=user, filters=filters)
        # What readers get (table, CSV, API, charts, notes); the unrounded sums of squares
        # behind the Brier scores may differ in their last bit with the order they are added.
        assert new.as_dict() == old.as_dict(), (user.email, filters)
        decided += new.rows[-1]["decided"]
    assert decided > 50  # the comparison met real deals, not empty months


@time_machine.travel(TODAY, tick=False)
def test_a_month_not_snapshotted_yet_is_counted_from_the_deals(owner, teammate, outsider):
    _history(owner, teammate, outsider, seed=5)
    forecast_snapshots_refresh()
    ForecastMonth.objects.filter(month=date(2026, 7, 1)).delete()  # the night has not come
    new = forecasts_report(user=owner, filters=HALF_YEAR)
    assert new.as_dict() == reference.forecasts_report(user=owner, filters=HALF_YEAR).as_dict()


@time_machine.travel(TODAY, tick=False)
def test_a_deal_decided_today_shows_once_the_months_are_counted_again(owner, teammate, outsider):
    _history(owner, teammate, outsider, seed=9)
    forecast_snapshots_refresh()
    deal = Deal.objects.filter(outcome=Outcome.OPEN, created_at__lt=at(2026, 2, 1)).first()
    deal_win(actor=deal.owner, deal=deal)
    before = forecasts_report(user=owner, filters=HALF_YEAR).rows[-1]
    call_command("forecast_snapshots")  # what the nightly job runs
    after = forecasts_report(user=owner, filters=HALF_YEAR)
    assert after.rows[-1]["decided"] > before["decided"]
    assert after.as_dict() == reference.forecasts_report(user=owner, filters=HALF_YEAR).as_dict()


@time_machine.travel(TODAY, tick=False)
def test_a_snapshot_keeps_the_chances_known_at_the_start_of_its_month(owner):
    DealFactory(owner=owner, created_at=at(2026, 1, 5))
    forecast_snapshots_refresh()
    march = ForecastMonth.objects.get(month=date(2026, 3, 1))
    assert march.chances["interest"] == [20, 0, 0]
    # A deal won in February, imported today: March's chances were made without it.
    DealFactory(
        owner=owner,
        outcome=Outcome.WON,
        closed_at=at(2026, 2, 10),
        furthest_stage_index=1,
        created_at=at(2026, 1, 20),
    )
    forecast_snapshots_refresh()
    march.refresh_from_db()
    assert march.chances["interest"] == [20, 0, 0]
    assert ForecastCell.objects.filter(snapshot=march, outcome=Outcome.OPEN).exists()


def test_the_snapshots_are_written_every_night():
    assert DECLARED["forecast-snapshots"].cron == "45 2 * * *"
