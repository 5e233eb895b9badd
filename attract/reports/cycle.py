"""The sales cycle: for each stage, how many deals entered it, moved on, fell back and were lost
in the period, and the median days spent there; conversion from each stage to won; backward
moves by stage and what became of those deals; and fast no against long maybe (the median days
to a "no" and to a "yes", month by month).

Six queries, each an aggregate the database computes: the period's stage moves counted by
from, to and direction; the median days in each stage (every move stores the time its deal had
spent in the stage it left, StageMove.time_in_previous_stage, so only each stage's middle moves
come back: reports/medians.py); the losses by stage; the conversions; the backward moves' deals
by outcome; and the closed deals' medians and counts by month and outcome."""

from __future__ import annotations

from collections import defaultdict
from datetime import timedelta

from django.db.models import Count, Q, QuerySet

from attract.accounts.models import User
from attract.pipeline.forecasting import DaysOpen
from attract.pipeline.models import STAGE_ORDER, Deal, Outcome, Stage, StageMove
from attract.reports.charts import ChartSpec, Series
from attract.reports.figures import (
    Column,
    Figures,
    deals_for,
    in_period,
    month_bucket,
    month_label,
    percent,
)
from attract.reports.filters import ReportFilters
from attract.reports.medians import GroupMedian, median_of, medians_by

COLUMNS = [
    Column("by", "By"),
    Column("group", "Group"),
    Column("entered", "Entered", "count"),
    Column("moved_on", "Moved on", "count"),
    Column("fell_back", "Fell back", "count"),
    Column("lost", "Lost", "count"),
    Column("median_days", "Median days in stage", "days"),
    Column("to_won", "Won from here %", "percent"),
    Column("won", "Won", "count"),
    Column("open", "Still open", "count"),
    Column("median_no", "Median days to a no", "days"),
    Column("median_yes", "Median days to a yes", "days"),
]


def _days(spent: timedelta) -> float:
    return spent.total_seconds() / 86400


def _rounded(found: GroupMedian | None) -> float | None:
    return round(found.median, 1) if found else None


def moves_seen(user: User, filters: ReportFilters, deals) -> QuerySet:
    """The moves of the deals this reader may see under the filters. Without an owner or tag
    filter, the few deals hidden from the reader (in the trash, or someone else's private
    ones) are left out, rather than every visible deal looked up: the same moves, without a
    look-up per move."""
    if filters.owner or filters.tag:
        return StageMove.objects.filter(deal_id__in=deals.values("pk"))
    trashed = Deal.all_objects.filter(deleted_at__isnull=False)
    private = Deal.all_objects.filter(is_private=True).exclude(owner_id=user.pk)
    return StageMove.objects.exclude(deal_id__in=trashed.values("pk")).exclude(
        deal_id__in=private.values("pk")
    )


def _stage_rows(user: User, filters: ReportFilters, deals) -> list[dict]:
    start, end = filters.start_at, filters.end_before
    moves = moves_seen(user, filters, deals).filter(in_period("moved_at", start, end))
    entered, moved_on, fell_back = defaultdict(int), defaultdict(int), defaultdict(int)
    timed: dict[str, int] = defaultdict(int)
    # Grouped with the destination first: led by from_stage, SQLite would walk the median
    # index below (in from_stage order) and read every move's row from it.
    counted = (
        moves.values("to_stage", "is_backward", "from_stage")
        .annotate(n=Count("id"), timed=Count("time_in_previous_stage"))
        .order_by()
        .values_list("to_stage", "is_backward", "from_stage", "n", "timed")
    )
    for to_stage, backward, from_stage, n, with_time in counted:
        entered[to_stage] += n
        if from_stage:
            (fell_back if backward else moved_on)[from_stage] += n
            timed[from_stage] += with_time
    # Each move carries the time its deal had spent in the stage it left
    # (StageMove.time_in_previous_stage): a stage's median is its middle move or two, read in
    # the order of the (from stage, time) index.
    spent = {
        stage: median_of(
            moves.filter(from_stage=stage),
            value="time_in_previous_stage",
            size=timed[stage],
            as_float=_days,
        )
        for stage in STAGE_ORDER
        if timed[stage]
    }
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
            "median_days": round(spent[stage], 1) if stage in spent else None,
            "to_won": percent(conversion[f"w{i}"], conversion[f"r{i}"]),
        }
        for i, stage in enumerate(STAGE_ORDER)
    ]


