"""`attract demo`'s events, offers, visits and ideas: a workshop held last month and a
preview to come, offers some customers took, visits with what we learned, and the ideas they
gave us (linked to them)."""

from __future__ import annotations

import random
from collections.abc import Sequence
from datetime import timedelta

from attract.accounts.models import User
from attract.aftercare import customer_love_services as love
from attract.people.models import Company


def customer_love_demo_create(
    *, owner: User, customers: Sequence[Company], rng: random.Random, today
) -> dict[str, int]:
    if len(customers) < 8:
        return {}
    picked = rng.sample(list(customers), 8)
    workshop = love.event_create(
        actor=owner, title="Getting the most from your order", kind="workshop",
        held_on=today - timedelta(days=30),
        what_they_learned="Three shortcuts most customers did not know.",
        what_followed="Two asked for a follow-up session.",
    )  # fmt: skip
    for index, company in enumerate(picked[:6]):
        guest = love.event_invite(actor=owner, event=workshop, company=company)
        love.event_attendance(actor=owner, guest=guest, came=index % 3 != 2)
    preview = love.event_create(actor=owner, title="Preview of next season's range",
                                kind="preview", held_on=today + timedelta(days=21))  # fmt: skip
    for company in picked[4:8]:
        love.event_invite(actor=owner, event=preview, company=company)
    offers = 0
    for index, company in enumerate(picked[:5]):
        offer = love.offer_make(actor=owner, company=company, kind="service",
                                what="Maintenance plan", offered_on=today - timedelta(days=20))  # fmt: skip
        offers += 1
        if index < 3:
            love.offer_answer(actor=owner, offer=offer, outcome="taken" if index < 2 else "declined",
                              answered_on=today - timedelta(days=12))  # fmt: skip
    visit = love.visit_record(
        actor=owner, company=picked[0], visited_on=today - timedelta(days=9),
        what_we_watched="their team unpacking and setting up an order",
        what_we_learned="They re-label every box by hand: our labels name the product, "
        "not the room it goes to.",
    )  # fmt: skip
    love.visit_record(actor=owner, company=picked[1], visited_on=today - timedelta(days=40),
                      what_we_watched="a busy Saturday")  # fmt: skip
    love.idea_create(actor=owner, title="Labels by room", status="considering", visit=visit,
                     companies=[picked[2]])  # fmt: skip
    love.idea_create(actor=owner, title="A Saturday delivery slot", companies=[picked[1]])
    return {"customer events": 2, "offers": offers, "visits": 2, "ideas": 2}
