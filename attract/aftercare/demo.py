"""Sample departures, exit surveys, repeat buyers and testimonials for `attract demo`: some
customers bought again (earlier orders), some left with a realistic mix of reasons (our
guess, and for a few the customer's own answer), a few survey links wait unanswered, and
happy customers gave testimonials with different consents and one case study."""

from __future__ import annotations

import io
import random
from collections.abc import Sequence
from datetime import datetime, time, timedelta
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image, ImageDraw

from attract.accounts.models import User
from attract.aftercare import testimonial_services as praise
from attract.aftercare.departure_services import departure_record, first_purchase_on
from attract.aftercare.models import Departure
from attract.aftercare.purchase_summary import recount_all
from attract.aftercare.survey_services import survey_answer, survey_link_create
from attract.people.models import Company, Relationship
from attract.pipeline.models import Deal, Outcome, Stage

# Weighted a little away from the published mix, as a real business's would be.
REASONS = ["indifference"] * 5 + ["product_price"] * 2 + ["competitor", "moved", "friend"]
NOTES = {
    "indifference": "We had not called them in months.",
    "product_price": "Found a cheaper supplier.",
    "competitor": "A competitor's rep visited every week.",
    "moved": "Moved their office to another region.",
    "friend": "Their brother-in-law started the same business.",
}
WORDS = [
    "They answer the phone on the first ring and remember what we asked last time.",
    "Our orders arrive a day early, every time. We have stopped checking.",
    "The only supplier who calls to ask how things went, not to sell.",
]


def _picture() -> SimpleUploadedFile:
    image = Image.new("RGB", (900, 600), (233, 240, 236))
    draw = ImageDraw.Draw(image)
    draw.ellipse((330, 140, 570, 380), fill=(47, 111, 89))
    draw.rectangle((250, 400, 650, 600), fill=(47, 111, 89))
    out = io.BytesIO()
    image.save(out, "JPEG", quality=90)
    return SimpleUploadedFile("customer.jpg", out.getvalue(), content_type="image/jpeg")


def _earlier_order(company: Company, owner: User, days_ago: int, rng: random.Random) -> None:
    closed = timezone.make_aware(
        datetime.combine(timezone.localdate() - timedelta(days=days_ago), time(11))
    )
    revenue = Decimal(rng.randrange(800, 9_000, 50))
    Deal.objects.create(
        title=f"Order for {company.name}", company=company, owner=owner, revenue=revenue,
        cost=(revenue * Decimal("0.55")).quantize(Decimal("1")), stage=Stage.ACTION,
        outcome=Outcome.WON, closed_at=closed, stage_entered_at=closed,
    )  # fmt: skip


def aftercare_demo_create(*, owner: User, seed: int, users: Sequence[User] = ()) -> dict[str, int]:
    rng = random.Random(seed + 17)
    if Departure.objects.exists():
        return {}
    customers = list(
        Company.objects.filter(relationship=Relationship.CUSTOMER, is_private=False)
        .filter(deals__outcome=Outcome.WON)
        .distinct()
        .order_by("pk")[:24]
    )
    # Repeat buyers: an earlier order or two for a third of the customers.
    for company in customers[::3]:
        for _ in range(rng.randint(1, 2)):
            _earlier_order(company, owner, rng.randint(200, 700), rng)
    today = timezone.localdate()
    departures = []
    for n, company in enumerate(customers[1::2][:10]):
        first = first_purchase_on(company)
        if first is None:
            continue
        # After their first purchase and after they last became a customer (a departure
        # dated before that is refused, as it would be for a user).
        first = max(first, company.customer_since or first)
        if first >= today:
            continue
        span = (today - first).days
        reason = REASONS[n % len(REASONS)]
        departures.append(
            departure_record(
                actor=owner,
                company=company,
                departed_on=first + timedelta(days=rng.randint(span // 2, span)),
                reason=reason,
                note=NOTES[reason],
                contact=company.persons.order_by("pk").first(),
            )
        )
    answers = [("indifference", "Call now and then, even when we are not buying.", "maybe", True),
               ("indifference", "", "yes", True),
               ("product_price", "Tell us about the cheaper range before we ask.", "no", False)]  # fmt: skip
    for departure, (reason, words, back, contact) in zip(departures, answers, strict=False):
        _, raw = survey_link_create(actor=owner, departure=departure)
        survey_answer(raw=raw, reason=reason, could_have_done=words, would_return=back,
                      may_contact=contact)  # fmt: skip
    for departure in departures[3:5]:
        survey_link_create(actor=owner, departure=departure)  # sent, not answered yet
    happy = [c for c in customers[::3] if c.persons.exists()][:3]
    consents = ["full", "first_name", "none"]
    testimonials = 0
    for company, words, consent in zip(happy, WORDS, consents, strict=False):
        praise.testimonial_create(
            actor=owner, company=company, person=company.persons.order_by("pk").first(),
            words=words, consent=consent, said_on=today - timedelta(days=rng.randint(5, 90)),
        )  # fmt: skip
        testimonials += 1
    if happy:
        company = happy[0]
        case = praise.case_study_create(
            actor=owner, company=company, person=company.persons.order_by("pk").first(),
            title=f"How {company.name} stopped running out of stock",
            pain="“Every Friday we found the shelves empty and lost the weekend's sales.”",
            what_we_did="A standing weekly delivery, and a call every Thursday to adjust it.",
            result="No empty shelf in 26 weeks; weekend sales up 18%.",
            consent="full", image=_picture(),
        )  # fmt: skip
        praise.case_study_publish(actor=owner, case=case)
    if len(customers) > 4:
        praise.testimonial_request(actor=owner, company=customers[4])
    # The demo dates its deals with queryset updates, past the receivers: count what every
    # customer bought, as after an import.
    recount_all()
    return {"departures": len(departures), "testimonials": testimonials}
