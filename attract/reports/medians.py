"""Medians by group, taken by the database: neither SQLite nor PostgreSQL share a median
aggregate, but both number rows within a group (window functions), so each group's middle one
or two rows are all that come back, with the group's size. The median is then computed here
exactly as `statistics.median` would from every value: the middle value, or the mean of the
two middle ones."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Hashable
from dataclasses import dataclass

from django.db.models import Count, F, Q, QuerySet, Window
from django.db.models.functions import RowNumber


@dataclass(frozen=True)
class GroupMedian:
    size: int
    median: float


def medians_by(
    qs: QuerySet,
    *,
    groups: list[str],
    value: str,
    as_float: Callable[[object], float] = float,
) -> dict[Hashable, GroupMedian]:
    """For each group of `qs` (by the fields or annotations `groups`), the number of rows whose
    `value` is not null and the median of `value`, converted by `as_float`. Keys are the group's
    values (a tuple when there are several). One query."""
    partition = [F(name) for name in groups]
    ranked = (
        qs.filter(**{f"{value}__isnull": False})
        .annotate(
            median_rank=Window(RowNumber(), partition_by=partition, order_by=F(value).asc()),
            median_size=Window(Count("pk"), partition_by=partition),
        )
        .filter(
            Q(median_rank=(F("median_size") + 1) / 2) | Q(median_rank=(F("median_size") + 2) / 2)
        )
        .order_by()
        .values_list(*groups, "median_rank", "median_size", value)
    )
    middles: dict[Hashable, list[tuple[int, float]]] = defaultdict(list)
    sizes: dict[Hashable, int] = {}
    width = len(groups)
    for row in ranked:
        key = row[0] if width == 1 else tuple(row[:width])
        rank, size, found = row[width:]
        middles[key].append((rank, as_float(found)))
        sizes[key] = size
    result = {}
    for key, values in middles.items():
        values.sort()
        # As statistics.median: the middle value, or the mean of the two, lower one first.
        median = values[0][1] if len(values) == 1 else (values[0][1] + values[1][1]) / 2
        result[key] = GroupMedian(size=sizes[key], median=median)
    return result


def median_of(
    qs: QuerySet, *, value: str, size: int, as_float: Callable[[object], float] = float
) -> float | None:
    """The median of `value` over `qs`, whose non-null count the caller knows (`size`): only
    the middle one or two rows are read, in the order of an index on the value when there is
    one (StageMove's stagemove_spent_idx), so no sort of the whole group."""
    if not size:
        return None
    middle = [
        as_float(found)
        for found in qs.filter(**{f"{value}__isnull": False})
        .order_by(value)
        .values_list(value, flat=True)[(size - 1) // 2 : size // 2 + 1]
    ]
    return middle[0] if len(middle) == 1 else (middle[0] + middle[1]) / 2
