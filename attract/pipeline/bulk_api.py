"""REST endpoint that acts on many deals at once (pipeline/bulk.py), mounted at /api/v1/
before the single-deal routes so that /deals/bulk is not read as an id. Undo is the shared
/bulk-changes/{id}/undo."""

from __future__ import annotations

from typing import Literal

from django.http import HttpRequest
from ninja import Field, Router, Schema

from attract.core import bulk as core_bulk
from attract.core.models import BulkChange
from attract.people.bulk_api import BulkChangeOut
from attract.pipeline.models import Stage

router = Router(tags=["deals"])

StageName = Literal[tuple(Stage.values)]  # type: ignore[valid-type]


class DealBulkIn(Schema):
    ids: list[int] = Field(..., min_length=1, max_length=core_bulk.MAX_SELECTED)
    action: Literal["assign_owner", "add_tag", "remove_tag", "move_stage", "trash"]
    owner: int | None = Field(None, description="The new owner's user id (assign_owner)")
    tag: str = Field("", max_length=50, description="The tag (add_tag, remove_tag)")
    stage: StageName | None = Field(None, description="The stage to move to (move_stage)")


@router.post(
    "/deals/bulk",
    response={201: BulkChangeOut},
    summary="One action on many deals (all or none), undoable as one",
)
def bulk_deals(request: HttpRequest, payload: DealBulkIn) -> BulkChange:
    return core_bulk.bulk_apply(
        actor=request.auth,
        record_type="pipeline.deal",
        ids=payload.ids,
        action=payload.action,
        owner=payload.owner,
        tag=payload.tag,
        stage=payload.stage or "",
    )