def _backward_rows(user: User, deals, filters: ReportFilters) -> list[dict]:
    """Deals that fell back from each stage in the period, by what became of them."""
    rows = (
        moves_seen(user, filters, deals)
        .filter(is_backward=True)
        .filter(in_period("moved_at", filters.start_at, filters.end_before))
        .values("deal__outcome", "from_stage")
        .annotate(n=Count("deal_id", distinct=True))
        .order_by()
        .values_list("deal__outcome", "from_stage", "n")
    )
    found: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for outcome, stage, n in rows:
        found[stage][outcome] += n
    return [
        {
            "by": "fell back from",
            "group": Stage(stage).label,
            "fell_back": sum(found[stage].values()),
            "won": found[stage][Outcome.WON],
            "lost": found[stage][Outcome.LOST],
            "open": found[stage][Outcome.OPEN],
        }
        for stage in STAGE_ORDER
        if stage in found
    ]


def _decision_rows(deals, filters: ReportFilters) -> list[dict]:
    months = filters.months()
    closed = (
        deals.filter(outcome__in=[Outcome.WON, Outcome.LOST])
        .filter(in_period("closed_at", filters.start_at, filters.end_before))
        .annotate(bucket=month_bucket("closed_at", months), days_open=DaysOpen())
    )
    found = medians_by(closed, groups=["bucket", "outcome"], value="days_open")

    def size(key) -> int:
        return found[key].size if key in found else 0

    return [
        {
            "by": "month",
            "group": month_label(month),
            "lost": size((i, Outcome.LOST)),
            "won": size((i, Outcome.WON)),
            "median_no": _rounded(found.get((i, Outcome.LOST))),
            "median_yes": _rounded(found.get((i, Outcome.WON))),
        }
        for i, month in enumerate(months)
    ]


def cycle_report(*, user: User, filters: ReportFilters) -> Figures:
    deals = deals_for(user, filters)
    stage_rows = _stage_rows(user, filters, deals)
    backward_rows = _backward_rows(user, deals, filters)
    decision_rows = _decision_rows(deals, filters)
    stages = [r["group"] for r in stage_rows]
    charts = [
        ChartSpec(
            kind="bar",
            title="Deals through each stage",
            x_labels=stages,
            series=[
                Series("Entered", [r["entered"] for r in stage_rows]),
                Series("Moved on", [r["moved_on"] for r in stage_rows]),
                Series("Fell back", [r["fell_back"] for r in stage_rows]),
                Series("Lost", [r["lost"] for r in stage_rows]),
            ],
            caption="Moves in the period: into each stage, onward from it, back from it, and "
            "the deals lost while in it.",
        ),
        ChartSpec(
            kind="line",
            title="Fast no, long maybe",
            x_labels=[r["group"] for r in decision_rows],
            series=[
                Series("Median days to a no", [r["median_no"] for r in decision_rows]),
                Series("Median days to a yes", [r["median_yes"] for r in decision_rows]),
            ],
            unit="days",
            caption="For the deals lost (and won) each month, the median days from creation to "
            "the decision. A no should come fast.",
        ),
        ChartSpec(
            kind="bar",
            title="Won from each stage",
            x_labels=stages,
            series=[Series("Won from here", [r["to_won"] for r in stage_rows])],
            unit="percent",
            caption="Of the deals closed in the period that reached each stage, the share won.",
        ),
        ChartSpec(
            kind="hbar",
            title="Median days in each stage",
            x_labels=stages,
            series=[Series("Median days", [r["median_days"] for r in stage_rows])],
            unit="days",
            caption="From entering a stage to leaving it (onward or back), for the moves out of "
            "it in the period.",
        ),
        ChartSpec(
            kind="stacked",
            title="After falling back",
            x_labels=[r["group"] for r in backward_rows],
            series=[
                Series("Won", [r["won"] for r in backward_rows]),
                Series("Lost", [r["lost"] for r in backward_rows]),
                Series("Still open", [r["open"] for r in backward_rows]),
            ],
            caption="Deals that moved back from each stage in the period, by what became of "
            "them since.",
        ),
    ]
    return Figures(
        name="cycle",
        title="The sales cycle",
        filters=filters,
        columns=COLUMNS,
        rows=stage_rows + backward_rows + decision_rows,
        charts=charts,
    )
