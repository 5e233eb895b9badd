import os
from pathlib import Path

import pytest

from attract.mail.dovecot_server import DOVECOT, DovecotServer

MESSAGES = Path(__file__).parent / "messages"


@pytest.fixture(scope="session")
def dovecot():
    """One real Dovecot for the session; each test gets its own user in it."""
    if not os.path.exists(DOVECOT):
        if os.environ.get("CI"):
            pytest.fail("Dovecot is missing in CI: .ci/run installs dovecot-imapd.")
        pytest.skip("Dovecot is not installed here: apt-get install dovecot-imapd")
    server = DovecotServer().start()
    yield server
    server.stop()


def message_bytes(name: str) -> bytes:
    # Real mail crosses the wire with CRLF line ends.
    return (MESSAGES / name).read_bytes().replace(b"\r\n", b"\n").replace(b"\n", b"\r\n")
