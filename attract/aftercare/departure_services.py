"""Every write to departures: marking a customer as departed, correcting it, and filling in
the customer's own answer from the exit survey.

A departure never deletes anything: the company stays, with the relationship "former
customer"; winning a deal with them again makes them a customer again (pipeline.services),
and each period they were a customer is kept (Departure.customer_since → departed_on).
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Min, Sum
from django.utils import timezone

from attract.accounts.models import User
from attract.aftercare.models import Departure, Reason, WouldReturn
from attract.core.permissions import can_change_record, can_view_record, can_write
from attract.core.record_writes import record_save
from attract.core.unindexed import Unindexed
from attract.core.versions import lock_for_edit, next_version
from attract.people.models import Company, Person, Relationship
from attract.people.services import company_update
from attract.pipeline.models import Deal, Outcome

EDITABLE = ("departed_on", "reason", "reason_other", "note", "contact")


def _require_change(actor: User, company: Company) -> None:
    if not can_write(actor):
        raise PermissionDenied("Your role can read but not change records.")
    if not can_change_record(actor, company):
        raise PermissionDenied("You may not change this company.")


def _day_start(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def first_purchase_on(company: Company) -> date | None:
    """The day the company first bought from us: its first won deal, or the day it became a
    customer when that is earlier (a customer imported without its deals)."""
    first = (
        Deal.objects.filter(company=company)
        .alias(outcome_as_is=Unindexed("outcome"))  # start from the company's few deals
        .filter(outcome_as_is=Outcome.WON)
        .aggregate(at=Min("closed_at"))["at"]
    )
    days = [d for d in (first and timezone.localdate(first), company.customer_since) if d]
    return min(days) if days else None


def yearly_value(company: Company, until: date) -> tuple[Decimal, Decimal]:
    """Revenue and profit of the deals won with the company in the year up to `until`."""
    totals = Deal.objects.filter(
        company=company,
        outcome=Outcome.WON,
        closed_at__gte=_day_start(until - timedelta(days=365)),
        closed_at__lt=_day_start(until + timedelta(days=1)),
    ).aggregate(revenue=Sum("revenue"), cost=Sum("cost"))
    revenue = totals["revenue"] or Decimal("0")
    return revenue, revenue - (totals["cost"] or Decimal("0"))


def _clean_reason(departure: Departure) -> None:
    errors = {}
    if departure.reason not in Reason.values:
        errors["reason"] = "Choose one of the reasons, or “Other” with a few words."
    departure.reason_other = (departure.reason_other or "").strip()
    departure.note = (departure.note or "").strip()
    if departure.reason == Reason.OTHER and not departure.reason_other:
        errors["reason_other"] = "Say in a few words why they left."
    if departure.reason != Reason.OTHER:
        departure.reason_other = ""
    if errors:
        raise ValidationError(errors)


def _check_date(departure: Departure, company: Company, *, previous: Departure | None) -> None:
    day = departure.departed_on
    if not isinstance(day, date):
        raise ValidationError({"departed_on": "Give the date they left."})
    if day > timezone.localdate():
        raise ValidationError({"departed_on": "A departure cannot be dated in the future."})
    first = first_purchase_on(company)
    if first is None:
        raise ValidationError(
            {"departed_on": f"{company.name} has never bought from us: there is nothing to leave."}
        )
    if day < first:
        raise ValidationError(
            {"departed_on": f"This is before their first purchase ({first:%-d %b %Y})."}
        )
    if departure.customer_since and day < departure.customer_since:
        raise ValidationError(
            {
                "departed_on": "This is before they became a customer again "
                f"({departure.customer_since:%-d %b %Y})."
            }
        )
    if previous is not None and day <= previous.departed_on:
        raise ValidationError(
            {"departed_on": f"They already left once on {previous.departed_on:%-d %b %Y}."}
        )


def _check_contact(actor: User, contact: Person | None) -> None:
    if contact is not None and (contact.in_trash or not can_view_record(actor, contact)):
        raise ValidationError({"contact": "Choose a person you can see."})


@transaction.atomic
def departure_record(
    *,
    actor: User,
    company: Company,
    departed_on: date,
    reason: str,
    reason_other: str = "",
    note: str = "",
    contact: Person | None = None,
) -> Departure:
    """Mark a customer as departed: the company becomes a former customer from that day,
    with our guess of the reason and what they were worth in their last year."""
    _require_change(actor, company)
    company = Company.all_objects.select_for_update().get(pk=company.pk)
    if company.in_trash:
        raise ValidationError("This company is in the trash; restore it first.")
    previous = company.departures.order_by("-departed_on", "-id").first()
    if company.relationship == Relationship.FORMER_CUSTOMER:
        when = f" on {previous.departed_on:%-d %b %Y}" if previous else ""
        raise ValidationError(f"{company.name} is already a former customer (they left{when}).")
    if company.relationship != Relationship.CUSTOMER:
        raise ValidationError(
            f"{company.name} is a {company.get_relationship_display().lower()}, not a customer: "
            "only a customer can leave."
        )
    _check_contact(actor, contact)
    departure = Departure(
        company=company,
        contact=contact,
        departed_on=departed_on,
        reason=reason,
        reason_other=reason_other or "",
        note=note or "",
        customer_since=company.customer_since,
        company_alive=company.deleted_at is None,
        company_private=company.is_private,
        company_owner_id=company.owner_id,
    )
    _clean_reason(departure)
    _check_date(departure, company, previous=previous)
    if departure.customer_since is None:
        departure.customer_since = first_purchase_on(company)
    revenue, profit = yearly_value(company, departure.departed_on)
    departure.lost_yearly_revenue, departure.lost_yearly_profit = revenue, profit
    record_save(departure, actor, creating=True, reason="Departed")
    company_update(actor=actor, company=company, relationship=Relationship.FORMER_CUSTOMER)
    return departure


@transaction.atomic
def departure_update(
    *, actor: User, departure: Departure, expected_version: int | None = None, **fields: Any
) -> Departure:
    """Correct a departure: its date, our guess of the reason, the note, the contact. The
    customer's own answer is theirs: only the survey writes it."""
    _require_change(actor, departure.company)
    unknown = set(fields) - set(EDITABLE)
    if unknown:
        raise ValidationError(f"Unknown field(s): {', '.join(sorted(unknown))}.")
    lock_for_edit(departure, expected_version)
    if departure.in_trash:
        raise ValidationError("This departure is in the trash; restore it first.")
    for name, value in fields.items():
        if name != "contact" and value is None:
            value = ""
        setattr(departure, name, value)
    if "contact" in fields:
        _check_contact(actor, departure.contact)
    _clean_reason(departure)
    if "departed_on" in fields:
        previous = (
            departure.company.departures.exclude(pk=departure.pk)
            .filter(departed_on__lt=departure.departed_on)
            .order_by("-departed_on")
            .first()
        )
        _check_date(departure, departure.company, previous=previous)
        later = departure.company.departures.exclude(pk=departure.pk).filter(
            departed_on__gte=departure.departed_on
        )
        if later.exists():
            raise ValidationError({"departed_on": "They left again later: keep the order."})
        revenue, profit = yearly_value(departure.company, departure.departed_on)
        departure.lost_yearly_revenue, departure.lost_yearly_profit = revenue, profit
    next_version(departure)
    record_save(departure, actor, creating=False, reason="Departure corrected")
    return departure


