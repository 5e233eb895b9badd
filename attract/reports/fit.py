"""Fit that is proven: for each quality on the plan, among the companies assessed as having it
("yes") and those assessed as not having it ("no"), the win rate of their deals closed in the
period, the profit per deal won and the share of customers still with us — with the sample
sizes, so that the plan's weights can be checked against the business's own results.

A suggestion to change a weight is shown only when the data disagree strongly enough: at least
MIN_DECIDED decided deals on each side and a difference in win rate that a two-proportion
z-test puts beyond |z| ≥ 1.96 (95% confidence). Nothing changes a weight by itself: the
suggestion is a sentence, the plan is edited by a person.

Companies only (a person's own assessments are not joined to deals here). Three queries: the
active qualities, the deals' outcomes and profit per (quality, answer), the customers per
(quality, answer)."""

from __future__ import annotations

import math
from decimal import Decimal

from django.db.models import Count, F, Q, Sum

from attract.accounts.models import User
from attract.attraction.models import MAX_WEIGHT, MIN_WEIGHT, Answer, Assessment, Quality
from attract.people.models import Relationship
from attract.pipeline.models import Outcome
from attract.reports.charts import ChartSpec, Series
from attract.reports.figures import ZERO, Column, Figures, percent
from attract.reports.filters import ReportFilters

COLUMNS = [
    Column("quality", "Quality"),
    Column("weight", "Weight", "count"),
    Column("side", "Assessed"),
    Column("decided", "Deals decided", "count"),
    Column("win_rate", "Win rate %", "percent"),
    Column("profit_per_deal", "Profit per deal won", "money"),
    Column("customers", "Customers", "count"),
    Column("still_with_us", "Still with us %", "percent"),
]
MIN_DECIDED = 10
Z_STRONG = 1.96
SIDES = ((Answer.YES, "Has it"), (Answer.NO, "Does not"))


def z_score(won_a: int, n_a: int, won_b: int, n_b: int) -> float | None:
    """Two-proportion z statistic of a's win rate against b's (None when it says nothing)."""
    if n_a == 0 or n_b == 0:
        return None
    pooled = (won_a + won_b) / (n_a + n_b)
    spread = math.sqrt(pooled * (1 - pooled) * (1 / n_a + 1 / n_b))
    return (won_a / n_a - won_b / n_b) / spread if spread else None


