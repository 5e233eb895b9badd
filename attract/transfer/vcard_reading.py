"""Reading the vCard files address books really write, before vobject parses each card.

vobject reads vCard 3.0 and 4.0 text well; what phones and mail programs write besides
trips it or garbles it, so each card is first brought to plain UTF-8 text here:

- vCard 2.1 (Android, Outlook, BlackBerry): values in QUOTED-PRINTABLE, whose soft line
  breaks ("=" at a line's end) continue on the next line, unindented; and a CHARSET per
  value (CHARSET=SHIFT_JIS on a Japanese phone's card), which decides how the value's bytes
  are read — not the file's encoding;
- raw 8-bit text in a legacy encoding (Shift_JIS, GBK, Big5, EUC-KR, Windows-1251…), read
  in the encoding the user chose or the one charset-normalizer detects;
- base64 photos, sounds and keys (Outlook folds them with spaces and ends them with a blank
  line), which we do not keep: dropped before parsing;
- Lotus Notes' PROFILE:VCard and other lines vobject has no use for.

Each card is then parsed alone, so one damaged card (a stray line, a file cut off in the
middle of a card) is reported with its position and the others are read.
"""

from __future__ import annotations

import codecs
import logging
import quopri
import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

import vobject
from django.core.exceptions import ValidationError

from attract.transfer.reading import SAMPLE_BYTES, detect_encoding

_BEGIN = re.compile(rb"^\s*BEGIN\s*:\s*VCARD\s*$", re.IGNORECASE)
_END = re.compile(rb"^\s*END\s*:\s*VCARD\s*$", re.IGNORECASE)
# Binary properties we do not keep (a photo is often most of an Android export).
_BASE64_LINE = re.compile(rb"\s*[A-Za-z0-9+/=]+\s*")
_DROPPED = {b"PHOTO", b"LOGO", b"SOUND", b"KEY", b"PROFILE", b"AGENT"}


@dataclass
class Card:
    number: int  # 1 for the file's first card
    line: int  # the line its BEGIN:VCARD is on
    text: str  # the card as clean UTF-8 vCard text
    complete: bool  # False when the file ends before its END:VCARD


def file_encoding(data: bytes, chosen: str = "") -> str:
    """The encoding of the file's 8-bit text: the user's choice, a BOM, UTF-8 when it reads
    as UTF-8, else what charset-normalizer finds (Shift_JIS, GBK, Big5, EUC-KR, …)."""
    if chosen:
        return codecs.lookup(chosen).name
    if data.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        # The CSV reader's detection: charset-normalizer, with a second look at short files.
        return detect_encoding(data[:SAMPLE_BYTES].replace(b"\x00", b""))
    return "utf-8"


def _logical_lines(data: bytes) -> Iterator[tuple[int, bytes]]:
    """(line number, property line) with folded lines joined: a line starting with a space
    or tab continues the last; a quoted-printable value ending in "=" continues on the next
    line whatever it starts with (vCard 2.1's soft line break)."""
    current: bytes | None = None
    start = 0
    quoted_printable = base64 = False
    # "\r\r\n" (a CRLF file passed once more through a CRLF conversion) is one line end.
    raw_lines = re.split(rb"\r*\n", data) if b"\n" in data else data.split(b"\r")
    for number, raw in enumerate(raw_lines, start=1):
        if current is not None and quoted_printable and current.endswith(b"="):
            current = current[:-1] + raw.lstrip()
            continue
        if current is not None and base64 and raw.strip() and _BASE64_LINE.fullmatch(raw):
            current += raw.strip()  # vCard 2.1: base64 lines need no indent, a blank line ends them
            continue
        if current is not None and raw[:1] in (b" ", b"\t"):
            current += raw[1:]
            continue
        if current is not None:
            yield start, current
        current, start = raw, number
        head = raw.split(b":", 1)[0].upper()
        quoted_printable = b"QUOTED-PRINTABLE" in head
        base64 = b"BASE64" in head or b"ENCODING=B" in head
    if current is not None:
        yield start, current


def _param_value(params: list[bytes], name: bytes) -> str:
    for param in params:
        key, _, value = param.partition(b"=")
        if key.strip().upper() == name:
            return value.strip().strip(b'"').decode("ascii", "replace")
    return ""


