"""Repeat purchase: for a customer, how many deals they won with us, when, the time from the
first to the second, what they brought in lifetime; for the business, the share of customers
who bought more than once by the year they first bought, and the one-time buyers to care for.

Everything is read from the stored purchase summaries (models/purchases.py, kept by
purchase_summary.py): one row per customer for the team, and one for each user who owns
private won deals there. A user reads their own row where they have one, else the team's;
companies they may not see and companies in the trash are left out."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db.models import Count, F, Q, QuerySet
from django.utils import timezone

from attract.accounts.models import User
from attract.aftercare.models import PurchaseSummary
from attract.people.models import Company

ZERO = Decimal("0")

# Read backwards along purchase_recent_idx / purchase_profit_idx (ties: the newest row first).
ONE_TIME_SORTS = {"recent": ("-last_at", "-id"), "profit": ("-profit", "-id")}


def summaries_for(user: User) -> QuerySet[PurchaseSummary]:
    """The rows this user reads: their own where they own private won deals, else the
    team's; of companies out of the trash that they may see. Two queries' worth: whether the
    user has rows of their own is asked first, so that nearly everyone reads the team's rows
    along an index."""
    rows = PurchaseSummary.objects.filter(company_alive=True).filter(
        Q(company_private=False) | Q(company_owner=user)
    )
    own = PurchaseSummary.objects.filter(viewer=user)
    if not own.exists():
        return rows.filter(viewer__isnull=True)
    return rows.filter(
        Q(viewer=user) | Q(viewer__isnull=True) & ~Q(company_id__in=own.values("company_id"))
    )


@dataclass
class CustomerPurchases:
    deals: int
    first_on: date | None
    second_on: date | None
    last_on: date | None
    revenue: Decimal
    profit: Decimal

    @property
    def days_to_second(self) -> int | None:
        if self.first_on is None or self.second_on is None:
            return None
        return (self.second_on - self.first_on).days

    @property
    def is_repeat(self) -> bool:
        return self.deals > 1


def _day(moment) -> date | None:
    return timezone.localdate(moment) if moment else None


def customer_purchases(*, user: User, company: Company) -> CustomerPurchases:
    """One indexed read: the user's own row for the company, else the team's."""
    row = (
        PurchaseSummary.objects.filter(company_id=company.pk)
        .filter(Q(viewer=user) | Q(viewer__isnull=True))
        .order_by(F("viewer").asc(nulls_last=True))
        .first()
    )
    if row is None:
        return CustomerPurchases(0, None, None, None, ZERO, ZERO)
    return CustomerPurchases(
        deals=row.deals,
        first_on=_day(row.first_at),
        second_on=_day(row.second_at),
        last_on=_day(row.last_at),
        revenue=row.revenue,
        profit=row.profit,
    )


@dataclass
class Cohort:
    year: int
    customers: int
    repeat: int

    @property
    def share(self) -> float:
        return round(100 * self.repeat / self.customers, 1) if self.customers else 0.0


def repeat_cohorts(*, user: User, rows: QuerySet[PurchaseSummary] | None = None) -> list[Cohort]:
    """Per year of first purchase: how many customers first bought then, and how many of them
    bought again (at any time since). One grouped read of purchase_cohort_idx. `rows`: the
    user's summaries_for, when the caller has them already."""
    rows = (
        (summaries_for(user) if rows is None else rows)
        .values("first_year")
        .annotate(customers=Count("pk"), repeat=Count("pk", filter=Q(deals__gt=1)))
        .order_by("first_year")
    )
    return [
        Cohort(year=r["first_year"], customers=r["customers"], repeat=r["repeat"]) for r in rows
    ]


def one_time_buyers(
    *, user: User, sort: str = "recent", rows: QuerySet[PurchaseSummary] | None = None
) -> QuerySet[PurchaseSummary]:
    """Current customers who bought once: the ones to care for, most recent (or most
    profitable) first. Rows of purchase summaries with their company (name, last_won and
    lifetime_profit read like the company's)."""
    return (
        (summaries_for(user) if rows is None else rows)
        .filter(is_customer=True, deals=1)
        .select_related("company")
        .order_by(*ONE_TIME_SORTS.get(sort, ONE_TIME_SORTS["recent"]))
    )
