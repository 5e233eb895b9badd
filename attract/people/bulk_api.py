"""REST endpoints that act on many persons or companies at once (people/bulk.py), mounted
at /api/v1/ before the single-record routes so that /persons/bulk is not read as an id."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from django.http import Http404, HttpRequest
from ninja import Field, Router, Schema

from attract.core.bulk import change_visible_to
from attract.core.models import BulkChange
from attract.people.bulk import MAX_SELECTED, bulk_apply, bulk_undo
from attract.people.models import Company, Person

router = Router(tags=["people"])


class BulkIn(Schema):
    ids: list[int] = Field(..., min_length=1, max_length=MAX_SELECTED)
    action: Literal["assign_owner", "add_tag", "remove_tag", "trash"]
    owner: int | None = Field(None, description="The new owner's user id (assign_owner)")
    tag: str = Field("", max_length=50, description="The tag (add_tag, remove_tag)")


class BulkChangeOut(Schema):
    id: int
    record_type: str
    action: str
    argument: str
    record_ids: list[int]
    created_at: datetime
    undone_at: datetime | None


def _bulk(request: HttpRequest, model, payload: BulkIn) -> BulkChange:
    return bulk_apply(
        actor=request.auth,
        model=model,
        ids=payload.ids,
        action=payload.action,
        owner=payload.owner,
        tag=payload.tag,
    )


@router.post(
    "/persons/bulk",
    response={201: BulkChangeOut},
    tags=["persons"],
    summary="One action on many persons (all or none), undoable as one",
)
def bulk_persons(request: HttpRequest, payload: BulkIn) -> BulkChange:
    return _bulk(request, Person, payload)


@router.post(
    "/companies/bulk",
    response={201: BulkChangeOut},
    tags=["companies"],
    summary="One action on many companies (all or none), undoable as one",
)
def bulk_companies(request: HttpRequest, payload: BulkIn) -> BulkChange:
    return _bulk(request, Company, payload)


@router.post(
    "/bulk-changes/{change_id}/undo",
    response=BulkChangeOut,
    tags=["persons", "companies", "deals", "tasks"],
    summary="Undo a bulk change",
)
def undo_bulk_change(request: HttpRequest, change_id: int) -> BulkChange:
    # Another's change answers as missing (only its maker, or an admin, may see or undo it).
    change = change_visible_to(request.auth).filter(pk=change_id).first()
    if change is None:
        raise Http404
    return bulk_undo(actor=request.auth, change=change)
