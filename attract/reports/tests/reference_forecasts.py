"""The previous computation of Forecasts, checked, kept verbatim as the oracle of
test_forecast_snapshots.py (every month counted from the deals and their moves).

Forecasts, checked: the forecast as it stood at the start of each past month, with the
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

Queries: the settings' history, the learned counts of every month and the deals still open
(one query of conditional counts each), and one grouped count of the deals decided since per
month: fixed for a period, whatever the history."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from django.db.models import Count, OuterRef, Q, Subquery, Sum
from django.utils import timezone

from attract.accounts.models import User
from attract.pipeline.calibration import _learned
from attract.pipeline.models import (
    DEFAULT_STAGE_SETTINGS,
    STAGE_ORDER,
    Deal,
    Outcome,
    StageMove,
    StageSetting,
)
from attract.reports.charts import ChartSpec, Series
from attract.reports.figures import ZERO, Column, Figures, deals_for, local_midnight, month_label
from attract.reports.filters import ReportFilters

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


def configured_chances_at(moments: list[datetime]) -> list[dict[str, int]]:
    """The configured percentage of each stage at each moment, from the settings' history (a
    stage with no change recorded before the moment has its default)."""
    changes = list(
        StageSetting.history.order_by("history_date", "history_id").values_list(
            "stage", "probability", "history_date"
        )
    )
    found = []
    for moment in moments:
        chances = {stage: DEFAULT_STAGE_SETTINGS[stage][0] for stage in STAGE_ORDER}
        for stage, probability, changed_at in changes:
            if changed_at < moment and stage in chances:
                chances[stage] = probability
        found.append(chances)
    return found


def learned_chances_at(moments: list[datetime]) -> list[list[float]]:
    """The learned chance (percent) of each stage at each moment, from the deals closed before
    it: one query of conditional counts for every moment and stage."""
    closed = Q(outcome__in=[Outcome.WON, Outcome.LOST])
    counts = {}
    for m, moment in enumerate(moments):
        before = closed & Q(closed_at__lt=moment)
        for index in range(len(STAGE_ORDER)):
            reached = before & Q(furthest_stage_index__gte=index)
            counts[f"r{m}_{index}"] = Count("id", filter=reached)
            counts[f"w{m}_{index}"] = Count("id", filter=reached & Q(outcome=Outcome.WON))
    # Every closed deal the business has (as the forecast page learns from), not one user's.
    row = Deal.objects.filter(closed).aggregate(**counts) if moments else {}
    return [
        [row[f"w{m}_{i}"], row[f"r{m}_{i}"]]
        for m in range(len(moments))
        for i in range(len(STAGE_ORDER))
    ]


def _stage_then(moment: datetime) -> Subquery:
    return Subquery(
        StageMove.objects.filter(deal_id=OuterRef("pk"), moved_at__lt=moment)
        .order_by("-moved_at", "-id")
        .values("to_stage")[:1]
    )


def forecasts_report(*, user: User, filters: ReportFilters) -> Figures:
    today = timezone.localdate()
    months = [m for m in filters.months() if m <= today]
    moments = [local_midnight(m) for m in months]
    configured = configured_chances_at(moments)
    learned_counts = learned_chances_at(moments)
    deals = deals_for(user, filters)
    # Deals open at each month's start and still open now: one query of conditional counts.
    open_now = deals.filter(outcome=Outcome.OPEN)
    still_open = (
        open_now.aggregate(
            **{
                f"m{m}": Count("id", filter=Q(created_at__lt=moment))
                for m, moment in enumerate(moments)
            }
        )
        if moments
        else {}
    )
    rows = []
    for m, (month, moment) in enumerate(zip(months, moments, strict=True)):
        config = configured[m]
        learned = {
            stage: _learned(*learned_counts[m * len(STAGE_ORDER) + i], config[stage])
            for i, stage in enumerate(STAGE_ORDER)
        }
        # Only the deals decided since need their stage then (a lookup in the moves' index
        # per deal); the ones still open are only counted, below, without it.
        groups = (
            deals.filter(created_at__lt=moment)
            .filter(outcome__in=[Outcome.WON, Outcome.LOST], closed_at__gte=moment)
            .annotate(stage_then=_stage_then(moment))
            .values("stage_then", "outcome")
            .annotate(n=Count("id"), amount=Sum("revenue"))
            .order_by()
            .values_list("stage_then", "outcome", "n", "amount")
        )
        row = _month_row(month, groups, config, learned)
        row["still_open"] = still_open[f"m{m}"]
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
