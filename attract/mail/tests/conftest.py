"""The real servers every mail test may use: an SMTP server (smtp_server.py) and Dovecot's
IMAP server (attract/mail/dovecot_server.py)."""

import os
from pathlib import Path

import pytest

from attract.mail.dovecot_server import DOVECOT, DovecotServer
from attract.mail.tests.smtp_server import (  # noqa: F401
    closed_smtp_port,
    silent_smtp_server,
    smtp_server,
)

MESSAGES = Path(__file__).parent / "messages"


@pytest.fixture(scope="session")
def dovecot():
    """One real Dovecot for the session; each test gets its own user in it."""
    # Never skipped, like the browser: a missing server must fail the run, not hide the tests.
    assert os.path.exists(DOVECOT), (
        f"{DOVECOT} is missing: install Debian's dovecot-imapd package (see .ci/run)."
    )
    server = DovecotServer().start()
    yield server
    server.stop()


def message_bytes(name: str) -> bytes:
    # Real mail crosses the wire with CRLF line ends.
    return (MESSAGES / name).read_bytes().replace(b"\r\n", b"\n").replace(b"\n", b"\r\n")
