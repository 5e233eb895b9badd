"""Writes of events, offers, visits and ideas (models/customer_love.py).

Each touch with a customer is logged on their timeline as an interaction, by whoever made
it: an invitation and an attendance, an offer and its answer, a visit. Moving a record to the
trash keeps those interactions as logged (they happened); restoring brings the record back.
Every edit is made against the version the user saw."""

from __future__ import annotations

from datetime import date, datetime, time
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from attract.accounts.models import User
from attract.aftercare.models import (
    CustomerEvent,
    EventGuest,
    EventKind,
    Idea,
    IdeaStatus,
    Offer,
    OfferKind,
    OfferOutcome,
    Visit,
)
from attract.core.permissions import can_view_record, can_write
from attract.core.record_writes import fields_apply, record_save
from attract.core.versions import lock_for_edit, next_version
from attract.engagement.models import Channel, Direction, Interaction
from attract.engagement.services import interaction_log
from attract.people.models import Company, Person

EVENT_FIELDS = ("title", "kind", "held_on", "what_they_learned", "what_followed")
OFFER_FIELDS = ("kind", "what", "terms", "offered_on")
VISIT_FIELDS = ("visited_on", "what_we_watched", "what_we_learned")
IDEA_FIELDS = ("title", "description", "status", "visit")


def _require_write(actor: User) -> None:
    if not can_write(actor):
        raise PermissionDenied("Your role can read but not change records.")


def _one_customer(actor: User, company: Company | None, person: Person | None):
    _require_write(actor)
    if (company is None) == (person is None):
        raise ValidationError({"company": "Name the company or the person (one of the two)."})
    customer = company or person
    if not can_view_record(actor, customer):
        raise PermissionDenied("You may not see this customer.")
    if customer.in_trash:
        raise ValidationError({"company": f"{customer} is in the trash; restore it first."})
    return customer


def _not_future(value: date | None, field: str, what: str) -> None:
    if isinstance(value, date) and value > timezone.localdate():
        raise ValidationError({field: f"{what} cannot be dated in the future."})


def _at(day: date) -> datetime:
    """A day's touch, logged at noon of that day (today's: now)."""
    if day >= timezone.localdate():
        return timezone.now()
    return timezone.make_aware(datetime.combine(day, time(12)))


def _log(actor: User, customer, *, summary: str, channel: str, direction: str = "",
         day: date | None = None) -> Interaction:  # fmt: skip
    return interaction_log(
        actor=actor,
        channel=channel,
        direction=direction or Direction.WE_REACHED_OUT,
        summary=summary[:500],
        occurred_at=_at(day) if day else None,
        **({"company": customer} if isinstance(customer, Company) else {"person": customer}),
    )


def _trash(record: Any, actor: User, *, restore: bool) -> None:
    _require_write(actor)
    if not can_view_record(actor, record):
        raise PermissionDenied("You may not see this record.")
    record.deleted_at = None if restore else timezone.now()
    record.deleted_by = None if restore else actor
    record_save(
        record, actor, creating=False, reason="Restored" if restore else "Moved to the trash"
    )


def _editable(record: Any, actor: User, expected_version: int | None) -> None:
    _require_write(actor)
    if not can_view_record(actor, record):
        raise PermissionDenied("You may not see this record.")
    lock_for_edit(record, expected_version)
    if record.in_trash:
        raise ValidationError("It is in the trash; restore it first.")


# --- Events ---------------------------------------------------------------------------------


def _check_event(event: CustomerEvent) -> None:
    errors = {}
    if not event.title:
        errors["title"] = "Name the event (a workshop on..., our tenth birthday...)."
    if event.kind not in EventKind.values:
        errors["kind"] = f"Choose one of: {', '.join(EventKind.values)}."
    if not isinstance(event.held_on, date):
        errors["held_on"] = "Say on which day it is held."
    if errors:
        raise ValidationError(errors)


def event_create(*, actor: User, title: str, held_on: date | None, **fields: Any) -> CustomerEvent:
    _require_write(actor)
    event = CustomerEvent(title=(title or "").strip(), held_on=held_on)
    fields_apply(event, fields, EVENT_FIELDS)
    _check_event(event)
    record_save(event, actor, creating=True)
    return event


@transaction.atomic
def event_update(
    *, actor: User, event: CustomerEvent, expected_version: int | None = None, **fields: Any
) -> CustomerEvent:
    _editable(event, actor, expected_version)
    fields_apply(event, fields, EVENT_FIELDS)
    _check_event(event)
    next_version(event)
    record_save(event, actor, creating=False)
    return event


def event_trash(*, actor: User, event: CustomerEvent) -> None:
    _trash(event, actor, restore=False)


def event_restore(*, actor: User, event: CustomerEvent) -> None:
    _trash(event, actor, restore=True)


