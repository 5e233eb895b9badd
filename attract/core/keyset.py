"""Keyset pagination for the API lists: "the rows after this one" in the list's own order,
instead of OFFSET, which reads and throws away every row before the page (page 20,000 of a
million persons read a million rows). A position is opaque to clients: the last row's sort
values and id, JSON in URL-safe base64."""

from __future__ import annotations

import base64
import binascii
import json
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import Model, Q, QuerySet


def supports(model: type[Model], ordering: tuple[str, ...]) -> bool:
    """Keyset needs columns of the row itself that are never NULL (a NULL has no place in a
    comparison): the name and date sorts, not the company, fit or expected-close sorts."""
    names = [field.lstrip("-") for field in ordering]
    if not names or any("__" in name for name in names):
        return False
    return not any(model._meta.get_field(name).null for name in names)


def position_of(row: Model, ordering: tuple[str, ...]) -> str:
    values = []
    for field in ordering:
        name = field.lstrip("-")
        value = getattr(row, row._meta.get_field(name).attname)
        values.append(value.isoformat() if hasattr(value, "isoformat") else value)
    raw = json.dumps(values, separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def after(queryset: QuerySet, ordering: tuple[str, ...], position: str) -> QuerySet:
    """The rows that follow `position` in `ordering`; a malformed position is a
    ValidationError on the field "after"."""
    try:
        padded = position + "=" * (-len(position) % 4)
        values = json.loads(base64.urlsafe_b64decode(padded.encode()))
        if not isinstance(values, list) or len(values) != len(ordering):
            raise ValueError
        model = queryset.model
        parsed: list[Any] = [
            model._meta.get_field(field.lstrip("-")).to_python(value)
            for field, value in zip(ordering, values, strict=True)
        ]
    except (ValueError, TypeError, binascii.Error, ValidationError, UnicodeDecodeError) as exc:
        raise ValidationError({"after": "Not a position in this list."}) from exc
    # (a, b, c) after (x, y, z): a > x, or a = x and b > y, or a = x and b = y and c > z
    # (each column in its own direction).
    following = Q()
    for index, field in enumerate(ordering):
        name = field.lstrip("-")
        step = Q(**{f"{name}__{'lt' if field.startswith('-') else 'gt'}": parsed[index]})
        for earlier, value in zip(ordering[:index], parsed[:index], strict=True):
            step &= Q(**{earlier.lstrip("-"): value})
        following |= step
    return queryset.filter(following)


def api_page(
    rows,
    *,
    limit: int,
    offset: int,
    after_position: str | None,
    ordering: tuple[str, ...],
    filtered: bool,
) -> dict[str, Any]:
    """One page of an API list: `count` as core.counting says it (exact when small, else an
    estimate or a floor, with `count_exact` false), the items, and `next`, the position to pass
    as `after` for the following page (keyset; null at the end, or when the sort does not
    allow it: then `offset` pages as before). A fixed number of queries, whatever the page."""
    from attract.core.counting import list_count

    count = list_count(rows, filtered=filtered)
    model = getattr(rows, "queryset", rows).model
    keyset = supports(model, ordering)
    if after_position:
        if not keyset:
            raise ValidationError({"after": "This sort pages with offset, not after."})
        if offset:
            raise ValidationError({"offset": "Give after or offset, not both."})
        rows = after(rows, ordering, after_position)
        items = list(rows[: limit + 1])
    else:
        items = list(rows[offset : offset + limit + 1])
    following = None
    if keyset and len(items) > limit:
        following = position_of(items[limit - 1], ordering)
    return {
        "count": count.value,
        "count_exact": count.exact,
        "next": following,
        "items": items[:limit],
    }
