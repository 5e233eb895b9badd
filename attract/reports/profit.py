"""Profit, not revenue: what the deals won in the period brought, by month (beside the same
month a year before), by owner, by customer, by source and by fit band, with the margin; and
the owners and customers who bring revenue but little profit.

Seven queries whatever the history: five grouped sums over the won deals, the owners' and the
customers' names."""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal

from django.db.models import Case, CharField, Count, F, Sum, Value, When

from attract.accounts.models import User
from attract.attraction.models import GOOD_FIT, POOR_FIT
from attract.core.permissions import name_seen_by
from attract.people.models import Company
from attract.pipeline.models import Outcome, Source
from attract.reports.charts import ChartSpec, Series
from attract.reports.figures import (
    ZERO,
    Column,
    Figures,
    deals_for,
    in_period,
    local_midnight,
    margin,
    month_bucket,
    month_label,
    user_name,
)
from attract.reports.filters import ReportFilters, add_months

COLUMNS = [
    Column("by", "By"),
    Column("group", "Group"),
    Column("deals", "Deals won", "count"),
    Column("revenue", "Revenue", "money"),
    Column("profit", "Profit", "money"),
    Column("margin", "Margin %", "percent"),
]
# "Little profit": a margin under half the business's own, on at least this share of revenue.
LOW_MARGIN_SHARE_OF_REVENUE = Decimal("0.05")
TOP_CUSTOMERS = 10

FIT_BANDS = (
    ("good", f"Good fit ({GOOD_FIT}+)"),
    ("partial", f"Partial fit ({POOR_FIT}–{GOOD_FIT - 1})"),
    ("poor", f"Poor fit (under {POOR_FIT})"),
    ("unknown", "Not assessed"),
)


def _fit_band() -> Case:
    score = "company__fit__score"
    return Case(
        When(**{f"{score}__gte": GOOD_FIT}, then=Value("good")),
        When(**{f"{score}__gte": POOR_FIT}, then=Value("partial")),
        When(**{f"{score}__isnull": False}, then=Value("poor")),
        default=Value("unknown"),
        output_field=CharField(),
    )


def _sums(qs, key):
    return (
        qs.annotate(key=key)
        .values("key")
        .annotate(n=Count("id"), rev=Sum("revenue"), prof=Sum(F("revenue") - F("cost")))
        .order_by()
        .values_list("key", "n", "rev", "prof")
    )


def _row(by: str, group: str, n: int, revenue, profit) -> dict:
    revenue, profit = revenue or ZERO, profit or ZERO
    return {
        "by": by,
        "group": group,
        "deals": n,
        "revenue": revenue,
        "profit": profit,
        "margin": margin(revenue, profit),
    }


def profit_report(*, user: User, filters: ReportFilters) -> Figures:
    won = deals_for(user, filters).filter(outcome=Outcome.WON)
    in_range = won.filter(in_period("closed_at", filters.start_at, filters.end_before))
    months = filters.months()
    # This period's months and the twelve before them, in one grouped query.
    first = add_months(months[0], -12)
    span = [add_months(first, i) for i in range(len(months) + 12)]
    by_month = {
        index: (n, rev, prof)
        for index, n, rev, prof in _sums(
            won.filter(in_period("closed_at", local_midnight(first), filters.end_before)),
            month_bucket("closed_at", span),
        )
    }
    rows, month_rows = [], []
    for i, month in enumerate(months):
        n, rev, prof = by_month.get(i + 12, (0, ZERO, ZERO))
        row = _row("month", month_label(month), n, rev, prof)
        row["profit_year_before"] = by_month.get(i, (0, ZERO, ZERO))[2] or ZERO
        month_rows.append(row)
    rows += month_rows

    owner_sums = list(_sums(in_range, F("owner_id")))
    owners = User.objects.in_bulk([k for k, *_ in owner_sums if k])
    owner_rows = sorted(
        (_row("owner", user_name(owners.get(k)), n, r, p) for k, n, r, p in owner_sums),
        key=lambda row: -row["profit"],
    )
    rows += owner_rows

    customer_sums = sorted(_sums(in_range, F("company_id")), key=lambda t: -(t[2] or 0))
    companies = Company.all_objects.in_bulk([k for k, *_ in customer_sums[:50] if k])
    merged: dict[str, list] = defaultdict(lambda: [0, ZERO, ZERO])
    for key, n, rev, prof in customer_sums[:50]:
        name = name_seen_by(user, companies.get(key)) if key else "No company"
        totals = merged[name or "No company"]
        totals[0] += n
        totals[1] += rev or ZERO
        totals[2] += prof or ZERO
    customer_rows = [_row("customer", name, *t) for name, t in merged.items()][:TOP_CUSTOMERS]
    rows += customer_rows

    source_sums = {k: (n, r, p) for k, n, r, p in _sums(in_range, F("source"))}
    source_rows = [
        _row("source", label, *source_sums.get(value, (0, ZERO, ZERO)))
        for value, label in Source.choices
    ]
    rows += source_rows

    band_sums = {k: (n, r, p) for k, n, r, p in _sums(in_range, _fit_band())}
    band_rows = [
        _row("fit band", label, *band_sums.get(value, (0, ZERO, ZERO)))
        for value, label in FIT_BANDS
    ]
    rows += band_rows

    charts = [
        ChartSpec(
            kind="bar",
            title="Won profit by month",
            x_labels=[r["group"] for r in month_rows],
            series=[
                Series("Profit", [r["profit"] for r in month_rows]),
                Series("Same month, a year before", [r["profit_year_before"] for r in month_rows]),
                Series("Revenue", [r["revenue"] for r in month_rows]),
            ],
            unit="money",
            caption="Profit of the deals won each month, beside the same month a year before "
            "and the revenue they brought.",
        ),
        _hbar("Profit and revenue by owner", owner_rows),
        _hbar("Customers bringing the most revenue", customer_rows),
        _hbar("Profit by source", source_rows),
        _hbar("Profit by fit band", band_rows),
    ]
    return Figures(
        name="profit",
        title="Profit, not revenue",
        filters=filters,
        columns=COLUMNS,
        rows=rows,
        charts=charts,
        notes=_little_profit(owner_rows, "owner") + _little_profit(customer_rows, "customer"),
    )


def _hbar(title: str, rows: list[dict]) -> ChartSpec:
    return ChartSpec(
        kind="hbar",
        title=title,
        x_labels=[r["group"] for r in rows],
        series=[
            Series("Profit", [r["profit"] for r in rows]),
            Series("Revenue", [r["revenue"] for r in rows]),
        ],
        unit="money",
        caption=f"{title}, for the deals won in the period; the margin is in the table.",
    )


def _little_profit(rows: list[dict], kind: str) -> list[str]:
    revenue = sum((r["revenue"] for r in rows), ZERO)
    profit = sum((r["profit"] for r in rows), ZERO)
    overall = margin(revenue, profit)
    if overall is None or overall <= 0:
        return []
    notes = []
    for row in rows:
        if (
            row["revenue"] >= revenue * LOW_MARGIN_SHARE_OF_REVENUE
            and row["margin"] is not None
            and row["margin"] < overall / 2
        ):
            notes.append(
                f"Revenue but little profit: the {kind} {row['group']} brought "
                f"{row['revenue']:,.0f} of revenue at a {row['margin']}% margin "
                f"(all {kind}s: {overall}%)."
            )
    return notes