def _clean_property(line: bytes, encoding: str) -> str | None:
    """The property as UTF-8 vCard text: its value decoded (quoted-printable, CHARSET),
    those two parameters removed. None for a property we drop."""
    head, colon, value = line.partition(b":")
    if not colon:
        return line.decode(encoding, "replace") if line.strip() else None
    parts = head.split(b";")
    name = parts[0].split(b".")[-1].strip().upper()  # "item1.ADR" → ADR
    if name in _DROPPED:
        return None
    params = parts[1:]
    charset = _param_value(params, b"CHARSET")
    transfer = _param_value(params, b"ENCODING").upper()
    bare = [p.strip().upper() for p in params]
    if transfer in ("QUOTED-PRINTABLE", "QP") or b"QUOTED-PRINTABLE" in bare:
        value = quopri.decodestring(value)
    elif transfer in ("BASE64", "B") or b"BASE64" in bare:
        return None  # binary (an embedded file): not kept
    try:
        text = value.decode(codecs.lookup(charset).name if charset else encoding)
    except (LookupError, UnicodeDecodeError):
        text = value.decode(encoding, "replace")
    if transfer in ("QUOTED-PRINTABLE", "QP") or b"QUOTED-PRINTABLE" in bare:
        # A decoded line break is a vCard "\n" again, so the value stays on one line.
        text = text.replace("\r\n", "\\n").replace("\n", "\\n").replace("\r", "\\n")
    kept = [
        p
        for p in params
        if p.partition(b"=")[0].strip().upper() not in (b"CHARSET", b"ENCODING")
        and p.strip().upper() not in (b"QUOTED-PRINTABLE", b"BASE64", b"8BIT")
    ]
    head_text = b";".join([parts[0], *kept]).decode("ascii", "replace")
    return f"{head_text}:{text}"


def split_cards(data: bytes, encoding: str) -> Iterator[Card]:
    """Every card of the file, cleaned, in order, with its position."""
    if encoding.startswith("utf-16"):
        data = data.decode(encoding, "replace").encode("utf-8")
        encoding = "utf-8"
    elif encoding == "utf-8-sig":
        data = data.removeprefix(codecs.BOM_UTF8)
        encoding = "utf-8"
    lines: list[str] | None = None
    number = start = 0
    for line_number, line in _logical_lines(data):
        if _BEGIN.match(line):
            if lines is not None:  # a BEGIN before the last card's END: that card is cut off
                yield Card(number, start, "\r\n".join([*lines, "END:VCARD"]), complete=False)
            number += 1
            lines, start = ["BEGIN:VCARD"], line_number
        elif _END.match(line):
            if lines is not None:
                yield Card(number, start, "\r\n".join([*lines, "END:VCARD"]), complete=True)
            lines = None
        elif lines is not None:
            cleaned = _clean_property(line, encoding)
            if cleaned is not None:
                lines.append(cleaned)
    if lines is not None:
        yield Card(number, start, "\r\n".join([*lines, "END:VCARD"]), complete=False)


class _Collected(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())


@contextmanager
def _vobject_to_report() -> Iterator[_Collected]:
    """vobject logs what it skips ("Skipped line 12 …") to stderr through a handler of its
    own; here it goes to the import's report instead."""
    logger = logging.getLogger("vobject.base")
    handlers, propagate, level = logger.handlers[:], logger.propagate, logger.level
    collected = _Collected()
    logger.handlers, logger.propagate = [collected], False
    logger.setLevel(logging.WARNING)
    try:
        yield collected
    finally:
        logger.handlers, logger.propagate = handlers, propagate
        logger.setLevel(level)


def parse_cards(data: bytes, encoding: str = "") -> tuple[list, list[str]]:
    """(the cards vobject read, the report's warnings for those it could not)."""
    encoding = file_encoding(data, encoding)
    cards, warnings = [], []
    with _vobject_to_report() as skipped:
        for card in split_cards(data, encoding):
            where = f"Card {card.number} (line {card.line})"
            skipped.messages.clear()
            try:
                parsed = vobject.readOne(card.text, ignoreUnreadable=True)
            except Exception as exc:  # noqa: BLE001 - vobject raises many unrelated types
                warnings.append(f"{where} could not be read and was left out: {exc}")
                continue
            for message in skipped.messages:
                # "Skipped line 3, message: …" counts lines within the card, from its BEGIN.
                text = re.sub(r"^Skipped line \d+, message: (At line \d+: )?", "", message)
                warnings.append(f"{where}: a line that cannot be read was left out ({text[:120]}).")
            if not card.complete:
                warnings.append(
                    f"{where} is cut off (no END:VCARD before the next card or the end of "
                    "the file); what it holds was read."
                )
            cards.append(parsed)
    if not cards and not warnings:
        raise ValidationError("This file holds no vCard.")
    return cards, warnings
