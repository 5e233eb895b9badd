"""Login lockout: counted per account whatever the address, and the address recorded is the
client's — read from the proxy header only when a trusted proxy sent the request."""

import os
import subprocess
import sys
from ipaddress import ip_network

import pytest
import time_machine
from axes.models import AccessAttempt
from django.conf import settings
from django.contrib.auth import SESSION_KEY
from django.core.exceptions import ImproperlyConfigured
from django.test import Client, override_settings

from attract.accounts.tests.factories import PASSWORD
from attract.core.environment import env_networks

pytestmark = pytest.mark.django_db
LOGIN = "/login/"
PROXY = "10.0.0.1"


def _log_in(email: str, password: str, *, address: str, forwarded: str | None = None):
    client = Client(REMOTE_ADDR=address)
    headers = {"HTTP_X_FORWARDED_FOR": forwarded} if forwarded is not None else {}
    response = client.post(LOGIN, {"username": email, "password": password}, **headers)
    return response, client


def _recorded_addresses() -> set[str]:
    return set(AccessAttempt.objects.values_list("ip_address", flat=True))


def test_failures_for_one_account_from_many_addresses_lock_that_account(owner):
    for index in range(settings.AXES_FAILURE_LIMIT):
        _log_in(owner.email, "wrong password", address=f"198.51.100.{index + 1}")
    response, client = _log_in(owner.email, PASSWORD, address="203.0.113.50")
    assert response.status_code == 429
    html = response.content.decode()
    assert "Too many failed log-ins" in html
    assert "owner@example.com" in html and "paused for 15 minutes" in html
    assert SESSION_KEY not in client.session


def test_the_account_lock_ends_after_the_cool_off(owner):
    with time_machine.travel("2026-03-02 09:00 +0000", tick=False):
        for index in range(settings.AXES_FAILURE_LIMIT):
            _log_in(owner.email, "wrong password", address=f"198.51.100.{index + 1}")
        assert _log_in(owner.email, PASSWORD, address="203.0.113.50")[0].status_code == 429
    with time_machine.travel("2026-03-02 09:14 +0000", tick=False):
        assert _log_in(owner.email, PASSWORD, address="203.0.113.50")[0].status_code == 429
    with time_machine.travel("2026-03-02 09:16 +0000", tick=False):
        response, client = _log_in(owner.email, PASSWORD, address="203.0.113.50")
        assert response.status_code == 302
        assert str(client.session[SESSION_KEY]) == str(owner.pk)


def test_one_address_trying_many_accounts_is_paused_at_its_own_higher_limit(owner, teammate):
    address_limit = settings.ATTRACT_LOGIN_LIMITS["ip_address"]
    assert address_limit > settings.AXES_FAILURE_LIMIT
    for index in range(address_limit):
        # Never the per-account limit: one guess per made-up account.
        _log_in(f"guess{index}@example.com", "Summer2026!", address="203.0.113.66")
    response, client = _log_in(teammate.email, PASSWORD, address="203.0.113.66")
    assert response.status_code == 429
    assert "from your network address" in response.content.decode()
    assert SESSION_KEY not in client.session
    # The accounts themselves are not locked: from elsewhere the teammate logs in.
    assert _log_in(teammate.email, PASSWORD, address="198.51.100.1")[0].status_code == 302


def test_an_address_below_its_limit_is_not_paused(owner, teammate):
    for index in range(settings.ATTRACT_LOGIN_LIMITS["ip_address"] - 1):
        _log_in(f"guess{index}@example.com", "Summer2026!", address="203.0.113.66")
    assert _log_in(teammate.email, PASSWORD, address="203.0.113.66")[0].status_code == 302


@override_settings(ATTRACT_TRUSTED_PROXIES=[ip_network(PROXY)])
def test_behind_a_trusted_proxy_one_noisy_client_does_not_pause_the_others(owner, teammate):
    # Everyone arrives from the proxy; only the noisy client's own address is paused.
    for index in range(settings.ATTRACT_LOGIN_LIMITS["ip_address"]):
        _log_in(f"guess{index}@example.com", "x", address=PROXY, forwarded="203.0.113.66")
    assert (
        _log_in(teammate.email, PASSWORD, address=PROXY, forwarded="203.0.113.66")[0].status_code
        == 429
    )
    assert (
        _log_in(teammate.email, PASSWORD, address=PROXY, forwarded="198.51.100.1")[0].status_code
        == 302
    )


@override_settings(ATTRACT_TRUSTED_PROXIES=[ip_network(PROXY)])
def test_a_forged_forwarded_header_does_not_escape_the_address_pause(owner, teammate):
    # Sent straight to the app, not through the proxy: a new made-up address on every try
    # still counts against the real one.
    for index in range(settings.ATTRACT_LOGIN_LIMITS["ip_address"]):
        _log_in(
            f"guess{index}@example.com", "x", address="203.0.113.66", forwarded=f"192.0.2.{index}"
        )
    response, _ = _log_in(teammate.email, PASSWORD, address="203.0.113.66", forwarded="192.0.2.250")
    assert response.status_code == 429


