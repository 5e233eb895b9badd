"""Webhooks end to end against a real local receiver: the outbox follows its change's
transaction, deliveries are signed as Standard Webhooks says (checked with its library),
retried with back-off in order, and a receiver cannot stretch or redirect the worker."""

from __future__ import annotations

import json
import time
from datetime import timedelta

import pytest
import time_machine
from django.core import mail
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from standardwebhooks.webhooks import Webhook

from attract.jobs.models import OutboxEvent
from attract.jobs.outbox import announce
from attract.people.models import Person
from attract.people.services import person_create, person_update
from attract.pipeline.services import deal_create, deal_move_to_stage, deal_win
from attract.webhooks.dispatch import deliver_due, fan_out_events
from attract.webhooks.models import Delivery, DeliveryStatus, Subscription
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


@pytest.fixture
def subscribed(owner, receiver):
    subscription, secret = subscription_create(actor=owner, url=receiver.url)
    return subscription, secret


def work() -> None:
    fan_out_events()
    deliver_due()


def test_an_event_is_written_with_its_change_and_rolled_back_with_it(owner):
    with pytest.raises(RuntimeError), transaction.atomic():
        person_create(actor=owner, first_name="Ann", last_name="Lee")
        raise RuntimeError("the rest of the request failed")
    assert not OutboxEvent.objects.exists()
    person = person_create(actor=owner, first_name="Ann", last_name="Lee")
    event = OutboxEvent.objects.get()
    assert (event.name, event.object_id, event.actor_id) == ("person.created", person.pk, owner.pk)


def test_deals_announce_their_moves_and_outcomes(owner):
    deal = deal_create(actor=owner, title="Website", revenue=1000, pain="Slow site")
    deal = deal_move_to_stage(actor=owner, deal=deal, stage="interest")
    deal_win(actor=owner, deal=deal)
    names = list(OutboxEvent.objects.order_by("id").values_list("name", flat=True))
    assert names == ["deal.created", "deal.moved", "deal.won"]


def test_a_delivery_is_signed_so_the_standard_webhooks_library_verifies_it(
    subscribed, receiver, owner
):
    subscription, secret = subscribed
    person = person_create(
        actor=owner, first_name="Ann", last_name="Lee", emails=["ann@example.com"]
    )
    work()
    assert len(receiver.received) == 1
    got = receiver.received[0]
    payload = Webhook(secret).verify(got.body, got.headers)
    assert payload["type"] == "person.created"
    assert payload["data"]["id"] == person.pk
    assert payload["data"]["emails"] == ["ann@example.com"]
    with pytest.raises(Exception, match="signature"):
        Webhook(secret).verify(got.body.replace(b"Ann", b"Bob"), got.headers)
    delivery = Delivery.objects.get()
    assert delivery.status == DeliveryStatus.SUCCEEDED
    assert delivery.attempt_log.get().status_code == 200


def test_a_refused_delivery_is_retried_with_growing_waits_and_the_next_waits_its_turn(
    subscribed, receiver, owner
):
    receiver.answers = [500, 503]
    person = person_create(actor=owner, first_name="Ann", last_name="Lee")
    person_update(actor=owner, person=person, first_name="Anna")
    work()
    first, second = Delivery.objects.order_by("id")
    first.refresh_from_db()
    assert first.status == DeliveryStatus.PENDING and first.attempts == 1
    wait = first.next_attempt_at - first.last_attempt_at
    assert timedelta(seconds=29) < wait <= timedelta(seconds=31)
    assert len(receiver.received) == 1  # the second did not overtake the first
    deliver_due()
    assert len(receiver.received) == 1  # not due yet
    with time_machine.travel(timezone.now() + timedelta(seconds=31)):
        deliver_due()
    first.refresh_from_db()
    assert first.attempts == 2
    assert first.next_attempt_at - first.last_attempt_at > timedelta(seconds=59)
    with time_machine.travel(timezone.now() + timedelta(minutes=5)):
        deliver_due()
    types = [json.loads(r.body)["type"] for r in receiver.received]
    assert types == ["person.created", "person.created", "person.created", "person.updated"]
    assert [d.status for d in Delivery.objects.order_by("id")] == ["succeeded", "succeeded"]
    codes = [a.status_code for a in Delivery.objects.order_by("id")[0].attempt_log.order_by("at")]
    assert codes == [500, 503, 200]


