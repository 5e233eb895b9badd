"""Sample partners for `attract demo`: the demo's partner companies with their own perfect-
client definition, alliances at every step, and referrals both ways drawn from the demo's
deals (those referred out, and those whose source is a partner). The same for a seed."""

from __future__ import annotations

import random
from collections.abc import Sequence
from datetime import timedelta
from decimal import Decimal

from django.utils import timezone

from attract.accounts.models import User
from attract.partners import services
from attract.partners.models import STEP_ORDER, Partner
from attract.people.models import Company, Relationship
from attract.pipeline.models import Deal, Outcome, Source

LINES = [
    ("industry", "Family-owned shops"), ("industry", "Dental practices"),
    ("size", "Under 20 people"), ("size", "Fast-growing teams of 50 to 200"),
    ("place", "Within an hour of the city"), ("budget", "Projects under 5,000"),
    ("quality", "Decides quickly and pays on time"), ("quality", "Wants a long relationship"),
    ("offer", "Bookkeeping and payroll"), ("offer", "Website design"), ("offer", "Training"),
]  # fmt: skip
PLACES = ["Chamber of commerce", "Rotary club", "The regional trade fair", "BNI chapter"]
LEARNED = [
    "They answer within a day and keep their word.",
    "Their customers are smaller than ours: a good match for our poor-fit leads.",
    "The joint seminar brought eleven people; three asked for a call.",
]
NEXT = [
    "Coffee to compare our ideal customers",
    "A joint seminar in spring",
    "Feature each other in the newsletter",
]


def partners_demo_create(*, owner: User, seed: int, users: Sequence[User] = ()) -> dict[str, int]:
    rng = random.Random(seed + 15)
    today = timezone.localdate()
    companies = list(
        Company.objects.filter(relationship=Relationship.PARTNER, is_private=False).order_by("pk")[
            :8
        ]
    )
    partners = []
    for n, company in enumerate(companies):
        if Partner.all_objects.filter(company=company).exists():
            continue
        partner = services.partner_create(
            actor=owner,
            company=company,
            is_competitor=n % 4 == 3,
            where_we_meet=rng.choice(PLACES),
            offers_different=rng.choice(LINES[8:])[1],
            confidence_ability=rng.randint(3, 5),
            confidence_account=rng.randint(2, 5),
            confidence_ethics=rng.randint(3, 5),
        )
        for kind, text in rng.sample(LINES, 4):
            line = services.line_add(actor=owner, partner=partner, kind=kind, text=text)
            mark = rng.choice(["overlap", "complement", "complement", ""])
            if mark:
                services.line_mark(actor=owner, line=line, mark=mark)
        # Every step in turn, so that the demo shows alliances at each one.
        reached = STEP_ORDER[: n % len(STEP_ORDER) + 1]
        day = today - timedelta(days=30 * len(reached) + rng.randint(0, 20))
        for step in reached:
            services.step_record(
                actor=owner, partner=partner, step=step, reached_on=day,
                learned=rng.choice(LEARNED), next_step=rng.choice(NEXT),
            )  # fmt: skip
            day += timedelta(days=rng.randint(10, 30))
        partners.append(partner)
    referrals = 0
    if partners:
        shared = Deal.objects.filter(is_private=False)
        out = shared.filter(outcome=Outcome.REFERRED_OUT).order_by("pk")[:12]
        came_in = shared.filter(source=Source.PARTNER_REFERRAL).order_by("pk")[:12]
        for direction, deals in (("out", out), ("in", came_in)):
            for n, deal in enumerate(deals):
                # What came of those referred out: some became the partner's customers.
                outcome = {}
                if direction == "out" and n % 3 != 2:
                    won = n % 3 == 0
                    revenue = (deal.revenue * Decimal("1.2")).quantize(Decimal("1")) if won else 0
                    outcome = {
                        "became_customer": won,
                        "won_revenue": revenue,
                        "won_profit": (revenue * Decimal("0.3")).quantize(Decimal("1")),
                    }
                services.referral_create(
                    actor=owner, partner=rng.choice(partners), direction=direction, deal=deal,
                    referred_on=min(deal.created_at.date(), today),
                    reason="Not a fit for us: they serve this kind of client better."
                    if direction == "out" else "", **outcome,
                )  # fmt: skip
                referrals += 1
    return {
        "partners": len(partners),
        "referrals": referrals,
        **_initiatives(owner, partners, rng),
        **_challenge(owner, rng),
    }


