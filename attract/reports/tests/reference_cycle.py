"""The previous computations of the sales cycle's figures and of the forecast check, kept
verbatim as oracles: the tests build one history and assert that the stored stage times and the
forecast snapshots give exactly what these gave, reading every move (and every deal) each time."""

from __future__ import annotations

import statistics
from collections import defaultdict

from django.db.models import Count, OuterRef, Q, Subquery

from attract.accounts.models import User
from attract.pipeline.forecasting import DaysOpen
from attract.pipeline.models import STAGE_ORDER, Outcome, Stage, StageMove
from attract.reports.figures import in_period, month_bucket, month_label, percent
from attract.reports.filters import ReportFilters


def _median(values: list[float]) -> float | None:
    return round(statistics.median(values), 1) if values else None


def _stage_rows(user: User, filters: ReportFilters, deals) -> list[dict]:
    visible_ids = deals.values("pk")
    start, end = filters.start_at, filters.end_before
    # The move before each one (when the deal entered the stage it now leaves), found through
    # the moves' (deal, moved_at) index.
    previous = (
        StageMove.objects.filter(deal_id=OuterRef("deal_id"), moved_at__lt=OuterRef("moved_at"))
        .order_by("-moved_at")
        .values("moved_at")[:1]
    )
    moves = (
        StageMove.objects.filter(deal_id__in=visible_ids)
        .filter(in_period("moved_at", start, end))
        .annotate(previous_at=Subquery(previous))
        .values_list("from_stage", "to_stage", "is_backward", "moved_at", "previous_at")
    )
    entered, moved_on, fell_back = defaultdict(int), defaultdict(int), defaultdict(int)
    spent: dict[str, list[float]] = defaultdict(list)
    for from_stage, to_stage, backward, moved_at, previous_at in moves.order_by():
        entered[to_stage] += 1
        if from_stage:
            (fell_back if backward else moved_on)[from_stage] += 1
            if previous_at is not None:
                spent[from_stage].append((moved_at - previous_at).total_seconds() / 86400)
    lost = dict(
        deals.filter(outcome=Outcome.LOST)
        .filter(in_period("closed_at", start, end))
        .values("stage")
        .annotate(n=Count("id"))
        .order_by()
        .values_list("stage", "n")
    )
    closed = deals.filter(outcome__in=[Outcome.WON, Outcome.LOST]).filter(
        in_period("closed_at", start, end)
    )
    counts = {}
    for index in range(len(STAGE_ORDER)):
        reached = Q(furthest_stage_index__gte=index)
        counts[f"r{index}"] = Count("id", filter=reached)
        counts[f"w{index}"] = Count("id", filter=reached & Q(outcome=Outcome.WON))
    conversion = closed.aggregate(**counts)
    return [
        {
            "by": "stage",
            "group": Stage(stage).label,
            "entered": entered[stage],
            "moved_on": moved_on[stage],
            "fell_back": fell_back[stage],
            "lost": lost.get(stage, 0),
            "median_days": _median(spent[stage]),
            "to_won": percent(conversion[f"w{i}"], conversion[f"r{i}"]),
        }
        for i, stage in enumerate(STAGE_ORDER)
    ]


def _decision_rows(deals, filters: ReportFilters) -> list[dict]:
    months = filters.months()
    rows = (
        deals.filter(outcome__in=[Outcome.WON, Outcome.LOST])
        .filter(in_period("closed_at", filters.start_at, filters.end_before))
        .annotate(bucket=month_bucket("closed_at", months), days_open=DaysOpen())
        .order_by()
        .values_list("bucket", "outcome", "days_open")
    )
    days: dict[tuple[int, str], list[float]] = defaultdict(list)
    for bucket, outcome, value in rows:
        days[(bucket, outcome)].append(float(value))
    return [
        {
            "by": "month",
            "group": month_label(month),
            "lost": len(days[(i, Outcome.LOST)]),
            "won": len(days[(i, Outcome.WON)]),
            "median_no": _median(days[(i, Outcome.LOST)]),
            "median_yes": _median(days[(i, Outcome.WON)]),
        }
        for i, month in enumerate(months)
    ]
