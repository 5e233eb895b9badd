"""One HTTP POST to a webhook receiver, with limits a hostile or broken receiver cannot stretch:
the connection goes to the address addresses.py allowed (not a second lookup), the whole call
has a deadline, and no more than a few kilobytes of the answer are read."""

from __future__ import annotations

import http.client
import socket
import ssl
import time
from dataclasses import dataclass
from urllib.parse import urlsplit

from django.core.exceptions import ValidationError

from attract.webhooks.addresses import check_url_form, resolve_allowed

EXCERPT_BYTES = 500
READ_AT_MOST = 64 * 1024


@dataclass(frozen=True)
class Outcome:
    status_code: int | None
    duration_ms: int
    error: str = ""
    excerpt: str = ""

    @property
    def accepted(self) -> bool:
        return self.status_code is not None and 200 <= self.status_code < 300


class _PinnedHTTPConnection(http.client.HTTPConnection):
    def __init__(self, host: str, port: int, address: str, timeout: float) -> None:
        super().__init__(host, port, timeout=timeout)
        self._address = address

    def connect(self) -> None:
        self.sock = socket.create_connection((self._address, self.port), self.timeout)


class _PinnedHTTPSConnection(http.client.HTTPSConnection):
    def __init__(self, host: str, port: int, address: str, timeout: float) -> None:
        super().__init__(host, port, timeout=timeout, context=ssl.create_default_context())
        self._address = address

    def connect(self) -> None:
        raw = socket.create_connection((self._address, self.port), self.timeout)
        # The certificate is checked against the host name, not the address we dialled.
        self.sock = self._context.wrap_socket(raw, server_hostname=self.host)


def post(url: str, body: bytes, headers: dict[str, str], *, timeout: float) -> Outcome:
    started = time.monotonic()

    def took() -> int:
        return int((time.monotonic() - started) * 1000)

    try:
        scheme, host, port = check_url_form(url)
        address = resolve_allowed(host, port)[0]
    except ValidationError as exc:
        return Outcome(None, took(), error=" ".join(exc.messages))
    parts = urlsplit(url)
    target = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    kind = _PinnedHTTPSConnection if scheme == "https" else _PinnedHTTPConnection
    connection = kind(host, port, address, timeout)
    try:
        connection.request("POST", target, body=body, headers=headers)
        response = connection.getresponse()
        deadline = started + timeout
        received = b""
        # Read little, and never past the deadline: a receiver that answers 10 MB or
        # trickles bytes does not hold the worker.
        while len(received) < READ_AT_MOST and time.monotonic() < deadline:
            chunk = response.read1(READ_AT_MOST - len(received))
            if not chunk:
                break
            received += chunk
        excerpt = received[:EXCERPT_BYTES].decode("utf-8", "replace")
        return Outcome(response.status, took(), excerpt=excerpt)
    except (OSError, http.client.HTTPException) as exc:
        error = "Timed out." if isinstance(exc, TimeoutError | socket.timeout) else str(exc)
        return Outcome(None, took(), error=(error or type(exc).__name__)[:500])
    finally:
        connection.close()
