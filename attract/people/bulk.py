"""Act on many persons or companies: assign an owner, add or remove a tag, move to the trash
— registered with core.bulk, which makes it one transaction and one undoable step.

The owner and tag steps are shared with every record that has an owner and tags (deals
too): `owned_tagged_kind` builds the kind from the record's own update/trash/restore
services, so each record's rules, version, history and webhook event are a single edit's."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from django.core.exceptions import ValidationError

from attract.accounts.models import User
from attract.core import bulk as core_bulk
from attract.core.bulk import MAX_SELECTED, BulkKind
from attract.core.models import BulkAction, BulkChange
from attract.core.permissions import can_change_record
from attract.people import services
from attract.people.models import Company, Person
from attract.people.tags import clean_tag_names

__all__ = ["MAX_SELECTED", "MODELS", "bulk_apply", "bulk_undo", "owned_tagged_kind"]

MODELS: dict[str, type[Person] | type[Company]] = {
    "people.person": Person,
    "people.company": Company,
}
OWNER_TAG_TRASH = (
    BulkAction.ASSIGN_OWNER,
    BulkAction.ADD_TAG,
    BulkAction.REMOVE_TAG,
    BulkAction.TRASH,
)


def one_tag(tag: str) -> str:
    names = clean_tag_names([tag or ""])
    if len(names) != 1:
        raise ValidationError({"tag": "Name the tag."})
    return names[0]


def new_owner(owner: User | int | str | None) -> User:
    try:
        owner_id = int(owner.pk if isinstance(owner, User) else owner)
    except (TypeError, ValueError):
        owner_id = 0
    in_range = 0 < owner_id < 2**31
    found = User.objects.filter(pk=owner_id, is_active=True).first() if in_range else None
    if found is None:
        raise ValidationError({"owner": "Choose an active member of the team as the owner."})
    return found


def owner_or_tag_argument(action: str, arguments: dict[str, Any]) -> str:
    if action == BulkAction.ASSIGN_OWNER:
        return str(new_owner(arguments.get("owner")).pk)
    if action in (BulkAction.ADD_TAG, BulkAction.REMOVE_TAG):
        return one_tag(arguments.get("tag", ""))
    return ""


def _tag_names(record) -> list[str]:
    return [t.name for t in record.tags.all()]


def _has_tag(record, tag: str) -> bool:
    return any(name.casefold() == tag.casefold() for name in _tag_names(record))


def _without(record, tag: str) -> list[str]:
    return [n for n in _tag_names(record) if n.casefold() != tag.casefold()]


def owned_tagged_kind(
    *,
    model,
    update: Callable[..., Any],  # (record, actor, **fields) through the record's service
    trash: Callable[[Any, Any], None],
    restore: Callable[[Any, Any], None],
    extra_actions: tuple[str, ...] = (),
    clean_extra: Callable[[str, dict[str, Any]], str] | None = None,
    apply_extra: Callable[[Any, Any, str, str], Any] | None = None,
    undo_extra: Callable[[Any, Any, str, str, Any], None] | None = None,
) -> BulkKind:
    """A BulkKind for a record with an owner, tags and a trash (person, company, deal), with
    the record's own further actions (a deal's stage) added by the caller."""

    def clean(action: str, arguments: dict[str, Any]) -> str:
        if action in extra_actions and clean_extra is not None:
            return clean_extra(action, arguments)
        return owner_or_tag_argument(action, arguments)

    def apply(record, actor: User, action: str, argument: str) -> Any:
        if action in extra_actions and apply_extra is not None:
            return apply_extra(record, actor, action, argument)
        if action == BulkAction.ASSIGN_OWNER:
            was = record.owner_id
            if was != int(argument):
                update(record, actor, owner=User.objects.get(pk=int(argument)))
            return was
        if action == BulkAction.ADD_TAG:
            had = _has_tag(record, argument)
            if not had:
                update(record, actor, tags=[*_tag_names(record), argument])
            return had
        if action == BulkAction.REMOVE_TAG:
            had = _has_tag(record, argument)
            if had:
                update(record, actor, tags=_without(record, argument))
            return had
        was = record.in_trash
        trash(record, actor)
        return was

    def undo(record, actor: User, action: str, argument: str, was: Any) -> None:
        if action in extra_actions and undo_extra is not None:
            undo_extra(record, actor, action, argument, was)
        elif action == BulkAction.ASSIGN_OWNER:
            if record.owner_id != was:
                update(record, actor, owner=User.objects.filter(pk=was).first())
        elif action == BulkAction.ADD_TAG:
            if not was and _has_tag(record, argument):
                update(record, actor, tags=_without(record, argument))
        elif action == BulkAction.REMOVE_TAG:
            if was and not _has_tag(record, argument):
                update(record, actor, tags=[*_tag_names(record), argument])
        elif not was:
            restore(record, actor)

    return BulkKind(
        record_type=model._meta.label_lower,
        actions=(*OWNER_TAG_TRASH, *extra_actions),
        # Tags read with the records (one query): each record's own service reads them again.
        queryset=lambda: model.all_objects.prefetch_related("tags"),
        may_change=can_change_record,
        clean_argument=clean,
        apply=apply,
        undo=undo,
        in_trash=lambda record: record.in_trash,
    )


def register_kinds() -> None:
    core_bulk.register(
        owned_tagged_kind(
            model=Person,
            update=lambda r, actor, **f: services.person_update(
                actor=actor, person=r, reason="Bulk change", **f
            ),
            trash=lambda r, actor: services.person_trash(actor=actor, person=r),
            restore=lambda r, actor: services.person_restore(actor=actor, person=r),
        )
    )
    core_bulk.register(
        owned_tagged_kind(
            model=Company,
            update=lambda r, actor, **f: services.company_update(
                actor=actor, company=r, reason="Bulk change", **f
            ),
            trash=lambda r, actor: services.company_trash(actor=actor, company=r),
            restore=lambda r, actor: services.company_restore(actor=actor, company=r),
        )
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
    """Apply `action` to every selected person or company, or to none (see core.bulk)."""
    return core_bulk.bulk_apply(
        actor=actor,
        record_type=model._meta.label_lower,
        ids=ids,
        action=action,
        owner=owner,
        tag=tag,
    )


def bulk_undo(*, actor: User, change: BulkChange) -> BulkChange:
    return core_bulk.bulk_undo(actor=actor, change=change)
