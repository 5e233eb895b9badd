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
from django.urls import reverse
from django.utils.html import format_html_join
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_GET, require_POST

from attract.core.access import get_record_for_user
from attract.core.permissions import can_manage_team, can_write
from attract.core.versions import VersionConflict
from attract.pipeline import services
from attract.pipeline.forms import BoardFilterForm, MoveForm
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
        try:
            moved = services.deal_move_to_stage(
                actor=request.user,
                deal=deal,
                stage=data["stage"],
                expected_version=data["version"],
                note=data["note"],
                override_reason=data["override_reason"],
            )
        except StageGateRefused as refused:
            feedback.update(error=str(refused), missing=refused.missing, stage=refused.stage)
            feedback["stage_label"] = Stage(refused.stage).label
            status = 409
        except VersionConflict as conflict:
            feedback.update(error=str(conflict), conflict=True)
            status = 409
        except ValidationError as exc:
            feedback["error"], status = " ".join(exc.messages), 422
        else:
            feedback["success"] = f"Moved “{moved.title}” to {moved.get_stage_display()}."
    if request.htmx:
        context = _board_context(request, request.GET, feedback)
        return render(request, "pipeline/partials/_board.html", context, status=status)
    if "success" in feedback:
        messages.success(request, feedback["success"])
    else:
        messages.error(request, feedback["error"])
    target = reverse("pipeline:board")
    if request.POST.get("next") == "detail":
        target = reverse("pipeline:deal_detail", args=[deal.pk])
    elif request.GET:
        target = f"{target}?{request.GET.urlencode()}"
    return redirect(target)
