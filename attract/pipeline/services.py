"""Every write to deals and their quotes: creation, edits, stage moves through the gates,
and closing. Writes to stage settings and the question bank live in `configuration.py`.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from attract.accounts.models import User
from attract.core.models import blank_for_null
from attract.core.permissions import can_change_record, can_manage_team, can_view_record, can_write
from attract.core.versions import lock_for_edit, next_version
from attract.jobs.outbox import announce
from attract.people.models import Company, Person, Relationship
from attract.people.services import company_update
from attract.people.tags import tags_from_names
from attract.pipeline.gates import StageGateRefused, missing_criteria
from attract.pipeline.hooks import deal_won
from attract.pipeline.models import (
    STAGE_ORDER,
    Deal,
    LostReason,
    Outcome,
    Quote,
    QuoteStatus,
    Stage,
    StageMove,
    stage_index,
)
from attract.pipeline.stage_times import previous_move_at, time_since

DEAL_FIELDS = (
    "title",
    "company",
    "contact",
    "owner",
    "is_private",
    "pain",
    "revenue",
    "cost",
    "expected_close_date",
    "source",
    "conviction_problem_acknowledged",
    "conviction_we_are_the_ones",
)


def _require_write(actor: User) -> None:
    if not can_write(actor):
        raise PermissionDenied("Your role can read but not change records.")


def _require_change(actor: User, deal: Deal) -> None:
    if not can_change_record(actor, deal):
        raise PermissionDenied("You may not change this deal.")


def _money(value: Any, field: str, label: str) -> Decimal:
    try:
        amount = Decimal(str(value if value not in (None, "") else "0"))
    except (InvalidOperation, ValueError) as exc:
        raise ValidationError({field: f"{label} must be a number."}) from exc
    if not amount.is_finite():
        raise ValidationError({field: f"{label} must be a number."})
    if amount < 0:
        raise ValidationError({field: f"{label} cannot be negative."})
    return amount


def _apply(deal: Deal, fields: dict[str, Any]) -> None:
    unknown = set(fields) - set(DEAL_FIELDS)
    if unknown:
        raise ValidationError(f"Unknown field(s): {', '.join(sorted(unknown))}.")
    for name, value in fields.items():
        value = blank_for_null(Deal, name, value)
        if isinstance(value, str):
            value = value.strip()
        setattr(deal, name, value)


def _check_deal_rules(deal: Deal, actor: User, *, kept: Deal | None = None) -> None:
    """`kept` is the deal before the edit: a link it already had to someone else's private
    company or contact may stay (the editor sees "a private company"), a new one may not."""
    deal.revenue = _money(deal.revenue, "revenue", "Revenue")
    deal.cost = _money(deal.cost, "cost", "Cost")
    kept_company = kept.company_id if kept else None
    kept_contact = kept.contact_id if kept else None
    new_company = deal.company_id and deal.company_id != kept_company
    if new_company and not can_view_record(actor, deal.company):
        raise ValidationError({"company": "Choose a company you can see."})
    new_contact = deal.contact_id and deal.contact_id != kept_contact
    if new_contact and not can_view_record(actor, deal.contact):
        raise ValidationError({"contact": "Choose a contact you can see."})


def _save(deal: Deal, actor: User, *, reason: str = "", creating: bool = False) -> None:
    deal._history_user = actor
    if reason:
        deal._change_reason = reason
    if creating:
        deal.created_by = actor
    deal.updated_by = actor
    deal.full_clean(exclude=["tags"])
    deal.save()


def _next_position(stage: str) -> int:
    top = Deal.objects.filter(outcome=Outcome.OPEN, stage=stage).aggregate(m=Max("position"))["m"]
    return (top or 0) + 1


def _locked(deal: Deal, expected_version: int | None) -> Deal:
    """The deal as it is now in the database, locked for this transaction; refuses a stale
    version so that the second of two simultaneous writers is told, not overwritten."""
    lock_for_edit(deal, expected_version)
    return deal


@transaction.atomic
def deal_create(
    *, actor: User, tags: Iterable[str] = (), stage: str = Stage.ATTENTION, **fields: Any
) -> Deal:
    _require_write(actor)
    if stage not in STAGE_ORDER:
        raise ValidationError({"stage": f"“{stage}” is not a stage."})
    deal = Deal(stage=stage)
    fields.setdefault("owner", actor)
    _apply(deal, fields)
    _check_deal_rules(deal, actor)
    missing = missing_criteria(deal, stage)
    if missing:
        raise ValidationError(
            {
                "stage": f"A new deal cannot start in {Stage(stage).label}: missing {'; '.join(missing)}."
            }
        )
    deal.furthest_stage_index = stage_index(stage)
    deal.position = _next_position(stage)
    deal.stage_entered_at = timezone.now()
    _save(deal, actor, creating=True)
    deal.tags.set(tags_from_names(tags))
    StageMove.objects.create(deal=deal, to_stage=stage, moved_by=actor, moved_at=deal.created_at)
    announce("deal.created", deal, actor=actor)
    return deal


@transaction.atomic
def deal_update(
    *,
    actor: User,
    deal: Deal,
    expected_version: int | None = None,
    tags: Iterable[str] | None = None,
    **fields: Any,
) -> Deal:
    _require_change(actor, deal)
    current = _locked(deal, expected_version)
    before = Deal(company_id=current.company_id, contact_id=current.contact_id)
    _apply(current, fields)
    _check_deal_rules(current, actor, kept=before)
    current.version += 1
    _save(current, actor)
    if tags is not None:
        current.tags.set(tags_from_names(tags))
    announce("deal.updated", current, actor=actor)
    return current


@transaction.atomic
def deal_move_to_stage(
    *,
    actor: User,
    deal: Deal,
    stage: str,
    expected_version: int | None = None,
    note: str = "",
    override_reason: str = "",
) -> Deal:
    """Move a deal to another stage. A forward move must meet every entry criterion on the way
    (or be overridden by an admin with a written reason); a backward move is always allowed.
    Both are recorded."""
    _require_change(actor, deal)
    if stage not in STAGE_ORDER:
        choices = ", ".join(STAGE_ORDER)
        raise ValidationError({"stage": f"“{stage}” is not a stage. Choose one of: {choices}."})
    current = _locked(deal, expected_version)
    if current.outcome != Outcome.OPEN:
        raise ValidationError(
            {
                "stage": f"This deal is closed ({current.get_outcome_display().lower()}); reopen it "
                "before moving it."
            }
        )
    if current.stage == stage:
        return current
    is_backward = stage_index(stage) < stage_index(current.stage)
    override_reason = (override_reason or "").strip()
    if is_backward:
        override_reason = ""
    else:
        missing = missing_criteria(current, stage)
        if not missing:
            override_reason = ""
        elif not override_reason:
            raise StageGateRefused(deal=current, stage=stage, missing=missing)
        elif not can_manage_team(actor):
            raise PermissionDenied("Only an owner or admin may override a stage gate.")
    from_stage = current.stage
    now = timezone.now()
    current.stage = stage
    current.stage_entered_at = now
    current.furthest_stage_index = max(current.furthest_stage_index, stage_index(stage))
    current.position = _next_position(stage)
    current.version += 1
    _save(current, actor, reason=f"Moved from {Stage(from_stage).label} to {Stage(stage).label}")
    StageMove.objects.create(
        deal=current,
        from_stage=from_stage,
        to_stage=stage,
        moved_by=actor,
        moved_at=now,
        note=(note or "").strip(),
        override_reason=override_reason,
        is_backward=is_backward,
        time_in_previous_stage=time_since(previous_move_at(current.pk, now), now),
    )
    announce("deal.moved", current, actor=actor)
    return current


@transaction.atomic
def deal_undo_move(
    *,
    actor: User,
    deal: Deal,
    move_id: int,
    expected_version: int | None,
    position: int | None = None,
) -> Deal:
    """Take back the move just made (a card dropped in the wrong column): the deal returns to
    the stage it left with the time it had already spent there, and the move leaves the stage
    history, which keeps only the moves that were meant; the deal's own history records the
    undo. Only the deal's last move, and only while nothing else changed the deal since: the
    version must be the one the move left (else VersionConflict)."""
    _require_change(actor, deal)
    if expected_version is None:
        raise ValidationError({"version": "Say which version of the deal the undo is for."})
    current = _locked(deal, expected_version)
    move = StageMove.objects.filter(deal=current).order_by("-moved_at", "-id").first()
    if (
        move is None
        or move.pk != move_id
        or not move.from_stage
        or current.stage != move.to_stage
        or current.outcome != Outcome.OPEN
    ):
        raise ValidationError(
            {"__all__": f"“{current.title}” has changed since that move, so it cannot be undone."}
        )
    # The deal as it was just before the move: its history row of the version before.
    before = current.history.filter(version=current.version - 1).order_by("-history_id").first()
    earlier = (
        StageMove.objects.filter(deal=current)
        .exclude(pk=move.pk)
        .order_by("-moved_at", "-id")
        .first()
    )
    current.stage = move.from_stage
    if before is not None and before.stage == move.from_stage:
        current.stage_entered_at = before.stage_entered_at
        current.furthest_stage_index = before.furthest_stage_index
    elif earlier is not None:
        current.stage_entered_at = earlier.moved_at
    current.position = position if isinstance(position, int) else _next_position(move.from_stage)
    current.version += 1
    label_from, label_to = Stage(move.to_stage).label, Stage(move.from_stage).label
    _save(current, actor, reason=f"Undid the move from {label_to} to {label_from}")
    move.delete()
    announce("deal.moved", current, actor=actor)
    return current


def _close(current: Deal, actor: User, *, outcome: str, reason: str, label: str) -> Deal:
    if current.outcome != Outcome.OPEN:
        raise ValidationError(
            f"This deal is already closed ({current.get_outcome_display().lower()})."
        )
    current.outcome = outcome
    current.lost_reason = reason
    current.closed_at = timezone.now()
    current.version += 1
    _save(current, actor, reason=label)
    announce(f"deal.{outcome}", current, actor=actor)  # deal.won, deal.lost, deal.referred_out
    return current


def _make_customer(company: Company | None, actor: User, since: date) -> None:
    if company is None or company.relationship == Relationship.CUSTOMER:
        return
    company_update(
        actor=actor, company=company, relationship=Relationship.CUSTOMER, customer_since=since
    )


@transaction.atomic
def deal_win(*, actor: User, deal: Deal, expected_version: int | None = None) -> Deal:
    """Close as won: the company, and the contact's own company, become customers from today
    (a company that already is a customer keeps its first date)."""
    _require_change(actor, deal)
    current = _locked(deal, expected_version)
    _close(current, actor, outcome=Outcome.WON, reason="", label="Won")
    today = timezone.localdate()
    _make_customer(current.company, actor, today)
    contact: Person | None = current.contact
    if contact is not None and contact.company_id and contact.company_id != current.company_id:
        _make_customer(contact.company, actor, today)
    deal_won.send(sender=Deal, deal=current, actor=actor)
    return current


@transaction.atomic
def deal_lose(
    *,
    actor: User,
    deal: Deal,
    reason: str,
    expected_version: int | None = None,
    reason_kind: LostReason | None = None,
) -> Deal:
    """Close as lost, for a reason from the business's list (`reason_kind`), a note in words
    (`reason`), or both; one of them is needed."""
    _require_change(actor, deal)
    reason = (reason or "").strip()
    if not reason and reason_kind is None:
        raise ValidationError({"lost_reason": "Say why the deal was lost: it is how we learn."})
    if reason_kind is not None and not reason_kind.is_active:
        raise ValidationError({"lost_reason_kind": "That reason is retired: pick another."})
    current = _locked(deal, expected_version)
    current.lost_reason_kind = reason_kind
    return _close(current, actor, outcome=Outcome.LOST, reason=reason, label="Lost")


@transaction.atomic
def deal_refer_out(
    *, actor: User, deal: Deal, note: str = "", expected_version: int | None = None
) -> Deal:
    """Close a deal we are not the best to serve: referred to someone who fits them better."""
    _require_change(actor, deal)
    current = _locked(deal, expected_version)
    reason = (note or "").strip() or "Referred to a collaborator who fits them better."
    return _close(current, actor, outcome=Outcome.REFERRED_OUT, reason=reason, label="Referred out")


@transaction.atomic
def deal_close_as_no(*, actor: User, deal: Deal, reason: str = "") -> Deal:
    """The fast no: one action to end a long maybe, with a reason written for us."""
    _require_change(actor, deal)
    current = _locked(deal, None)
    stage_label = current.get_stage_display()
    reason = (reason or "").strip() or (
        f"Fast no: no decision after {current.days_in_stage} days in {stage_label}."
    )
    return _close(current, actor, outcome=Outcome.LOST, reason=reason, label="Closed as a no")


@transaction.atomic
def deal_reopen(*, actor: User, deal: Deal) -> Deal:
    """Undo a close made by mistake; the deal returns to the board in its stage."""
    _require_change(actor, deal)
    current = _locked(deal, None)
    if current.outcome == Outcome.OPEN:
        return current
    current.outcome = Outcome.OPEN
    current.closed_at = None
    current.lost_reason = ""
    current.lost_reason_kind = None
    current.position = _next_position(current.stage)
    current.version += 1
    _save(current, actor, reason="Reopened")
    return current


@transaction.atomic
def deal_trash(*, actor: User, deal: Deal) -> None:
    _require_change(actor, deal)
    _locked(deal, None)
    if deal.in_trash:
        return
    deal.deleted_at = timezone.now()
    deal.deleted_by = actor
    deal.updated_by = actor
    deal.version += 1
    deal._history_user = actor
    deal._change_reason = "Moved to the trash"
    deal.save(update_fields=["deleted_at", "deleted_by", "updated_by", "updated_at", "version"])
    announce("deal.deleted", deal, actor=actor)


@transaction.atomic
def deal_restore(*, actor: User, deal: Deal) -> None:
    _require_change(actor, deal)
    _locked(deal, None)
    if not deal.in_trash:
        return
    deal.deleted_at = None
    deal.deleted_by = None
    deal.updated_by = actor
    deal.version += 1
    deal._history_user = actor
    deal._change_reason = "Restored from the trash"
    deal.save(update_fields=["deleted_at", "deleted_by", "updated_by", "updated_at", "version"])


@transaction.atomic
def quote_create(
    *,
    actor: User,
    deal: Deal,
    amount: Any,
    description: str = "",
    valid_until: date | None = None,
) -> Quote:
    _require_change(actor, deal)
    quote = Quote(
        deal=deal,
        amount=_money(amount, "amount", "The amount"),
        description=(description or "").strip(),
        valid_until=valid_until,
        created_by=actor,
        updated_by=actor,
    )
    quote._history_user = actor
    quote.full_clean()
    quote.save()
    return quote


@transaction.atomic
def quote_send(*, actor: User, quote: Quote, sent_on: date | None = None) -> Quote:
    """Mark a draft as sent: from now on it opens the Action gate of its deal."""
    _require_change(actor, quote.deal)
    lock_for_edit(quote, None)  # two clicks at once: the second sees it sent
    if quote.status != QuoteStatus.DRAFT:
        raise ValidationError({"status": "Only a draft can be sent; this quote already was."})
    sent_on = sent_on or timezone.localdate()
    if sent_on > timezone.localdate():
        raise ValidationError({"sent_on": "A quote cannot be sent in the future."})
    if quote.valid_until and quote.valid_until < sent_on:
        raise ValidationError({"valid_until": "The quote would expire before it is sent."})
    quote.status = QuoteStatus.SENT
    quote.sent_on = sent_on
    quote.updated_by = actor
    quote._history_user = actor
    next_version(quote)
    quote.save()
    return quote


@transaction.atomic
def quote_set_answer(*, actor: User, quote: Quote, accepted: bool) -> Quote:
    """Record the customer's answer to a sent quote."""
    _require_change(actor, quote.deal)
    lock_for_edit(quote, None)  # an accept and a decline at once: the second is refused
    if quote.status != QuoteStatus.SENT:
        raise ValidationError({"status": "Only a sent quote can be accepted or declined."})
    quote.status = QuoteStatus.ACCEPTED if accepted else QuoteStatus.DECLINED
    quote.updated_by = actor
    quote._history_user = actor
    next_version(quote)
    quote.save()
    return quote
