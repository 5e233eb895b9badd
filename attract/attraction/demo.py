"""The sample attraction plan for `attract demo`: a plan with last year's revision, a journal,
traits, the owner's thank-you notes, and companies assessed against the plan (customers tend
to fit better than prospects, so the learning table has something to show)."""

from __future__ import annotations

import random
from collections.abc import Sequence
from datetime import timedelta
from decimal import Decimal

from django.utils import timezone

from attract.accounts.models import User
from attract.attraction import services
from attract.attraction.models import Answer, Assessment, PlanRevision, Requirement
from attract.people.models import Company, Person, Relationship

QUALITIES = [
    ("Values quality over the lowest price", 5),
    ("Pays on time", 4),
    ("Makes decisions quickly", 3),
    ("Open to new ideas", 3),
    ("Refers friends and colleagues", 4),
    ("Located within a day's drive", 2),
    ("Treats our staff with respect", 5),
    ("Plans work at least a month ahead", 2),
]
ANSWERS = [
    "To build a business their family is proud of.",
    "Their business partner, who is also their spouse.",
    "Keeping their word to their own customers.",
    "Open a second location within three years.",
    "Freedom to choose the work they love.",
]
EXPECTATIONS = [
    ("services", "Delivery within 48 hours", "delivery time", "48", "hours", "lower"),
    (
        "services",
        "A reply to every message within 4 working hours",
        "reply time",
        "4",
        "hours",
        "lower",
    ),
    ("pricing", "Fair, fixed prices agreed before work starts", "", None, "", ""),
    ("location", "Workshop and showroom in town", "", None, "", ""),
    ("staff_size", "A team of 12 specialists", "specialists", "12", "people", "higher"),
]
COMPLAINTS = [
    "Asked for three revisions of the quote, then went with the cheapest offer.",
    "Paid sixty days late and only after four reminders.",
    "Changed the brief the day before delivery.",
    "Was rude to our installers on site.",
]
TRAITS = [
    ("Haggles over every invoice", "Values our work and pays the price"),
    ("Never plans ahead", "Plans work at least a month ahead"),
    ("Hides problems until too late", "Tells us early when something is wrong"),
]


def attraction_demo_create(
    *, owner: User, seed: int, users: Sequence[User] | None = None
) -> dict[str, int]:
    rng = random.Random(seed * 104729 + 5)
    qualities = [
        services.quality_create(actor=owner, text=text, weight=weight) for text, weight in QUALITIES
    ]
    plan = services.plan_get()
    for question, answer in zip(plan.questions.order_by("position"), ANSWERS, strict=False):
        services.question_update(actor=owner, question=question, answer=answer)
    items = [
        services.expectation_create(
            actor=owner, category=c, text=t, metric=m, value=v, unit=u, better=b
        )
        for c, t, m, v, u, b in EXPECTATIONS
    ]
    services.plan_update(actor=owner, perfect_number=25)
    # Last year's plan: fewer qualities and a smaller number, kept as a dated revision.
    snapshot = services.plan_snapshot(plan)
    snapshot["qualities"] = snapshot["qualities"][:5]
    snapshot["perfect_number"] = 18
    PlanRevision.objects.create(
        plan=plan,
        created_at=timezone.now() - timedelta(days=365),
        created_by=owner,
        note="Last year's plan",
        snapshot=snapshot,
    )
    services.plan_revision_create(actor=owner, note="This year's plan")

    companies = list(Company.objects.filter(is_private=False).order_by("pk")[:300])
    for text in COMPLAINTS:
        company = rng.choice(companies) if companies else None
        services.complaint_create(actor=owner, text=text, company=company)
    for index, (worse, better) in enumerate(TRAITS):
        trait = services.trait_create(actor=owner, less_than_perfect=worse, opposite=better)
        if index == 2:
            services.trait_add_to_plan(actor=owner, trait=trait, weight=3)
    for text in ("Thank you for trusting us with your shop fit-out.", "Thanks for the referral!"):
        services.thank_you_note_create(actor=owner, text=text, to_whom="A loyal customer")

    # Bulk rows for speed: the sample assesses every public company against every quality.
    assessments = []
    for company in companies:
        fits = 0.75 if company.relationship == Relationship.CUSTOMER else 0.45
        for quality in qualities:
            roll = rng.random()
            if roll < 0.15:
                answer = Answer.UNKNOWN
            elif roll < 0.15 + 0.85 * fits:
                answer = Answer.YES
            else:
                answer = rng.choice([Answer.PARTLY, Answer.NO])
            assessments.append(
                Assessment(company=company, quality=quality, answer=answer, created_by=owner)
            )
    # The people at those companies are seen the way their company is (a sample has no
    # better knowledge of them), so the people list shows a fit beside each of them too.
    answers_by_company: dict[int, list[Assessment]] = {}
    for assessment in assessments:
        answers_by_company.setdefault(assessment.company_id, []).append(assessment)
    people = Person.objects.filter(company__in=companies, is_private=False).order_by("pk")
    for person in people.only("pk", "company_id"):
        assessments.extend(
            Assessment(person=person, quality=a.quality, answer=a.answer, created_by=owner)
            for a in answers_by_company.get(person.company_id, [])
        )
    Assessment.objects.bulk_create(assessments, batch_size=1000)
    measurable = [i for i in items if i.is_measurable]
    requirements = [
        Requirement(
            company=company,
            expectation=item,
            value=item.value * Decimal(rng.choice(["0.5", "1", "1.5"])),
            created_by=owner,
        )
        for company in companies[:20]
        for item in measurable[:1]
    ]
    Requirement.objects.bulk_create(requirements)
    # The bulk rows skipped the services, which keep the stored fit: refit everyone once.
    services.fit_scores_rebuild()
    return {
        "qualities": len(qualities) + 1,
        "assessments": len(assessments),
        "complaints": len(COMPLAINTS),
    }
