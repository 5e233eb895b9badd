"""Turning the text of a cell into a date or an amount, the way the file meant it."""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import date, datetime
from decimal import Decimal, InvalidOperation

from dateutil import parser as date_parser
from django.core.exceptions import ValidationError

# What a spreadsheet runs as a formula; an export writes "'" before such a cell.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
_NUMERIC_DATE = re.compile(r"^\s*(\d{1,2})[./-](\d{1,2})[./-](\d{2,4})")
_DEFAULT = datetime(2000, 1, 1)


def guess_day_first(samples: Iterable[str]) -> bool | None:
    """True for 31/12/2024, False for 12/31/2024, None when every sample is ambiguous."""
    for text in samples:
        match = _NUMERIC_DATE.match(text or "")
        if not match:
            continue
        first, second = int(match.group(1)), int(match.group(2))
        if first > 12:
            return True
        if second > 12:
            return False
    return None


def parse_date(text: str, *, day_first: bool) -> date | None:
    text = (text or "").strip()
    if not text:
        return None
    try:
        # An ISO date (2024-03-01, 2024-03-01T10:00:00+0000) is never read day first.
        iso_like = bool(re.match(r"^\d{4}-\d{1,2}-\d{1,2}", text))
        parsed = date_parser.parse(text, dayfirst=day_first and not iso_like, default=_DEFAULT)
    except (ValueError, OverflowError) as exc:
        raise ValidationError(f"“{text[:40]}” is not a date.") from exc
    return parsed.date()


_PLAIN_AMOUNT = re.compile(r"[0-9]+(?:\.[0-9]+)?")


def parse_amount(text: str) -> Decimal | None:
    """€1.234,56 / $1,234.56 / 1 234,56 CHF / (120.00) → Decimal."""
    raw = (text or "").strip()
    if not raw:
        return None
    if _PLAIN_AMOUNT.fullmatch(raw):
        # 1234.56, 1234, 1.234: what the rules below make of it, read directly (an export's
        # amount column is mostly written so).
        return Decimal(raw)
    negative = raw.startswith("(") and raw.endswith(")") or "-" in raw
    digits = re.sub(r"[^\d.,]", "", raw)
    if not digits or not re.search(r"\d", digits):
        raise ValidationError(f"“{raw[:40]}” is not an amount.")
    if "," in digits and "." in digits:
        decimal_mark = "," if digits.rfind(",") > digits.rfind(".") else "."
    elif digits.count(",") == 1:
        # 1,234 is a thousand; 12,5 is twelve and a half.
        decimal_mark = "." if re.search(r",\d{3}$", digits) else ","
    else:
        decimal_mark = "." if digits.count(".") == 1 else ""
    thousands = {",": ".", ".": ",", "": ".,"}[decimal_mark]
    for mark in thousands:
        digits = digits.replace(mark, "")
    if decimal_mark == ",":
        digits = digits.replace(",", ".")
    try:
        amount = Decimal(digits)
    except InvalidOperation as exc:
        raise ValidationError(f"“{raw[:40]}” is not an amount.") from exc
    return -amount if negative else amount
