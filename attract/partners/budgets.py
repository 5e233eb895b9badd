"""Reading a budget line of a partner's definition ("Under 5,000", "5k–20k", "From 50,000")
as the range of budgets it welcomes, so that a prospect's budget can be compared with it in
the database. Read once, when the line is written, and stored beside its text."""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

from attract.core.search_text import search_key

_NUMBER = re.compile(r"(\d[\d,.\u00a0\u202f ]*\d|\d)\s*(k|m|thousand|million)?\b", re.IGNORECASE)
_AT_MOST = ("under", "below", "less than", "up to", "at most", "max", "no more than", "<")
_AT_LEAST = ("over", "above", "more than", "from", "at least", "min", "starting", ">", "+")
# A lone figure with no word around it ("10,000 budget") welcomes budgets within this share.
AROUND = Decimal("0.25")
LIMIT = Decimal("1e12")


def _amount(digits: str, scale: str | None) -> Decimal | None:
    cleaned = re.sub(r"[,\u00a0\u202f ]", "", digits)
    # "5.000" is five thousand in much of Europe; "2.5" is two and a half.
    if re.fullmatch(r"\d{1,3}(\.\d{3})+", cleaned):
        cleaned = cleaned.replace(".", "")
    try:
        value = Decimal(cleaned)
    except InvalidOperation:
        return None
    multiplier = {"k": 1_000, "thousand": 1_000, "m": 1_000_000, "million": 1_000_000}.get(
        (scale or "").lower(), 1
    )
    value *= multiplier
    return value if value.is_finite() and value < LIMIT else None


def budget_range(text: str) -> tuple[Decimal | None, Decimal | None]:
    """(lowest, highest) budget the line welcomes; None on a side that is open. (None, None)
    when the line holds no figure."""
    amounts = [
        a for a in (_amount(m.group(1), m.group(2)) for m in _NUMBER.finditer(text or ""))
        if a is not None
    ]  # fmt: skip
    if not amounts:
        return None, None
    if len(amounts) >= 2:
        low, high = sorted(amounts[:2])
        return low, high
    amount, words = amounts[0], search_key(text)
    if any(word in words for word in _AT_MOST):
        return None, amount
    if any(word in words for word in _AT_LEAST):
        return amount, None
    return (amount * (1 - AROUND)).quantize(Decimal("0.01")), (amount * (1 + AROUND)).quantize(
        Decimal("0.01")
    )


def welcomes(low: Decimal | None, high: Decimal | None, amount: Decimal) -> bool:
    if low is None and high is None:
        return False
    return (low is None or amount >= low) and (high is None or amount <= high)
