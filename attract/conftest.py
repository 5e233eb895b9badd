"""Fixtures every app's tests share: the three personas, signed-in clients, and a real
Chromium driven by Playwright against a live server."""

from __future__ import annotations

import os
import shutil
import threading
import weakref

import pytest
from django.db.backends.signals import connection_created
from django.test import Client

from attract.accounts.models import Role
from attract.accounts.tests.factories import PASSWORD, UserFactory

# Playwright's sync API runs an event loop in the test thread; the ORM calls the tests make
# around it are still synchronous, so Django's async-safety guard does not apply.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-quic",
    "--no-first-run",
]


@pytest.fixture
def owner(db):
    return UserFactory(email="owner@example.com", full_name="Olivia Owner", role=Role.OWNER)


@pytest.fixture
def teammate(db, owner):
    return UserFactory(email="teammate@example.com", full_name="Tom Teammate", role=Role.MEMBER)


@pytest.fixture
def outsider(db, owner):
    """A member of the team who owns none of the private records the tests create."""
    return UserFactory(email="outsider@example.com", full_name="Oscar Outsider", role=Role.MEMBER)


@pytest.fixture
def viewer(db, owner):
    return UserFactory(email="viewer@example.com", full_name="Vera Viewer", role=Role.VIEWER)


def _client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def owner_client(owner) -> Client:
    return _client_for(owner)


@pytest.fixture
def teammate_client(teammate) -> Client:
    return _client_for(teammate)


@pytest.fixture
def outsider_client(outsider) -> Client:
    return _client_for(outsider)


@pytest.fixture
def viewer_client(viewer) -> Client:
    return _client_for(viewer)


@pytest.fixture
def csrf_client(owner) -> Client:
    """A client that enforces CSRF checks, as a browser's requests are checked."""
    client = Client(enforce_csrf_checks=True)
    client.force_login(owner)
    return client


# --- Databases ------------------------------------------------------------------------------


@pytest.fixture(scope="session", autouse=True)
def _connections_of_every_context_closed(django_db_setup):
    """Django keeps a connection per contextvars context (asgiref's Local), and the test
    thread does not run in one context throughout: on PostgreSQL the connection the browser
    tests' own ORM calls used was seen to be a different one from the connection the
    session's teardown closes. Left open, it makes PostgreSQL refuse to drop the test
    database ("is being accessed by other users"). So every connection this thread opens is
    remembered and closed before the test databases are dropped."""
    opened: weakref.WeakSet = weakref.WeakSet()
    test_thread = threading.get_ident()

    def remember(sender, connection, **kwargs):
        if threading.get_ident() == test_thread:
            opened.add(connection)

    connection_created.connect(remember, weak=False)
    yield
    connection_created.disconnect(remember)
    for connection in list(opened):
        connection.close()


# --- Browser --------------------------------------------------------------------------------


@pytest.fixture(scope="session")
def browser():
    # Never skipped: a missing browser must fail the run, not hide the browser tests.
    assert shutil.which(CHROMIUM) or os.path.exists(CHROMIUM), (
        f"{CHROMIUM} is missing: install Debian's chromium package (see .ci/run)."
    )
    from playwright.sync_api import expect, sync_playwright

    # Waits, not time limits: on a loaded two-core machine a page may take a few seconds, and
    # a test must wait for what the user would see rather than fail on a slow moment.
    expect.set_options(timeout=15_000)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser, live_server):
    context = browser.new_context(base_url=live_server.url, viewport={"width": 1280, "height": 900})
    context.set_default_timeout(15_000)
    page = context.new_page()
    yield page
    context.close()


def sign_in(page, user, password: str = PASSWORD) -> None:
    """Log in through the real form, as a person would."""
    page.goto("/login/")
    page.get_by_label("Email").fill(user.email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url(lambda url: "/login/" not in url)


@pytest.fixture
def owner_page(page, owner):
    sign_in(page, owner)
    return page
