"""The events of the daily work: an interaction logged, a task done, an import finished —
announced with their change, sent as the API shows them, and only to subscriptions whose
owner may see what they are about."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from django.utils import timezone

from attract.engagement.services import interaction_log, task_complete, task_create
from attract.jobs.models import OutboxEvent
from attract.jobs.testing import run_queued_tasks
from attract.people.services import person_create
from attract.transfer.importing import import_job_configure, import_job_create, import_job_start
from attract.webhooks.dispatch import deliver_due, fan_out_events
from attract.webhooks.events import EVENTS
from attract.webhooks.services import subscription_create
from attract.webhooks.tests.receiver import running_receiver

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def local_receivers_allowed(settings):
    settings.ATTRACT_WEBHOOKS_ALLOW_PRIVATE = True
    settings.ATTRACT_WEBHOOKS_TIMEOUT_SECONDS = 2


@pytest.fixture
def receiver():
    with running_receiver() as receiver:
        yield receiver


def _sent(receiver) -> list[dict]:
    fan_out_events()
    deliver_due()
    return [json.loads(message.body) for message in receiver.received]


def test_a_logged_interaction_is_sent_as_the_api_shows_it(owner, receiver):
    subscription_create(actor=owner, url=receiver.url, events=["interaction.logged"])
    person = person_create(actor=owner, first_name="Ann", last_name="Lee")
    interaction = interaction_log(
        actor=owner, channel="call", direction="we_reached_out", summary="Intro", person=person
    )
    [body] = _sent(receiver)
    assert body["type"] == "interaction.logged"
    assert body["data"]["id"] == interaction.pk and body["data"]["summary"] == "Intro"
    assert body["data"]["person"] == person.pk


def test_an_interaction_about_someone_elses_private_person_is_not_sent(owner, teammate, receiver):
    subscription_create(actor=owner, url=receiver.url, events=["interaction.logged"])
    secret = person_create(actor=teammate, first_name="Quiet", last_name="One", is_private=True)
    interaction_log(
        actor=teammate, channel="call", direction="we_reached_out", summary="x", person=secret
    )
    assert _sent(receiver) == []
    assert OutboxEvent.objects.get(name="interaction.logged").dispatched_at is not None


def test_a_task_done_is_announced_once(owner, receiver):
    subscription_create(actor=owner, url=receiver.url, events=["task.done"])
    person = person_create(actor=owner, first_name="Ann", last_name="Lee")
    task = task_create(
        actor=owner,
        title="Send the offer",
        due_at=timezone.now() + timedelta(days=1),
        person=person,
    )
    task_complete(actor=owner, task=task)
    task_complete(actor=owner, task=task)  # already done: no second event
    [body] = _sent(receiver)
    assert body["type"] == "task.done" and body["data"]["title"] == "Send the offer"
    assert body["data"]["done"] is True


def test_an_import_that_finishes_in_the_background_is_announced(owner, teammate, receiver):
    subscription_create(actor=owner, url=receiver.url, events=["import.finished"])
    data = b"First Name,Last Name,Email\nAnn,Lee,ann@example.com\nBo,Ek,bo@example.com\n"
    job = import_job_create(actor=owner, kind="persons", file_name="two.csv", chunks=iter([data]))
    import_job_configure(actor=owner, job=job, mapping=job.mapping)
    import_job_start(actor=owner, job=job)
    run_queued_tasks()
    [body] = _sent(receiver)
    assert body["type"] == "import.finished"
    assert body["data"]["id"] == job.pk and body["data"]["created_count"] == 2
    assert body["data"]["status"] == "done"


def test_the_new_events_are_offered_when_subscribing(owner_client):
    html = owner_client.get("/settings/webhooks/").content.decode()
    for name in ("interaction.logged", "task.done", "import.finished"):
        assert name in EVENTS and name in html
