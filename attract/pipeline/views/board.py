"""The board: five columns of open deals, and the move a drag, a select or a button makes.

A move answers the whole board fragment (columns, totals and any refusal shown on the card)
to board.js, or redirects with a message when the browser posted the form itself.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.html import format_html_join
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_GET, require_POST

from attract.core.access import get_record_for_user
from attract.core.permissions import can_manage_team, can_write
from attract.core.versions import VersionConflict
from attract.pipeline import services
from attract.pipeline.forms import BoardFilterForm, MoveForm, UndoMoveForm
from attract.pipeline.gates import GATE_DESCRIPTIONS, StageGateRefused
from attract.pipeline.models import Deal, Stage
from attract.pipeline.selectors import deal_board, deal_owner_choices

# Enough to work a column (a phone shows five, a desktop about eight); the rest are one click
# away in the stage's list, or narrowed with the owner and tag filters. Each card costs about
# a millisecond to render, so this number is most of the board's time.
CARDS_PER_STAGE = 20
PK_MARK = "2147483647"


def _prepare_cards(board) -> None:
    """Give each card its links and its "Move to" options, built once per board rather than
    once per card in the template: a full board has 150 cards, and this halves its render."""
    detail = reverse("pipeline:deal_detail", args=[PK_MARK])
    move = reverse("pipeline:deal_move", args=[PK_MARK])
    options = {
        current: format_html_join(
            "",
            '<option value="{}"{}>{}</option>',
            (
                (value, mark_safe(" selected") if value == current else "", label)  # noqa: S308
                for value, label in Stage.choices
            ),
        )
        for current in Stage.values
    }
    for column in board.columns:
        for card in column.cards:
            card.url = detail.replace(PK_MARK, str(card.pk))
            card.move_url = move.replace(PK_MARK, str(card.pk))
            card.stage_options = options[card.stage]


def _board_context(request: HttpRequest, query: Any, feedback: dict | None = None) -> dict:
    form = BoardFilterForm(query, owners=deal_owner_choices())
    form.is_valid()
    owner_id, tag = form.cleaned_data.get("owner"), form.cleaned_data.get("tag") or ""
    board = deal_board(
        user=request.user, owner_id=owner_id, tag=tag, cards_per_stage=CARDS_PER_STAGE
    )
    for column in board.columns:
        column.gate = GATE_DESCRIPTIONS[column.stage]
    _prepare_cards(board)
    return {
        "board": board,
        "filters": form,
        "filtered": bool(owner_id or tag),
        "query": query.urlencode(),
        "stages": Stage.choices,
        "can_write": can_write(request.user),
        "can_override": can_manage_team(request.user),
        "feedback": feedback or {},
    }


@login_required
@require_GET
def board(request: HttpRequest) -> HttpResponse:
    return render(request, "pipeline/board.html", _board_context(request, request.GET))


def _answer(
    request: HttpRequest, deal: Deal, feedback: dict[str, Any], status: int
) -> HttpResponse:
    """The board fragment for board.js (and htmx), else a redirect with a message.

    board.js says so with `X-Board: move`: it then gets 200 whatever the outcome, with the
    outcome in `X-Board-Outcome`, because the browser logs every 4xx answer to a script as a
    console error, and a refused move is an answer, not an error. Other clients keep the
    statuses (409 refused or stale, 422 bad input)."""
    if request.htmx:
        context = _board_context(request, request.GET, feedback)
        response = render(request, "pipeline/partials/_board.html", context, status=status)
        if request.headers.get("X-Board") == "move":
            response.status_code = 200
            outcome = "moved" if "success" in feedback else "refused"
            response["X-Board-Outcome"] = outcome if status != 422 else "invalid"
        return response
    if "success" in feedback:
        text = render_to_string(
            "pipeline/partials/_move_message.html", {"feedback": feedback}, request=request
        )
        messages.success(request, text)
    else:
        messages.error(request, feedback["error"])
    target = reverse("pipeline:board")
    if request.POST.get("next") == "detail":
        target = reverse("pipeline:deal_detail", args=[deal.pk])
    elif request.GET:
        target = f"{target}?{request.GET.urlencode()}"
    return redirect(target)


def _refusal(feedback: dict[str, Any], exc: Exception) -> int:
    """Put a refused move's explanation in the feedback; answer its status."""
    if isinstance(exc, StageGateRefused):
        feedback.update(error=str(exc), missing=exc.missing, stage=exc.stage)
        feedback["stage_label"] = Stage(exc.stage).label
        return 409
    if isinstance(exc, VersionConflict):
        feedback.update(error=str(exc), conflict=True)
        return 409
    feedback["error"] = " ".join(exc.messages)  # type: ignore[attr-defined]
    return 422


@login_required
@require_POST
def deal_move(request: HttpRequest, pk: int) -> HttpResponse:
    deal = get_record_for_user(Deal.objects.all(), user=request.user, pk=pk, write=True)
    form = MoveForm(request.POST)
    feedback: dict[str, Any] = {"deal_id": deal.pk}
    status = 200
    if not form.is_valid():
        feedback["error"], status = "Choose a stage to move the deal to.", 422
    else:
        data = form.cleaned_data
        left_stage, left_position = deal.stage, deal.position
        try:
            moved = services.deal_move_to_stage(
                actor=request.user,
                deal=deal,
                stage=data["stage"],
                expected_version=data["version"],
                note=data["note"],
                override_reason=data["override_reason"],
            )
        except (StageGateRefused, VersionConflict, ValidationError) as exc:
            status = _refusal(feedback, exc)
        else:
            feedback["success"] = f"Moved “{moved.title}” to {moved.get_stage_display()}."
            last = moved.moves.order_by("-moved_at", "-id").first()
            if moved.stage != left_stage and last is not None:
                # Undo is offered with what it needs: the move, the version the move left
                # (so any later change refuses it) and the card's place in its old column.
                feedback["undo"] = {
                    "url": reverse("pipeline:deal_undo_move", args=[moved.pk, last.pk]),
                    "version": moved.version,
                    "position": left_position,
                }
    return _answer(request, deal, feedback, status)


@login_required
@require_POST
def deal_undo_move(request: HttpRequest, pk: int, move_pk: int) -> HttpResponse:
    deal = get_record_for_user(Deal.objects.all(), user=request.user, pk=pk, write=True)
    form = UndoMoveForm(request.POST)
    feedback: dict[str, Any] = {"deal_id": deal.pk}
    status = 200
    if not form.is_valid():
        feedback["error"], status = "This undo is missing the deal's version.", 422
    else:
        try:
            back = services.deal_undo_move(
                actor=request.user,
                deal=deal,
                move_id=move_pk,
                expected_version=form.cleaned_data["version"],
                position=form.cleaned_data["position"],
            )
        except (VersionConflict, ValidationError) as exc:
            status = _refusal(feedback, exc)
        else:
            feedback["success"] = f"Moved “{back.title}” back to {back.get_stage_display()}."
    return _answer(request, deal, feedback, status)
