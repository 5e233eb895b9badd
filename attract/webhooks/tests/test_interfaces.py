"""Webhooks through the Settings page, the API and `attract webhooks`: owners and admins
subscribe, read the log, resend and ping; members cannot; bad input changes nothing."""

from __future__ import annotations

import pytest
from django.core.management import CommandError, call_command

from attract.accounts.services import api_token_create
from attract.people.services import person_create
from attract.webhooks.dispatch import deliver_due, fan_out_events
from attract.webhooks.models import Delivery, DeliveryStatus, Subscription
from attract.webhooks.services import subscription_create
from attract.webhooks.tests.receiver import running_receiver

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def local_receivers_allowed(settings):
    settings.ATTRACT_WEBHOOKS_ALLOW_PRIVATE = True


@pytest.fixture
def receiver():
    with running_receiver() as receiver:
        yield receiver


def _bearer(user) -> dict:
    _token, raw = api_token_create(user=user, name="script")
    return {"HTTP_AUTHORIZATION": f"Bearer {raw}"}


def test_the_page_adds_a_webhook_and_shows_its_secret_once(owner_client, receiver):
    response = owner_client.post(
        "/settings/webhooks/add/", {"url": receiver.url, "events": ["deal.won", "person.created"]}
    )
    subscription = Subscription.objects.get()
    assert subscription.events == ["deal.won", "person.created"]
    assert subscription.secret in response.content.decode()
    assert "no-store" in response["Cache-Control"]
    assert subscription.secret not in owner_client.get("/settings/webhooks/").content.decode()


def test_the_page_refuses_a_private_url_at_the_field(owner_client, settings):
    settings.ATTRACT_WEBHOOKS_ALLOW_PRIVATE = False
    response = owner_client.post("/settings/webhooks/add/", {"url": "http://127.0.0.1/x"})
    assert "private, loopback or reserved" in response.content.decode()
    assert not Subscription.objects.exists()


def test_members_cannot_see_or_add_webhooks(teammate_client, viewer_client, receiver):
    assert teammate_client.get("/settings/webhooks/").status_code == 403
    assert viewer_client.get("/settings/webhooks/").status_code == 403
    assert teammate_client.post("/settings/webhooks/add/", {"url": receiver.url}).status_code == 403
    assert not Subscription.objects.exists()


def test_the_log_shows_attempts_and_a_delivery_can_be_sent_again(owner, owner_client, receiver):
    subscription, _secret = subscription_create(actor=owner, url=receiver.url)
    receiver.answers = [410]
    person_create(actor=owner, first_name="Ann", last_name="Lee")
    fan_out_events()
    deliver_due()
    page = owner_client.get(f"/settings/webhooks/{subscription.pk}/").content.decode()
    assert "person.created" in page and "HTTP 410" in page
    delivery = Delivery.objects.get()
    Delivery.objects.filter(pk=delivery.pk).update(status=DeliveryStatus.FAILED)
    owner_client.post(f"/settings/webhooks/{subscription.pk}/deliveries/{delivery.pk}/resend/")
    deliver_due()
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.SUCCEEDED
    assert len(receiver.received) == 2
    assert receiver.received[0].headers["webhook-id"] == receiver.received[1].headers["webhook-id"]


def test_ping_from_the_page_reaches_the_receiver_through_the_worker(owner, owner_client, receiver):
    subscription, _secret = subscription_create(actor=owner, url=receiver.url)
    owner_client.post(f"/settings/webhooks/{subscription.pk}/ping/")
    deliver_due()
    assert b'"type":"webhook.ping"' in receiver.received[0].body


def test_switching_off_and_deleting(owner, owner_client, receiver):
    subscription, _secret = subscription_create(actor=owner, url=receiver.url)
    owner_client.post(f"/settings/webhooks/{subscription.pk}/switch/", {"on": "0"})
    person_create(actor=owner, first_name="Ann", last_name="Lee")
    fan_out_events()
    assert not Delivery.objects.exists()
    owner_client.post(f"/settings/webhooks/{subscription.pk}/delete/")
    assert owner_client.get(f"/settings/webhooks/{subscription.pk}/").status_code == 404
    assert Subscription.objects.get().deleted_at is not None  # kept, with its log


