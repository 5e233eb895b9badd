"""Interactions corrected and deleted on the web: the edit checks the version seen, delete
moves to the trash with Undo, the trash lists and restores them; the same through the API
and in bulk."""

from __future__ import annotations

import json

import pytest
from django.test import Client
from django.utils import timezone

from attract.accounts.services import api_token_create
from attract.core.bulk import bulk_apply, bulk_undo
from attract.engagement.models import Interaction
from attract.engagement.services import interaction_edit, interaction_log
from attract.people.tests.factories import PersonFactory
from attract.pipeline.services import deal_create

pytestmark = pytest.mark.django_db


@pytest.fixture
def ann(owner):
    return PersonFactory(first_name="Ann", last_name="Timeline", owner=owner)


@pytest.fixture
def call(owner, ann):
    return interaction_log(
        actor=owner, channel="call", direction="we_reached_out", summary="First call", person=ann
    )


def _form(**changes):
    data = {
        "channel": "call",
        "direction": "we_reached_out",
        "summary": "Corrected summary",
        "outcome": "",
        "occurred_at": timezone.localtime().strftime("%Y-%m-%dT%H:%M"),
        "version": 1,
    }
    return {**data, **changes}


def test_the_timeline_links_to_the_edit_page_and_it_saves(owner_client, ann, call):
    page = owner_client.get(f"/people/{ann.pk}/").content.decode()
    assert f"/engagement/interactions/{call.pk}/edit/" in page
    response = owner_client.post(f"/engagement/interactions/{call.pk}/edit/", _form())
    assert response.status_code == 302 and response["Location"].endswith("#timeline")
    saved = Interaction.objects.get()
    assert saved.summary == "Corrected summary" and saved.version == 2


def test_a_stale_edit_is_refused_explained_and_the_input_kept(owner, owner_client, call):
    interaction_edit(actor=owner, interaction=call, summary="Changed by someone else")
    response = owner_client.post(
        f"/engagement/interactions/{call.pk}/edit/", _form(summary="My words")
    )
    assert response.status_code == 409
    html = response.content.decode()
    assert "nothing was saved" in html and 'value="My words"' in html
    assert Interaction.objects.get().summary == "Changed by someone else"


def test_bad_input_is_said_and_nothing_changes(owner_client, call):
    response = owner_client.post(f"/engagement/interactions/{call.pk}/edit/", _form(summary=" "))
    assert response.status_code == 422 and "Say in a few words" in response.content.decode()
    response = owner_client.post(
        f"/engagement/interactions/{call.pk}/edit/", _form(channel="pigeon")
    )
    assert response.status_code == 422
    assert Interaction.objects.get().summary == "First call"


def test_delete_goes_to_the_trash_with_undo_and_the_trash_restores(owner_client, ann, call):
    response = owner_client.post(
        f"/engagement/interactions/{call.pk}/delete/", {"next": f"/people/{ann.pk}/"}, follow=True
    )
    html = response.content.decode()
    assert "Moved to the trash" in html and "Undo" in html
    assert not Interaction.objects.exists() and Interaction.all_objects.get().in_trash
    timeline = html.split('id="timeline"')[-1].split("</section>")[0]
    assert "First call" not in timeline
    trash = owner_client.get("/trash/").content.decode()
    assert "Interactions" in trash and "First call" in trash and "Ann Timeline" in trash
    owner_client.post(f"/engagement/interactions/{call.pk}/restore/", {"next": "/trash/"})
    assert Interaction.objects.get().summary == "First call"
    reasons = set(Interaction.history.values_list("history_change_reason", flat=True))
    assert {"Moved to the trash", "Restored from the trash"} <= reasons


def test_a_trashed_pull_stops_counting_and_comes_back(owner, owner_client):
    deal = deal_create(actor=owner, title="Signals", revenue=100, pain="Slow")
    pull = interaction_log(
        actor=owner, channel="email", direction="they_reached_out", summary="They asked", deal=deal
    )
    from attract.engagement.models import DealSignal

    before = DealSignal.objects.get(deal=deal).last_pull_at
    assert before is not None
    owner_client.post(f"/engagement/interactions/{pull.pk}/delete/")
    assert not DealSignal.objects.filter(deal=deal).exists()  # no pull left: Push
    owner_client.post(f"/engagement/interactions/{pull.pk}/restore/")
    assert DealSignal.objects.get(deal=deal).last_pull_at == before


def test_others_cannot_reach_an_interaction_on_a_private_record(
    teammate_client, teammate, call, ann
):
    ann.is_private = True
    ann.save()
    assert teammate_client.get(f"/engagement/interactions/{call.pk}/edit/").status_code == 404
    assert teammate_client.post(f"/engagement/interactions/{call.pk}/delete/").status_code == 404
    assert "First call" not in teammate_client.get("/trash/").content.decode()


def test_a_viewer_may_not_delete(viewer_client, call):
    assert viewer_client.post(f"/engagement/interactions/{call.pk}/delete/").status_code == 403
    assert Interaction.objects.exists()


def test_the_api_trashes_restores_and_bulk_trashes_with_undo(owner, ann, call):
    _, raw = api_token_create(user=owner, name="t")
    api = Client(HTTP_AUTHORIZATION=f"Bearer {raw}")
    assert api.delete(f"/api/v1/interactions/{call.pk}").status_code == 204
    assert Interaction.all_objects.get().in_trash
    response = api.post(f"/api/v1/interactions/{call.pk}/restore")
    assert response.status_code == 200 and not Interaction.all_objects.get().in_trash
    second = interaction_log(
        actor=owner, channel="call", direction="they_replied", summary="Second", person=ann
    )
    body = {"ids": [call.pk, second.pk], "action": "trash"}
    response = api.post(
        "/api/v1/interactions/bulk", json.dumps(body), content_type="application/json"
    )
    assert response.status_code == 201, response.content
    assert not Interaction.objects.exists()
    api.post(f"/api/v1/bulk-changes/{response.json()['id']}/undo")
    assert Interaction.objects.count() == 2


def test_bulk_trash_refuses_all_when_one_is_out_of_reach(owner, teammate, call):
    other = PersonFactory(owner=teammate, is_private=True)
    hidden = interaction_log(
        actor=teammate, channel="call", direction="we_reached_out", summary="Hidden", person=other
    )
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        bulk_apply(
            actor=owner,
            record_type="engagement.interaction",
            ids=[call.pk, hidden.pk],
            action="trash",
        )
    assert Interaction.objects.count() == 2
    change = bulk_apply(
        actor=owner, record_type="engagement.interaction", ids=[call.pk], action="trash"
    )
    bulk_undo(actor=owner, change=change)
    assert Interaction.objects.count() == 2