def test_after_a_day_of_refusals_the_delivery_fails_and_the_subscription_is_switched_off(
    subscribed, receiver, owner, settings, django_capture_on_commit_callbacks
):
    settings.ATTRACT_WEBHOOKS_DISABLE_AFTER = 1
    receiver.answers = [500] * 50
    person_create(actor=owner, first_name="Ann", last_name="Lee")
    work()
    with (
        time_machine.travel(timezone.now() + timedelta(hours=25)),
        django_capture_on_commit_callbacks(execute=True),
    ):
        deliver_due()
    delivery = Delivery.objects.get()
    assert delivery.status == DeliveryStatus.FAILED
    subscription = Subscription.objects.get()
    assert not subscription.is_active
    assert "refused" in subscription.disabled_reason
    assert mail.outbox and owner.email in mail.outbox[0].to


def test_a_receiver_that_never_answers_times_out_and_the_worker_moves_on(
    subscribed, receiver, owner
):
    receiver.delay = 5
    person_create(actor=owner, first_name="Ann", last_name="Lee")
    started = time.monotonic()
    work()
    assert time.monotonic() - started < 4.5
    attempt = Delivery.objects.get().attempt_log.get()
    assert attempt.status_code is None
    assert "timed out" in attempt.error.lower()


def test_a_ten_megabyte_answer_is_not_read_whole(subscribed, receiver, owner):
    receiver.body_size = 10 * 1024 * 1024
    person_create(actor=owner, first_name="Ann", last_name="Lee")
    work()
    attempt = Delivery.objects.get().attempt_log.get()
    assert attempt.status_code == 200
    assert len(attempt.response_excerpt) <= 500


def test_a_private_record_is_announced_only_to_its_owners_subscriptions(
    subscribed, receiver, teammate
):
    person_create(actor=teammate, first_name="Secret", last_name="Client", is_private=True)
    work()
    assert receiver.received == []
    assert OutboxEvent.objects.get().dispatched_at is not None


def test_an_event_whose_record_was_deleted_meanwhile_is_skipped(subscribed, receiver, owner):
    person = person_create(actor=owner, first_name="Ann", last_name="Lee")
    Person.all_objects.filter(pk=person.pk).delete()
    work()
    assert receiver.received == []
    assert not Delivery.objects.exists()


def test_only_the_events_asked_for_are_sent(owner, receiver):
    subscription_create(actor=owner, url=receiver.url, events=["deal.won"])
    person_create(actor=owner, first_name="Ann", last_name="Lee")
    work()
    assert receiver.received == []


@pytest.mark.parametrize(
    "url, message",
    [
        ("ftp://example.com/hook", "http:// or https://"),
        ("http://127.0.0.1:9/hook", "private, loopback or reserved"),
        ("http://10.1.2.3/hook", "private, loopback or reserved"),
        ("http://169.254.169.254/latest/meta-data", "private, loopback or reserved"),
        ("http://[::1]/hook", "private, loopback or reserved"),
        ("http://[::ffff:192.168.0.1]/hook", "private, loopback or reserved"),
        ("http://user:pw@93.184.216.34/hook", "no user name or password"),
        ("https://93.184.216.34:99999/hook", "port"),
        ("not a url", "no spaces"),
    ],
)
def test_bad_or_private_urls_are_refused_with_a_reason(owner, settings, url, message):
    settings.ATTRACT_WEBHOOKS_ALLOW_PRIVATE = False
    with pytest.raises(ValidationError) as refused:
        subscription_create(actor=owner, url=url)
    assert message in " ".join(refused.value.messages)
    assert not Subscription.objects.exists()


def test_a_public_address_is_accepted(owner, settings):
    settings.ATTRACT_WEBHOOKS_ALLOW_PRIVATE = False
    subscription, secret = subscription_create(actor=owner, url="https://93.184.216.34/hook")
    assert secret.startswith("whsec_")
    assert subscription.pk


def test_a_delivery_to_a_url_that_became_private_is_refused_at_send_time(
    subscribed, receiver, owner, settings
):
    person_create(actor=owner, first_name="Ann", last_name="Lee")
    settings.ATTRACT_WEBHOOKS_ALLOW_PRIVATE = False
    work()
    assert receiver.received == []
    assert "private" in Delivery.objects.get().attempt_log.get().error


def test_a_deal_naming_someone_elses_private_company_is_sent_as_the_api_shows_it(
    subscribed, receiver, owner, teammate
):
    from attract.people.services import company_create

    hidden = company_create(actor=teammate, name="Hidden Ltd", is_private=True)
    from attract.pipeline.models import Deal

    deal = deal_create(actor=owner, title="Shared deal")
    Deal.objects.filter(pk=deal.pk).update(company=hidden)
    announce("deal.won", Deal.objects.get(pk=deal.pk), actor=owner)
    work()
    sent = [json.loads(r.body) for r in receiver.received]
    won = next(body for body in sent if body["type"] == "deal.won")
    assert won["data"]["company_name"] == "a private company"
    assert won["data"]["company_id"] is None
    assert "Hidden Ltd" not in json.dumps(sent)
