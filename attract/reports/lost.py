"""Lost deals: why they were lost, from the business's own list of reasons, with their counts
and value, month by month. Two queries: the lost deals of the period grouped by month and
reason, and the reasons' names."""

from __future__ import annotations

from collections import defaultdict

from django.db.models import Count, F, Sum

from attract.accounts.models import User
from attract.pipeline.models import LostReason, Outcome
from attract.reports.charts import ChartSpec, Series
from attract.reports.figures import (
    ZERO,
    Column,
    Figures,
    deals_for,
    in_period,
    month_bucket,
    month_label,
)
from attract.reports.filters import ReportFilters

COLUMNS = [
    Column("by", "By"),
    Column("group", "Group"),
    Column("reason", "Reason"),
    Column("deals", "Deals lost", "count"),
    Column("value", "Revenue lost", "money"),
]
NO_REASON = "No reason picked (note only)"
CHART_REASONS = 5  # the month chart stacks the biggest reasons; the table has them all


def lost_report(*, user: User, filters: ReportFilters) -> Figures:
    months = filters.months()
    rows = (
        deals_for(user, filters)
        .filter(outcome=Outcome.LOST)
        .filter(in_period("closed_at", filters.start_at, filters.end_before))
        .annotate(bucket=month_bucket("closed_at", months), kind=F("lost_reason_kind_id"))
        .values("bucket", "kind")
        .annotate(n=Count("id"), value=Sum("revenue"))
        .order_by()
        .values_list("bucket", "kind", "n", "value")
    )
    names = dict(LostReason.objects.values_list("pk", "name"))
    cells: dict[tuple[int, str], list] = defaultdict(lambda: [0, ZERO])
    totals: dict[str, list] = defaultdict(lambda: [0, ZERO])
    for bucket, kind, n, value in rows:
        name = names.get(kind, NO_REASON) if kind else NO_REASON
        for target in (cells[(bucket, name)], totals[name]):
            target[0] += n
            target[1] += value or ZERO
    ranked = sorted(totals, key=lambda name: (-totals[name][0], name))
    reason_rows = [
        {"by": "reason", "group": "All months", "reason": name, "deals": n, "value": v}
        for name in ranked
        for n, v in [totals[name]]
    ]
    month_rows = [
        {"by": "month", "group": month_label(month), "reason": name, "deals": n, "value": v}
        for i, month in enumerate(months)
        for name in ranked
        for n, v in [cells.get((i, name), [0, ZERO])]
    ]
    shown = ranked[:CHART_REASONS]
    charts = [
        ChartSpec(
            kind="hbar",
            title="Why deals were lost",
            x_labels=[r["reason"] for r in reason_rows],
            series=[Series("Deals lost", [r["deals"] for r in reason_rows])],
            caption="Deals lost in the period, by the reason picked when closing them.",
        ),
        ChartSpec(
            kind="stacked",
            title="Deals lost each month, by reason",
            x_labels=[month_label(m) for m in months],
            series=[
                Series(name, [cells.get((i, name), [0])[0] for i in range(len(months))])
                for name in shown
            ],
            caption="The biggest reasons, month by month (every reason is in the table).",
        ),
        ChartSpec(
            kind="hbar",
            title="Revenue lost, by reason",
            x_labels=[r["reason"] for r in reason_rows],
            series=[Series("Revenue lost", [r["value"] for r in reason_rows])],
            unit="money",
            caption="The revenue the lost deals would have brought.",
        ),
    ]
    return Figures(
        name="lost",
        title="Lost deals",
        filters=filters,
        columns=COLUMNS,
        rows=reason_rows + month_rows,
        charts=charts,
    )
