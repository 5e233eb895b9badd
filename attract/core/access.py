"""Fetch one record for a request, or answer 404/403: the single door every view goes through."""

from __future__ import annotations

from typing import TypeVar

from django.core.exceptions import PermissionDenied
from django.db.models import Model, QuerySet
from django.http import Http404

from attract.core.permissions import can_view_record, can_write

M = TypeVar("M", bound=Model)


def get_record_for_user(queryset: QuerySet[M], *, user, pk: int, write: bool = False) -> M:
    """Return the record, 404 if it does not exist *or the user may not see it* (so that an
    outsider cannot learn that a private record exists), 403 if they may see but not change it.
    """
    try:
        record = queryset.get(pk=pk)
    except (queryset.model.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404 from exc
    if not can_view_record(user, record):
        raise Http404
    if write and not can_write(user):
        raise PermissionDenied("Your role can read but not change records.")
    return record
