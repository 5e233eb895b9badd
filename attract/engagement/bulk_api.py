"""REST endpoints that act on many tasks or interactions at once (engagement/bulk.py),
mounted before the single-record routes; undo is the shared /bulk-changes/{id}/undo."""

from __future__ import annotations

from typing import Literal

from django.http import HttpRequest
from ninja import Field, Router, Schema

from attract.core import bulk as core_bulk
from attract.core.models import BulkChange
from attract.engagement.bulk import MAX_DAYS
from attract.people.bulk_api import BulkChangeOut

router = Router(tags=["engagement"])


class TaskBulkIn(Schema):
    ids: list[int] = Field(..., min_length=1, max_length=core_bulk.MAX_SELECTED)
    action: Literal["assign", "mark_done", "move_due", "trash"]
    assignee: int | None = Field(None, description="The new assignee's user id (assign)")
    days: int | None = Field(
        None, ge=-MAX_DAYS, le=MAX_DAYS, description="Days to move the due date by (move_due)"
    )


class InteractionBulkIn(Schema):
    ids: list[int] = Field(..., min_length=1, max_length=core_bulk.MAX_SELECTED)
    action: Literal["trash"]


@router.post(
    "/tasks/bulk",
    response={201: BulkChangeOut},
    summary="One action on many tasks (all or none), undoable as one",
)
def bulk_tasks(request: HttpRequest, payload: TaskBulkIn) -> BulkChange:
    return core_bulk.bulk_apply(
        actor=request.auth,
        record_type="engagement.task",
        ids=payload.ids,
        action=payload.action,
        assignee=payload.assignee,
        days=payload.days,
    )


@router.post(
    "/interactions/bulk",
    response={201: BulkChangeOut},
    summary="Move many interactions to the trash (all or none), undoable as one",
)
def bulk_interactions(request: HttpRequest, payload: InteractionBulkIn) -> BulkChange:
    return core_bulk.bulk_apply(
        actor=request.auth,
        record_type="engagement.interaction",
        ids=payload.ids,
        action=payload.action,
    )
