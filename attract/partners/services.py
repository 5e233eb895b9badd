"""Every write to partners, their definition lines, alliance steps and referrals.

A partner follows the same rules as the records it names: who may see it (private to its
owner, and never about a company or person the actor cannot see), every edit against the
version the user saw, history for each change, a trash instead of delete.
"""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone

from attract.accounts.models import User
from attract.core.permissions import can_change_record, can_view_record, can_write
from attract.core.record_writes import fields_apply, record_save
from attract.core.versions import lock_for_edit, next_version
from attract.engagement.models import GoalKind
from attract.engagement.services import task_create
from attract.partners.budgets import budget_range
from attract.partners.models import (
    AllianceStep,
    DefinitionLine,
    Direction,
    LineKind,
    Mark,
    Partner,
    Referral,
    Step,
)
from attract.people.models import Company, Person, Relationship
from attract.people.services import company_update
from attract.pipeline.models import Deal, Outcome, Source
from attract.pipeline.services import deal_refer_out, deal_update

PARTNER_FIELDS = (
    "is_competitor",
    "offers_same",
    "offers_different",
    "where_we_meet",
    "confidence_ability",
    "confidence_account",
    "confidence_ethics",
    "notes",
    "owner",
    "is_private",
)
STEP_FIELDS = ("reached_on", "learned", "next_step")


def _require_write(actor: User) -> None:
    if not can_write(actor):
        raise PermissionDenied("Your role can read but not change records.")


def _require_change(actor: User, partner: Partner) -> None:
    if not partner_visible_to(actor, partner) or not can_change_record(actor, partner):
        raise PermissionDenied("You may not change this partner.")


def _require_alive(partner: Partner) -> None:
    if partner.in_trash:
        raise ValidationError("This partner is in the trash; restore it before changing it.")


def partner_visible_to(user: User, partner: Partner) -> bool:
    """The partner itself, and the company or person it is, are both visible to the user."""
    return can_view_record(user, partner) and can_view_record(user, partner.subject)


# --- Partners -------------------------------------------------------------------------------


def _check_subject(actor: User, company: Company | None, person: Person | None) -> None:
    if (company is None) == (person is None):
        raise ValidationError({"company": "Choose a company or a person (one of the two)."})
    subject = company or person
    if not can_view_record(actor, subject):
        field = "company" if company is not None else "person"
        raise ValidationError({field: f"Choose a {field} you can see."})
    if subject.in_trash:
        field = "company" if company is not None else "person"
        raise ValidationError({field: f"This {field} is in the trash; restore it first."})
    taken = Partner.all_objects.filter(company=company) if company else None
    if person is not None:
        taken = Partner.all_objects.filter(person=person)
    existing = taken.first()
    if existing is not None:
        where = " (in the trash)" if existing.in_trash else ""
        raise ValidationError(
            {"company" if company else "person": f"{subject} is already a partner{where}."}
        )


def partner_create(
    *,
    actor: User,
    company: Company | None = None,
    person: Person | None = None,
    **fields: Any,
) -> Partner:
    """Make a company or a person a partner. A company that was a prospect takes the
    relationship "partner"; a customer stays a customer (they can be both)."""
    _require_write(actor)
    _check_subject(actor, company, person)
    partner = Partner(company=company, person=person)
    fields.setdefault("owner", actor)
    fields_apply(partner, fields, PARTNER_FIELDS)
    try:
        with transaction.atomic():
            record_save(partner, actor, creating=True)
            if company is not None and company.relationship == Relationship.PROSPECT:
                company_update(actor=actor, company=company, relationship=Relationship.PARTNER)
    except IntegrityError as exc:
        raise ValidationError("Someone made this a partner at the same moment; try again.") from exc
    return partner


def partner_update(
    *, actor: User, partner: Partner, expected_version: int | None = None, **fields: Any
) -> Partner:
    _require_change(actor, partner)
    try:
        with transaction.atomic():
            lock_for_edit(partner, expected_version)
            _require_change(actor, partner)
            _require_alive(partner)
            fields_apply(partner, fields, PARTNER_FIELDS)
            next_version(partner)
            record_save(partner, actor, creating=False)
    except (ValidationError, PermissionDenied):
        partner.refresh_from_db()
        raise
    return partner


