"""Talking IMAP with the standard library's imaplib: connect (TLS, STARTTLS, or in clear to
this machine only), read a folder's UIDVALIDITY, list the UIDs above the last one read, and
fetch their headers only (BODY.PEEK[HEADER]: attachments never cross the wire, and PEEK leaves
the messages unread). Every failure becomes a MailboxError whose text the user can act on."""

from __future__ import annotations

import contextlib
import imaplib
import re
import socket
import ssl
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from time import mktime

from django.conf import settings

LOOPBACK_HOSTS = {"localhost", "127.0.0.1", "::1"}
FETCH_BATCH = 500


class MailboxError(Exception):
    """What went wrong, in words for the mailbox's page."""


@dataclass(frozen=True)
class ServerSettings:
    host: str
    port: int
    security: str
    username: str
    password: str = ""

    @property
    def timeout(self) -> float:
        return float(getattr(settings, "ATTRACT_MAIL_IMAP_TIMEOUT", 20))


def is_loopback(host: str) -> bool:
    return host.strip().lower() in LOOPBACK_HOSTS or host.strip().startswith("127.")


def _quote(folder: str) -> str:
    return '"' + folder.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _text(data) -> str:
    parts = data if isinstance(data, list | tuple) else [data]
    return " ".join(
        p.decode("utf-8", "replace") if isinstance(p, bytes) else str(p) for p in parts if p
    )


def connect(server: ServerSettings) -> imaplib.IMAP4:
    """A logged-in connection, or a MailboxError saying why not."""
    where = f"{server.host}:{server.port}"
    try:
        if server.security == "tls":
            connection: imaplib.IMAP4 = imaplib.IMAP4_SSL(
                server.host,
                server.port,
                ssl_context=ssl.create_default_context(),
                timeout=server.timeout,
            )
        else:
            if server.security == "none" and not is_loopback(server.host):
                raise MailboxError("A connection without TLS is allowed only to this machine.")
            connection = imaplib.IMAP4(server.host, server.port, timeout=server.timeout)
            if server.security == "starttls":
                connection.starttls(ssl_context=ssl.create_default_context())
    except MailboxError:
        raise
    except TimeoutError as exc:
        raise MailboxError(f"{where} did not answer within {server.timeout:g} seconds.") from exc
    except ssl.SSLError as exc:
        raise MailboxError(
            f"The secure connection to {where} failed: {exc.reason or exc}."
        ) from exc
    except socket.gaierror as exc:
        raise MailboxError(f"No server is known by the name {server.host}.") from exc
    except (OSError, imaplib.IMAP4.error) as exc:
        raise MailboxError(f"Could not connect to {where}: {exc}.") from exc
    try:
        connection.login(server.username, server.password)
    except imaplib.IMAP4.error as exc:
        _close(connection)
        detail = str(exc).strip("b'\"") or "no reason given"
        raise MailboxError(f"The server refused the login for {server.username}: {detail}") from exc
    except (TimeoutError, OSError) as exc:
        _close(connection)
        raise MailboxError(f"{where} stopped answering during the login: {exc}.") from exc
    return connection


def _close(connection: imaplib.IMAP4) -> None:
    with contextlib.suppress(OSError, imaplib.IMAP4.error):
        connection.logout()


def disconnect(connection: imaplib.IMAP4) -> None:
    _close(connection)


def select(connection: imaplib.IMAP4, folder: str) -> int:
    """Open a folder read-only; returns its UIDVALIDITY."""
    try:
        status, data = connection.select(_quote(folder), readonly=True)
    except imaplib.IMAP4.error as exc:
        raise MailboxError(f"The folder {folder!r} cannot be opened: {exc}") from exc
    if status != "OK":
        raise MailboxError(f"The folder {folder!r} cannot be opened: {_text(data)}")
    _, validity = connection.response("UIDVALIDITY")
    if not validity or validity[0] is None:
        raise MailboxError(f"The server gave no UIDVALIDITY for {folder!r}.")
    return int(validity[0])


def uids_after(connection: imaplib.IMAP4, last_uid: int) -> list[int]:
    status, data = connection.uid("SEARCH", None, f"UID {last_uid + 1}:*")
    if status != "OK":
        raise MailboxError(f"The server refused to list new messages: {_text(data)}")
    # "n:*" names the highest message even when it is below n: keep only the new ones.
    return sorted(int(u) for u in b" ".join(d for d in data if d).split() if int(u) > last_uid)


_UID = re.compile(rb"UID (\d+)")


@dataclass(frozen=True)
class FetchedHeaders:
    uid: int
    received_at: datetime | None
    headers: bytes


def fetch_headers(connection: imaplib.IMAP4, uids: list[int]) -> Iterator[FetchedHeaders]:
    """The header block of each UID (sorted), FETCH_BATCH at a time."""
    for start in range(0, len(uids), FETCH_BATCH):
        chunk = uids[start : start + FETCH_BATCH]
        wanted = ",".join(str(u) for u in chunk)
        status, data = connection.uid("FETCH", wanted, "(UID INTERNALDATE BODY.PEEK[HEADER])")
        if status != "OK":
            raise MailboxError(f"The server refused to send messages: {_text(data)}")
        for item in data:
            if not isinstance(item, tuple):
                continue
            found = _UID.search(item[0])
            if not found:
                continue
            stamp = imaplib.Internaldate2tuple(item[0])
            received = datetime.fromtimestamp(mktime(stamp), tz=UTC) if stamp else None
            yield FetchedHeaders(int(found.group(1)), received, item[1])
