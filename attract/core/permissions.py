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


def can_view_record(user: User, record: OwnedRecord) -> bool:
    return not record.is_private or record.owner_id == user.pk


def can_change_record(user: User, record: OwnedRecord) -> bool:
    return can_write(user) and can_view_record(user, record)


def visible_to(queryset: QuerySet, user: User) -> QuerySet:
    """Narrow a queryset of owned records to those the user may see."""
    return queryset.filter(Q(is_private=False) | Q(owner_id=user.pk))
