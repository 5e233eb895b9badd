"""Act on many: one action (assign an owner, add or remove a tag, move to the trash) applied
to the persons or companies selected on a list, as one transaction and one undoable step.

Each record goes through its own service (person_update, company_trash...), so every rule,
the version bump, the history entry and the webhook event are exactly those of a single
edit; the BulkChange row only remembers what each record was, for Undo. Either every
selected record is changed or none is: a record the user may not change, or one that no
longer exists, refuses the whole action (PermissionDenied: a 403 on the web and the API)
with a message that says how many."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from attract.accounts.models import User
from attract.core.permissions import can_change_record, can_manage_team, can_write
from attract.people import services
from attract.people.models import BulkAction, BulkChange, Company, Person
from attract.people.tags import clean_tag_names

# A list's page holds at most this many rows; a selection never spans more.
MAX_SELECTED = 200
MODELS: dict[str, type[Person] | type[Company]] = {
    "people.person": Person,
    "people.company": Company,
}


def _record_type(model: type[Person] | type[Company]) -> str:
    return model._meta.label_lower


def _clean_ids(ids: Iterable[Any]) -> list[int]:
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


def _one_tag(tag: str) -> str:
    names = clean_tag_names([tag or ""])
    if len(names) != 1:
        raise ValidationError({"tag": "Name the tag."})
    return names[0]


def _new_owner(owner: User | int | str | None) -> User:
    try:
        owner_id = int(owner.pk if isinstance(owner, User) else owner)
    except (TypeError, ValueError):
        owner_id = 0
    in_range = 0 < owner_id < 2**31
    found = User.objects.filter(pk=owner_id, is_active=True).first() if in_range else None
    if found is None:
        raise ValidationError({"owner": "Choose an active member of the team as the owner."})
    return found


def _selected(model, ids: list[int], actor: User) -> list:
    """The records, locked for the transaction, in the order selected; refused unless the
    actor may change every one (someone else's private record answers as missing)."""
    # Tags read with the records (one query): each record's own service call reads them again.
    locked = model.all_objects.select_for_update().filter(pk__in=ids).prefetch_related("tags")
    found = {r.pk: r for r in locked}
    missing = [pk for pk in ids if pk not in found or not can_change_record(actor, found[pk])]
    if missing:
        # Refused like a single record's door (403), without telling which ids exist.
        raise PermissionDenied(
            f"{len(missing)} of the selected records no longer exist or are not yours to "
            "change; nothing was changed."
        )
    return [found[pk] for pk in ids]


def _update(record, actor: User, **fields: Any) -> None:
    if isinstance(record, Person):
        services.person_update(actor=actor, person=record, reason="Bulk change", **fields)
    else:
        services.company_update(actor=actor, company=record, reason="Bulk change", **fields)


def _tag_names(record) -> list[str]:
    return [t.name for t in record.tags.all()]


def _has_tag(record, tag: str) -> bool:
    return any(name.casefold() == tag.casefold() for name in _tag_names(record))


def _trash(record, actor: User) -> None:
    if isinstance(record, Person):
        services.person_trash(actor=actor, person=record)
    else:
        services.company_trash(actor=actor, company=record)


def _restore(record, actor: User) -> None:
    if isinstance(record, Person):
        services.person_restore(actor=actor, person=record)
    else:
        services.company_restore(actor=actor, company=record)


def _alive(records: list) -> None:
    trashed = [r for r in records if r.in_trash]
    if trashed:
        raise ValidationError(
            {
                "ids": f"{len(trashed)} of the selected records are in the trash; restore them "
                "first. Nothing was changed."
            }
        )


def bulk_apply(
    *,
    actor: User,
    model: type[Person] | type[Company],
    ids: Iterable[Any],
    action: str,
    owner: User | int | None = None,
    tag: str = "",
) -> BulkChange:
    """Apply `action` to every selected record, or to none; the returned BulkChange undoes it."""
    if not can_write(actor):
        raise PermissionDenied("Your role can read but not change records.")
    if action not in BulkAction.values:
        raise ValidationError({"action": "Choose what to do with the selected records."})
    selected_ids = _clean_ids(ids)
    argument = ""
    if action == BulkAction.ASSIGN_OWNER:
        new_owner = _new_owner(owner)
        argument = str(new_owner.pk)
    elif action in (BulkAction.ADD_TAG, BulkAction.REMOVE_TAG):
        argument = _one_tag(tag)
    with transaction.atomic():
        records = _selected(model, selected_ids, actor)
        before: dict[str, Any] = {}
        if action != BulkAction.TRASH:
            _alive(records)
        for record in records:
            key = str(record.pk)
            if action == BulkAction.ASSIGN_OWNER:
                before[key] = record.owner_id
                if record.owner_id != new_owner.pk:
                    _update(record, actor, owner=new_owner)
            elif action == BulkAction.ADD_TAG:
                before[key] = _has_tag(record, argument)
                if not before[key]:
                    _update(record, actor, tags=[*_tag_names(record), argument])
            elif action == BulkAction.REMOVE_TAG:
                before[key] = _has_tag(record, argument)
                if before[key]:
                    kept = [n for n in _tag_names(record) if n.casefold() != argument.casefold()]
                    _update(record, actor, tags=kept)
            else:
                before[key] = record.in_trash
                _trash(record, actor)
        return BulkChange.objects.create(
            actor=actor,
            record_type=_record_type(model),
            action=action,
            argument=argument,
            record_ids=selected_ids,
            before=before,
        )


def bulk_undo(*, actor: User, change: BulkChange) -> BulkChange:
    """Put every record back as it was before the bulk change, or refuse and change nothing
    (a record trashed or taken out of the user's reach since)."""
    if change.actor_id != actor.pk and not can_manage_team(actor):
        raise PermissionDenied("Only the person who made this change, or an admin, may undo it.")
    if change.undone_at is not None:
        raise ValidationError("This change was already undone.")
    model = MODELS[change.record_type]
    with transaction.atomic():
        records = _selected(model, [int(pk) for pk in change.record_ids], actor)
        if change.action != BulkAction.TRASH:
            _alive(records)
        for record in records:
            was = change.before.get(str(record.pk))
            if change.action == BulkAction.ASSIGN_OWNER:
                if record.owner_id != was:
                    _update(record, actor, owner=User.objects.filter(pk=was).first())
            elif change.action == BulkAction.ADD_TAG:
                if not was and _has_tag(record, change.argument):
                    kept = [
                        n for n in _tag_names(record) if n.casefold() != change.argument.casefold()
                    ]
                    _update(record, actor, tags=kept)
            elif change.action == BulkAction.REMOVE_TAG:
                if was and not _has_tag(record, change.argument):
                    _update(record, actor, tags=[*_tag_names(record), change.argument])
            elif not was:
                _restore(record, actor)
        change.undone_at = timezone.now()
        change.save(update_fields=["undone_at"])
    return change
