"""Care plans and customers in care, made through the services as a user would make them."""

from __future__ import annotations

from datetime import date

from attract.aftercare import care_plan_services as plans
from attract.aftercare.models import CarePlan
from attract.people.models import Relationship
from attract.people.services import company_create
from attract.pipeline.services import deal_create, deal_win


def make_plan(actor, name: str = "Every customer", **fields) -> CarePlan:
    plan = plans.care_plan_create(actor=actor, name=name, **fields)
    plans.care_plan_step_add(actor=actor, plan=plan, title="Welcome call", day=1)
    plans.care_plan_step_add(
        actor=actor,
        plan=plan,
        title="Did we meet what you expected?",
        day=14,
        doer="business_owner",
    )
    plans.care_plan_step_add(actor=actor, plan=plan, title="Quarterly check-in", repeat_months=3)
    return plan


def make_customer(actor, name: str = "Acme Bakery", *, revenue: int = 5000, cost: int = 1000,
                  since: date | None = None, **fields):  # fmt: skip
    """A company won through a deal (so care starts as it would)."""
    company = company_create(actor=actor, name=name, **fields)
    deal = deal_create(actor=actor, title=f"{name} order", company=company, revenue=revenue,
                       cost=cost)  # fmt: skip
    deal_win(actor=actor, deal=deal)
    company.refresh_from_db()
    if since is not None:
        company.relationship = Relationship.CUSTOMER
    return company, deal
