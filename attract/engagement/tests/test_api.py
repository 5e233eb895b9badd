"""The engagement API at /api/v1/, driven with real Bearer tokens."""

from datetime import timedelta

import pytest
from django.utils import timezone

from attract.engagement.models import Interaction, Task
from attract.engagement.tests.factories import TaskFactory
from attract.people.tests.factories import PersonFactory
from attract.pipeline.tests.factories import DealFactory
from attract.pipeline.tests.test_api import ApiClient

pytestmark = pytest.mark.django_db


@pytest.fixture
def api(owner):
    return ApiClient(owner)


def test_log_an_interaction_and_read_it_on_the_persons_timeline(api, owner):
    person = PersonFactory(owner=owner)
    answer = api.send(
        "post",
        "/interactions",
        {
            "channel": "call",
            "direction": "they_reached_out",
            "summary": "Asked about pricing",
            "person": person.pk,
        },
    )
    assert answer.status_code == 201, answer.content
    assert answer.json()["needs_reply"] is True
    timeline = api.get("/interactions", person=person.pk).json()
    assert [i["summary"] for i in timeline] == ["Asked about pricing"]
    assert [i["id"] for i in api.get("/interactions/awaiting-reply").json()] == [timeline[0]["id"]]


def test_a_future_interaction_and_an_unknown_person_answer_422_with_fields(api, owner):
    future = (timezone.now() + timedelta(days=1)).isoformat()
    person = PersonFactory(owner=owner)
    answer = api.send(
        "post",
        "/interactions",
        {
            "channel": "call",
            "direction": "we_replied",
            "summary": "x",
            "person": person.pk,
            "occurred_at": future,
        },
    )
    assert answer.status_code == 422
    assert answer.json()["detail"][0]["field"] == "occurred_at"
    answer = api.send(
        "post",
        "/interactions",
        {"channel": "call", "direction": "we_replied", "summary": "x", "person": 999_999},
    )
    assert (answer.status_code, answer.json()["detail"][0]["field"]) == (422, "person")
    assert not Interaction.objects.exists()


def test_someone_elses_private_person_looks_like_a_missing_one(owner, outsider):
    secret = PersonFactory(owner=owner, is_private=True)
    answer = ApiClient(outsider).send(
        "post",
        "/interactions",
        {"channel": "call", "direction": "we_replied", "summary": "x", "person": secret.pk},
    )
    assert answer.status_code == 422
    assert answer.json()["detail"] == [
        {"field": "person", "message": f"No person with the id {secret.pk}."}
    ]


def test_a_viewer_token_cannot_log(viewer):
    answer = ApiClient(viewer).send("post", "/interactions", {})
    assert answer.status_code == 403


def test_create_finish_and_undo_a_task(api, owner):
    deal = DealFactory(owner=owner)
    due = (timezone.now() + timedelta(days=1)).isoformat()
    created = api.send(
        "post", "/tasks", {"title": "Send the proposal", "due_at": due, "deal": deal.pk}
    )
    assert created.status_code == 201, created.content
    pk = created.json()["id"]
    assert api.send("post", f"/tasks/{pk}/done").json()["done"] is True
    assert api.get("/tasks").json() == []
    assert api.send("post", f"/tasks/{pk}/undo").json()["done"] is False


def test_another_users_task_is_not_found(api, teammate):
    task = TaskFactory(assignee=teammate)
    assert api.send("post", f"/tasks/{task.pk}/done").status_code == 404
    assert Task.objects.get(pk=task.pk).done_at is None


def test_goals_can_be_read_and_changed(api):
    assert {g["kind"] for g in api.get("/goals").json()} == {
        "conversations",
        "quotes",
        "thank_you_letters",
    }
    goals = api.send("put", "/goals/conversations", {"target": 8}).json()
    assert next(g for g in goals if g["kind"] == "conversations")["target"] == 8
    assert api.send("put", "/goals/conversations", {"target": -1}).status_code == 422


def test_verdicts_list_and_override_with_reason(api, owner):
    deal = DealFactory(owner=owner)
    assert api.get("/push-pull").json()[0]["verdict"] == "push"
    refused = api.send("put", f"/deals/{deal.pk}/push-pull", {"verdict": "pull", "reason": ""})
    assert refused.status_code == 422
    answer = api.send(
        "put",
        f"/deals/{deal.pk}/push-pull",
        {"verdict": "pull", "reason": "They asked for a meeting in person"},
    )
    assert answer.json()["verdict"] == "pull"
    assert answer.json()["computed"] == "push"
    assert answer.json()["override_reason"] == "They asked for a meeting in person"


def test_correct_and_delete_an_interaction_and_the_verdict_follows(api, owner):
    deal = DealFactory(owner=owner, contact=PersonFactory(owner=owner))
    logged = api.send(
        "post",
        "/interactions",
        {"channel": "call", "direction": "they_reached_out", "summary": "Rang", "deal": deal.pk},
    ).json()
    assert api.get("/push-pull").json()[0]["verdict"] == "pull"
    answer = api.send("patch", f"/interactions/{logged['id']}", {"direction": "we_reached_out"})
    assert answer.status_code == 200, answer.content
    assert answer.json()["direction"] == "we_reached_out"
    assert api.get("/push-pull").json()[0]["verdict"] == "push"
    future = (timezone.now() + timedelta(days=3)).isoformat()
    refused = api.send("patch", f"/interactions/{logged['id']}", {"occurred_at": future})
    assert refused.status_code == 422 and "occurred_at" in refused.content.decode()
    assert api.send("delete", f"/interactions/{logged['id']}").status_code == 204
    assert not Interaction.objects.filter(pk=logged["id"]).exists()
    assert api.send("delete", f"/interactions/{logged['id']}").status_code == 404
