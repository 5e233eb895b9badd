"""Tasks and interactions are edited against the version the user saw (core.versions)."""

from __future__ import annotations

import pytest

from attract.core.versions import VersionConflict
from attract.engagement.services import task_update
from attract.engagement.tests.factories import TaskFactory
from attract.people.tests.factories import PersonFactory
from attract.pipeline.tests.test_api import ApiClient

pytestmark = pytest.mark.django_db


@pytest.fixture
def api(owner):
    return ApiClient(owner)


def test_a_task_patch_changes_only_what_it_names_and_refuses_a_stale_version(api, owner):
    task = TaskFactory(assignee=owner, title="Call back")
    seen = task.version
    response = api.send("patch", f"/tasks/{task.pk}", {"title": "Call Ann back", "version": seen})
    assert response.status_code == 200
    assert response.json()["version"] == seen + 1
    stale = api.send("patch", f"/tasks/{task.pk}", {"title": "Email Ann", "version": seen})
    assert stale.status_code == 409
    assert stale.json()["changes"][0]["now"] == "Call Ann back"
    task.refresh_from_db()
    assert task.title == "Call Ann back"


def test_ticking_a_task_done_raises_its_version(owner):
    task = TaskFactory(assignee=owner)
    seen = task.version
    done = ApiClient(owner).send("post", f"/tasks/{task.pk}/done")
    assert done.status_code == 200 and done.json()["version"] == seen + 1
    with pytest.raises(VersionConflict):
        task_update(actor=owner, task=task, title="Too late", expected_version=seen)


def test_a_stale_interaction_patch_answers_409(api, owner):
    person = PersonFactory(owner=owner)
    logged = api.send(
        "post",
        "/interactions",
        {
            "channel": "call",
            "direction": "they_reached_out",
            "summary": "Asked for a quote",
            "person": person.pk,
        },
    )
    assert logged.status_code == 201
    pk, seen = logged.json()["id"], logged.json()["version"]
    assert (
        api.send("patch", f"/interactions/{pk}", {"outcome": "Sent", "version": seen}).status_code
        == 200
    )
    stale = api.send("patch", f"/interactions/{pk}", {"summary": "Other", "version": seen})
    assert stale.status_code == 409
    assert stale.json()["current_version"] == seen + 1
