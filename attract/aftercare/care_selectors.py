"""Reads of care: the customers at risk (most valuable first), the most urgent for Today,
the steps due, a customer's own care, and the owner's personal touch. Every read is narrowed
to the customers the user may see; a fixed number of queries whatever the size."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from attract.accounts.models import User
from attract.aftercare.care_signal import Evidence, evidence_of
from attract.aftercare.models import (
    MISSED_AFTER_DAYS,
    CareStep,
    CustomerCare,
    Experience,
    Promise,
    PromiseOutcome,
    StepState,
)
from attract.people.models import Company, Person

AT_RISK_PAGE = 25


def _visible(user: User, prefix: str = "") -> Q:
    return (
        Q(**{f"{prefix}company__isnull": True})
        | Q(**{f"{prefix}company__is_private": False})
        | Q(**{f"{prefix}company__owner_id": user.pk})
    ) & (
        Q(**{f"{prefix}person__isnull": True})
        | Q(**{f"{prefix}person__is_private": False})
        | Q(**{f"{prefix}person__owner_id": user.pk})
    )


def visible_cares(user: User) -> QuerySet[CustomerCare]:
    return CustomerCare.objects.filter(_visible(user)).filter(
        Q(company__isnull=True) | Q(company__deleted_at__isnull=True),
        Q(person__isnull=True) | Q(person__deleted_at__isnull=True),
    )


@dataclass
class AtRisk:
    care: CustomerCare
    evidence: list[Evidence]

    @property
    def customer(self):
        return self.care.customer

    @property
    def kind(self) -> str:
        return "company" if self.care.company_id else "person"


def _with_evidence(cares) -> list[AtRisk]:
    return [
        AtRisk(care, evidence_of(care, care.plan.rhythm_days if care.plan else None))
        for care in cares
    ]


def at_risk_queryset(user: User) -> QuerySet[CustomerCare]:
    """Customers at risk, most valuable (by profit) first."""
    return (
        visible_cares(user)
        .filter(risk__gt=0)
        .select_related("company", "person", "plan", "owner")
        .order_by("-profit", "id")
    )


def at_risk(user: User, *, offset: int = 0, limit: int = AT_RISK_PAGE) -> list[AtRisk]:
    return _with_evidence(at_risk_queryset(user)[offset : offset + limit])


def most_urgent(user: User, *, limit: int = 3) -> list[AtRisk]:
    """Today's three: the highest care risk, the most valuable first among equals."""
    cares = (
        visible_cares(user)
        .filter(risk__gt=0)
        .select_related("company", "person", "plan")
        .order_by("-risk", "-profit", "id")[:limit]
    )
    return _with_evidence(cares)


def steps_due(user: User, *, today: date | None = None, everyone: bool = False, limit: int = 50):
    """Care steps due (today, or due and not yet missed), the doer's own unless `everyone`."""
    today = today or timezone.localdate()
    steps = CareStep.objects.filter(
        done_at__isnull=True,
        due_on__lte=today,
        due_on__gte=today - timedelta(days=MISSED_AFTER_DAYS),
    ).filter(_visible(user, "care__"))
    if not everyone:
        steps = steps.filter(assignee=user)
    return list(
        steps.select_related("care__company", "care__person", "assignee").order_by("due_on", "id")[
            :limit
        ]
    )


@dataclass
class StepRow:
    step: CareStep
    state: str


@dataclass
class CustomerCareView:
    care: CustomerCare | None
    steps: list[StepRow] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)
    evidence: list[Evidence] = field(default_factory=list)
    promises: list[Promise] = field(default_factory=list)
    experiences: list[Experience] = field(default_factory=list)


def customer_care(user: User, customer: Company | Person, *, today: date | None = None):
    """A customer's page: their plan, steps done, due and missed (the next few to come), the
    signal's evidence, their promises and their experiences."""
    today = today or timezone.localdate()
    key = "company" if isinstance(customer, Company) else "person"
    care = CustomerCare.objects.filter(**{key: customer}).select_related("plan").first()
    view = CustomerCareView(care=care)
    view.promises = list(Promise.objects.filter(**{key: customer}).order_by("-due_on", "-id")[:20])
    view.experiences = list(
        Experience.objects.filter(**{key: customer}).order_by("-happened_on", "-id")[:20]
    )
    if care is None:
        return view
    view.evidence = evidence_of(care, care.plan.rhythm_days if care.plan else None)
    counts = dict.fromkeys(StepState.values, 0)
    shown: list[StepRow] = []
    upcoming = 0
    for step in care.steps.select_related("done_by", "assignee").order_by("due_on", "id")[:200]:
        state = step.state(today)
        counts[state] += 1
        if state == StepState.UPCOMING:
            upcoming += 1
            if upcoming > 3:
                continue
        shown.append(StepRow(step, state))
    view.steps = shown
    view.counts = counts
    return view


@dataclass
class PersonalTouch:
    customers: int
    in_6_months: int
    in_12_months: int
    not_heard: list[CustomerCare]


def personal_touch(user: User, *, limit: int = 10) -> PersonalTouch:
    """Which customers heard from the business owner in person in the last 6 and 12 months,
    and the most valuable who have not (in 12 months)."""
    now = timezone.now()
    cares = visible_cares(user)
    totals = cares.aggregate(
        n=Count("pk"),
        six=Count("pk", filter=Q(last_owner_touch_at__gte=now - timedelta(days=183))),
        twelve=Count("pk", filter=Q(last_owner_touch_at__gte=now - timedelta(days=365))),
    )
    not_heard = list(
        cares.filter(
            Q(last_owner_touch_at__isnull=True)
            | Q(last_owner_touch_at__lt=now - timedelta(days=365))
        )
        .select_related("company", "person")
        .order_by("-profit", "id")[:limit]
    )
    return PersonalTouch(totals["n"], totals["six"], totals["twelve"], not_heard)


def promise_counts(user: User) -> dict[str, int]:
    """Promises by outcome that this user may see: every promise counted without a join, less
    those of someone else's private customers (read from the few private records, not by
    joining every promise to its customer)."""
    counts = dict.fromkeys(PromiseOutcome.values, 0)
    for row in Promise.objects.values("outcome").annotate(n=Count("pk")).order_by():
        counts[row["outcome"]] = row["n"]
    hidden = Promise.objects.filter(
        Q(company__in=Company.objects.filter(is_private=True).exclude(owner_id=user.pk))
        | Q(person__in=Person.objects.filter(is_private=True).exclude(owner_id=user.pk))
    )
    for row in hidden.values("outcome").annotate(n=Count("pk")).order_by():
        counts[row["outcome"]] -= row["n"]
    return counts


def unresolved_bad_experiences(user: User, *, limit: int = 10) -> list[Experience]:
    return list(
        Experience.objects.filter(_visible(user), is_good=False, set_right_on__isnull=True)
        .select_related("company", "person")
        .order_by("happened_on", "id")[:limit]
    )
