"""Sample deals for `attract demo`: spread over the five stages with a believable past —
forward and backward moves, wins, losses, referrals out and long maybes — the same every time
for the same seed.

Deals go through the real services (so gates, quotes, customers and history behave as in
use), then their moves and dates are set back in time along a plausible timeline.
"""

from __future__ import annotations

import random
from collections import defaultdict
from collections.abc import Sequence
from datetime import timedelta
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from attract.accounts.models import User
from attract.core.permissions import can_write
from attract.people.models import Company, Person, Relationship
from attract.pipeline import services
from attract.pipeline.models import STAGE_ORDER, Deal, Outcome, Quote, Source, StageMove
from attract.pipeline.stage_times import stage_move_times_fill

OFFERS = [
    "Website redesign", "Bookkeeping retainer", "Staff training day", "Annual maintenance",
    "Brand workshop", "Coaching programme", "Office fit-out", "IT support contract",
    "Product photo shoot", "Event catering", "Accessibility audit", "Newsletter relaunch",
]  # fmt: skip
PAINS = [
    "“We lose a day every week chasing unpaid invoices.”",
    "“Our customers can't find us online; the phone stopped ringing.”",
    "“New staff take months before they can work alone.”",
    "“Every time the server goes down, the shop stops.”",
    "“We look cheaper than we are, so we attract bargain hunters.”",
    "“I work evenings on paperwork instead of being with my kids.”",
    "“Our best people leave after a year and nobody knows why.”",
    "“Orders get lost between the morning and the evening shift.”",
]
LOST_REASONS = [
    "Chose a cheaper offer.",
    "Budget moved to next year.",
    "The decision maker left the company.",
    "They decided to do it in-house.",
    "No answer after three follow-ups.",
]
NOTES = ["Met at their office.", "Call went well.", "They asked for references.", ""]
TAGS = ["warm", "vip", "referral", "local"]


def _path(rng: random.Random, furthest: int) -> list[int]:
    """Stage indexes visited, from Attention to `furthest`, sometimes with a step back."""
    path = list(range(furthest + 1))
    if furthest >= 2 and rng.random() < 0.3:
        at = rng.randrange(2, furthest + 1)
        path = path[: at + 1] + [at - 1] + path[at:]
    return path


def _fate(rng: random.Random) -> tuple[str, int]:
    outcome = rng.choices(
        [Outcome.OPEN, Outcome.WON, Outcome.LOST, Outcome.REFERRED_OUT], [45, 25, 24, 6]
    )[0]
    if outcome == Outcome.WON:
        return outcome, rng.choice([3, 4, 4, 4, 4])
    if outcome == Outcome.LOST:
        return outcome, rng.choice([0, 0, 1, 1, 2, 3, 4])
    if outcome == Outcome.REFERRED_OUT:
        return outcome, rng.choice([0, 1])
    return outcome, rng.randrange(5)


def _amounts(rng: random.Random) -> tuple[Decimal, Decimal]:
    revenue = Decimal(rng.randrange(8, 400) * 50)
    share = rng.uniform(1.05, 1.3) if rng.random() < 0.05 else rng.uniform(0.2, 0.8)
    return revenue, (revenue * Decimal(str(round(share, 2)))).quantize(Decimal("1"))