@transaction.atomic
def event_invite(
    *, actor: User, event: CustomerEvent, company: Company | None = None,
    person: Person | None = None,
) -> EventGuest:  # fmt: skip
    """Invite a customer: the invitation is logged on their timeline."""
    customer = _one_customer(actor, company, person)
    if event.in_trash:
        raise ValidationError("This event is in the trash; restore it first.")
    key = {"company": customer} if isinstance(customer, Company) else {"person": customer}
    if EventGuest.objects.filter(event=event, **key).exists():
        raise ValidationError(f"{customer} is already invited to “{event}”.")
    guest = EventGuest(event=event, **key)
    record_save(guest, actor, creating=True, reason="Invited")
    _log(actor, customer, channel=Channel.EVENT,
         summary=f"Invited to “{event.title}” ({event.get_kind_display().lower()}, "
                 f"{event.held_on:%-d %b %Y})")  # fmt: skip
    return guest


@transaction.atomic
def event_attendance(*, actor: User, guest: EventGuest, came: bool) -> EventGuest:
    """Record whether a guest came (once the day has come); their coming is logged on their
    timeline as a touch on the event's day."""
    _require_write(actor)
    if not can_view_record(actor, guest.customer):
        raise PermissionDenied("You may not see this customer.")
    event = guest.event
    if event.held_on > timezone.localdate():
        raise ValidationError({"came": "Record who came on or after the day of the event."})
    guest = EventGuest.objects.select_for_update().get(pk=guest.pk)
    first_time_came = came and guest.came is not True
    guest.came = came
    next_version(guest)
    record_save(guest, actor, creating=False, reason="Came" if came else "Did not come")
    if first_time_came:
        _log(actor, guest.customer, channel=Channel.EVENT, day=event.held_on,
             summary=f"Came to “{event.title}”")  # fmt: skip
    return guest


# --- Offers ---------------------------------------------------------------------------------


def _check_offer(offer: Offer) -> None:
    errors = {}
    if not offer.what:
        errors["what"] = "Say what we offered."
    if offer.kind not in OfferKind.values:
        errors["kind"] = f"Choose one of: {', '.join(OfferKind.values)}."
    if not isinstance(offer.offered_on, date):
        errors["offered_on"] = "Say on which day it was offered."
    if errors:
        raise ValidationError(errors)
    _not_future(offer.offered_on, "offered_on", "An offer made")


@transaction.atomic
def offer_make(
    *, actor: User, company: Company | None = None, person: Person | None = None, what: str,
    channel: str = Channel.EMAIL, **fields: Any,
) -> Offer:  # fmt: skip
    """Offer something new to an existing customer; the offer is logged on their timeline."""
    customer = _one_customer(actor, company, person)
    if channel not in Channel.values:
        raise ValidationError({"channel": f"Choose one of: {', '.join(Channel.values)}."})
    fields.setdefault("offered_on", timezone.localdate())
    offer = Offer(company=company, person=person, what=(what or "").strip())
    fields_apply(offer, fields, OFFER_FIELDS)
    _check_offer(offer)
    record_save(offer, actor, creating=True, reason="Offered")
    _log(actor, customer, channel=channel, day=offer.offered_on,
         summary=f"Offered {offer.get_kind_display().lower()}: {offer.what}")  # fmt: skip
    return offer


@transaction.atomic
def offer_update(
    *, actor: User, offer: Offer, expected_version: int | None = None, **fields: Any
) -> Offer:
    _editable(offer, actor, expected_version)
    fields_apply(offer, fields, OFFER_FIELDS)
    _check_offer(offer)
    next_version(offer)
    record_save(offer, actor, creating=False)
    return offer


@transaction.atomic
def offer_answer(
    *, actor: User, offer: Offer, outcome: str, answered_on: date | None = None,
    expected_version: int | None = None,
) -> Offer:  # fmt: skip
    """The customer took the offer or declined it: their answer is logged on their timeline."""
    _editable(offer, actor, expected_version)
    if outcome not in (OfferOutcome.TAKEN, OfferOutcome.DECLINED, OfferOutcome.OPEN):
        raise ValidationError({"outcome": "Choose taken, declined, or open."})
    answered_on = answered_on or timezone.localdate()
    _not_future(answered_on, "answered_on", "An answer")
    if outcome != OfferOutcome.OPEN and answered_on < offer.offered_on:
        raise ValidationError({"answered_on": "An answer comes on or after the day of the offer."})
    was = offer.outcome
    offer.outcome = outcome
    offer.answered_on = None if outcome == OfferOutcome.OPEN else answered_on
    next_version(offer)
    record_save(offer, actor, creating=False, reason=offer.get_outcome_display())
    if outcome != was and outcome != OfferOutcome.OPEN:
        verb = "Took" if outcome == OfferOutcome.TAKEN else "Declined"
        _log(actor, offer.customer, channel=Channel.MESSAGE, direction=Direction.THEY_REPLIED,
             day=answered_on, summary=f"{verb} our offer: {offer.what}")  # fmt: skip
    return offer


