"""Importing a `.eml` file or an `.mbox` export: each message's headers are read and logged
as a mailbox sync would log them; bodies are skipped as they stream by, so a 30 MB message or
a several-gigabyte export costs a few kilobytes of memory per message."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import BinaryIO

from django.core.exceptions import PermissionDenied, ValidationError

from attract.accounts.models import User
from attract.core.permissions import can_write
from attract.mail.inbound_logging import InboundReport, already_logged, log_read_message
from attract.mail.inbound_parsing import MAX_HEADER_BYTES, ReadMessage, read_headers
from attract.mail.message_log import team_addresses
from attract.mail.models import MessageSource


def _is_blank(line: bytes) -> bool:
    return line in (b"\n", b"\r\n", b"\r")


def _read_header_lines(lines: Iterator[bytes], first: bytes | None = None) -> bytes:
    block = bytearray(first or b"")
    if first is not None and _is_blank(first):
        return bytes(block)
    for line in lines:
        if len(block) < MAX_HEADER_BYTES:
            block += line
        if _is_blank(line):
            break
    return bytes(block)


def message_headers(stream: Iterable[bytes]) -> Iterator[bytes]:
    """The header block of each message in an mbox (lines starting "From " between messages)
    or of the one message in an .eml; what is not a message (an empty file) yields nothing."""
    lines = iter(stream)
    first = next(lines, b"")
    while first and _is_blank(first):
        first = next(lines, b"")
    if not first:
        return
    if not first.startswith(b"From "):
        yield _read_header_lines(lines, first)
        return
    while True:
        headers = _read_header_lines(lines)
        if headers.strip():
            yield headers
        # Skip the body up to the next separator: a "From " line after an empty line.
        previous_blank = True
        for line in lines:
            if line.startswith(b"From ") and previous_blank:
                break
            previous_blank = _is_blank(line)
        else:
            return


BATCH = 500


def _log_batch(
    actor: User, batch: list[ReadMessage], team: set[str], report: InboundReport
) -> None:
    known = already_logged(batch) if batch else set()
    for read in batch:
        if not read.facts.from_address:
            report.add("failed")
            report.problems.append(f"<{read.facts.message_id}>: no sender address (From).")
            continue
        log_read_message(
            actor=actor,
            read=read,
            source=MessageSource.FILE,
            folder=None,
            team=team,
            report=report,
            known=known,
        )


def mail_import(*, actor: User, stream: BinaryIO | Iterable[bytes]) -> InboundReport:
    """Log every message of an .eml or .mbox file; importing it again logs nothing twice."""
    if not can_write(actor):
        raise PermissionDenied("Your role can read but not change records.")
    report = InboundReport()
    team = team_addresses()
    found = False
    batch: list[ReadMessage] = []
    for headers in message_headers(stream):
        read = read_headers(headers)
        found = found or bool(read.facts.from_address)
        batch.append(read)
        if len(batch) == BATCH:
            _log_batch(actor, batch, team, report)
            batch = []
    _log_batch(actor, batch, team, report)
    if not found:
        raise ValidationError({"file": "The file holds no e-mail message (.eml or .mbox)."})
    return report
