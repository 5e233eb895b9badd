"""The sales cycle from the stored stage times gives exactly what reading every move gave: the
same history, the previous computation (tests/reference_cycle.py) against the report, for several
readers, filters and periods. The history has what makes medians and "the move before" tricky:
two moves at the same instant, backward moves, even and odd group sizes, a private deal, a
deal in the trash, deals closed in and out of the period."""

from __future__ import annotations

import random
import statistics
from collections import defaultdict
from datetime import date, timedelta

import pytest
from django.utils import timezone

from attract.people.models import Tag
from attract.pipeline.models import STAGE_ORDER, Deal, Outcome, StageMove
from attract.pipeline.services import deal_restore, deal_trash
from attract.pipeline.stage_times import stage_move_times_fill
from attract.pipeline.tests.factories import DealFactory
from attract.reports import cycle
from attract.reports.figures import deals_for
from attract.reports.filters import ReportFilters
from attract.reports.medians import medians_by
from attract.reports.tests import reference_cycle as reference
from attract.reports.tests.conftest import at

pytestmark = pytest.mark.django_db


def _random_history(owner, teammate, outsider, *, deals=24, seed=18):
    rng = random.Random(seed)
    tag = Tag.objects.create(name="Retail")
    made = []
    for n in range(deals):
        owner_of = (owner, teammate, outsider)[n % 3]
        start = at(2026, 1, 2) + timedelta(minutes=rng.randrange(200_000))
        when, stage, furthest, path = start, 0, 0, []
        for _ in range(rng.randrange(1, 7)):
            path.append((when, stage))
            step = rng.choice([1, 1, 2, -1])
            stage = min(max(stage + step, 0), 4)
            furthest = max(furthest, stage)
            # Now and then two moves at the same instant (a bulk move and its correction).
            when += timedelta(0) if rng.random() < 0.1 else timedelta(hours=rng.randrange(1, 900))
        outcome = rng.choice([Outcome.OPEN, Outcome.WON, Outcome.LOST, Outcome.REFERRED_OUT])
        deal = DealFactory(
            owner=owner_of,
            is_private=n % 7 == 3,
            outcome=outcome,
            closed_at=None if outcome == Outcome.OPEN else when + timedelta(days=1),
            stage=STAGE_ORDER[path[-1][1]],
            furthest_stage_index=furthest,
        )
        Deal.all_objects.filter(pk=deal.pk).update(created_at=start)
        if n % 4 == 0:
            deal.tags.add(tag)
        previous = None
        for moved_at, index in path:
            StageMove.objects.create(
                deal=deal,
                from_stage=STAGE_ORDER[previous] if previous is not None else "",
                to_stage=STAGE_ORDER[index],
                is_backward=previous is not None and index < previous,
                moved_at=moved_at,
            )
            previous = index
        made.append(deal)
    # Written straight to the table, as an import or the demo writes them; the fill is what
    # those writers call afterwards.
    stage_move_times_fill(deal_ids=[d.pk for d in made])
    return made, tag


def _periods():
    return [
        ReportFilters(start=date(2026, 1, 1), end=date(2026, 12, 31)),
        ReportFilters(start=date(2026, 2, 10), end=date(2026, 4, 20)),
        ReportFilters(start=date(2026, 3, 1), end=date(2026, 3, 31)),
    ]


def _both(user, filters):
    deals = deals_for(user, filters)
    new = cycle._stage_rows(user, filters, deals) + cycle._decision_rows(deals, filters)
    old = reference._stage_rows(user, filters, deals) + reference._decision_rows(deals, filters)
    return new, old


def test_the_stored_times_give_what_reading_every_move_gave(owner, teammate, outsider):
    _, tag = _random_history(owner, teammate, outsider)
    compared = 0
    for user in (owner, teammate, outsider):
        for period in _periods():
            for narrowed in (
                period,
                ReportFilters(start=period.start, end=period.end, owner=teammate),
                ReportFilters(start=period.start, end=period.end, tag=tag),
            ):
                new, old = _both(user, narrowed)
                assert new == old, (user.email, narrowed)
                compared += sum(1 for r in new if r.get("median_days") is not None)
    assert compared > 20  # the comparison met real medians, not only empty stages


def test_a_deal_in_the_trash_leaves_the_cycle_and_comes_back_restored(owner, teammate, outsider):
    deals, _ = _random_history(owner, teammate, outsider, seed=7)
    period = _periods()[0]
    before, _ = _both(owner, period)
    moved = max(deals, key=lambda d: d.moves.count() if not d.is_private else 0)
    deal_trash(actor=owner, deal=moved)
    trashed, old = _both(owner, period)
    assert trashed == old and trashed != before
    deal_restore(actor=owner, deal=Deal.all_objects.get(pk=moved.pk))
    assert _both(owner, period)[0] == before


def test_the_database_median_of_each_group_is_the_median_of_its_values(owner, teammate, outsider):
    _random_history(owner, teammate, outsider, deals=60, seed=3)
    moves = StageMove.objects.exclude(from_stage="")
    found = medians_by(
        moves,
        groups=["from_stage"],
        value="time_in_previous_stage",
        as_float=lambda spent: spent.total_seconds(),
    )
    values = defaultdict(list)
    for stage, spent in moves.values_list("from_stage", "time_in_previous_stage"):
        if spent is not None:
            values[stage].append(spent.total_seconds())
    assert {k: (g.size, g.median) for k, g in found.items()} == {
        k: (len(v), statistics.median(v)) for k, v in values.items()
    }
    assert any(len(v) % 2 == 0 for v in values.values())
    assert any(len(v) % 2 == 1 for v in values.values())


def test_a_new_history_moved_today_has_its_times_from_the_service(owner):
    from attract.pipeline.services import deal_create, deal_move_to_stage

    deal = deal_create(actor=owner, title="Today", pain="Slow invoices", revenue="100")
    deal = deal_move_to_stage(actor=owner, deal=deal, stage="interest")
    move = deal.moves.order_by("-moved_at", "-id").first()
    first = deal.moves.order_by("moved_at", "id").first()
    assert first.time_in_previous_stage is None
    assert move.time_in_previous_stage == move.moved_at - first.moved_at
    assert move.time_in_previous_stage < timedelta(seconds=5)
    assert timezone.now() - move.moved_at < timedelta(seconds=5)