TOPICS = [
    ("Pricing without fear", "How small firms can raise prices and keep their customers."),
    ("Cash flow in a season business", "What to plan for in the quiet months."),
    ("Choosing software you will still like in five years", ""),
    ("Hiring your first manager", "When, who, and what to hand over."),
]
ARTICLES = [
    ("Five questions before you raise your prices", "Trade monthly"),
    ("The quiet months, planned", "Our blog"),
    ("What we ask of software now", "Local business podcast"),
]
INITIATIVES = [
    ("seminar", "co_organiser", "Spring seminar: pricing without fear", 0),
    ("host_beneficiary", "host", "Free review for our customers, by {p}", 1),
    ("host_beneficiary", "beneficiary", "Our audit offered to {p}'s customers", 1),
    ("feature", "featured", "Featured in {p}'s newsletter", 2),
    ("feature", "featuring", "{p} on our blog", 3),
    ("client_meeting", "co_organiser", "Joint meeting with a shared client", None),
    ("seminar", "speaker", "Workshop at {p}'s customer day", 0),
]


def _initiatives(owner: User, partners: list[Partner], rng: random.Random) -> dict[str, int]:
    """Topics, and joint initiatives with the demo's partners, each with the people it
    brought in — drawn from the contacts of the demo's deals, so some have won deals and the
    ranking shows something. A partner's "since" is moved back to its first alliance step,
    so that initiatives can be dated in the past (an initiative cannot predate its partners)."""
    from attract.partners import initiative_services as initiatives
    from attract.partners.models import InitiativePerson
    from attract.people.models import Person

    if not partners:
        return {"initiatives": 0}
    today = timezone.localdate()
    for partner in partners:
        first = partner.steps.order_by("reached_on").first()
        if first is not None:
            since = timezone.now() - timedelta(days=(today - first.reached_on).days)
            Partner.all_objects.filter(pk=partner.pk).update(created_at=since)
            partner.created_at = since
    topics = [
        initiatives.topic_create(actor=owner, name=name, notes=notes) for name, notes in TOPICS
    ]
    for topic, (title, where) in zip(topics, ARTICLES, strict=False):
        initiatives.article_add(
            actor=owner, topic=topic, title=title, where=where,
            published_on=today - timedelta(days=rng.randint(10, 200)),
        )  # fmt: skip
    taken = InitiativePerson.objects.values("person_id")
    people = list(
        Person.objects.filter(is_private=False, deals__isnull=False)
        .exclude(pk__in=taken)
        .distinct()
        .order_by("pk")[:60]
    )
    rng.shuffle(people)
    made = 0
    for n, (kind, role, title, topic_index) in enumerate(INITIATIVES):
        partner = partners[n % len(partners)]
        chosen = [partner] + ([partners[(n + 1) % len(partners)]] if n % 3 == 0 else [])
        since = max(timezone.localdate(p.created_at) for p in chosen)
        span = max((today - since).days, 0)
        initiative = initiatives.initiative_create(
            actor=owner, partners=chosen, kind=kind, our_role=role,
            title=title.format(p=partner), held_on=since + timedelta(days=rng.randint(0, span)),
            topic=topics[topic_index] if topic_index is not None else None,
            audience=rng.choice([12, 25, 40, 80, 300, 1200]),
        )  # fmt: skip
        for _ in range(rng.randint(0, 4)):
            if people:
                initiatives.initiative_add_person(
                    actor=owner, initiative=initiative, person=people.pop()
                )
        made += 1
    return {"initiatives": made, "topics": len(topics)}


def _challenge(owner: User, rng: random.Random) -> dict[str, int]:
    """The owner's challenge in progress: started six days ago, four days met (one missed)."""
    from attract.partners.challenge import local_today
    from attract.partners.models import Challenge, ChallengeMeeting
    from attract.people.models import Person

    if Challenge.objects.filter(user=owner).exists():
        return {"challenge days met": 0}
    today = local_today(owner)
    challenge = Challenge.objects.create(
        user=owner, started_on=today - timedelta(days=6), created_by=owner, updated_by=owner
    )
    people = list(Person.objects.filter(is_private=False).order_by("pk")[:40])
    met = 0
    for offset, person in zip(
        [0, 1, 2, 4, 5], rng.sample(people, min(5, len(people))), strict=False
    ):
        ChallengeMeeting.objects.create(
            challenge=challenge, day=challenge.started_on + timedelta(days=offset), person=person,
            note=rng.choice(["Coffee after the chamber breakfast", "Call about a joint seminar",
                             "Met at the trade fair"]),
            created_by=owner, updated_by=owner,
        )  # fmt: skip
        met += 1
    return {"challenge days met": met}
