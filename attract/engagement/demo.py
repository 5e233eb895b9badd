"""Sample interactions and tasks for `attract demo`: a believable rhythm, so the honest review
shows a mix — some prospects call us and answer within hours (Pull), others only ever hear
from us, or answer a week later (Push) — plus messages awaiting our reply, answered ones that
give response times, conversations and thank-you letters that count toward the goals, and
tasks, some overdue. The same every time for the same seed.

Rows are written in bulk with the values the service would compute (reply delays, stopped
clocks), because a demo of hundreds of deals should load in a second.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from datetime import datetime, timedelta

from django.utils import timezone

from attract.accounts.models import User
from attract.core.permissions import can_write
from attract.engagement.models import Channel, Direction, Interaction, Task
from attract.engagement.pushpull import refresh_deal_signals
from attract.engagement.responses import refresh_all_response_days
from attract.people.models import Company, Relationship
from attract.pipeline.models import Deal, Outcome

INBOUND_TOPICS = [
    "Asked about pricing for the larger package", "Wants to know if we can start next month",
    "Sent their floor plan and asked for ideas", "Asked for a reference they can call",
    "Rang to ask how the pilot went elsewhere", "Asked whether we also cover the weekend",
]  # fmt: skip
OUTBOUND_TOPICS = [
    "Sent the case study we talked about", "Followed up on the proposal",
    "Shared an article about their industry", "Invited them to our open day",
    "Checked in after the trade fair", "Sent a short summary of our call",
]  # fmt: skip
REPLY_TOPICS = [
    "Thanked us and asked for a meeting", "Said they will discuss it with their partner",
    "Replied with their questions on the contract", "Confirmed they read the case study",
]  # fmt: skip
OUTCOMES = ["Meeting booked", "Waiting for their budget", "Sent a quote", "", "", ""]
TASKS = [
    "Call back about the pricing question", "Send the reference list",
    "Prepare the workshop outline", "Ask for the decision date",
    "Send a thank-you card", "Book the site visit",
]  # fmt: skip
CHANNELS = [Channel.CALL, Channel.EMAIL, Channel.EMAIL, Channel.MEETING, Channel.MESSAGE]


def _row(deal: Deal, author: User, direction: str, when: datetime, rng: random.Random, **extra):
    topics = {
        Direction.THEY_REACHED_OUT: INBOUND_TOPICS,
        Direction.WE_REACHED_OUT: OUTBOUND_TOPICS,
        Direction.WE_REPLIED: OUTBOUND_TOPICS,
        Direction.THEY_REPLIED: REPLY_TOPICS,
    }[direction]
    return Interaction(
        channel=rng.choice(CHANNELS),
        direction=direction,
        person=deal.contact,
        company=deal.company,
        deal=deal,
        occurred_at=when,
        summary=rng.choice(topics),
        outcome=rng.choice(OUTCOMES),
        created_by=author,
        updated_by=author,
        **extra,
    )


def _pull_story(deal, author, rng, now) -> list[Interaction]:
    """They come to us: a recent call from them, or quick answers to what we send."""
    rows = []
    asked = now - timedelta(days=rng.randint(5, 25), hours=rng.randint(0, 8))
    rows.append(_row(deal, author, Direction.WE_REACHED_OUT, asked, rng))
    delay = timedelta(hours=rng.randint(1, 40))
    rows.append(_row(deal, author, Direction.THEY_REPLIED, asked + delay, rng, reply_after=delay))
    if rng.random() < 0.6:
        called = now - timedelta(days=rng.randint(0, 4), hours=rng.randint(1, 6))
        answered = rng.random() < 0.7
        reply_at = called + timedelta(hours=rng.choice([1, 2, 3, 5, 9, 20]))
        answered = answered and reply_at < now
        rows.append(
            _row(deal, author, Direction.THEY_REACHED_OUT, called, rng, needs_reply=True,
                 answered_at=reply_at if answered else None,
                 answered_by=author if answered else None)
        )  # fmt: skip
        if answered:
            rows.append(_row(deal, author, Direction.WE_REPLIED, reply_at, rng))
    return rows


def _push_story(deal, author, rng, now) -> list[Interaction]:
    """Only we are pushing: follow-ups with silence, a late answer, or interest long gone."""
    rows = []
    for _ in range(rng.randint(2, 4)):
        rows.append(_row(deal, author, Direction.WE_REACHED_OUT,
                         now - timedelta(days=rng.randint(1, 40), hours=rng.randint(0, 9)), rng))  # fmt: skip
    if rng.random() < 0.4:
        asked = now - timedelta(days=rng.randint(12, 28))
        delay = timedelta(days=rng.randint(4, 9))
        rows.append(_row(deal, author, Direction.WE_REACHED_OUT, asked, rng))
        rows.append(_row(deal, author, Direction.THEY_REPLIED, asked + delay, rng,
                         reply_after=delay))  # fmt: skip
    if rng.random() < 0.3:
        rows.append(_row(deal, author, Direction.THEY_REACHED_OUT,
                         now - timedelta(days=rng.randint(45, 90)), rng))  # fmt: skip
    return rows


def engagement_demo_create(*, owner: User, seed: int, users: Sequence[User]) -> dict[str, int]:
    rng = random.Random(seed * 7919 + 4)
    now = timezone.now()
    writers = [u for u in users if can_write(u)] or [owner]
    rows: list[Interaction] = []
    deals = list(
        Deal.objects.filter(outcome=Outcome.OPEN)
        .select_related("contact", "company", "owner")
        .order_by("pk")
    )
    for deal in deals:
        if deal.contact_id is None and deal.company_id is None:
            continue
        author = deal.owner if deal.owner in writers else owner
        story = _pull_story if rng.random() < 0.4 else _push_story
        rows.extend(story(deal, author, rng, now))
    # A few fresh messages still wait for our answer, so Today has something to do.
    for deal in [d for d in deals if d.contact_id][:3]:
        author = deal.owner if deal.owner in writers else owner
        waiting_since = now - timedelta(hours=rng.randint(1, 30))
        rows.append(_row(deal, author, Direction.THEY_REACHED_OUT, waiting_since, rng,
                         needs_reply=True))  # fmt: skip
    # Thank-you letters asking for referrals, to customers of before.
    customers = list(
        Company.objects.filter(relationship__in=[Relationship.CUSTOMER,
                                                 Relationship.FORMER_CUSTOMER]).order_by("pk")[:12]
    )  # fmt: skip
    for company in customers:
        author = rng.choice(writers)
        rows.append(
            Interaction(channel=Channel.LETTER, direction=Direction.WE_REACHED_OUT, company=company,
                        occurred_at=now - timedelta(days=rng.randint(0, 20), hours=rng.randint(1, 8)),
                        summary="Thank-you letter, asking who else might benefit",
                        created_by=author, updated_by=author)
        )  # fmt: skip
    rows = [r for r in rows if r.occurred_at <= now]
    Interaction.objects.bulk_create(rows, batch_size=500)
    # A bulk insert sends no signals: the stored pull of the deals is refreshed here.
    refresh_deal_signals({r.deal_id for r in rows})
    refresh_all_response_days()
    tasks = []
    for index, deal in enumerate(deals[:40]):
        assignee = deal.owner if deal.owner in writers else owner
        due = now + timedelta(days=rng.randint(-3, 7), hours=rng.randint(-4, 4))
        tasks.append(
            Task(title=TASKS[index % len(TASKS)], due_at=due, deal=deal, assignee=assignee,
                 created_by=assignee, updated_by=assignee,
                 done_at=now - timedelta(hours=2) if due < now and rng.random() < 0.4 else None)
        )  # fmt: skip
    Task.objects.bulk_create(tasks)
    return {"interactions": len(rows), "tasks": len(tasks)}
