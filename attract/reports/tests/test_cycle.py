"""The sales cycle on a small known history: a deal that moved forward, fell back and was won,
one lost early, a private one, and one whose owner changed."""

from __future__ import annotations

from datetime import date

from attract.pipeline.models import Deal, Outcome, Stage, StageMove
from attract.pipeline.stage_times import stage_move_times_fill
from attract.pipeline.tests.factories import DealFactory
from attract.reports.cycle import cycle_report
from attract.reports.filters import ReportFilters
from attract.reports.tests.conftest import at

PERIOD = ReportFilters(start=date(2026, 3, 1), end=date(2026, 4, 30))
A, INT, C = Stage.ATTENTION, Stage.INTEREST, Stage.CONVICTION


def _deal(owner, path, *, outcome=Outcome.OPEN, closed=None, private=False):
    """path: [(day in March, from, to, backward)]."""
    stages = [to for _, _, to, _ in path]
    deal = DealFactory(
        owner=owner,
        is_private=private,
        outcome=outcome,
        closed_at=closed,
        stage=stages[-1],
        furthest_stage_index=max(["attention", "interest", "conviction"].index(s) for s in stages),
    )
    Deal.all_objects.filter(pk=deal.pk).update(created_at=at(2026, 3, path[0][0]))
    for day, from_stage, to_stage, backward in path:
        StageMove.objects.create(
            deal=deal,
            from_stage=from_stage,
            to_stage=to_stage,
            is_backward=backward,
            moved_at=at(2026, 3, day),
        )
    stage_move_times_fill(deal_ids=[deal.pk])  # as every writer of moves in bulk does
    return deal


def _rows(figures, by):
    return {r["group"]: r for r in figures.rows if r["by"] == by}


def test_stage_counts_medians_conversion_and_what_followed_a_fall_back(owner, teammate, outsider):
    _deal(
        owner,
        [
            (1, "", A, False),
            (5, A, INT, False),
            (15, INT, C, False),
            (20, C, INT, True),
            (22, INT, C, False),
        ],
        outcome=Outcome.WON,
        closed=at(2026, 4, 1),
    )
    _deal(
        teammate,
        [(2, "", A, False), (10, A, INT, False)],
        outcome=Outcome.LOST,
        closed=at(2026, 3, 12),
    )
    # Someone else's private deal: its moves count for its owner only.
    _deal(outsider, [(3, "", A, False), (4, A, INT, False)], private=True)
    figures = cycle_report(user=owner, filters=PERIOD)
    stages = _rows(figures, "stage")
    assert [
        stages[s][k] for s in ("Attention", "Interest", "Conviction") for k in ("entered",)
    ] == [2, 3, 2]
    assert stages["Attention"]["moved_on"] == 2 and stages["Interest"]["moved_on"] == 2
    assert stages["Conviction"]["fell_back"] == 1 and stages["Interest"]["lost"] == 1
    assert stages["Attention"]["median_days"] == 6.0  # 4 and 8 days
    assert stages["Interest"]["median_days"] == 6.0  # 10 and 2 days
    assert stages["Conviction"]["median_days"] == 5.0
    assert stages["Attention"]["to_won"] == 50.0 and stages["Conviction"]["to_won"] == 100.0
    assert stages["Desire"]["to_won"] is None
    assert _rows(figures, "fell back from")["Conviction"]["won"] == 1
    months = _rows(figures, "month")
    assert months["Mar 2026"]["median_no"] == 10.0 and months["Apr 2026"]["median_yes"] == 31.0
    # The outsider sees their private deal's moves; the owner's filter narrows to hers.
    assert _rows(cycle_report(user=outsider, filters=PERIOD), "stage")["Attention"]["entered"] == 3
    mine = cycle_report(user=owner, filters=ReportFilters(**vars(PERIOD) | {"owner": owner}))
    assert _rows(mine, "stage")["Interest"]["lost"] == 0


def test_a_deal_handed_to_another_owner_counts_for_its_owner_now(owner, teammate):
    deal = _deal(owner, [(1, "", A, False), (3, A, INT, False)])
    Deal.all_objects.filter(pk=deal.pk).update(owner=teammate)
    theirs = ReportFilters(start=PERIOD.start, end=PERIOD.end, owner=teammate)
    assert _rows(cycle_report(user=owner, filters=theirs), "stage")["Attention"]["moved_on"] == 1


def test_an_empty_period_has_no_moves(owner):
    figures = cycle_report(user=owner, filters=PERIOD)
    assert all(r["entered"] == 0 for r in figures.rows if r["by"] == "stage")
