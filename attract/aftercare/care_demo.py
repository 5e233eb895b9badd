"""Sample care for `attract demo`: two care plans, every demo customer in one of them at
every point (most steps done, some due, a few missed), promises kept and broken with the
delivery times they reached, good and bad experiences, and so a realistic mix of customers
at risk. The same for a seed."""

from __future__ import annotations

import random
from collections.abc import Sequence
from datetime import datetime, time, timedelta
from decimal import Decimal

from django.utils import timezone

from attract.accounts.models import User
from attract.aftercare import care_plan_services as plans
from attract.aftercare import experience_services, promise_services
from attract.aftercare.care_signal import care_signal_refresh
from attract.aftercare.models import CarePlan, CareStep, CustomerCare, Feeling
from attract.people.models import Company, CompanySize, Relationship

GOOD = [
    ("Delivered a day early for their launch", "delighted", "Sent a thank-you card"),
    ("Our technician stayed late to finish", "pleased", "Called to make sure all was well"),
]
BAD = [
    ("The invoice was wrong twice", "angry", "Credited the difference", "No credit after 30 days",
     Decimal("120")),
    ("The delivery arrived damaged", "furious", "Replaced it the next morning",
     "Replacement only after return", Decimal("380")),
    ("Nobody answered their call for two days", "disappointed", "", "", None),
]  # fmt: skip


def care_demo_create(*, owner: User, seed: int, users: Sequence[User] = ()) -> dict[str, int]:
    rng = random.Random(seed + 16)
    today = timezone.localdate()
    if CarePlan.all_objects.exists():
        return {}
    large = plans.care_plan_create(actor=owner, name="Large customers", size=CompanySize.LARGE,
                                   rhythm_days=45, description="The owner visits in person.")  # fmt: skip
    plans.care_plan_step_add(actor=owner, plan=large, title="Thank-you call from the owner",
                             day=1, doer="business_owner")  # fmt: skip
    plans.care_plan_step_add(actor=owner, plan=large, title="Visit: watch them use it", day=30,
                             channel="visit", doer="business_owner")  # fmt: skip
    plans.care_plan_step_add(actor=owner, plan=large, title="Monthly check-in", repeat_months=1)
    plans.care_plan_step_add(actor=owner, plan=large, title="Anniversary", repeat_months=12,
                             doer="business_owner")  # fmt: skip
    everyone = plans.care_plan_create(actor=owner, name="Every customer", rhythm_days=90)
    plans.care_plan_step_add(actor=owner, plan=everyone, title="Welcome call", day=1)
    plans.care_plan_step_add(actor=owner, plan=everyone, title="Did we meet what you expected?",
                             day=14)  # fmt: skip
    plans.care_plan_step_add(actor=owner, plan=everyone, title="Review", day=90, channel="meeting")
    plans.care_plan_step_add(actor=owner, plan=everyone, title="Quarterly check-in",
                             repeat_months=3)  # fmt: skip
    plans.care_plan_step_add(actor=owner, plan=everyone, title="Anniversary", repeat_months=12,
                             doer="business_owner")  # fmt: skip
    customers = list(
        Company.objects.filter(relationship=Relationship.CUSTOMER, is_private=False).order_by("pk")
    )
    promises = experiences = 0
    for index, company in enumerate(customers):
        started = company.customer_since or today - timedelta(days=rng.randrange(10, 700))
        # Recent customers only: a demo customer of five years has sixty missed check-ins.
        started = max(started, today - timedelta(days=rng.randrange(20, 400)))
        if index < 6:  # a few won lately, with a step due today
            started = today - timedelta(days=(1, 14, 1, 14, 1, 14)[index])
        care = plans.care_start(actor=owner, customer=company, started_on=started, backfill=True)
        if care is None:
            continue
        careful = rng.random() < 0.8  # most customers are looked after
        for step in CareStep.objects.filter(care=care, due_on__lt=today).order_by("due_on"):
            if careful or rng.random() < 0.4:
                step.done_at = timezone.make_aware(datetime.combine(step.due_on, time(10)))
                step.done_by = step.assignee
                step.save(update_fields=["done_at", "done_by"])
        if rng.random() < 0.35:
            promises += _promise_history(owner, company, rng, today)
        if rng.random() < 0.35:
            experiences += _experience(owner, company, rng, today)
    from attract.aftercare.customer_love_demo import customer_love_demo_create

    love = customer_love_demo_create(owner=owner, customers=customers, rng=rng, today=today)
    plans.care_steps_to_tasks(today=today)
    care_signal_refresh()
    return {
        **love,
        "care plans": 2,
        "customers in care": CustomerCare.objects.count(),
        "promises": promises,
        "experiences": experiences,
    }


def _promise_history(owner, company, rng: random.Random, today) -> int:
    """Delivery within 48 hours, most kept, some not: the history the suggestion reads."""
    made = 0
    for _n in range(rng.randint(1, 3)):
        due = today - timedelta(days=rng.randrange(5, 200))
        promise = promise_services.promise_create(
            actor=owner, company=company, what="Delivery within 48 hours", due_on=due,
            metric="delivery time", value=Decimal("48"), unit="hours",
        )  # fmt: skip
        hours = Decimal(rng.choice([24, 30, 36, 40, 44, 47, 48, 52, 60, 72]))
        promise_services.promise_record(actor=owner, promise=promise, actual_value=hours,
                                        recorded_on=due)  # fmt: skip
        made += 1
    if rng.random() < 0.3:
        promise_services.promise_create(
            actor=owner,
            company=company,
            what="Training for two new staff",
            due_on=today + timedelta(days=rng.randrange(-10, 40)),
        )
        made += 1
    return made


def _experience(owner, company, rng: random.Random, today) -> int:
    happened = today - timedelta(days=rng.randrange(1, 120))
    if rng.random() < 0.5:
        what, feeling, did = rng.choice(GOOD)
        experience_services.experience_record(actor=owner, company=company, what=what,
                                              feeling=feeling, is_good=True, happened_on=happened,
                                              what_we_did=did)  # fmt: skip
        return 1
    what, feeling, did, policy, cost = rng.choice(BAD)
    set_right = happened + timedelta(days=rng.randrange(0, 5)) if rng.random() < 0.6 else None
    if set_right and set_right > today:
        set_right = today
    experience_services.experience_record(
        actor=owner, company=company, what=what, feeling=Feeling(feeling), is_good=False,
        happened_on=happened, what_we_did=did, set_right_on=set_right, policy_broken=policy,
        policy_cost=cost,
    )  # fmt: skip
    return 1