def test_one_locked_account_leaves_others_on_the_same_address_free(owner, teammate):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        _log_in(owner.email, "wrong password", address="203.0.113.9")
    response, _ = _log_in(teammate.email, PASSWORD, address="203.0.113.9")
    assert response.status_code == 302


def test_without_trusted_proxies_a_forwarded_header_is_ignored(owner):
    _log_in(owner.email, "wrong", address="203.0.113.9", forwarded="192.0.2.77")
    assert _recorded_addresses() == {"203.0.113.9"}


@override_settings(ATTRACT_TRUSTED_PROXIES=[ip_network(PROXY)])
def test_behind_a_trusted_proxy_the_clients_address_is_read_from_the_header(owner):
    _log_in(owner.email, "wrong", address=PROXY, forwarded="198.51.100.7")
    _log_in(owner.email, "wrong", address=PROXY, forwarded="198.51.100.8")
    assert _recorded_addresses() == {"198.51.100.7", "198.51.100.8"}


@override_settings(ATTRACT_TRUSTED_PROXIES=[ip_network(PROXY)])
def test_a_forged_forwarded_header_from_an_untrusted_client_is_ignored(owner):
    # The client talks to the app directly (not through the proxy) and claims to be elsewhere.
    _log_in(owner.email, "wrong", address="203.0.113.9", forwarded="198.51.100.7")
    assert _recorded_addresses() == {"203.0.113.9"}


@override_settings(ATTRACT_TRUSTED_PROXIES=[ip_network(PROXY)])
def test_an_address_the_client_put_in_front_of_the_proxys_own_is_ignored(owner):
    # The proxy appends the address it saw; anything to its left came from the client.
    _log_in(owner.email, "wrong", address=PROXY, forwarded="192.0.2.1, 198.51.100.7")
    assert _recorded_addresses() == {"198.51.100.7"}


@override_settings(ATTRACT_TRUSTED_PROXIES=[ip_network("10.0.0.0/24")])
def test_a_chain_of_trusted_proxies_in_a_cidr_range_is_skipped(owner):
    _log_in(owner.email, "wrong", address=PROXY, forwarded="198.51.100.7:5123, 10.0.0.2")
    assert _recorded_addresses() == {"198.51.100.7"}


@override_settings(ATTRACT_TRUSTED_PROXIES=[ip_network(PROXY)])
def test_a_trusted_proxy_that_sends_no_header_is_taken_as_the_client(owner):
    _log_in(owner.email, "wrong", address=PROXY)
    _log_in(owner.email, "wrong", address=PROXY, forwarded="not an address")
    assert _recorded_addresses() == {PROXY}


@override_settings(
    ATTRACT_TRUSTED_PROXIES=[ip_network(PROXY)], ATTRACT_CLIENT_IP_HEADER="X-Real-IP"
)
def test_the_header_read_is_the_configured_one(owner):
    client = Client(REMOTE_ADDR=PROXY)
    client.post(
        LOGIN,
        {"username": owner.email, "password": "wrong"},
        HTTP_X_REAL_IP="198.51.100.9",
        HTTP_X_FORWARDED_FOR="192.0.2.1",
    )
    assert _recorded_addresses() == {"198.51.100.9"}


def test_trusted_proxies_are_read_as_addresses_and_cidr_ranges(monkeypatch):
    monkeypatch.setenv("ATTRACT_TRUSTED_PROXIES", "10.0.0.5, 172.16.0.0/12,::1")
    assert [str(n) for n in env_networks("TRUSTED_PROXIES")] == [
        "10.0.0.5/32",
        "172.16.0.0/12",
        "::1/128",
    ]


def test_a_mistyped_trusted_proxy_stops_start_up_with_the_variable_named(monkeypatch):
    monkeypatch.setenv("ATTRACT_TRUSTED_PROXIES", "10.0.0.0/8, proxy.internal")
    with pytest.raises(ImproperlyConfigured, match="ATTRACT_TRUSTED_PROXIES.*proxy.internal"):
        env_networks("TRUSTED_PROXIES")


def test_a_limit_below_one_stops_start_up_with_the_variables_named(tmp_path):
    env = {k: v for k, v in os.environ.items() if not k.startswith("ATTRACT_")}
    env.update(
        ATTRACT_VAR_DIR=str(tmp_path),
        ATTRACT_LOGIN_ADDRESS_FAILURE_LIMIT="0",
        DJANGO_SETTINGS_MODULE="attract.settings",
    )
    result = subprocess.run(
        [sys.executable, "-m", "attract", "check"],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode != 0
    assert "ATTRACT_LOGIN_ADDRESS_FAILURE_LIMIT" in result.stderr