def test_api_creates_lists_pings_and_reads_the_log(client, owner, receiver):
    headers = _bearer(owner)
    created = client.post(
        "/api/v1/webhooks",
        {"url": receiver.url, "events": ["person.created"]},
        content_type="application/json",
        **headers,
    )
    assert created.status_code == 201
    body = created.json()
    assert body["secret"].startswith("whsec_")
    listing = client.get("/api/v1/webhooks", **headers).json()
    assert [item["id"] for item in listing] == [body["id"]]
    assert "secret" not in listing[0]
    assert client.post(f"/api/v1/webhooks/{body['id']}/ping", **headers).status_code == 202
    deliver_due()
    log = client.get(f"/api/v1/webhooks/{body['id']}/deliveries", **headers).json()
    assert log["items"][0]["attempt_log"][0]["status_code"] == 200


@pytest.mark.parametrize(
    "payload, field",
    [
        ({"url": "gopher://example.com"}, "url"),
        ({"url": "https://93.184.216.34/", "events": ["nonsense"]}, "events"),
        ({"url": 5}, "url"),
        ({"url": "https://93.184.216.34/\x00"}, "url"),
    ],
)
def test_api_answers_422_with_the_field(client, owner, payload, field, settings):
    settings.ATTRACT_WEBHOOKS_ALLOW_PRIVATE = False
    response = client.post(
        "/api/v1/webhooks", payload, content_type="application/json", **_bearer(owner)
    )
    assert response.status_code == 422
    assert response.json()["detail"][0]["field"] == field
    assert not Subscription.objects.exists()


def test_api_refuses_members(client, teammate):
    assert client.get("/api/v1/webhooks", **_bearer(teammate)).status_code == 403


def test_cli_adds_lists_and_tests(owner, receiver, capsys):
    call_command("webhooks", "add", receiver.url, "--event", "deal.won")
    out = capsys.readouterr().out
    assert "Signing secret (shown once): whsec_" in out
    subscription = Subscription.objects.get()
    call_command("webhooks", "list")
    assert receiver.url in capsys.readouterr().out
    call_command("webhooks", "test", str(subscription.pk))
    assert "HTTP 200" in capsys.readouterr().out
    receiver.answers = [500]
    with pytest.raises(CommandError, match="did not accept"):
        call_command("webhooks", "test", str(subscription.pk))


def test_cli_refuses_bad_input(owner, teammate, settings):
    settings.ATTRACT_WEBHOOKS_ALLOW_PRIVATE = False
    with pytest.raises(CommandError, match="private"):
        call_command("webhooks", "add", "http://192.168.1.1/")
    with pytest.raises(CommandError, match="Only the owner and admins"):
        call_command("webhooks", "list", "--as", teammate.email)
    assert not Subscription.objects.exists()


@pytest.fixture
def host_gone(monkeypatch):
    """Every host lookup fails, as for an address whose domain has lapsed."""
    import socket

    def fail(*args, **kwargs):
        raise socket.gaierror("Name or service not known")

    monkeypatch.setattr("attract.webhooks.addresses.socket.getaddrinfo", fail)


def _unresolvable(owner, *, is_active: bool) -> Subscription:
    return Subscription.objects.create(
        url="https://hooks.gone.invalid/attract", secret="whsec_x", created_by=owner,
        is_active=is_active,
    )  # fmt: skip


def test_switching_on_a_webhook_whose_host_is_gone_says_why_and_changes_nothing(
    owner, owner_client, host_gone
):
    subscription = _unresolvable(owner, is_active=False)
    response = owner_client.post(
        f"/settings/webhooks/{subscription.pk}/switch/", {"on": "1"}, follow=True
    )
    assert response.status_code == 200  # was a 500
    assert "could not be found" in response.content.decode()
    subscription.refresh_from_db()
    assert subscription.is_active is False


def test_switching_off_a_webhook_whose_host_is_gone_works(owner, owner_client, host_gone):
    subscription = _unresolvable(owner, is_active=True)
    owner_client.post(f"/settings/webhooks/{subscription.pk}/switch/", {"on": "0"})
    subscription.refresh_from_db()
    assert subscription.is_active is False