@transaction.atomic
def pipeline_demo_create(
    *, owner: User, seed: int, users: Sequence[User] | None = None, deals: int = 60
) -> dict[str, int]:
    rng = random.Random(seed * 7919 + 3)
    writers = [u for u in (users or [owner]) if can_write(u)] or [owner]
    companies = list(Company.objects.filter(is_private=False).order_by("pk")[:300])
    contacts: dict[int, list[Person]] = defaultdict(list)
    for person in Person.objects.filter(company__in=companies, is_private=False).order_by("pk"):
        contacts[person.company_id].append(person)
    # Wins go to companies that already buy from us (repeat business), so the sample's
    # companies keep the relationships the people demo gave them.
    customers = [c for c in companies if c.relationship == Relationship.CUSTOMER] or companies
    now = timezone.now()
    made = 0
    for _ in range(deals):
        actor = rng.choice(writers)
        outcome, furthest = _fate(rng)
        pool = customers if outcome == Outcome.WON else companies
        company = rng.choice(pool) if pool else None
        people = contacts.get(company.pk, []) if company else []
        path = _path(rng, furthest)
        revenue, cost = _amounts(rng)
        # A "no" tends to come faster than a "yes"; closes are spread over the past months.
        stalled = outcome == Outcome.OPEN and rng.random() < 0.35
        if outcome == Outcome.OPEN:
            end = now - timedelta(days=rng.randrange(40, 90) if stalled else rng.randrange(0, 12))
        else:
            end = now - timedelta(days=rng.randrange(1, 240), hours=rng.randrange(24))
        span_days = {
            Outcome.OPEN: (10, 200),
            Outcome.WON: (20, 150),
            Outcome.LOST: (5, 60),
            Outcome.REFERRED_OUT: (2, 20),
        }[outcome]
        start = end - timedelta(days=rng.randrange(*span_days) + len(path))
        deal = services.deal_create(
            actor=actor,
            title=f"{rng.choice(OFFERS)} for {company.name if company else 'a walk-in'}"[:200],
            company=company,
            contact=rng.choice(people) if people else None,
            owner=actor,
            pain=rng.choice(PAINS) if furthest >= 1 or rng.random() < 0.5 else "",
            revenue=revenue,
            cost=cost,
            expected_close_date=(now + timedelta(days=rng.randrange(-15, 150))).date(),
            source=rng.choice(Source.values),
            conviction_problem_acknowledged=furthest >= 3 or rng.random() < 0.3,
            conviction_we_are_the_ones=furthest >= 3,
            tags=rng.sample(TAGS, rng.randrange(0, 2)),
        )
        for target in path[1:]:
            if STAGE_ORDER[target] == "action" and not deal.quotes.exists():
                quote = services.quote_create(actor=actor, deal=deal, amount=revenue)
                services.quote_send(actor=actor, quote=quote)
            deal = services.deal_move_to_stage(
                actor=actor, deal=deal, stage=STAGE_ORDER[target], note=rng.choice(NOTES)
            )
        if outcome == Outcome.WON:
            deal = services.deal_win(actor=actor, deal=deal)
        elif outcome == Outcome.LOST:
            deal = services.deal_lose(actor=actor, deal=deal, reason=rng.choice(LOST_REASONS))
        elif outcome == Outcome.REFERRED_OUT:
            deal = services.deal_refer_out(
                actor=actor, deal=deal, note="Better served by a partner."
            )
        _set_back_in_time(deal, rng, start=start, end=end, closed=outcome != Outcome.OPEN)
        made += 1
    return {"deals": made}


def _set_back_in_time(deal: Deal, rng: random.Random, *, start, end, closed: bool) -> None:
    """Spread the deal's moves between `start` and `end`; a closed deal closes at `end`."""
    moves = list(deal.moves.order_by("id"))
    last_move_at = end - timedelta(days=rng.randrange(1, 10)) if closed else end
    if not closed and len(moves) == 1:
        start = last_move_at  # still in its first stage: it came in then
    span = max((last_move_at - start).total_seconds(), 1)
    offsets = sorted(rng.uniform(0, span) for _ in moves[1:])
    times = [start] + [start + timedelta(seconds=s) for s in offsets]
    if not closed:
        # An open deal entered its stage at `end`: long ago for the stalled ones (the long
        # maybes), lately for the others.
        times[-1] = last_move_at
    for move, moved_at in zip(moves, times, strict=True):
        move.moved_at = moved_at
    StageMove.objects.bulk_update(moves, ["moved_at"])
    stage_move_times_fill(deal_ids=[deal.pk])
    Quote.objects.filter(deal=deal).update(
        created_at=times[-1] - timedelta(days=3), sent_on=(times[-1] - timedelta(days=2)).date()
    )
    fields = {"created_at": start, "stage_entered_at": times[-1]}
    if closed:
        fields["closed_at"] = end
        fields["expected_close_date"] = end.date()
    Deal.all_objects.filter(pk=deal.pk).update(**fields)
