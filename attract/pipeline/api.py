"""REST endpoints for deals, quotes, stages and moves, mounted at /api/v1/.

A move refused by a stage gate answers 409 with `code: gate_refused` and the list of what is
missing; a write that names an old `version` answers 409 with `code: version_conflict`.
Bad input answers 422 with field errors, like the rest of the API.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest
from ninja import Query, Router, Status

from attract.accounts.models import User
from attract.core.access import get_record_for_user
from attract.core.keyset import api_page
from attract.core.permissions import visible_to
from attract.core.versions import VersionConflict
from attract.people.models import Company, Person
from attract.pipeline import configuration, services
from attract.pipeline.calibration import forecast_calibration
from attract.pipeline.forecasting import forecast_by_month, learned_chances
from attract.pipeline.gates import GATE_DESCRIPTIONS, StageGateRefused
from attract.pipeline.models import Deal, LostReason, Quote, Stage
from attract.pipeline.schemas import (
    CalibrationOut,
    CloseAsNoIn,
    ConflictOut,
    DealFilters,
    DealIn,
    DealOut,
    DealPage,
    DealPatch,
    ForecastMonthOut,
    LoseIn,
    MoveIn,
    MoveOut,
    QuoteIn,
    QuoteOut,
    QuoteSendIn,
    ReferOutIn,
    StageOut,
    StageSettingIn,
    VersionIn,
)
from attract.pipeline.selectors import (
    deal_board,
    deal_detail_queryset,
    deal_list_for_user,
    deal_sorts,
    stage_settings,
)

router = Router(tags=["deals"])

CONFLICT = {200: DealOut, 409: ConflictOut}


def _deal(request: HttpRequest, pk: int, *, write: bool = False, trash: bool = False) -> Deal:
    return get_record_for_user(
        deal_detail_queryset(include_trash=trash), user=request.auth, pk=pk, write=write
    )


def _visible(model, actor: User, pk: int | None, field: str, noun: str):
    if pk is None:
        return None
    # Missing and someone else's private record get the same answer.
    record = visible_to(model.objects.all(), actor).filter(pk=pk).first()
    if record is None:
        raise ValidationError({field: f"No {noun} with the id {pk}."})
    return record


def _fields(actor: User, payload: DealIn | DealPatch) -> dict[str, Any]:
    fields = payload.dict(exclude_unset=True)
    fields.pop("version", None)
    if "company" in fields:
        fields["company"] = _visible(Company, actor, fields["company"], "company", "company")
    if "contact" in fields:
        fields["contact"] = _visible(Person, actor, fields["contact"], "contact", "person")
    if "owner" in fields and fields["owner"] is not None:
        owner = User.objects.filter(pk=fields["owner"], is_active=True).first()
        if owner is None:
            raise ValidationError({"owner": f"No active team member has the id {fields['owner']}."})
        fields["owner"] = owner
    return fields


def _answer(request: HttpRequest, pk: int, write: Callable[[], object]):
    """Run a write; turn a gate refusal or a version conflict into a 409 the client can read."""
    try:
        write()
    except StageGateRefused as refused:
        body = {"code": "gate_refused", "detail": str(refused), "missing": refused.missing}
        return Status(409, body)
    except VersionConflict as conflict:
        return Status(409, conflict.as_api_body())
    return Status(200, _deal(request, pk))


# --- Deals --------------------------------------------------------------------------------


@router.get("/deals", response=DealPage, summary="List deals")
def list_deals(request: HttpRequest, filters: Query[DealFilters]) -> dict[str, Any]:
    deals = deal_list_for_user(
        user=request.auth,
        outcome=filters.outcome if not filters.closed else None,
        closed=filters.closed,
        stage=filters.stage,
        owner_id=filters.owner,
        tag=filters.tag,
        company_id=filters.company,
        search=filters.search,
        sort=filters.sort,
    )
    sorts = deal_sorts(closed=filters.closed)
    # The deal list is always narrowed (open deals by default): past 10,000 it says "more
    # than", the table's size would count the closed deals too (see core.counting).
    return api_page(
        deals,
        limit=filters.limit,
        offset=filters.offset,
        after_position=filters.after,
        ordering=sorts.get(filters.sort) or next(iter(sorts.values())),
        filtered=True,
    )


@router.post("/deals", response={201: DealOut}, summary="Create a deal")
def create_deal(request: HttpRequest, payload: DealIn) -> Deal:
    deal = services.deal_create(actor=request.auth, **_fields(request.auth, payload))
    return _deal(request, deal.pk)


@router.get("/deals/{deal_id}", response=DealOut, summary="A deal")
def get_deal(request: HttpRequest, deal_id: int) -> Deal:
    return _deal(request, deal_id)


@router.patch("/deals/{deal_id}", response=CONFLICT, summary="Change a deal")
def update_deal(request: HttpRequest, deal_id: int, payload: DealPatch):
    deal = _deal(request, deal_id, write=True)
    fields = _fields(request.auth, payload)
    return _answer(
        request,
        deal_id,
        lambda: services.deal_update(
            actor=request.auth, deal=deal, expected_version=payload.version, **fields
        ),
    )


@router.delete("/deals/{deal_id}", response={204: None}, summary="Move a deal to the trash")
def trash_deal(request: HttpRequest, deal_id: int) -> None:
    services.deal_trash(actor=request.auth, deal=_deal(request, deal_id, write=True))


@router.post("/deals/{deal_id}/restore", response=DealOut, summary="Restore a deal")
def restore_deal(request: HttpRequest, deal_id: int) -> Deal:
    deal = _deal(request, deal_id, write=True, trash=True)
    services.deal_restore(actor=request.auth, deal=deal)
    return _deal(request, deal_id)


@router.post(
    "/deals/{deal_id}/move",
    response=CONFLICT,
    summary="Move a deal to a stage (409 with what is missing when a gate refuses)",
)
def move_deal(request: HttpRequest, deal_id: int, payload: MoveIn):
    deal = _deal(request, deal_id, write=True)
    return _answer(
        request,
        deal_id,
        lambda: services.deal_move_to_stage(
            actor=request.auth,
            deal=deal,
            stage=payload.stage,
            expected_version=payload.version,
            note=payload.note,
            override_reason=payload.override_reason,
        ),
    )


@router.get("/deals/{deal_id}/moves", response=list[MoveOut], summary="A deal's stage history")
def list_moves(request: HttpRequest, deal_id: int):
    return list(_deal(request, deal_id).moves.order_by("moved_at", "id"))


@router.post("/deals/{deal_id}/win", response=CONFLICT, summary="Close a deal as won")
def win_deal(request: HttpRequest, deal_id: int, payload: VersionIn):
    deal = _deal(request, deal_id, write=True)
    return _answer(
        request,
        deal_id,
        lambda: services.deal_win(actor=request.auth, deal=deal, expected_version=payload.version),
    )


def _lost_reason_kind(pk: int | None):
    if pk is None:
        return None
    found = LostReason.objects.filter(pk=pk).first()
    if found is None:
        raise ValidationError({"reason_kind": "No such lost reason."})
    return found


@router.post("/deals/{deal_id}/lose", response=CONFLICT, summary="Close a deal as lost")
def lose_deal(request: HttpRequest, deal_id: int, payload: LoseIn):
    deal = _deal(request, deal_id, write=True)
    return _answer(
        request,
        deal_id,
        lambda: services.deal_lose(
            actor=request.auth,
            deal=deal,
            reason=payload.reason,
            expected_version=payload.version,
            reason_kind=_lost_reason_kind(payload.reason_kind),
        ),
    )


@router.post("/deals/{deal_id}/refer-out", response=CONFLICT, summary="Close as referred out")
def refer_out_deal(request: HttpRequest, deal_id: int, payload: ReferOutIn):
    deal = _deal(request, deal_id, write=True)
    return _answer(
        request,
        deal_id,
        lambda: services.deal_refer_out(
            actor=request.auth, deal=deal, note=payload.note, expected_version=payload.version
        ),
    )


@router.post("/deals/{deal_id}/close-as-no", response=DealOut, summary="Close fast as a no")
def close_deal_as_no(request: HttpRequest, deal_id: int, payload: CloseAsNoIn) -> Deal:
    deal = _deal(request, deal_id, write=True)
    services.deal_close_as_no(actor=request.auth, deal=deal, reason=payload.reason)
    return _deal(request, deal_id)


@router.post("/deals/{deal_id}/reopen", response=DealOut, summary="Reopen a closed deal")
def reopen_deal(request: HttpRequest, deal_id: int) -> Deal:
    services.deal_reopen(actor=request.auth, deal=_deal(request, deal_id, write=True))
    return _deal(request, deal_id)


# --- Quotes -------------------------------------------------------------------------------


def _quote(request: HttpRequest, pk: int) -> Quote:
    quote = Quote.objects.select_related("deal").filter(pk=pk).first()
    if quote is None:
        raise Http404
    _deal(request, quote.deal_id, write=True)
    return quote


@router.get("/deals/{deal_id}/quotes", response=list[QuoteOut], tags=["quotes"])
def list_quotes(request: HttpRequest, deal_id: int):
    return list(_deal(request, deal_id).quotes.all())


@router.post("/deals/{deal_id}/quotes", response={201: QuoteOut}, tags=["quotes"])
def create_quote(request: HttpRequest, deal_id: int, payload: QuoteIn):
    deal = _deal(request, deal_id, write=True)
    return services.quote_create(actor=request.auth, deal=deal, **payload.dict())


@router.post("/quotes/{quote_id}/send", response=QuoteOut, tags=["quotes"])
def send_quote(request: HttpRequest, quote_id: int, payload: QuoteSendIn) -> Quote:
    quote = _quote(request, quote_id)
    return services.quote_send(actor=request.auth, quote=quote, sent_on=payload.sent_on)


@router.post("/quotes/{quote_id}/accept", response=QuoteOut, tags=["quotes"])
def accept_quote(request: HttpRequest, quote_id: int) -> Quote:
    return services.quote_set_answer(
        actor=request.auth, quote=_quote(request, quote_id), accepted=True
    )


@router.post("/quotes/{quote_id}/decline", response=QuoteOut, tags=["quotes"])
def decline_quote(request: HttpRequest, quote_id: int) -> Quote:
    return services.quote_set_answer(
        actor=request.auth, quote=_quote(request, quote_id), accepted=False
    )


# --- Stages and forecast ------------------------------------------------------------------


@router.get("/stages", response=list[StageOut], tags=["stages"], summary="The five stages")
def list_stages(request: HttpRequest) -> list[dict[str, Any]]:
    board = deal_board(user=request.auth, cards_per_stage=0)
    chances = learned_chances()
    settings = stage_settings()
    return [
        {
            "stage": c.stage,
            "label": c.label,
            "probability": c.probability,
            "stale_after_days": c.stale_after_days,
            "entry_criteria": GATE_DESCRIPTIONS[c.stage],
            "enforce_entry_criteria": settings[c.stage].enforce_entry_criteria,
            "learned_probability": round(chances[c.stage].learned, 1),
            "learned_sample_size": chances[c.stage].reached,
            "open_count": c.count,
            "open_total": c.total,
            "weighted_total": c.weighted_total,
        }
        for c in board.columns
    ]


@router.put("/stages/{stage}", response=list[StageOut], tags=["stages"], summary="Tune a stage")
def update_stage(request: HttpRequest, stage: str, payload: StageSettingIn):
    if stage not in Stage.values:
        raise ValidationError({"stage": f"“{stage}” is not a stage."})
    configuration.stage_setting_update(actor=request.auth, stage=stage, **payload.dict())
    return list_stages(request)


@router.get("/forecast/calibration", response=CalibrationOut, tags=["stages"])
def calibration(request: HttpRequest):
    """For closed deals: the chance the forecast gave them against how often such deals were
    won, in ten bands of chance, and the Brier score (learned and configured chances)."""
    result = forecast_calibration()
    return {
        "deals": result.deals,
        "forecasts": result.forecasts,
        "brier": result.brier,
        "configured_brier": result.configured_brier,
        "bins": [
            {
                "low": b.low,
                "high": b.high,
                "count": b.count,
                "won": b.won,
                "mean_chance": b.mean_chance,
                "won_share": b.won_share,
            }
            for b in result.bins
        ],
    }


@router.get("/forecast", response=list[ForecastMonthOut], tags=["stages"])
def forecast(request: HttpRequest, owner: int | None = None):
    """Open deals by expected close month, weighted by configured and by learned chances."""
    return forecast_by_month(user=request.auth, owner_id=owner).months
