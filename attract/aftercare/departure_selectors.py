"""Reads of departures: a company's customer periods, and "why ours leave" over a period —
counts by reason beside the published figures, the share in our control, what was lost, the
trend by quarter, and the customers lost to reasons in our control.

Every read is narrowed to the companies the user may see, and to companies not in the trash.
Each figure is one grouped query whatever the number of departures."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.db.models import (
    Case,
    CharField,
    Count,
    DateField,
    F,
    Func,
    IntegerField,
    Q,
    QuerySet,
    Sum,
    When,
)

from attract.accounts.models import User
from attract.aftercare.models import IN_OUR_CONTROL, PUBLISHED, Departure, Reason, control_of
from attract.people.models import Company, Relationship

SOURCES = {
    "all": "The customer's answer where there is one, else our guess",
    "guess": "Our guesses only",
    "answers": "The customers' own answers only",
}
ZERO = Decimal("0")


def visible_departures(user: User, *, include_trash: bool = False) -> QuerySet[Departure]:
    """Departures of companies the user may see, out of the trash (or in it too)."""
    manager = Departure.all_objects if include_trash else Departure.objects
    # The company's visibility and trash as copied on the departure: no join to read them.
    return manager.filter(
        Q(company_private=False) | Q(company_owner_id=user.pk), company_alive=True
    )


def with_known_reason(queryset: QuerySet[Departure], source: str) -> QuerySet[Departure]:
    """Each departure's reason as the chosen source tells it, as `known`; "answers" keeps only
    the departures the customer answered."""
    if source == "guess":
        return queryset.annotate(known=F("reason"))
    if source == "answers":
        return queryset.exclude(customer_reason="").annotate(known=F("customer_reason"))
    return queryset.annotate(
        known=Case(
            When(customer_reason="", then=F("reason")),
            default=F("customer_reason"),
            output_field=CharField(),
        )
    )


@dataclass
class ReasonRow:
    reason: str
    label: str
    published: int | None
    control: str
    count: int = 0
    share: float = 0.0
    revenue: Decimal = ZERO
    profit: Decimal = ZERO

    @property
    def in_our_control(self) -> bool:
        return self.reason in IN_OUR_CONTROL

    @property
    def gap(self) -> float | None:
        """Our share minus the published one, in points."""
        return None if self.published is None else round(self.share - self.published, 1)


@dataclass
class QuarterRow:
    quarter: date
    count: int
    in_control: int

    @property
    def label(self) -> str:
        return f"Q{(self.quarter.month - 1) // 3 + 1} {self.quarter.year}"

    @property
    def share_in_control(self) -> float:
        return round(100 * self.in_control / self.count, 1) if self.count else 0.0


@dataclass
class WhyTheyLeave:
    start: date
    end: date
    source: str
    rows: list[ReasonRow]
    quarters: list[QuarterRow] = field(default_factory=list)
    guessed: int = 0
    answered: int = 0

    @property
    def total(self) -> int:
        return sum(r.count for r in self.rows)

    @property
    def in_control(self) -> int:
        return sum(r.count for r in self.rows if r.in_our_control)

    @property
    def share_in_control(self) -> float:
        return round(100 * self.in_control / self.total, 1) if self.total else 0.0

    @property
    def published_in_control(self) -> int:
        return sum(share for r, (share, _) in PUBLISHED.items() if r in IN_OUR_CONTROL)

    @property
    def revenue(self) -> Decimal:
        return sum((r.revenue for r in self.rows), ZERO)

    @property
    def profit(self) -> Decimal:
        return sum((r.profit for r in self.rows), ZERO)

    @property
    def revenue_in_control(self) -> Decimal:
        return sum((r.revenue for r in self.rows if r.in_our_control), ZERO)

    @property
    def profit_in_control(self) -> Decimal:
        return sum((r.profit for r in self.rows if r.in_our_control), ZERO)


class QuarterKey(Func):
    """A date's quarter as one number, year * 10 + quarter (20253 for Q3 2025), in plain SQL:
    SQLite reads it from the stored text without calling back into Python for every row (as
    its TruncQuarter does), PostgreSQL with EXTRACT."""

    output_field = IntegerField()

    def as_sql(self, compiler, connection, **extra_context):
        template = (
            "(CAST(EXTRACT(YEAR FROM %(expressions)s) AS integer) * 10"
            " + CAST(EXTRACT(QUARTER FROM %(expressions)s) AS integer))"
        )
        return super().as_sql(compiler, connection, template=template, **extra_context)

    def as_sqlite(self, compiler, connection, **extra_context):
        template = (
            "(CAST(substr(%(expressions)s, 1, 4) AS integer) * 10"
            " + (CAST(substr(%(expressions)s, 6, 2) AS integer) + 2) / 3)"
        )
        return super().as_sql(compiler, connection, template=template, **extra_context)


def _quarter_start(key: int) -> date:
    return date(key // 10, 3 * (key % 10 - 1) + 1, 1)


def _known(reason: str, customer_reason: str, source: str) -> str:
    """The reason as the chosen source tells it ("" when that source has none)."""
    if source == "guess":
        return reason
    if source == "answers":
        return customer_reason
    return customer_reason or reason


def why_they_leave(*, user: User, start: date, end: date, source: str = "all") -> WhyTheyLeave:
    """One grouped read of the period's departures, by our guess, their answer and quarter;
    every figure of the page (by reason, by quarter, guessed and answered) is summed from
    its few rows."""
    source = source if source in SOURCES else "all"
    period = visible_departures(user).filter(departed_on__gte=start, departed_on__lte=end)
    grouped = (
        period.annotate(q=QuarterKey("departed_on"))
        .values("reason", "customer_reason", "q")
        .annotate(
            n=Count("pk"), revenue=Sum("lost_yearly_revenue"), profit=Sum("lost_yearly_profit")
        )
        .order_by()
    )
    by_reason: dict[str, dict] = {}
    by_quarter: dict[int, list[int]] = {}
    answered = guessed = 0
    for row in grouped:
        if row["customer_reason"]:
            answered += row["n"]
        else:
            guessed += row["n"]
        known = _known(row["reason"], row["customer_reason"], source)
        if not known:
            continue
        found = by_reason.setdefault(known, {"n": 0, "revenue": ZERO, "profit": ZERO})
        found["n"] += row["n"]
        found["revenue"] += row["revenue"] or ZERO
        found["profit"] += row["profit"] or ZERO
        quarter = by_quarter.setdefault(row["q"], [0, 0])
        quarter[0] += row["n"]
        quarter[1] += row["n"] if known in IN_OUR_CONTROL else 0
    total = sum(row["n"] for row in by_reason.values())
    rows = []
    for reason in Reason:
        published = PUBLISHED.get(reason.value, (None, ""))[0]
        found = by_reason.get(reason.value, {})
        count = found.get("n", 0)
        rows.append(
            ReasonRow(
                reason=reason.value,
                label=reason.label,
                published=published,
                control=control_of(reason.value),
                count=count,
                share=round(100 * count / total, 1) if total else 0.0,
                revenue=found.get("revenue") or ZERO,
                profit=found.get("profit") or ZERO,
            )
        )
    quarters = [
        QuarterRow(quarter=_quarter_start(key), count=n, in_control=c)
        for key, (n, c) in sorted(by_quarter.items())
    ]
    return WhyTheyLeave(
        start=start,
        end=end,
        source=source,
        rows=rows,
        quarters=quarters,
        answered=answered,
        guessed=guessed,
    )


class _DayAsIs(Func):
    """The departure's day compared as it is: SQLite is told not to start from the period's
    index (unary "+"), so that it walks the lost-profit index in order and stops after a page
    instead of sorting every departure of the period. PostgreSQL gets the column unchanged."""

    template = "%(expressions)s"
    output_field = DateField()

    def as_sqlite(self, compiler, connection, **extra_context):
        return self.as_sql(compiler, connection, template="+%(expressions)s", **extra_context)


def lost_in_our_control(
    *, user: User, start: date, end: date, source: str = "all", reason: str = ""
) -> QuerySet[Departure]:
    """The customers who left for a reason in our control (or for one such reason), most
    profitable first: the ones a little care could have kept. Read a page at a time along
    departure_lost_profit_idx; its length is lost_count() of the period's figures."""
    reasons = [reason] if reason in IN_OUR_CONTROL else list(IN_OUR_CONTROL)
    period = (
        visible_departures(user)
        .alias(day_as_is=_DayAsIs("departed_on"))
        .filter(day_as_is__gte=start, day_as_is__lte=end)
    )
    return (
        with_known_reason(period, source if source in SOURCES else "all")
        .filter(known__in=reasons)
        .select_related("company")
        .order_by("-lost_yearly_profit", "-departed_on", "-id")
    )


def lost_count(figures: WhyTheyLeave, reason: str = "") -> int:
    """How many lost_in_our_control lists (same period, source and reason), from the
    figures already counted."""
    wanted = {reason} if reason in IN_OUR_CONTROL else IN_OUR_CONTROL
    return sum(r.count for r in figures.rows if r.reason in wanted)


@dataclass
class Period:
    start: date | None
    end: date | None
    departure: Departure | None


def customer_periods(company: Company) -> list[Period]:
    """Each period the company was our customer: ended ones by their departure, and the
    current one when they are a customer (again)."""
    departures = list(company.departures.select_related("contact").order_by("departed_on", "id"))
    periods = [Period(start=d.customer_since, end=d.departed_on, departure=d) for d in departures]
    if company.relationship == Relationship.CUSTOMER and (departures or company.customer_since):
        periods.append(Period(start=company.customer_since, end=None, departure=None))
    return periods


def published_rows() -> list[tuple[str, str, int, str]]:
    """The published figures: (reason, label, share, control label)."""
    return [
        (reason, Reason(reason).label, share, control.capitalize())
        for reason, (share, control) in PUBLISHED.items()
    ]