def partner_trash(*, actor: User, partner: Partner) -> None:
    _require_change(actor, partner)
    with transaction.atomic():
        lock_for_edit(partner, None)
        if partner.in_trash:
            return
        partner.deleted_at = timezone.now()
        partner.deleted_by = actor
        _mark_trash_change(partner, actor, "Moved to the trash")


def partner_restore(*, actor: User, partner: Partner) -> None:
    _require_change(actor, partner)
    with transaction.atomic():
        lock_for_edit(partner, None)
        if not partner.in_trash:
            return
        partner.deleted_at = None
        partner.deleted_by = None
        _mark_trash_change(partner, actor, "Restored from the trash")


def _mark_trash_change(partner: Partner, actor: User, reason: str) -> None:
    partner.updated_by = actor
    partner._history_user = actor
    partner._change_reason = reason
    next_version(partner)
    partner.save(update_fields=["deleted_at", "deleted_by", "updated_by", "updated_at", "version"])


# --- Their perfect-client definition -------------------------------------------------------


def line_add(*, actor: User, partner: Partner, kind: str, text: str) -> DefinitionLine:
    _require_change(actor, partner)
    _require_alive(partner)
    if kind not in LineKind.values:
        raise ValidationError({"kind": "Choose what kind of line this is."})
    text = (text or "").strip()
    if not text:
        raise ValidationError({"text": "Write the line the way the partner would say it."})
    top = partner.lines.aggregate(m=Max("position"))["m"] or 0
    line = DefinitionLine(partner=partner, kind=kind, text=text, position=top + 1)
    if kind == LineKind.BUDGET:
        line.budget_min, line.budget_max = budget_range(text)
    with transaction.atomic():
        record_save(line, actor, creating=True)
    return line


def line_mark(
    *, actor: User, line: DefinitionLine, mark: str, expected_version: int | None = None
) -> DefinitionLine:
    """Overlap: we would both serve that client. Complement: a client to send them (or one
    they send us)."""
    _require_change(actor, line.partner)
    if mark not in Mark.values:
        raise ValidationError({"mark": "Choose overlap, complement or not marked."})
    with transaction.atomic():
        lock_for_edit(line, expected_version)
        if line.removed_at is not None:
            raise ValidationError("This line was removed.")
        line.mark = mark
        next_version(line)
        record_save(line, actor, creating=False)
    return line


def line_remove(*, actor: User, line: DefinitionLine) -> None:
    _require_change(actor, line.partner)
    with transaction.atomic():
        lock_for_edit(line, None)
        if line.removed_at is not None:
            return
        line.removed_at = timezone.now()
        next_version(line)
        record_save(line, actor, creating=False, reason="Removed")


# --- Alliance steps -------------------------------------------------------------------------


def _as_date(value: Any, field: str) -> date:
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value))
    except ValueError as exc:
        raise ValidationError({field: "Enter a date (YYYY-MM-DD)."}) from exc


def step_record(
    *,
    actor: User,
    partner: Partner,
    step: str,
    reached_on: date | str | None = None,
    learned: str = "",
    next_step: str = "",
) -> AllianceStep:
    """Record that the alliance reached a step (or correct what was written about it: a step
    is reached once)."""
    _require_change(actor, partner)
    _require_alive(partner)
    if step not in Step.values:
        raise ValidationError({"step": "Choose a step of the alliance."})
    reached = _as_date(reached_on, "reached_on") if reached_on else timezone.localdate()
    if reached > timezone.localdate():
        raise ValidationError({"reached_on": "A step cannot be reached in the future."})
    with transaction.atomic():
        record = AllianceStep.objects.select_for_update().filter(partner=partner, step=step).first()
        creating = record is None
        if creating:
            record = AllianceStep(partner=partner, step=step)
        else:
            next_version(record)
        fields_apply(
            record,
            {"reached_on": reached, "learned": learned or "", "next_step": next_step or ""},
            STEP_FIELDS,
        )
        record_save(record, actor, creating=creating)
    return record


# --- Referrals ------------------------------------------------------------------------------


