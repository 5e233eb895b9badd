"""Forecasts, checked: the forecast as it stood at the start of each past month, with the
configured and with the learned chances, each computed only from what was known then, beside
what those deals actually brought; the error of each and their Brier scores.

At the start of a month (the moment t):
- the deals open then are those created before t and not closed before t (a deal closed later,
  or still open, was open);
- each one's stage then is the stage of its last move before t (the stage history), not the
  stage it has now;
- the configured chances are the stage settings as they stood at t (their change history);
- the learned chances are learned from the deals closed before t only, with the same blend as
  the forecast page (pipeline.forecasting.PRIOR_WEIGHT).
The amounts are the deals' revenue as it stands today (amount changes are not replayed).

Checked against the outcome: only the deals decided since (won or lost) are compared; the
forecast of a deal is its revenue times its chance, the actual is the revenue of the deals won.
The Brier score is the mean of (chance − outcome)² over those deals: 0 is perfect, a constant
50% scores 0.25.

Where the figures come from: the monthly snapshots (reports/forecast_snapshots.py, written
each night) hold each month's chances, frozen at its start, and its deals counted by owner,
privacy, stage then and outcome — two queries for the whole period. A month not snapshotted
yet, and every month under a tag filter, is counted from the deals as the snapshot job counts
it: the settings' history, the learned counts and the deals still open (one query of
conditional counts each), and one grouped count of the deals decided since per month."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.db.models import Count, Q, Sum
from django.utils import timezone

from attract.accounts.models import User
from attract.pipeline.calibration import _learned
from attract.pipeline.models import (
    STAGE_ORDER,
    Outcome,
)
from attract.reports.chances import configured_chances_at, learned_chances_at
from attract.reports.charts import ChartSpec, Series
from attract.reports.figures import ZERO, Column, Figures, deals_for, local_midnight, month_label
from attract.reports.filters import ReportFilters
from attract.reports.forecast_snapshots import stage_then
from attract.reports.models import ForecastCell, ForecastMonth

COLUMNS = [
    Column("month", "Forecast at the start of"),
    Column("decided", "Deals decided since", "count"),
    Column("still_open", "Still open", "count"),
    Column("forecast_configured", "Forecast, configured %", "money"),
    Column("forecast_learned", "Forecast, learned %", "money"),
    Column("actual", "Actually won", "money"),
    Column("error_configured", "Error, configured", "money"),
    Column("error_learned", "Error, learned", "money"),
    Column("brier_configured", "Brier, configured", "score"),
    Column("brier_learned", "Brier, learned", "score"),
]


def _live_months(user: User, filters: ReportFilters, months: list[date]) -> dict:
    """The check of these months counted from the deals and their moves (the months not
    snapshotted yet, or every month under a tag filter): their chances, their deals decided
    since by stage then and outcome, and how many are still open."""
    moments = [local_midnight(m) for m in months]
    if not moments:
        return {}
    configured = configured_chances_at(moments)
    learned_counts = learned_chances_at(moments)
    deals = deals_for(user, filters)
    # Deals open at each month's start and still open now: one query of conditional counts.
    still_open = deals.filter(outcome=Outcome.OPEN).aggregate(
        **{
            f"m{m}": Count("id", filter=Q(created_at__lt=moment))
            for m, moment in enumerate(moments)
        }
    )
    found = {}
    for m, (month, moment) in enumerate(zip(months, moments, strict=True)):
        chances = {
            stage: [configured[m][stage], *learned_counts[m * len(STAGE_ORDER) + i]]
            for i, stage in enumerate(STAGE_ORDER)
        }
        # Only the deals decided since need their stage then (a lookup in the moves' index
        # per deal); the ones still open are only counted, above, without it.
        groups = list(
            deals.filter(created_at__lt=moment)
            .filter(outcome__in=[Outcome.WON, Outcome.LOST], closed_at__gte=moment)
            .annotate(stage_then=stage_then(moment))
            .values("stage_then", "outcome")
            .annotate(n=Count("id"), amount=Sum("revenue"))
            .order_by()
            .values_list("stage_then", "outcome", "n", "amount")
        )
        found[month] = (chances, groups, still_open[f"m{m}"])
    return found


def _snapshot_months(user: User, filters: ReportFilters, months: list[date]) -> dict:
    """The same, read from the monthly snapshots (reports/forecast_snapshots.py): two queries
    for the whole period, whatever the history; the months not snapshotted are left out."""
    snapshots = {
        s.month: s for s in ForecastMonth.objects.filter(month__in=months).only("month", "chances")
    }
    if not snapshots:
        return {}
    cells = ForecastCell.objects.filter(snapshot__month__in=list(snapshots))
    cells = cells.filter(Q(is_private=False) | Q(owner_id=user.pk))  # as visible_to()
    if filters.owner:
        cells = cells.filter(owner_id=filters.owner.pk)
    groups: dict[date, list] = {month: [] for month in snapshots}
    still_open: dict[date, int] = dict.fromkeys(snapshots, 0)
    counted = (
        cells.values("snapshot__month", "stage", "outcome")
        .annotate(n=Sum("deals"), amount=Sum("revenue"))
        .order_by()
        .values_list("snapshot__month", "stage", "outcome", "n", "amount")
    )
    for month, stage, outcome, n, amount in counted:
        if outcome == Outcome.OPEN:
            still_open[month] += n
        else:
            groups[month].append((stage or None, outcome, n, amount))
    return {
        month: (snapshot.chances, groups[month], still_open[month])
        for month, snapshot in snapshots.items()
    }


def forecasts_report(*, user: User, filters: ReportFilters) -> Figures:
    today = timezone.localdate()
    months = [m for m in filters.months() if m <= today]
    # Tags are not in the snapshots' cells: under a tag filter every month is counted live.
    found = {} if filters.tag else _snapshot_months(user, filters, months)
    found |= _live_months(user, filters, [m for m in months if m not in found])
    rows = []
    for month in months:
        chances, groups, still_open = found[month]
        config = {stage: chance[0] for stage, chance in chances.items()}
        learned = {
            stage: _learned(won, reached, config[stage])
            for stage, (_, won, reached) in chances.items()
        }
        row = _month_row(month, groups, config, learned)
        row["still_open"] = still_open
        rows.append(row)
    rows.append(_total_row(rows))
    real = rows[:-1]
    charts = [
        ChartSpec(
            kind="bar",
            title="Forecast against what was won",
            x_labels=[r["month"] for r in real],
            series=[
                Series("Forecast, configured %", [r["forecast_configured"] for r in real]),
                Series("Forecast, learned %", [r["forecast_learned"] for r in real]),
                Series("Actually won", [r["actual"] for r in real]),
            ],
            unit="money",
            caption="For the deals open at the start of each month and decided since: their "
            "revenue weighted by the chances known then, against the revenue of those won.",
        ),
        ChartSpec(
            kind="line",
            title="Brier score by month (lower is better)",
            x_labels=[r["month"] for r in real],
            series=[
                Series("Configured chances", [r["brier_configured"] for r in real]),
                Series("Learned chances", [r["brier_learned"] for r in real]),
            ],
            unit="score",
            caption="The mean squared gap between each deal's chance and its outcome (won 1, "
            "lost 0): 0 is perfect, a constant 50% scores 0.25.",
        ),
    ]
    total = rows[-1]
    notes = []
    if total["brier_learned"] is not None:
        better = "learned" if total["brier_learned"] < total["brier_configured"] else "configured"
        notes.append(
            f"Over these months the {better} chances forecast better (Brier "
            f"{total['brier_learned']:.3f} learned, {total['brier_configured']:.3f} configured, "
            f"{total['decided']} deals decided)."
        )
    return Figures(
        name="forecasts",
        title="Forecasts, checked",
        filters=filters,
        columns=COLUMNS,
        rows=rows,
        charts=charts,
        notes=notes,
    )


def _month_row(month: date, groups, config: dict, learned: dict) -> dict:
    row = {
        "month": month_label(month),
        "decided": 0,
        "still_open": 0,
        "forecast_configured": ZERO,
        "forecast_learned": ZERO,
        "actual": ZERO,
        "squares_configured": 0.0,
        "squares_learned": 0.0,
    }
    for stage, outcome, n, amount in groups:
        amount = amount or ZERO
        if outcome == Outcome.OPEN:
            row["still_open"] += n
            continue
        if outcome not in (Outcome.WON, Outcome.LOST) or stage not in config:
            continue  # referred out (neither won nor lost), or no recorded stage then
        hit = 1.0 if outcome == Outcome.WON else 0.0
        row["decided"] += n
        row["forecast_configured"] += amount * Decimal(config[stage]) / 100
        row["forecast_learned"] += amount * Decimal(str(learned[stage])) / 100
        row["actual"] += amount if outcome == Outcome.WON else ZERO
        row["squares_configured"] += n * (config[stage] / 100 - hit) ** 2
        row["squares_learned"] += n * (learned[stage] / 100 - hit) ** 2
    return _finish(row)


def _finish(row: dict) -> dict:
    for key in ("forecast_configured", "forecast_learned"):
        row[key] = row[key].quantize(Decimal("1"))
    row["error_configured"] = row["forecast_configured"] - row["actual"]
    row["error_learned"] = row["forecast_learned"] - row["actual"]
    decided = row["decided"]
    row["brier_configured"] = round(row["squares_configured"] / decided, 4) if decided else None
    row["brier_learned"] = round(row["squares_learned"] / decided, 4) if decided else None
    return row


def _total_row(rows: list[dict]) -> dict:
    total = {"month": "All months"}
    for key in ("decided", "still_open", "squares_configured", "squares_learned"):
        total[key] = sum(row[key] for row in rows)
    for key in ("forecast_configured", "forecast_learned", "actual"):
        total[key] = sum((row[key] for row in rows), ZERO)
    return _finish(total)
