"""Who may see and change what. One place, used by views, the API and the CLI alike.

Records are shared with the whole team unless marked private; a private record is seen only
by its owner. Viewers read, everyone else may also write what they can see; owners and
admins manage the team.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol

from django.db.models import Q, QuerySet

if TYPE_CHECKING:
    from attract.accounts.models import User


class OwnedRecord(Protocol):
    owner_id: int | None
    is_private: bool


def can_write(user: User) -> bool:
    return user.is_authenticated and user.is_active and user.role != "viewer"


def can_manage_team(user: User) -> bool:
    return user.is_authenticated and user.is_active and user.role in {"owner", "admin"}


def can_view_record(user: User | None, record: OwnedRecord) -> bool:
    # An owner-less private record (its owner's account was deleted) is seen by no one, not by
    # whoever has no primary key either.
    return not record.is_private or (
        user is not None and record.owner_id is not None and record.owner_id == user.pk
    )


def can_change_record(user: User, record: OwnedRecord) -> bool:
    return can_write(user) and can_view_record(user, record)


def visible_to(queryset: QuerySet, user: User) -> QuerySet:
    """Narrow a queryset of owned records to those the user may see."""
    return queryset.filter(Q(is_private=False) | Q(owner_id=user.pk))


# What a reader who may not see a private record is shown in its place, wherever another
# record names it (a deal's company, a person's company, a complaint's subject...).
PRIVATE_LABELS = {
    "company": "a private company",
    "person": "a private contact",
    "deal": "a private deal",
}


def visible_or_none(user: User | None, record: OwnedRecord | None) -> OwnedRecord | None:
    """The related record if this user may see it, else None: what a serializer may name."""
    if record is None or not can_view_record(user, record):
        return None
    return record


def name_seen_by(user: User | None, record: OwnedRecord | None) -> str:
    """The record's name as this user may read it: its own name, or "a private company" (a
    contact, a deal) when it is someone else's private record; "" when there is none."""
    if record is None:
        return ""
    if can_view_record(user, record):
        return str(record)
    return PRIVATE_LABELS.get(record._meta.model_name, "a private record")
