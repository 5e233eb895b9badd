"""Fixtures every app's tests share: the three personas, signed-in clients, and a real
Chromium driven by Playwright against a live server."""

from __future__ import annotations

import fcntl
import os
import shutil
import subprocess
import sys
import threading
import weakref
from pathlib import Path

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


# --- Order -----------------------------------------------------------------------------------

# The tests that take longest (real processes, every page in the browser, the schema fuzz):
# xdist hands tests out in collection order, so these go first within their group of
# pytest-django's order and no worker is left running one of them alone at the end.
LONGEST_FIRST = (
    "transfer/tests/test_import_worker_killed.py",
    "web/tests/test_browser_accessibility.py",
    "jobs/tests/test_processes.py",
    "api/tests/test_schema_fuzz.py",
    "web/tests/test_browser_csp.py",
    "people/tests/test_cli.py::test_the_installed",
    "pipeline/tests/test_cli.py::test_the_installed",
    "people/tests/test_cli_pipe.py",
)


def _django_group(item) -> int:
    """pytest-django's order, which must hold: tests in a rolled-back transaction first, then
    the transactional ones (each ends by emptying every table, seeded rows included), then
    those without a database."""
    marker = item.get_closest_marker("django_db")
    fixtures = getattr(item, "fixturenames", ())
    transactional = bool(marker and marker.kwargs.get("transaction")) or any(
        name in fixtures for name in ("transactional_db", "live_server")
    )
    if transactional:
        return 1
    return 0 if marker or "db" in fixtures else 2


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(config, items):
    def rank(item) -> tuple[int, int]:
        for position, prefix in enumerate(LONGEST_FIRST):
            if prefix in item.nodeid:
                return _django_group(item), position
        return _django_group(item), len(LONGEST_FIRST)

    items.sort(key=rank)  # stable: the rest keep their order


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


@pytest.fixture(scope="session")
def migrated_sqlite_file(tmp_path_factory) -> Path:
    """A migrated SQLite file for tests that run `attract` as a real process, made once per
    test run and shared by every xdist worker (migrating from nothing takes half a minute of
    CPU): the first worker to take the lock migrates, the others wait and reuse it. Copy it
    before use; never write to it."""
    shared = tmp_path_factory.getbasetemp()
    if os.environ.get("PYTEST_XDIST_WORKER"):
        shared = shared.parent  # the run's own folder, which all its workers share
    folder = shared / "migrated-sqlite"
    database = folder / "attract.sqlite3"
    with open(shared / "migrated-sqlite.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not database.exists():
            folder.mkdir(exist_ok=True)
            environment = {
                key: value
                for key, value in os.environ.items()
                if not key.startswith(("ATTRACT_", "DJANGO_"))
            }
            environment["ATTRACT_VAR_DIR"] = str(folder)
            environment["ATTRACT_SECRET_KEY"] = "test-only"  # noqa: S105 - a throwaway database's
            subprocess.run(
                [sys.executable, "-m", "attract", "migrate", "-v", "0"],
                env=environment,
                check=True,
                timeout=900,
            )
    return database


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
