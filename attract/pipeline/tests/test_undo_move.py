"""Undo after a move on the board: the deal goes back as it was, and only while nothing else
changed it."""

from datetime import timedelta

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from attract.core.versions import VersionConflict
from attract.people.tests.factories import CompanyFactory
from attract.pipeline.models import Deal, Stage
from attract.pipeline.services import (
    deal_create,
    deal_move_to_stage,
    deal_undo_move,
    deal_update,
)


@pytest.fixture
def deal(owner):
    company = CompanyFactory(owner=owner, name="Bakery Blum")
    return deal_create(
        actor=owner, title="Website for Blum", company=company, revenue="5000", pain="Slow site"
    )


def _last_move(deal):
    return deal.moves.order_by("-moved_at", "-id").first()


def test_undo_puts_the_deal_back_with_its_days_in_stage_and_forgets_the_move(deal, owner):
    entered = deal.stage_entered_at
    with time_machine.travel(timezone.now() + timedelta(days=6)):
        moved = deal_move_to_stage(actor=owner, deal=deal, stage=Stage.CONVICTION)
        assert moved.furthest_stage_index == 2
        back = deal_undo_move(
            actor=owner, deal=moved, move_id=_last_move(moved).pk, expected_version=moved.version
        )
        assert back.days_in_stage == 6
    back.refresh_from_db()
    assert (back.stage, back.stage_entered_at, back.furthest_stage_index) == (
        Stage.ATTENTION,
        entered,
        0,
    )
    assert [m.to_stage for m in back.moves.all()] == [Stage.ATTENTION]
    assert back.history.first().history_change_reason == (
        "Undid the move from Attention to Conviction"
    )


def test_undo_after_another_change_is_refused_and_changes_nothing(deal, owner):
    moved = deal_move_to_stage(actor=owner, deal=deal, stage=Stage.INTEREST)
    move_id, seen = _last_move(moved).pk, moved.version
    deal_update(actor=owner, deal=moved, title="Website and shop for Blum")
    with pytest.raises(VersionConflict):
        deal_undo_move(actor=owner, deal=moved, move_id=move_id, expected_version=seen)
    assert Deal.objects.get(pk=deal.pk).stage == Stage.INTEREST


def test_only_the_last_move_can_be_undone(deal, owner):
    first = deal_move_to_stage(actor=owner, deal=deal, stage=Stage.INTEREST)
    first_move = _last_move(first).pk
    second = deal_move_to_stage(actor=owner, deal=first, stage=Stage.CONVICTION)
    with pytest.raises(ValidationError, match="cannot be undone"):
        deal_undo_move(
            actor=owner, deal=second, move_id=first_move, expected_version=second.version
        )
    with pytest.raises(ValidationError):  # the creation is not a move to take back
        deal_undo_move(
            actor=owner, deal=second, move_id=deal.moves.first().pk, expected_version=None
        )


def test_a_viewer_cannot_undo(deal, owner, viewer):
    moved = deal_move_to_stage(actor=owner, deal=deal, stage=Stage.INTEREST)
    with pytest.raises(PermissionDenied):
        deal_undo_move(
            actor=viewer, deal=moved, move_id=_last_move(moved).pk, expected_version=moved.version
        )


HTMX = {"HTTP_HX_REQUEST": "true"}


def test_a_move_answers_with_an_undo_that_puts_the_card_back(owner_client, deal):
    response = owner_client.post(
        reverse("pipeline:deal_move", args=[deal.pk]),
        {"stage": Stage.INTEREST, "version": deal.version},
        **HTMX,
    )
    html = response.content.decode()
    assert "data-undo-form" in html
    moved = Deal.objects.get(pk=deal.pk)
    undo_url = reverse("pipeline:deal_undo_move", args=[deal.pk, _last_move(moved).pk])
    assert undo_url in html
    response = owner_client.post(
        undo_url, {"version": moved.version, "position": deal.position}, **HTMX
    )
    assert response.status_code == 200
    assert "Moved “Website for Blum” back to Attention." in response.content.decode()
    back = Deal.objects.get(pk=deal.pk)
    assert (back.stage, back.position) == (Stage.ATTENTION, deal.position)


def test_a_refused_move_answers_the_board_script_without_an_error_status(owner_client, owner):
    deal = deal_create(actor=owner, title="No pain yet")
    response = owner_client.post(
        reverse("pipeline:deal_move", args=[deal.pk]),
        {"stage": Stage.INTEREST, "version": deal.version},
        HTTP_X_BOARD="move",
        **HTMX,
    )
    # The board's script reads the outcome from a header: a 4xx would be a console error.
    assert response.status_code == 200
    assert response["X-Board-Outcome"] == "refused"
    assert "Cannot move to Interest yet" in response.content.decode()


def test_a_stale_undo_without_javascript_redirects_with_the_reason(owner_client, owner, deal):
    moved = deal_move_to_stage(actor=owner, deal=deal, stage=Stage.INTEREST)
    move, seen = _last_move(moved), moved.version
    deal_update(actor=owner, deal=moved, title="Renamed")
    response = owner_client.post(
        reverse("pipeline:deal_undo_move", args=[deal.pk, move.pk]),
        {"version": seen},
        follow=True,
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "Someone else changed" in html, html[html.find("toast-text") :][:400]
    assert Deal.objects.get(pk=deal.pk).stage == Stage.INTEREST
