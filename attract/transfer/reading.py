"""Reading the CSV files people really have: any common encoding, any common delimiter,
quoted fields with commas and line breaks, blank rows, streamed so a 50 MB file is never
held in memory whole."""

from __future__ import annotations

import codecs
import csv
import re
from collections import deque
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
    if sample.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"  # Excel's and Outlook's "Unicode text"
    if b"\x00" in sample:
        raise ValidationError(
            "This file is not a CSV file (it holds binary data). Export it as CSV and try again."
        )
    if _decodes_as_utf8(sample) or _mostly_utf8(sample):
        return "utf-8"
    results = from_bytes(sample)
    best = results.best()
    if best is None:
        raise ValidationError("This file is not a text file that can be read as CSV.")
    encoding = _most_plausible(sample, [m.encoding for m in results])
    # Latin-1 and Windows-1252 differ only where Latin-1 has control characters; a spreadsheet's
    # € or “quotes” are Windows-1252, so prefer it. Central European (Windows-1250) only when
    # its reading of the names is the more plausible one: charset-normalizer names it first
    # for many a French or German file, and one of Polish names as "hp_roman8".
    if encoding in _LATIN_FAMILY:
        return _western_or_central_european(sample)
    return encoding


_LATIN_FAMILY = {"latin_1", "iso8859_1", "iso8859_2", "iso8859_15", "iso8859_16", "cp1250",
                 "cp1252", "hp_roman8", "mac_latin2", "cp1257", "iso8859_10", "iso8859_3",
                 "iso8859_4", "iso8859_13"}  # fmt: skip

# The languages that use each letter outside ASCII (lower case), enough to tell a name read
# in the right Latin code page from the same bytes read in the wrong one: "Dvořák" holds
# letters of one language, its Windows-1252 reading "Dvoøák" a Danish ø beside a Czech á;
# "Łukasz" read as Windows-1252 is "£ukasz", a symbol inside a word.
_LANGUAGES_OF = {
    **dict.fromkeys("áí", "es pt cs sk hu is ga"), "é": "fr es pt it cs sk hu ca",
    "ó": "es pt pl cs sk hu is ca", "ú": "es pt cs sk hu is", "ý": "cs sk is",
    "ä": "de sv fi sk et", "ö": "de sv fi hu tr is et", "ü": "de hu tr es et ca",
    "ß": "de", "à": "fr it pt ca", "è": "fr it ca", "ì": "it", "ò": "it ca", "ù": "fr it",
    "â": "fr pt ro tr", "ê": "fr pt", "î": "fr ro", "ô": "fr pt sk", "û": "fr",
    "ë": "fr nl sq", "ï": "fr nl ca", "ç": "fr pt ca tr sq", "ñ": "es", "ã": "pt",
    "õ": "pt et", "å": "sv no da fi", "æ": "no da is", "ø": "no da", "œ": "fr", "ÿ": "fr",
    "ð": "is", "þ": "is", **dict.fromkeys("ąęłńśźż", "pl"), "ć": "pl hr",
    "č": "cs sk sl hr lt", **dict.fromkeys("ďťň", "cs sk"), **dict.fromkeys("ěůř", "cs"),
    **dict.fromkeys("ĺľŕ", "sk"), **dict.fromkeys("őű", "hu"), "ă": "ro", "ş": "ro tr",
    "ţ": "ro", **dict.fromkeys("šž", "cs sk sl hr lt lv et fi"), "đ": "hr",
}  # fmt: skip
_WORD_SEPARATORS = re.compile(r"[\s,;|\t\"'()/@.\-]+")


def _latin_plausibility(text: str) -> float:
    """The share of the words with letters outside ASCII that read as one language's word:
    only letters, and letters some one language has together."""
    good = total = 0
    for word in _WORD_SEPARATORS.split(text):
        if word.isascii():
            continue
        total += 1
        languages = None
        for char in word:
            if char.isascii():
                continue
            known = _LANGUAGES_OF.get(char.lower()) if char.isalpha() else None
            if known is None:
                languages = set()
                break
            languages = set(known.split()) if languages is None else languages & set(known.split())
        good += bool(languages)
    return good / total if total else 0.0


