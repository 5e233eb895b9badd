"""Act on many, for every list: one action applied to the records selected on a list, as
one transaction and one undoable step (a BulkChange row).

Each app registers a BulkKind for each of its lists' records (people: persons, companies;
pipeline: deals; engagement: tasks) saying which actions it offers and how one record is
changed and put back — always through the record's own service, so that every rule, the
version bump, the history entry and the webhook event are those of a single edit. This
module holds what they share and needs no app: the ids' check, the lock, the all-or-none
refusal and the undo bookkeeping.

Either every selected record is changed or none is: a record the user may not change, or
one that no longer exists, refuses the whole action (PermissionDenied: a 403 on the web and
the API) with a message that says how many; bad input is a ValidationError."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from attract.core.models import BulkChange
from attract.core.permissions import can_manage_team, can_write

# A list's page holds at most this many rows; a selection never spans more.
MAX_SELECTED = 200


@dataclass(frozen=True)
class BulkKind:
    """How one kind of record takes part in bulk actions."""

    record_type: str  # the model's label, "pipeline.deal"
    actions: tuple[str, ...]  # the BulkAction values offered
    # () → every record of the kind, trashed too, ready to lock (select_related as needed)
    queryset: Callable[[], QuerySet]
    # (actor, record) → may the actor change it? (someone else's private record: no)
    may_change: Callable[[Any, Any], bool]
    # (action, arguments) → the argument kept on the BulkChange (ValidationError if bad)
    clean_argument: Callable[[str, dict[str, Any]], str]
    # (record, actor, action, argument) → what the record was (JSON), after changing it
    apply: Callable[[Any, Any, str, str], Any]
    # (record, actor, action, argument, before) → put it back
    undo: Callable[[Any, Any, str, str, Any], None]
    # (record) → is it in the trash? (only the trash action and its undo may touch it then)
    in_trash: Callable[[Any], bool] = field(default=lambda record: False)


_KINDS: dict[str, BulkKind] = {}


def register(kind: BulkKind) -> None:
    _KINDS[kind.record_type] = kind


def kind_for(record_type: str) -> BulkKind:
    return _KINDS[record_type]


def clean_ids(ids: Iterable[Any]) -> list[int]:
    cleaned: list[int] = []
    for raw in ids:
        try:
            if isinstance(raw, str) and not raw.isascii():
                raise ValueError(raw)  # int() reads "²" and Arabic digits: not ids
            value = int(raw)
        except (TypeError, ValueError):
            raise ValidationError({"ids": f"“{str(raw)[:20]}” is not a record id."}) from None
        if value < 1 or value > 2**31 - 1:
            raise ValidationError({"ids": f"“{str(raw)[:20]}” is not a record id."})
        if value not in cleaned:
            cleaned.append(value)
    if not cleaned:
        raise ValidationError({"ids": "Select at least one record."})
    if len(cleaned) > MAX_SELECTED:
        raise ValidationError({"ids": f"Select at most {MAX_SELECTED} records at a time."})
    return cleaned


def _selected(kind: BulkKind, ids: list[int], actor: Any) -> list:
    """The records, locked for the transaction, in the order selected; refused unless the
    actor may change every one (someone else's private record answers as missing)."""
    found = {r.pk: r for r in kind.queryset().select_for_update().filter(pk__in=ids)}
    missing = [pk for pk in ids if pk not in found or not kind.may_change(actor, found[pk])]
    if missing:
        # Refused like a single record's door (403), without telling which ids exist.
        raise PermissionDenied(
            f"{len(missing)} of the selected records no longer exist or are not yours to "
            "change; nothing was changed."
        )
    return [found[pk] for pk in ids]


def _alive(kind: BulkKind, records: list) -> None:
    trashed = [r for r in records if kind.in_trash(r)]
    if trashed:
        raise ValidationError(
            {
                "ids": f"{len(trashed)} of the selected records are in the trash; restore them "
                "first. Nothing was changed."
            }
        )


def bulk_apply(
    *, actor: Any, record_type: str, ids: Iterable[Any], action: str, **arguments: Any
) -> BulkChange:
    """Apply `action` to every selected record, or to none; the returned BulkChange undoes it."""
    if not can_write(actor):
        raise PermissionDenied("Your role can read but not change records.")
    kind = kind_for(record_type)
    if action not in kind.actions:
        raise ValidationError({"action": "Choose what to do with the selected records."})
    selected_ids = clean_ids(ids)
    argument = kind.clean_argument(action, arguments)
    with transaction.atomic():
        records = _selected(kind, selected_ids, actor)
        if action != "trash":
            _alive(kind, records)
        before = {str(r.pk): kind.apply(r, actor, action, argument) for r in records}
        return BulkChange.objects.create(
            actor=actor,
            record_type=record_type,
            action=action,
            argument=argument,
            record_ids=selected_ids,
            before=before,
        )


def bulk_undo(*, actor: Any, change: BulkChange) -> BulkChange:
    """Put every record back as it was before the bulk change, or refuse and change nothing
    (a record trashed or taken out of the user's reach since)."""
    if change.actor_id != actor.pk and not can_manage_team(actor):
        raise PermissionDenied("Only the person who made this change, or an admin, may undo it.")
    if change.undone_at is not None:
        raise ValidationError("This change was already undone.")
    kind = kind_for(change.record_type)
    with transaction.atomic():
        records = _selected(kind, [int(pk) for pk in change.record_ids], actor)
        if change.action != "trash":
            _alive(kind, records)
        for record in records:
            was = change.before.get(str(record.pk))
            kind.undo(record, actor, change.action, change.argument, was)
        change.undone_at = timezone.now()
        change.save(update_fields=["undone_at"])
    return change


def change_visible_to(actor: Any) -> QuerySet:
    """The bulk changes a user may see and undo: their own, or any for an admin."""
    changes = BulkChange.objects.all()
    return changes if can_manage_team(actor) else changes.filter(actor=actor)
