"""Reading the CSV files people really have: any common encoding, any common delimiter,
quoted fields with commas and line breaks, blank rows, streamed so a 50 MB file is never
held in memory whole."""

from __future__ import annotations

import codecs
import csv
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from charset_normalizer import from_bytes
from django.core.exceptions import ValidationError

SAMPLE_BYTES = 64 * 1024
DELIMITERS = ",;\t|"
# A field longer than this is a stray quote that swallowed the rest of the file, not data.
csv.field_size_limit(1_000_000)


@dataclass(frozen=True)
class FileFormat:
    encoding: str
    delimiter: str


@dataclass
class Row:
    line: int  # the physical line the record starts on, as a spreadsheet numbers it
    cells: list[str]


def _decodes_as_utf8(sample: bytes) -> bool:
    # Incremental, so that a character cut in two at the end of the sample is not an error.
    try:
        codecs.getincrementaldecoder("utf-8")().decode(sample, final=False)
    except UnicodeDecodeError:
        return False
    return True


def _mostly_utf8(sample: bytes) -> bool:
    """Two exports pasted together: some lines UTF-8, a few Windows-1252. A line of several
    non-ASCII bytes that decodes as UTF-8 is almost never Windows-1252 text by chance, so
    the file is read as UTF-8, and each line that is not falls back on its own."""
    valid = invalid = 0
    for line in sample.splitlines()[:-1] or sample.splitlines():
        if line.isascii():
            continue
        try:
            line.decode("utf-8")
        except UnicodeDecodeError:
            invalid += 1
        else:
            valid += 1
    return valid > 0 and valid >= invalid


def detect_encoding(sample: bytes) -> str:
    if sample.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    if b"\x00" in sample:
        raise ValidationError(
            "This file is not a CSV file (it holds binary data). Export it as CSV and try again."
        )
    if _decodes_as_utf8(sample) or _mostly_utf8(sample):
        return "utf-8"
    best = from_bytes(sample).best()
    if best is None:
        raise ValidationError("This file is not a text file that can be read as CSV.")
    encoding = best.encoding.lower()
    # Latin-1 and Windows-1252 differ only where Latin-1 has control characters; a spreadsheet's
    # € or “quotes” are Windows-1252, so prefer it.
    if encoding in {"latin_1", "iso8859_1", "iso8859_15", "cp1250", "cp1252"}:
        return "cp1252"
    return encoding


def sniff_delimiter(text: str) -> str:
    lines = [line for line in text.splitlines() if line.strip()][:50]
    if not lines:
        raise ValidationError("This file is empty.")
    try:
        return csv.Sniffer().sniff("\n".join(lines), delimiters=DELIMITERS).delimiter
    except csv.Error:
        pass
    # The sniffer gives up on irregular files; the delimiter found most often in the
    # header line is the next best guess.
    header = lines[0]
    counts = {d: header.count(d) for d in DELIMITERS}
    best = max(counts, key=counts.get)
    if counts[best] == 0 and len(lines) > 1:
        # One column only: still a valid CSV.
        return ","
    return best


def detect_format(path: Path) -> FileFormat:
    with open(path, "rb") as handle:
        sample = handle.read(SAMPLE_BYTES)
    if not sample.strip():
        raise ValidationError("This file is empty.")
    encoding = detect_encoding(sample)
    text = sample.decode(encoding, errors="replace")
    if len(sample) == SAMPLE_BYTES:
        text = text.rsplit("\n", 1)[0]
    delimiter = sniff_delimiter(text)
    return FileFormat(encoding=encoding, delimiter=delimiter)


def _text_lines(path: Path, encoding: str) -> Iterator[str]:
    """The file's lines as text. A UTF-8 file with a stray Windows-1252 line (two exports
    pasted together) keeps that line readable instead of failing the whole file."""
    with open(path, "rb") as handle:
        first = True
        for raw in handle:
            if first and encoding == "utf-8-sig" and raw.startswith(codecs.BOM_UTF8):
                raw = raw[len(codecs.BOM_UTF8) :]
            first = False
            if encoding not in ("utf-8", "utf-8-sig", "cp1252"):
                yield raw.decode(encoding, errors="replace")
                continue
            # A line that is valid UTF-8 is UTF-8 (Windows-1252 text almost never is).
            try:
                yield raw.decode("utf-8")
            except UnicodeDecodeError:
                yield raw.decode("cp1252", errors="replace")


def read_rows(path: Path, file_format: FileFormat) -> Iterator[Row]:
    """Every non-blank record, the header included, with the line it starts on."""
    reader = csv.reader(_text_lines(path, file_format.encoding), delimiter=file_format.delimiter)
    start = 1
    while True:
        try:
            cells = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            raise ValidationError(
                f"Line {start}: this file cannot be read as CSV ({exc}). "
                "A quote may be missing its closing quote."
            ) from exc
        line = start
        start = reader.line_num + 1
        if any(cell.strip() for cell in cells):
            yield Row(line=line, cells=[cell.strip() for cell in cells])


@dataclass
class Table:
    format: FileFormat
    headers: list[str]
    rows: Iterator[Row]


def open_table(path: Path) -> Table:
    file_format = detect_format(path)
    rows = read_rows(path, file_format)
    header = next(rows, None)
    if header is None:
        raise ValidationError("This file has no rows.")
    headers = [h.strip() for h in header.cells]
    if len(headers) < 2 and len(set(headers)) < 1:
        raise ValidationError("This file has no columns.")
    return Table(format=file_format, headers=headers, rows=rows)


def as_record(headers: list[str], row: Row) -> dict[str, str]:
    """Cells by header name; extra cells are kept under a numbered name so nothing is lost."""
    record = {}
    for index, cell in enumerate(row.cells):
        name = headers[index] if index < len(headers) and headers[index] else f"column {index + 1}"
        record[name] = cell
    return record