def _western_or_central_european(sample: bytes) -> str:
    whole = sample.rsplit(b"\n", 1)[0] if b"\n" in sample else sample
    scores = {}
    for encoding in ("cp1252", "cp1250"):
        try:
            scores[encoding] = _latin_plausibility(whole.decode(encoding))
        except UnicodeDecodeError:  # a byte this code page does not have
            continue
    if scores.get("cp1250", -1.0) > scores.get("cp1252", -1.0):
        return "cp1250"
    return "cp1252"


# charset-normalizer finds the family of a legacy encoding reliably, but on a short file (an
# address book of a few people) it may pick the wrong member: one row of Japanese read as
# Korean, Russian as Central European. Names are made of a language's common characters; the
# same bytes read in the wrong encoding give rare ones. So the members of the family are
# compared by the share of common characters they read.
PLENTY_OF_TEXT = 400  # non-ASCII bytes
_CJK = ("cp932", "gb18030", "big5", "cp949", "euc_jp")
_CYRILLIC_OR_LATIN = ("cp1252", "cp1251", "koi8_r")


def _common_cjk(char: str, encoding: str) -> bool:
    code = ord(char)
    if encoding in ("cp932", "euc_jp"):
        if 0x3040 <= code <= 0x30FF:  # hiragana and katakana: only Japanese has them
            return True
        try:  # JIS level 1: the 2,965 kanji in daily use
            lead = char.encode("cp932")
        except UnicodeEncodeError:
            return False
        return len(lead) == 2 and 0x88 <= lead[0] <= 0x98
    if encoding == "gb18030":
        try:  # GB 2312 level 1: the 3,755 most common hanzi (lead bytes B0–D7)
            lead = char.encode("gb2312")
        except UnicodeEncodeError:
            return False
        return len(lead) == 2 and 0xB0 <= lead[0] <= 0xD7
    if encoding == "big5":
        try:  # Big5 level 1: the 5,401 common hanzi (lead bytes A4–C6)
            lead = char.encode("big5")
        except UnicodeEncodeError:
            return False
        return len(lead) == 2 and 0xA4 <= lead[0] <= 0xC6
    if encoding == "cp949":
        try:  # KS X 1001: the 2,350 hangul syllables in daily use (no hanja: names are hangul)
            return 0xAC00 <= code <= 0xD7A3 and len(char.encode("euc_kr")) == 2
        except UnicodeEncodeError:
            return False
    return False


