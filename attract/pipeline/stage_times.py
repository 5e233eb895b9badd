"""How long each stage move's deal had spent in the stage it left (StageMove.time_in_previous_stage):
from the deal's latest move strictly before it to the move itself, None for a deal's first move.

The service that records a move fills it as it writes the row (one indexed look-up of the move
before); writes that insert moves in bulk (an import, the demo, the benchmark) or change their
times call `stage_move_times_fill` for the deals they touched, which recomputes every move of
those deals in the database, a batch of deals at a time. Taking a move back (undo) leaves the
others right: the undone move is the deal's last, so no move counted from it.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta

from django.db.models import DurationField, ExpressionWrapper, F, OuterRef, Subquery

from attract.pipeline.models import StageMove

BATCH = 2_000  # deals per UPDATE


def previous_move_at(deal_id: int, moved_at: datetime) -> datetime | None:
    """When the deal's latest move strictly before `moved_at` was made."""
    return (
        StageMove.objects.filter(deal_id=deal_id, moved_at__lt=moved_at)
        .order_by("-moved_at")
        .values_list("moved_at", flat=True)
        .first()
    )


def time_since(previous_at: datetime | None, moved_at: datetime) -> timedelta | None:
    return None if previous_at is None else moved_at - previous_at


def _time_in_previous_stage() -> ExpressionWrapper:
    previous = (
        StageMove.objects.filter(deal_id=OuterRef("deal_id"), moved_at__lt=OuterRef("moved_at"))
        .order_by("-moved_at")
        .values("moved_at")[:1]
    )
    # A datetime minus a datetime: exact to the microsecond on both databases (an interval on
    # PostgreSQL, Django's own timestamp difference on SQLite).
    return ExpressionWrapper(F("moved_at") - Subquery(previous), output_field=DurationField())


def stage_move_times_fill(*, deal_ids: Iterable[int] | None = None) -> int:
    """Recompute the time in the previous stage of every move of these deals (of every deal
    when None), BATCH deals per UPDATE. Returns the number of moves written."""
    if deal_ids is None:
        ids = list(
            StageMove.objects.order_by("deal_id").values_list("deal_id", flat=True).distinct()
        )
    else:
        ids = sorted(set(deal_ids))
    written = 0
    for begin in range(0, len(ids), BATCH):
        batch = ids[begin : begin + BATCH]
        written += StageMove.objects.filter(deal_id__in=batch).update(
            time_in_previous_stage=_time_in_previous_stage()
        )
    return written