def _value(value: Any) -> Decimal:
    try:
        amount = Decimal(str(value if value not in (None, "") else "0"))
    except (InvalidOperation, ValueError) as exc:
        raise ValidationError({"value": "The value must be a number."}) from exc
    if not amount.is_finite() or amount < 0 or amount >= Decimal("1e12"):
        raise ValidationError({"value": "The value must be a positive number."})
    return amount.quantize(Decimal("0.01"))


def _check_referral_subject(
    actor: User, partner: Partner, deal: Deal | None, person: Person | None, company: Company | None
) -> None:
    subjects = [s for s in (deal, person, company) if s is not None]
    if len(subjects) != 1:
        raise ValidationError({"deal": "Name one deal, person or company that was referred."})
    subject = subjects[0]
    if not can_view_record(actor, subject):
        # Someone else's private record: as if it did not exist.
        raise ValidationError({"deal": "There is no such deal, person or company."})
    if (company is not None and company.pk == partner.company_id) or (
        person is not None and person.pk == partner.person_id
    ):
        raise ValidationError({"partner": "A partner cannot be referred to themselves."})


@transaction.atomic
def referral_create(
    *,
    actor: User,
    partner: Partner,
    direction: str,
    deal: Deal | None = None,
    person: Person | None = None,
    company: Company | None = None,
    reason: str = "",
    value: Any = None,
    referred_on: date | str | None = None,
    became_customer: bool | None = None,
    won_revenue: Any = None,
    won_profit: Any = None,
) -> Referral:
    """Record a referral. Referring an open deal out closes it as "referred out" (it leaves
    the board and the forecast); a deal referred in gets "referral from a partner" as its
    source. The value defaults to the deal's revenue."""
    _require_write(actor)
    if not partner_visible_to(actor, partner):
        raise ValidationError({"partner": "There is no such partner."})
    _require_alive(partner)
    if direction not in Direction.values:
        raise ValidationError({"direction": "Choose referred out or referred in."})
    _check_referral_subject(actor, partner, deal, person, company)
    if deal is not None and not can_change_record(actor, deal):
        raise PermissionDenied("You may not change this deal.")
    on = _as_date(referred_on, "referred_on") if referred_on else timezone.localdate()
    if on > timezone.localdate():
        raise ValidationError({"referred_on": "A referral cannot be dated in the future."})
    amount = _value(deal.revenue if value in (None, "") and deal is not None else value)
    reason = (reason or "").strip()
    referral = Referral(
        partner=partner,
        direction=direction,
        deal=deal,
        person=person,
        company=company,
        reason=reason,
        value=amount,
        referred_on=on,
        became_customer=became_customer,
        won_revenue=_money(won_revenue, "won_revenue"),
        won_profit=_money(won_profit, "won_profit", signed=True),
    )
    _clean_outcome(referral)
    record_save(referral, actor, creating=True)
    if deal is not None and direction == Direction.OUT and deal.outcome == Outcome.OPEN:
        note = f"Referred to {partner}" + (f": {reason}" if reason else ".")
        deal_refer_out(actor=actor, deal=deal, note=note)
    if deal is not None and direction == Direction.IN and deal.source != Source.PARTNER_REFERRAL:
        deal_update(actor=actor, deal=deal, source=Source.PARTNER_REFERRAL)
    if direction == Direction.IN:
        _thank_the_referrer(actor, partner, on)
    return referral


def _thank_the_referrer(actor: User, partner: Partner, on: date) -> None:
    """Every referral received asks for a thank-you. The task hangs on the partner's company
    or person and does not name what was referred: that may be private to the actor. Doing it
    counts toward the thank-you-letter goal."""
    task_create(
        actor=actor,
        title=f"Thank {partner} for the referral of {on:%d %b %Y}",
        due_at=timezone.now() + timedelta(days=1),
        company=partner.company,
        person=partner.person,
        assignee=actor,
        counts_toward=GoalKind.THANK_YOU_LETTERS,
    )


# --- A referral's outcome, corrections, the trash --------------------------------------------

REFERRAL_FIELDS = ("reason", "value", "referred_on", "became_customer", "won_revenue", "won_profit")
MONEY_LIMIT = Decimal("1e12")