def departure_answer_record(
    *,
    departure: Departure,
    reason: str,
    reason_other: str = "",
    could_have_done: str = "",
    would_return: str = "",
    may_contact: bool | None = None,
) -> Departure:
    """The customer's own answers (from the exit survey): kept beside our guess, never over it."""
    errors = {}
    if reason not in Reason.values:
        errors["reason"] = "Choose the reason closest to yours."
    reason_other = (reason_other or "").strip()
    if reason == Reason.OTHER and not reason_other:
        errors["reason_other"] = "Tell us in a few words."
    if would_return not in WouldReturn.values:
        errors["would_return"] = "Choose yes, maybe or no."
    if errors:
        raise ValidationError(errors)
    departure.customer_reason = reason
    departure.customer_reason_other = reason_other if reason == Reason.OTHER else ""
    departure.customer_could_have_done = (could_have_done or "").strip()
    departure.customer_would_return = would_return
    departure.customer_may_contact = may_contact
    departure.answered_at = timezone.now()
    departure.version += 1
    departure._history_user = None
    departure._change_reason = "The customer answered the exit survey"
    departure.full_clean(validate_constraints=False)
    departure.save()
    return departure


def _is_latest(departure: Departure) -> bool:
    """No other departure of the company out of the trash is dated after this one."""
    return not (
        Departure.objects.filter(company_id=departure.company_id)
        .exclude(pk=departure.pk)
        .filter(departed_on__gt=departure.departed_on)
        .exists()
    )


@transaction.atomic
def departure_trash(*, actor: User, departure: Departure) -> Departure:
    """A departure recorded by mistake goes to the trash, nothing lost: when it is the
    company's latest and they are still a former customer, they are a customer again (since
    the same day as before). Restoring puts both back."""
    _require_change(actor, departure.company)
    departure = Departure.all_objects.select_for_update().get(pk=departure.pk)
    if departure.in_trash:
        return departure
    company = Company.all_objects.select_for_update().get(pk=departure.company_id)
    departure.deleted_at = timezone.now()
    departure.deleted_by = actor
    next_version(departure)
    record_save(departure, actor, creating=False, reason="Moved to the trash")
    if (
        company.relationship == Relationship.FORMER_CUSTOMER
        and not company.in_trash
        and _is_latest(departure)
    ):
        company_update(actor=actor, company=company, relationship=Relationship.CUSTOMER)
    return departure


@transaction.atomic
def departure_restore(*, actor: User, departure: Departure) -> Departure:
    """Back from the trash. Refused when the same customer period has been given another
    departure since (one period ends once); the company becomes a former customer again when
    this is its latest departure and they have not been won again since."""
    _require_change(actor, departure.company)
    departure = Departure.all_objects.select_for_update().get(pk=departure.pk)
    if not departure.in_trash:
        return departure
    company = Company.all_objects.select_for_update().get(pk=departure.company_id)
    if company.in_trash:
        raise ValidationError(f"{company.name} is in the trash; restore it first.")
    same_period = (
        Departure.objects.filter(company=company)
        .filter(customer_since=departure.customer_since)
        .exclude(pk=departure.pk)
        .first()
    )
    if same_period is not None:
        raise ValidationError(
            f"{company.name} is already recorded as leaving on "
            f"{same_period.departed_on:%-d %b %Y} for this period: put that departure in the "
            "trash first, or correct it."
        )
    departure.deleted_at = None
    departure.deleted_by = None
    next_version(departure)
    record_save(departure, actor, creating=False, reason="Restored from the trash")
    won_again = company.customer_since and company.customer_since > departure.departed_on
    if company.relationship == Relationship.CUSTOMER and not won_again and _is_latest(departure):
        company_update(actor=actor, company=company, relationship=Relationship.FORMER_CUSTOMER)
    return departure