def offer_trash(*, actor: User, offer: Offer) -> None:
    _trash(offer, actor, restore=False)


def offer_restore(*, actor: User, offer: Offer) -> None:
    _trash(offer, actor, restore=True)


# --- Visits ---------------------------------------------------------------------------------


def _check_visit(visit: Visit) -> None:
    errors = {}
    if not visit.what_we_watched:
        errors["what_we_watched"] = "Say what we watched them do."
    if not isinstance(visit.visited_on, date):
        errors["visited_on"] = "Say on which day we visited."
    if errors:
        raise ValidationError(errors)
    _not_future(visit.visited_on, "visited_on", "A visit")


@transaction.atomic
def visit_record(
    *, actor: User, company: Company | None = None, person: Person | None = None,
    what_we_watched: str, **fields: Any,
) -> Visit:  # fmt: skip
    """We watched a customer use what we sell: the visit is logged on their timeline."""
    customer = _one_customer(actor, company, person)
    fields.setdefault("visited_on", timezone.localdate())
    visit = Visit(company=company, person=person, what_we_watched=(what_we_watched or "").strip())
    fields_apply(visit, fields, VISIT_FIELDS)
    _check_visit(visit)
    record_save(visit, actor, creating=True, reason="Visited")
    _log(actor, customer, channel=Channel.VISIT, day=visit.visited_on,
         summary=f"Visit: watched {visit.what_we_watched}")  # fmt: skip
    return visit


@transaction.atomic
def visit_update(
    *, actor: User, visit: Visit, expected_version: int | None = None, **fields: Any
) -> Visit:
    _editable(visit, actor, expected_version)
    fields_apply(visit, fields, VISIT_FIELDS)
    _check_visit(visit)
    next_version(visit)
    record_save(visit, actor, creating=False)
    return visit


def visit_trash(*, actor: User, visit: Visit) -> None:
    _trash(visit, actor, restore=False)


def visit_restore(*, actor: User, visit: Visit) -> None:
    _trash(visit, actor, restore=True)


# --- Ideas ----------------------------------------------------------------------------------


def _check_idea(idea: Idea, actor: User) -> None:
    errors = {}
    if not idea.title:
        errors["title"] = "Say what the idea is in a few words."
    if idea.status not in IdeaStatus.values:
        errors["status"] = f"Choose one of: {', '.join(IdeaStatus.values)}."
    if idea.visit_id is not None and (
        idea.visit.in_trash or not can_view_record(actor, idea.visit)
    ):
        errors["visit"] = "Choose a visit you can see."
    if errors:
        raise ValidationError(errors)


def _inspired_by(actor: User, companies, persons) -> tuple[list, list]:
    companies, persons = list(companies or []), list(persons or [])
    for customer in companies + persons:
        if not can_view_record(actor, customer):
            raise ValidationError({"companies": "Choose customers you can see."})
    return companies, persons


@transaction.atomic
def idea_create(*, actor: User, title: str, companies=(), persons=(), **fields: Any) -> Idea:
    """An idea for a new product or service, linked to the customers who inspired it (and,
    when it came from a visit, that visit's customer)."""
    _require_write(actor)
    companies, persons = _inspired_by(actor, companies, persons)
    idea = Idea(title=(title or "").strip())
    fields_apply(idea, fields, IDEA_FIELDS)
    _check_idea(idea, actor)
    record_save(idea, actor, creating=True)
    if idea.visit_id:
        (companies if idea.visit.company_id else persons).append(idea.visit.customer)
    idea.companies.add(*companies)
    idea.persons.add(*persons)
    return idea


@transaction.atomic
def idea_update(
    *, actor: User, idea: Idea, expected_version: int | None = None, **fields: Any
) -> Idea:
    _editable(idea, actor, expected_version)
    fields_apply(idea, fields, IDEA_FIELDS)
    _check_idea(idea, actor)
    next_version(idea)
    record_save(idea, actor, creating=False)
    return idea


@transaction.atomic
def idea_link(
    *, actor: User, idea: Idea, company: Company | None = None, person: Person | None = None,
    remove: bool = False,
) -> Idea:  # fmt: skip
    """Add (or take off) a customer who inspired the idea; the history says which."""
    customer = _one_customer(actor, company, person)
    if idea.in_trash:
        raise ValidationError("This idea is in the trash; restore it first.")
    links = idea.companies if isinstance(customer, Company) else idea.persons
    (links.remove if remove else links.add)(customer)
    next_version(idea)
    # The reason names no customer: a private one stays unnamed in the team's history.
    record_save(idea, actor, creating=False,
                reason="A customer unlinked" if remove else "A customer linked")  # fmt: skip
    return idea


def idea_trash(*, actor: User, idea: Idea) -> None:
    _trash(idea, actor, restore=False)


def idea_restore(*, actor: User, idea: Idea) -> None:
    _trash(idea, actor, restore=True)