def _money(value: Any, field: str, *, signed: bool = False) -> Decimal:
    try:
        amount = Decimal(str(value if value not in (None, "") else "0"))
    except (InvalidOperation, ValueError) as exc:
        raise ValidationError({field: "Enter an amount (a number)."}) from exc
    if not amount.is_finite() or abs(amount) >= MONEY_LIMIT or (amount < 0 and not signed):
        word = "an amount" if signed else "a positive amount"
        raise ValidationError({field: f"Enter {word} under 1,000,000,000,000."})
    return amount.quantize(Decimal("0.01"))


def _require_referral_change(actor: User, referral: Referral) -> None:
    """The referral's partner and subject must both be visible to the actor, who may change
    the partner: someone else's private record is not theirs to correct."""
    _require_write(actor)
    if not partner_visible_to(actor, referral.partner) or not can_view_record(
        actor, referral.subject
    ):
        raise PermissionDenied("You may not change this referral.")


def _clean_outcome(referral: Referral) -> None:
    if referral.direction == Direction.IN and referral.deal_id is not None:
        if referral.became_customer is not None or referral.won_revenue or referral.won_profit:
            raise ValidationError(
                {"became_customer": "A deal referred in tells its own outcome: win it or close it."}
            )
    elif referral.became_customer is not True and (referral.won_revenue or referral.won_profit):
        raise ValidationError(
            {"won_revenue": "Revenue and profit are won only by a prospect who became a customer."}
        )


def referral_update(
    *, actor: User, referral: Referral, expected_version: int | None = None, **fields: Any
) -> Referral:
    """Correct a referral or record what came of it (for one referred out: whether the
    prospect became the partner's customer, the revenue and profit won). Refused when the
    referral changed since `expected_version`."""
    _require_referral_change(actor, referral)
    unknown = set(fields) - set(REFERRAL_FIELDS)
    if unknown:
        raise ValidationError(f"Unknown field(s): {', '.join(sorted(unknown))}.")
    try:
        with transaction.atomic():
            lock_for_edit(referral, expected_version)
            if referral.in_trash:
                raise ValidationError("This referral is in the trash; restore it first.")
            if "referred_on" in fields:
                on = _as_date(fields["referred_on"] or timezone.localdate(), "referred_on")
                if on > timezone.localdate():
                    raise ValidationError(
                        {"referred_on": "A referral cannot be dated in the future."}
                    )
                referral.referred_on = on
            if "value" in fields:
                referral.value = _value(fields["value"])
            if "reason" in fields:
                referral.reason = (fields["reason"] or "").strip()
            if "became_customer" in fields:
                if fields["became_customer"] not in (None, True, False):
                    raise ValidationError({"became_customer": "Answer yes, no or not known."})
                referral.became_customer = fields["became_customer"]
            if "won_revenue" in fields:
                referral.won_revenue = _money(fields["won_revenue"], "won_revenue")
            if "won_profit" in fields:
                referral.won_profit = _money(fields["won_profit"], "won_profit", signed=True)
            _clean_outcome(referral)
            next_version(referral)
            record_save(referral, actor, creating=False)
    except (ValidationError, PermissionDenied):
        referral.refresh_from_db()
        raise
    return referral


def referral_trash(*, actor: User, referral: Referral) -> None:
    """To the trash, restorable. A deal it closed as "referred out" stays closed: reopening a
    deal is the deal's own decision."""
    _require_referral_change(actor, referral)
    with transaction.atomic():
        lock_for_edit(referral, None)
        if referral.in_trash:
            return
        referral.deleted_at, referral.deleted_by = timezone.now(), actor
        _mark_referral_trash(referral, actor, "Moved to the trash")


def referral_restore(*, actor: User, referral: Referral) -> None:
    _require_referral_change(actor, referral)
    with transaction.atomic():
        lock_for_edit(referral, None)
        if not referral.in_trash:
            return
        referral.deleted_at, referral.deleted_by = None, None
        _mark_referral_trash(referral, actor, "Restored from the trash")


def _mark_referral_trash(referral: Referral, actor: User, reason: str) -> None:
    referral.updated_by = actor
    referral._history_user = actor
    referral._change_reason = reason
    next_version(referral)
    referral.save(update_fields=["deleted_at", "deleted_by", "updated_by", "updated_at", "version"])