def fit_report(*, user: User, filters: ReportFilters) -> Figures:
    qualities = list(Quality.objects.filter(removed_at__isnull=True).order_by("-weight", "id"))
    seen = Q(company__is_private=False) | Q(company__owner_id=user.pk)
    assessed = Assessment.objects.filter(
        seen,
        quality__in=qualities,
        company__isnull=False,
        company__deleted_at__isnull=True,
        answer__in=[Answer.YES, Answer.NO],
    )
    deal = "company__deals__"
    in_scope = (
        Q(**{f"{deal}closed_at__gte": filters.start_at, f"{deal}closed_at__lt": filters.end_before})
        & Q(**{f"{deal}deleted_at__isnull": True})
        & (Q(**{f"{deal}is_private": False}) | Q(**{f"{deal}owner_id": user.pk}))
    )
    if filters.owner:
        in_scope &= Q(**{f"{deal}owner_id": filters.owner.pk})
    if filters.tag:
        in_scope &= Q(**{f"{deal}tags": filters.tag})
    won = in_scope & Q(**{f"{deal}outcome": Outcome.WON})
    lost = in_scope & Q(**{f"{deal}outcome": Outcome.LOST})
    deal_rows = (
        assessed.values("quality_id", "answer")
        .annotate(
            won=Count(f"{deal}id", filter=won),
            lost=Count(f"{deal}id", filter=lost),
            profit=Sum(F(f"{deal}revenue") - F(f"{deal}cost"), filter=won),
        )
        .order_by()
        .values_list("quality_id", "answer", "won", "lost", "profit")
    )
    outcomes = {(q, a): (w, lo, p or ZERO) for q, a, w, lo, p in deal_rows}
    customer_rows = (
        assessed.filter(
            company__relationship__in=[Relationship.CUSTOMER, Relationship.FORMER_CUSTOMER]
        )
        .values("quality_id", "answer")
        .annotate(
            customers=Count("company_id", distinct=True),
            staying=Count(
                "company_id",
                distinct=True,
                filter=Q(company__relationship=Relationship.CUSTOMER),
            ),
        )
        .order_by()
        .values_list("quality_id", "answer", "customers", "staying")
    )
    customers = {(q, a): (c, s) for q, a, c, s in customer_rows}
    rows, notes = [], []
    for quality in qualities:
        sides = {}
        for answer, label in SIDES:
            won_n, lost_n, profit = outcomes.get((quality.pk, answer), (0, 0, ZERO))
            count, staying = customers.get((quality.pk, answer), (0, 0))
            sides[answer] = (won_n, won_n + lost_n)
            rows.append(
                {
                    "quality": quality.text,
                    "weight": quality.weight,
                    "side": label,
                    "decided": won_n + lost_n,
                    "win_rate": percent(won_n, won_n + lost_n),
                    "profit_per_deal": (profit / won_n).quantize(Decimal("1")) if won_n else None,
                    "customers": count,
                    "still_with_us": percent(staying, count),
                }
            )
        note = _suggestion(quality, *sides[Answer.YES], *sides[Answer.NO])
        if note:
            notes.append(note)
    labels = [q.text for q in qualities]
    has = [r for r in rows if r["side"] == "Has it"]
    has_not = [r for r in rows if r["side"] == "Does not"]
    charts = [
        ChartSpec(
            kind="hbar",
            title="Win rate with and without each quality",
            x_labels=labels,
            series=[
                Series("Has it", [r["win_rate"] for r in has]),
                Series("Does not", [r["win_rate"] for r in has_not]),
            ],
            unit="percent",
            caption="Deals won or lost in the period with companies assessed as having the "
            "quality, and as not having it. The sample sizes are in the table.",
        ),
        ChartSpec(
            kind="hbar",
            title="Customers still with us, with and without each quality",
            x_labels=labels,
            series=[
                Series("Has it", [r["still_with_us"] for r in has]),
                Series("Does not", [r["still_with_us"] for r in has_not]),
            ],
            unit="percent",
            caption="Of the customers and former customers assessed, the share still customers.",
        ),
        ChartSpec(
            kind="hbar",
            title="Profit per deal won, with and without each quality",
            x_labels=labels,
            series=[
                Series("Has it", [r["profit_per_deal"] for r in has]),
                Series("Does not", [r["profit_per_deal"] for r in has_not]),
            ],
            unit="money",
            caption="Won profit divided by deals won, for each side.",
        ),
    ]
    return Figures(
        name="fit",
        title="Fit that is proven",
        filters=filters,
        columns=COLUMNS,
        rows=rows,
        charts=charts,
        notes=notes,
    )


def _suggestion(quality: Quality, won_yes: int, n_yes: int, won_no: int, n_no: int) -> str:
    if min(n_yes, n_no) < MIN_DECIDED:
        return ""
    z = z_score(won_yes, n_yes, won_no, n_no)
    if z is None:
        return ""
    rates = (
        f"{100 * won_yes / n_yes:.0f}% won with it ({n_yes} deals) against "
        f"{100 * won_no / n_no:.0f}% without ({n_no} deals)"
    )
    if z >= Z_STRONG and quality.weight < MAX_WEIGHT:
        return (
            f"Consider a higher weight for “{quality.text}” (now {quality.weight}): {rates}; "
            f"a difference this large is unlikely by chance (z = {z:.1f})."
        )
    if z <= -Z_STRONG and quality.weight > MIN_WEIGHT:
        return (
            f"Consider a lower weight for “{quality.text}” (now {quality.weight}): {rates}, "
            f"the opposite of what the plan expects (z = {z:.1f})."
        )
    if abs(z) < 1 and quality.weight == MAX_WEIGHT and min(n_yes, n_no) >= 3 * MIN_DECIDED:
        return (
            f"“{quality.text}” has the highest weight but makes little difference to winning: "
            f"{rates}."
        )
    return ""
