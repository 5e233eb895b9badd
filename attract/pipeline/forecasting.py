"""What the pipeline is likely to bring: the weighted forecast by expected close month, with
configured and learned chances side by side, owners ranked by profit won, and how long a
"no" and a "yes" take. Every function runs a fixed, small number of aggregate queries."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

from django.db.models import Count, F, FloatField, Func, Q, Sum

from attract.accounts.models import User
from attract.core.permissions import visible_to
from attract.pipeline.models import STAGE_ORDER, Deal, Outcome, Stage
from attract.pipeline.selectors import ZERO, stage_settings

# How many closed deals the configured percentage is worth when blending it with history.
# With few closed deals the learned chance stays near the configured one; with many, the
# business's own record wins. (A Beta prior centred on the configured percentage.)
PRIOR_WEIGHT = 10


@dataclass(frozen=True)
class LearnedChance:
    stage: str
    configured: int  # percent
    reached: int  # closed deals that reached this stage (the sample)
    won: int  # of those, how many were won

    @property
    def label(self) -> str:
        return Stage(self.stage).label

    @property
    def observed(self) -> float | None:
        return 100 * self.won / self.reached if self.reached else None

    @property
    def learned(self) -> float:
        """Observed win rate pulled toward the configured percentage while the sample is small."""
        return (
            100 * (self.won + PRIOR_WEIGHT * self.configured / 100) / (self.reached + PRIOR_WEIGHT)
        )

    @property
    def is_small_sample(self) -> bool:
        return self.reached < 3 * PRIOR_WEIGHT


def learned_chances() -> dict[str, LearnedChance]:
    """For each stage, the share of closed deals that reached it and were won.

    Won and lost deals count; a referral out is a decision about fit, not a sale won or lost,
    so it is left out. One aggregate query over the deals, whatever their number of moves.
    """
    settings = stage_settings()
    closed = Deal.objects.filter(outcome__in=[Outcome.WON, Outcome.LOST])
    counts = {}
    for index in range(len(STAGE_ORDER)):
        reached = Q(furthest_stage_index__gte=index)
        counts[f"reached_{index}"] = Count("id", filter=reached)
        counts[f"won_{index}"] = Count("id", filter=reached & Q(outcome=Outcome.WON))
    row = closed.aggregate(**counts)
    return {
        stage: LearnedChance(
            stage=stage,
            configured=settings[stage].probability,
            reached=row[f"reached_{index}"],
            won=row[f"won_{index}"],
        )
        for index, stage in enumerate(STAGE_ORDER)
    }


@dataclass
class ForecastMonth:
    month: date | None  # None: open deals with no expected close date
    count: int = 0
    revenue: Decimal = ZERO
    weighted_configured: Decimal = ZERO
    weighted_learned: Decimal = ZERO


@dataclass
class Forecast:
    months: list[ForecastMonth]
    chances: dict[str, LearnedChance]
    totals: ForecastMonth = field(default_factory=lambda: ForecastMonth(month=None))


def _weigh(amount: Decimal, percent: float) -> Decimal:
    return (amount * Decimal(str(percent)) / 100).quantize(Decimal("0.01"))


def forecast_by_month(*, user: User, owner_id: int | None = None) -> Forecast:
    """Open deals the user may see, summed by expected close month and weighted two ways."""
    chances = learned_chances()
    qs = visible_to(Deal.objects.filter(outcome=Outcome.OPEN), user)
    if owner_id:
        qs = qs.filter(owner_id=owner_id)
    # Grouped by the plain date column and folded into months here: a few hundred rows, and
    # no per-row date function (which SQLite runs in Python) over a large pipeline.
    rows = (
        qs.order_by()
        .values("expected_close_date", "stage")
        .annotate(n=Count("id"), month_revenue=Sum("revenue"))
    )
    months: dict[date | None, ForecastMonth] = {}
    totals = ForecastMonth(month=None)
    for row in rows:
        day = row["expected_close_date"]
        month = day.replace(day=1) if day else None
        bucket = months.setdefault(month, ForecastMonth(month=month))
        chance = chances[row["stage"]]
        revenue = row["month_revenue"] or ZERO
        for target in (bucket, totals):
            target.count += row["n"]
            target.revenue += revenue
            target.weighted_configured += _weigh(revenue, chance.configured)
            target.weighted_learned += _weigh(revenue, chance.learned)
    ordered = sorted(months.values(), key=lambda m: (m.month is None, m.month or date.min))
    return Forecast(months=ordered, chances=chances, totals=totals)


@dataclass(frozen=True)
class OwnerResult:
    owner: User | None
    won: int
    revenue: Decimal
    profit: Decimal

    @property
    def margin(self) -> Decimal | None:
        return (self.profit * 100 / self.revenue).quantize(Decimal("0.1")) if self.revenue else None


def profit_ranking(*, user: User) -> list[OwnerResult]:
    """Owners ranked by the profit of the deals they won, not by revenue. Two queries."""
    rows = list(
        visible_to(Deal.objects.filter(outcome=Outcome.WON), user)
        .order_by()
        .values("owner_id")
        .annotate(
            n=Count("id"), won_revenue=Sum("revenue"), won_profit=Sum(F("revenue") - F("cost"))
        )
    )
    owners = User.objects.in_bulk([r["owner_id"] for r in rows if r["owner_id"]])
    results = [
        OwnerResult(
            owner=owners.get(r["owner_id"]),
            won=r["n"],
            revenue=r["won_revenue"] or ZERO,
            profit=r["won_profit"] or ZERO,
        )
        for r in rows
    ]
    return sorted(results, key=lambda r: (-r.profit, -r.revenue))


class DaysOpen(Func):
    """Days from creation to close, computed by the database itself. (Django's generic
    datetime subtraction runs a Python function per row on SQLite; julianday() is native.)"""

    output_field = FloatField()

    def __init__(self) -> None:
        super().__init__(F("closed_at"), F("created_at"))

    def as_sql(self, compiler, connection, **extra):
        closed, closed_params = compiler.compile(self.source_expressions[0])
        created, created_params = compiler.compile(self.source_expressions[1])
        if connection.vendor == "sqlite":
            sql = f"(julianday({closed}) - julianday({created}))"
        else:
            sql = f"(EXTRACT(EPOCH FROM ({closed} - {created})) / 86400.0)"
        return sql, (*closed_params, *created_params)


def _median_duration(qs, count: int | None = None) -> tuple[timedelta | None, int]:
    """The median of closed_at − created_at and the sample size, found by the database (count,
    unless the caller counted already, then the middle one or two rows), so it stays cheap with
    a large history."""
    if count is None:
        count = qs.count()
    if not count:
        return None, 0
    middle = list(
        qs.annotate(days_open=DaysOpen())
        .order_by("days_open")
        .values_list("days_open", flat=True)[(count - 1) // 2 : count // 2 + 1]
    )
    days = sum(float(d) for d in middle) / len(middle)
    return timedelta(seconds=round(days * 86400)), count


@dataclass(frozen=True)
class DecisionTimes:
    to_no: timedelta | None
    no_count: int
    to_yes: timedelta | None
    yes_count: int


def decision_times(*, user: User) -> DecisionTimes:
    """Median time from a deal's creation to a "no" (lost) and to a "yes" (won)."""
    visible = visible_to(Deal.objects.all(), user)
    # Both sample sizes in one query, then the middle rows of each.
    counts = visible.filter(outcome__in=[Outcome.LOST, Outcome.WON]).aggregate(
        lost=Count("id", filter=Q(outcome=Outcome.LOST)),
        won=Count("id", filter=Q(outcome=Outcome.WON)),
    )
    to_no, no_count = _median_duration(visible.filter(outcome=Outcome.LOST), counts["lost"])
    to_yes, yes_count = _median_duration(visible.filter(outcome=Outcome.WON), counts["won"])
    return DecisionTimes(to_no=to_no, no_count=no_count, to_yes=to_yes, yes_count=yes_count)
