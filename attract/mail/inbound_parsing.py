"""Reading a received message's headers into what the message log needs.

Only the header block is read: direction, matching and threading live there, so a 30 MB
message with attachments costs its first few kilobytes (the IMAP sync fetches
BODY.PEEK[HEADER], the file import stops reading a message at its blank line). The standard
library's `email` package (policy=default) decodes RFC 2047 names and subjects; a header it
cannot read is kept as an empty value instead of failing the message.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from datetime import UTC, datetime
from email import policy
from email.message import EmailMessage
from email.parser import BytesParser
from email.utils import getaddresses, parsedate_to_datetime

from django.utils import timezone

from attract.mail.message_log import MessageFacts, normalise_address, normalise_message_id

# Where the header block ends: the first empty line (CRLF or LF files alike).
_BLANK_LINE = re.compile(rb"\r?\n\r?\n")
# Headers that are long for good reasons (References in a long thread) are read whole; a
# header block past this is garbage or an attack, and is cut.
MAX_HEADER_BYTES = 256 * 1024
_PRECEDENCE_NOT_A_PERSON = {"bulk", "list", "junk"}
# The headers a derived Message-ID is made of: the same on the server, in an .eml and in an
# .mbox export (Received, Return-Path and Delivered-To are added per copy, so they are left out).
_IDENTITY_HEADERS = ("from", "to", "cc", "subject", "date")
DERIVED_ID_DOMAIN = "derived.attract.invalid"


@dataclass(frozen=True)
class ReadMessage:
    facts: MessageFacts
    from_name: str
    # Why it is not a customer talking ("mailing list", "auto-reply", "bulk"), or "".
    automated: str
    # The receiving server's word on the sender (Authentication-Results): True when it
    # passed DMARC, or DKIM/SPF for the From domain; False when it said so and failed;
    # None when no verdict is there.
    authenticated: bool | None
    message_id_derived: bool
    gmail_labels: tuple[str, ...] = ()
    # The display name written beside each address ("José Núñez"), for "add as a person".
    names: tuple[tuple[str, str], ...] = ()

    def name_of(self, address: str) -> str:
        return dict(self.names).get(address, "")

    @property
    def counted(self) -> bool:
        return not self.automated


def header_block(raw: bytes) -> bytes:
    """The headers of a whole message (or of a header block already cut)."""
    found = _BLANK_LINE.search(raw, 0, MAX_HEADER_BYTES)
    return raw[: found.end()] if found else raw[:MAX_HEADER_BYTES]


def _header(message: EmailMessage, name: str) -> str:
    """A header as text, decoded; a header the parser cannot read gives its raw text, and a
    raw text that cannot be read either gives ''."""
    try:
        value = message.get(name)
    except Exception:  # the email package raises assorted errors on broken headers
        value = None
        try:
            raw = message.get_all(name, failobj=[])  # type: ignore[arg-type]
            value = raw[0] if raw else None
        except Exception:
            return ""
    return "" if value is None else " ".join(str(value).split())


def _addresses(message: EmailMessage, *names: str) -> list[tuple[str, str]]:
    found: list[tuple[str, str]] = []
    for name in names:
        try:
            header = message.get(name)
            if header is None:
                continue
            pairs = [(a.display_name, a.addr_spec) for a in header.addresses]
        except Exception:
            # Fall back to the lenient parser on the raw text.
            pairs = getaddresses([_raw_header(message, name)])
        for display, address in pairs:
            address = normalise_address(address)
            if "@" in address and " " not in address and len(address) <= 320:
                found.append((" ".join((display or "").split()), address))
    return found


def _raw_header(message: EmailMessage, name: str) -> str:
    for key, value in message.raw_items():
        if key.lower() == name.lower():
            return str(value)
    return ""


def _message_ids(text: str) -> tuple[str, ...]:
    ids = re.findall(r"<([^<>\s]+)>", text)
    if not ids and text.strip():
        ids = text.split()
    return tuple(normalise_message_id(i)[:500] for i in ids if normalise_message_id(i))


def _sent_at(message: EmailMessage, fallback: datetime | None) -> datetime:
    """The Date header, in UTC; a missing or unreadable one falls back to when the server
    received it (IMAP INTERNALDATE) or now; a date in the future is today (clocks lie, and a
    logged interaction cannot be in the future)."""
    now = timezone.now()
    when: datetime | None = None
    text = _raw_header(message, "date")
    if text:
        try:
            when = parsedate_to_datetime(text.strip())
        except (TypeError, ValueError, IndexError, OverflowError):
            when = None
    when = when or fallback or now
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return min(when.astimezone(UTC), now)


def _derived_message_id(message: EmailMessage) -> str:
    parts = [f"{name}:{' '.join(_raw_header(message, name).split())}" for name in _IDENTITY_HEADERS]
    digest = hashlib.sha256("\n".join(parts).encode("utf-8", "replace")).hexdigest()[:40]
    return f"{digest}@{DERIVED_ID_DOMAIN}"


def _automated(message: EmailMessage) -> str:
    if _raw_header(message, "list-id") or _raw_header(message, "list-unsubscribe"):
        return "mailing list"
    auto = _header(message, "auto-submitted").lower()
    if auto and auto != "no":
        return "auto-reply"
    if _header(message, "x-autoreply") or _header(message, "x-autorespond"):
        return "auto-reply"
    precedence = _header(message, "precedence").lower()
    if precedence in _PRECEDENCE_NOT_A_PERSON:
        return precedence
    return ""


_LOOSE_ADDRESS = re.compile(r"[\w.+'-]+@[\w-]+(\.[\w-]+)+")
_VERDICT = re.compile(r"\b(dmarc|dkim|spf)\s*=\s*(\w+)([^;]*)", re.IGNORECASE)


def _authenticated(message: EmailMessage, from_address: str) -> bool | None:
    """Read the topmost Authentication-Results: the one the receiving server added last (a
    sender can write their own further down, never above it)."""
    text = ""
    for key, value in message.raw_items():
        if key.lower() == "authentication-results":
            text = str(value)
            break
    if not text:
        return None
    domain = from_address.rpartition("@")[2]
    verdicts = _VERDICT.findall(text)
    if not verdicts:
        return None
    for method, result, rest in verdicts:
        if result.lower() != "pass":
            continue
        if method.lower() == "dmarc":
            return True
        # DKIM and SPF pass for *a* domain; they vouch for From only when it is that domain.
        vouched = (
            r"(header\.d|header\.i|smtp\.mailfrom|header\.from)=(\S*[.@])?"
            + re.escape(domain)
            + r"(?![\w.-])"
        )
        if re.search(vouched, rest, re.IGNORECASE):
            return True
    return False


def read_headers(raw: bytes, *, received_at: datetime | None = None) -> ReadMessage:
    """What the log needs of a message, from its raw bytes (the whole message or its headers)."""
    message = BytesParser(policy=policy.default).parsebytes(header_block(raw), headersonly=True)
    senders = _addresses(message, "from") or _addresses(message, "sender")
    if not senders:
        # '"Broken <someone@host' and the like: take the one thing that looks like an address.
        loose = _LOOSE_ADDRESS.search(_raw_header(message, "from"))
        senders = [("", normalise_address(loose.group(0)))] if loose else []
    from_name, from_address = senders[0] if senders else ("", "")
    named = _addresses(message, "to", "cc")
    recipients = tuple(dict.fromkeys(a for _, a in named))
    message_id = normalise_message_id(_header(message, "message-id"))[:500]
    derived = not message_id or " " in message_id
    if derived:
        message_id = _derived_message_id(message)
    facts = MessageFacts(
        message_id=message_id,
        from_address=from_address,
        to_addresses=recipients,
        subject=_header(message, "subject"),
        sent_at=_sent_at(message, received_at),
        in_reply_to=next(iter(_message_ids(_header(message, "in-reply-to"))), ""),
        references=_message_ids(_raw_header(message, "references")),
    )
    labels = tuple(
        label.strip().lower() for label in _header(message, "x-gmail-labels").split(",") if label
    )
    return ReadMessage(
        facts=facts,
        from_name=from_name,
        automated=_automated(message),
        authenticated=_authenticated(message, from_address) if from_address else None,
        message_id_derived=derived,
        gmail_labels=labels,
        names=tuple((a, n) for n, a in [*named, (from_name, from_address)] if n and a),
    )
