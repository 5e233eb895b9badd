"""A customer with a known buying history, made quickly: the company through the service,
its won deals written directly with the day each closed."""

from __future__ import annotations

from datetime import date, datetime, time
from decimal import Decimal

from django.utils import timezone

from attract.aftercare import purchase_summary
from attract.people.models import Company, Relationship
from attract.people.services import company_create, person_create
from attract.pipeline.models import Deal, Outcome, Stage


def won_deal(company: Company, day: date, revenue: str = "1000", cost: str = "400", **extra):
    closed = timezone.make_aware(datetime.combine(day, time(12)))
    return Deal.objects.create(
        title=f"Order of {day:%Y-%m-%d}",
        company=company,
        revenue=Decimal(revenue),
        cost=Decimal(cost),
        stage=Stage.ACTION,
        outcome=Outcome.WON,
        closed_at=closed,
        stage_entered_at=closed,
        owner=company.owner,
        **extra,
    )


def make_customer(
    owner,
    name: str = "Loyal Bakery",
    purchases: list[tuple[date, str, str]] | None = None,
    contact: bool = True,
    **fields,
) -> Company:
    purchases = purchases if purchases is not None else [(date(2025, 3, 1), "1000", "400")]
    company = company_create(actor=owner, name=name, **fields)
    for day, revenue, cost in purchases:
        won_deal(company, day, revenue, cost)
    if purchases:
        Company.all_objects.filter(pk=company.pk).update(
            relationship=Relationship.CUSTOMER, customer_since=min(p[0] for p in purchases)
        )
        company.refresh_from_db()
        # A write past the services, like an import's: counted again as `attract purchases
        # recount` would.
        purchase_summary.recount([company.pk])
    if contact:
        person_create(
            actor=owner, first_name="Dana", last_name="Baker", company=company,
            emails=[f"dana@{name.lower().replace(' ', '')}.example"],
        )  # fmt: skip
    return company
