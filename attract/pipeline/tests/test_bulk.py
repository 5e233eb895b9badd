"""Act on many deals: owner, tags, stage, trash — all or none, one undo, each deal through
its own service (version, history, stage move, webhook event); web list, API."""

from __future__ import annotations

import json

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client

from attract.accounts.services import api_token_create
from attract.core.bulk import bulk_apply, bulk_undo
from attract.core.models import BulkChange
from attract.jobs.models import OutboxEvent
from attract.pipeline.models import Deal, Outcome, Stage, StageMove
from attract.pipeline.tests.factories import DealFactory

pytestmark = pytest.mark.django_db
DEAL = "pipeline.deal"


@pytest.fixture
def deals(owner):
    return [DealFactory(title=f"Bulk deal {n}", owner=owner, pain="Slow site") for n in range(3)]


def _ids(records) -> list[int]:
    return [r.pk for r in records]


def test_move_stage_goes_through_the_service_and_undo_moves_each_back(deals, owner):
    deals[2].stage = Stage.INTEREST
    deals[2].save()
    change = bulk_apply(
        actor=owner, record_type=DEAL, ids=_ids(deals), action="move_stage", stage="interest"
    )
    assert set(Deal.objects.filter(pk__in=_ids(deals)).values_list("stage", flat=True)) == {
        "interest"
    }
    assert StageMove.objects.filter(deal__in=deals).count() == 2  # the third was there
    assert OutboxEvent.objects.filter(name="deal.moved").count() == 2
    assert Deal.objects.get(pk=deals[0].pk).version == deals[0].version + 1
    bulk_undo(actor=owner, change=change)
    stages = dict(Deal.objects.filter(pk__in=_ids(deals)).values_list("title", "stage"))
    assert stages == {
        "Bulk deal 0": "attention",
        "Bulk deal 1": "attention",
        "Bulk deal 2": "interest",
    }


def test_a_gate_that_refuses_one_deal_refuses_the_whole_move(deals, owner):
    with pytest.raises(ValidationError, match="cannot move to Desire yet"):
        bulk_apply(
            actor=owner, record_type=DEAL, ids=_ids(deals), action="move_stage", stage="desire"
        )
    assert not Deal.objects.exclude(stage="attention").filter(pk__in=_ids(deals)).exists()
    assert not StageMove.objects.exists() and not BulkChange.objects.exists()


def test_owner_tags_and_trash_are_undone_as_one(deals, owner, teammate):
    change = bulk_apply(
        actor=owner, record_type=DEAL, ids=_ids(deals), action="assign_owner", owner=teammate.pk
    )
    assert Deal.objects.filter(owner=teammate).count() == 3
    bulk_undo(actor=owner, change=change)
    assert Deal.objects.filter(owner=owner).count() == 3
    change = bulk_apply(actor=owner, record_type=DEAL, ids=_ids(deals), action="add_tag", tag="q4")
    assert Deal.objects.filter(tags__name="q4").count() == 3
    bulk_undo(actor=owner, change=change)
    assert not Deal.objects.filter(tags__name="q4").exists()
    change = bulk_apply(actor=owner, record_type=DEAL, ids=_ids(deals), action="trash")
    assert not Deal.objects.filter(pk__in=_ids(deals)).exists()
    assert OutboxEvent.objects.filter(name="deal.deleted").count() == 3
    bulk_undo(actor=owner, change=change)
    assert Deal.objects.filter(pk__in=_ids(deals)).count() == 3


def test_a_private_deal_of_another_refuses_everything(deals, owner, teammate):
    secret = DealFactory(title="Secret", owner=teammate, is_private=True)
    with pytest.raises(PermissionDenied, match="1 of the selected records"):
        bulk_apply(actor=owner, record_type=DEAL, ids=[deals[0].pk, secret.pk], action="trash")
    assert Deal.objects.filter(pk=deals[0].pk).exists()


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        ({"action": "move_stage", "stage": "heaven"}, "Choose the stage"),
        ({"action": "mark_done"}, "Choose what to do"),
        ({"action": "assign_owner", "owner": ""}, "active member"),
    ],
)
def test_bad_input_is_refused_with_a_clear_message(deals, owner, arguments, message):
    with pytest.raises(ValidationError, match=message):
        bulk_apply(actor=owner, record_type=DEAL, ids=_ids(deals), **arguments)


def test_a_closed_deal_cannot_be_moved_but_can_be_reassigned(owner, teammate):
    won = DealFactory(title="Won one", owner=owner, outcome=Outcome.WON)
    with pytest.raises(ValidationError, match="closed"):
        bulk_apply(actor=owner, record_type=DEAL, ids=[won.pk], action="move_stage", stage="action")
    bulk_apply(
        actor=owner, record_type=DEAL, ids=[won.pk], action="assign_owner", owner=teammate.pk
    )
    assert Deal.objects.get(pk=won.pk).owner == teammate


def test_the_deal_list_bar_moves_deals_and_the_message_undoes(deals, owner_client):
    page = owner_client.get("/deals/").content.decode()
    assert 'form="bulk-form"' in page and 'value="move_stage"' in page
    response = owner_client.post(
        "/deals/bulk/",
        {"ids": _ids(deals), "action": "move_stage", "stage": "interest", "next": "/deals/"},
        follow=True,
    )
    html = response.content.decode()
    assert "done for 3 records" in html and "Undo" in html
    change = BulkChange.objects.get()
    owner_client.post(f"/bulk/changes/{change.pk}/undo/", {"next": "/deals/"})
    assert Deal.objects.filter(stage="attention").count() == 3


def test_the_closed_list_exports_only_the_selection(owner, owner_client):
    won = [DealFactory(title=f"Won {n}", owner=owner, outcome=Outcome.WON) for n in range(3)]
    assert 'value="move_stage"' not in owner_client.get("/deals/closed/").content.decode()
    response = owner_client.post(
        "/deals/bulk/", {"ids": _ids(won[:2]), "action": "export", "closed": "1"}
    )
    assert response.status_code == 302 and "closed=1" in response["Location"]
    csv_text = b"".join(owner_client.get(response["Location"]).streaming_content).decode()
    assert "Won 0" in csv_text and "Won 1" in csv_text and "Won 2" not in csv_text


def test_a_viewer_is_refused_and_sees_no_boxes(deals, viewer_client):
    assert 'name="ids"' not in viewer_client.get("/deals/").content.decode()
    response = viewer_client.post("/deals/bulk/", {"ids": _ids(deals), "action": "trash"})
    assert response.status_code == 403


def test_the_api_moves_many_deals_and_undoes(deals, owner, teammate):
    _, raw = api_token_create(user=owner, name="t")
    api = Client(HTTP_AUTHORIZATION=f"Bearer {raw}")
    body = {"ids": _ids(deals), "action": "move_stage", "stage": "interest"}
    response = api.post("/api/v1/deals/bulk", json.dumps(body), content_type="application/json")
    assert response.status_code == 201, response.content
    assert Deal.objects.filter(stage="interest").count() == 3
    undo = api.post(f"/api/v1/bulk-changes/{response.json()['id']}/undo")
    assert undo.status_code == 200 and Deal.objects.filter(stage="attention").count() == 3
    bad = dict(body, stage="nowhere")
    response = api.post("/api/v1/deals/bulk", json.dumps(bad), content_type="application/json")
    assert response.status_code == 422
    secret = DealFactory(owner=teammate, is_private=True)
    body = {"ids": [secret.pk], "action": "trash"}
    response = api.post("/api/v1/deals/bulk", json.dumps(body), content_type="application/json")
    assert response.status_code == 403
