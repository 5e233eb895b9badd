"""Act on many deals from the open or closed deal list: assign an owner, add or remove a
tag, move to a stage, move to the trash — one transaction, one undoable step (core.bulk).

Each deal goes through its own service (deal_update, deal_move_to_stage, deal_trash), so
the stage gates, the recorded stage move, the version, the history and the webhook event
are those of a single edit. A forward move that a deal's gate refuses refuses the whole
action (nothing moves) with the deal named, as on the board."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError

from attract.core import bulk as core_bulk
from attract.core.models import BulkAction
from attract.people.bulk import owned_tagged_kind
from attract.pipeline import services
from attract.pipeline.gates import StageGateRefused
from attract.pipeline.models import Deal, Stage


def _stage_argument(action: str, arguments: dict[str, Any]) -> str:
    stage = arguments.get("stage") or ""
    if stage not in Stage.values:
        raise ValidationError({"stage": "Choose the stage to move the deals to."})
    return stage


def _move(deal: Deal, actor, stage: str) -> None:
    try:
        services.deal_move_to_stage(actor=actor, deal=deal, stage=stage, note="Bulk change")
    except StageGateRefused as refused:
        raise ValidationError(
            {
                "stage": f"“{deal.title}” cannot move to {Stage(stage).label} yet: "
                f"{'; '.join(refused.missing)}. Nothing was moved."
            }
        ) from None


def _apply_stage(deal: Deal, actor, action: str, stage: str) -> str:
    was = deal.stage
    _move(deal, actor, stage)
    return was


def _undo_stage(deal: Deal, actor, action: str, stage: str, was: Any) -> None:
    if was in Stage.values and deal.stage != was:
        _move(deal, actor, was)


def register_kinds() -> None:
    core_bulk.register(
        owned_tagged_kind(
            model=Deal,
            update=lambda d, actor, **f: services.deal_update(actor=actor, deal=d, **f),
            trash=lambda d, actor: services.deal_trash(actor=actor, deal=d),
            restore=lambda d, actor: services.deal_restore(actor=actor, deal=d),
            extra_actions=(BulkAction.MOVE_STAGE,),
            clean_extra=_stage_argument,
            apply_extra=_apply_stage,
            undo_extra=_undo_stage,
        )
    )