def _plausibility(text: str, encoding: str) -> float:
    """The share of the text's non-ASCII letters that are common ones for the encoding."""
    letters = [c for c in text if not c.isascii() and c.isalpha()]
    if not letters:
        return 0.0
    if encoding in _CJK:
        return sum(_common_cjk(c, encoding) for c in letters) / len(letters)
    # Cyrillic and Latin: a word reads "Петров" or "Müller"; the wrong code page gives
    # "пЕТРОВ" (KOI8-R as Windows-1251) or "Ďĺňđîâ" (Windows-1251 as Windows-1250).
    words = re.findall(r"[^\W\d_]+", text)
    good = total = 0
    for word in words:
        if word.isascii():
            continue
        total += 1
        cased = word.islower() or word.isupper() or (word[0].isupper() and word[1:].islower())
        cyrillic = all("\u0400" <= c <= "\u04ff" for c in word)  # no Latin letter mixed in
        latin_like = sum(not c.isascii() for c in word) <= max(1, len(word) // 3)
        good += cased and (cyrillic if encoding in ("cp1251", "koi8_r", "mac_cyrillic",
                                                    "iso8859_5") else latin_like)  # fmt: skip
    return good / total if total else 0.0


_SUPERSETS = {"shift_jis": "cp932", "euc_kr": "cp949", "gbk": "gb18030", "gb2312": "gb18030"}


def _canonical(encoding: str) -> str:
    """Python's name, with "_" (koi8_r), and the Windows superset of a legacy CJK encoding."""
    try:
        name = codecs.lookup(encoding).name.replace("-", "_")
    except LookupError:
        return encoding
    return _SUPERSETS.get(name, name)


def _most_plausible(sample: bytes, found: list[str]) -> str:
    """Among charset-normalizer's findings and the other members of their family, the one
    whose reading of the sample is most plausible; its own order breaks ties."""
    if not found:
        return "cp1252"
    found = [_canonical(e) for e in found]
    if sum(b > 0x7F for b in sample) >= PLENTY_OF_TEXT:
        return found[0]  # enough text for charset-normalizer's statistics
    # Within the family charset-normalizer chose; ties go to its order (CJK) or to the
    # usual code pages first (Windows-1252, -1251, KOI8-R).
    if found[0] in _CJK:
        candidates = list(dict.fromkeys([*found, *_CJK]))
    else:
        candidates = list(dict.fromkeys([*_CYRILLIC_OR_LATIN, *found]))
    # The sample may end in the middle of a character: only its whole lines are compared.
    whole = sample.rsplit(b"\n", 1)[0] if b"\n" in sample else sample
    best, best_score = found[0], -1.0
    for encoding in candidates:
        try:
            text = whole.decode(encoding)
        except (UnicodeDecodeError, LookupError):
            continue
        score = _plausibility(text, encoding)
        if score > best_score + 1e-9:
            best, best_score = encoding, score
    return best


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


# The encodings offered on the import page (any other Python codec name is accepted too).
ENCODINGS = [
    ("utf-8", "Unicode (UTF-8)"),
    ("cp1252", "Western European (Windows-1252, Latin-1)"),
    ("cp1250", "Central European (Windows-1250)"),
    ("cp1251", "Cyrillic (Windows-1251)"),
    ("koi8_r", "Cyrillic (KOI8-R)"),
    ("cp932", "Japanese (Shift_JIS)"),
    ("euc_jp", "Japanese (EUC-JP)"),
    ("gb18030", "Chinese, simplified (GBK, GB18030)"),
    ("big5", "Chinese, traditional (Big5)"),
    ("cp949", "Korean (EUC-KR)"),
    ("cp1253", "Greek (Windows-1253)"),
    ("cp1254", "Turkish (Windows-1254)"),
    ("cp1255", "Hebrew (Windows-1255)"),
    ("cp1256", "Arabic (Windows-1256)"),
    ("mac_roman", "Mac OS Roman"),
    ("utf-16", "Unicode (UTF-16)"),
]


def encoding_name(encoding: str) -> str:
    """A codec name checked and in Python's spelling ("Shift_JIS" → "shift_jis"), or a
    ValidationError naming the choice."""
    try:
        return codecs.lookup((encoding or "").strip()).name
    except LookupError as exc:
        raise ValidationError(f"“{encoding}” is not an encoding Attract can read.") from exc


def detect_format(path: Path, encoding: str | None = None) -> FileFormat:
    """The file's encoding (detected, unless given) and delimiter."""
    with open(path, "rb") as handle:
        sample = handle.read(SAMPLE_BYTES)
    if not sample.strip():
        raise ValidationError("This file is empty.")
    encoding = encoding or detect_encoding(sample)
    text = sample.decode(encoding, errors="replace")
    if len(sample) == SAMPLE_BYTES:
        text = text.rsplit("\n", 1)[0]
    delimiter = sniff_delimiter(text)
    return FileFormat(encoding=encoding, delimiter=delimiter)


def _text_lines(path: Path, encoding: str) -> Iterator[str]:
    """The file's lines as text. A UTF-8 file with a stray Windows-1252 line (two exports
    pasted together) keeps that line readable instead of failing the whole file."""
    if encoding not in ("utf-8", "utf-8-sig", "cp1252"):
        # Any other codec decodes the stream itself (UTF-16's two-byte line ends included);
        # a byte it cannot read becomes U+FFFD rather than stopping the import.
        with open(path, encoding=encoding, errors="replace", newline="") as text:
            yield from text
        return
    with open(path, "rb") as handle:
        first = True
        for block in _blocks_of_lines(handle):
            if first and encoding == "utf-8-sig" and block.startswith(codecs.BOM_UTF8):
                block = block[len(codecs.BOM_UTF8) :]
            first = False
            # A block of lines decoded at once (one call rather than one a line); when it is
            # not all UTF-8, line by line: a line that is valid UTF-8 is UTF-8 (Windows-1252
            # text almost never is).
            try:
                text = block.decode("utf-8")
            except UnicodeDecodeError:
                for raw in _lines_of(block):
                    try:
                        yield raw.decode("utf-8")
                    except UnicodeDecodeError:
                        yield raw.decode("cp1252", errors="replace")
                continue
            lines = text.split("\n")
            last = lines.pop()
            for line in lines:
                yield line + "\n"
            if last:
                yield last


BLOCK_BYTES = 1 << 18  # 256 KiB: a few MB at most in memory with its lines


def _lines_of(block: bytes) -> Iterator[bytes]:
    """Split at b"\\n" only, as iterating a binary file does (not at a lone b"\\r")."""
    lines = block.split(b"\n")
    last = lines.pop()
    for line in lines:
        yield line + b"\n"
    if last:
        yield last


def _blocks_of_lines(handle) -> Iterator[bytes]:
    """The file in blocks of BLOCK_BYTES, each ending at the end of a line (b"\\n"), as
    iterating a binary file splits lines; the last block may end without one."""
    rest = b""
    while True:
        block = handle.read(BLOCK_BYTES)
        if not block:
            if rest:
                yield rest
            return
        block = rest + block
        end = block.rfind(b"\n") + 1
        if not end:
            rest = block
            continue
        rest = block[end:]
        yield block[:end]


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


def record_count(path: Path, file_format: FileFormat) -> int:
    """How many rows `read_rows` gives after the header, counted without building them."""
    reader = csv.reader(_text_lines(path, file_format.encoding), delimiter=file_format.delimiter)
    count = 0
    try:
        for cells in reader:
            if "".join(cells).strip():
                count += 1
    except csv.Error:
        # Read the rows to the end so that they raise the file's error with its line, in the
        # words the import's report uses; the csv module's own error is the fallback.
        deque(read_rows(path, file_format), maxlen=0)
        raise
    return max(count - 1, 0)


@dataclass
class Table:
    format: FileFormat
    headers: list[str]
    rows: Iterator[Row]


def open_table(path: Path, encoding: str | None = None) -> Table:
    """The file's header and rows; `encoding` (the user's choice, or the one detected when
    the file was uploaded) skips the detection."""
    file_format = detect_format(path, encoding)
    rows = read_rows(path, file_format)
    header = next(rows, None)
    if header is None:
        raise ValidationError("This file has no rows.")
    headers = [h.strip() for h in header.cells]
    if len(headers) < 2 and len(set(headers)) < 1:
        raise ValidationError("This file has no columns.")
    return Table(format=file_format, headers=headers, rows=rows)


def shape_error(headers: list[str], row: Row, delimiter: str) -> str:
    """Why a row is no record of this file: one column of a file of many (a row written as
    one quoted field), or "" for a row of the file's shape."""
    if len(row.cells) != 1 or len(headers) < 3:
        return ""
    why = (
        "the whole row is one quoted field, so its separators are read as text"
        if delimiter in row.cells[0]
        else "the row has one value only"
    )
    return f"1 column, expected {len(headers)}: {why}."


def as_record(headers: list[str], row: Row) -> dict[str, str]:
    """Cells by header name; extra cells are kept under a numbered name so nothing is lost."""
    record = {}
    for index, cell in enumerate(row.cells):
        name = headers[index] if index < len(headers) and headers[index] else f"column {index + 1}"
        record[name] = cell
    return record
