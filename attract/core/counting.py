"""How many rows a long list holds, without counting a million of them on every page.

Counting is most of what a list of a million persons costs (COUNT(*) over a million rows: 86
of 120 ms a page on SQLite), and nobody reads "1,183,407" differently from "about 1.2
million". So a list says:

- the exact number when it is small: the rows are counted up to EXACT_UP_TO + 1 (one bounded
  query, a few milliseconds however long the list);
- "about 1.2 million" when no filter is applied and it is large: the table's size as the
  database's own statistics know it (PostgreSQL's pg_class.reltuples, kept by ANALYZE and
  autovacuum; on SQLite, which keeps no row count, the span of ids: two ends of the primary
  key), one query;
- "more than 10,000" when a filter is applied and still matches more: a filtered number that
  large would cost the full count, and the user's next step is a narrower filter anyway.

See docs/scale.md.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import connections
from django.db.models import Model, QuerySet

EXACT_UP_TO = 10_000


@dataclass(frozen=True)
class ListCount:
    value: int
    exact: bool = True
    estimated: bool = False  # "about": from the table's statistics

    @property
    def more_than(self) -> bool:
        return not self.exact and not self.estimated

    def __str__(self) -> str:
        if self.exact:
            return f"{self.value:,}"
        if self.more_than:
            return f"more than {self.value:,}"
        return f"about {about(self.value)}"


def about(value: int) -> str:
    """Two significant figures, in words a person says: 1.2 million, 48,000, 730."""
    if value >= 1_000_000:
        millions = value / 1_000_000
        return f"{round(millions):,} million" if millions >= 10 else f"{millions:.1f} million"
    if value >= 1000:
        digits = len(str(value)) - 2
        return f"{round(value, -digits):,}"
    return f"{value:,}"


def table_estimate(model: type[Model], *, using: str = "default") -> int:
    """The number of rows in the model's table as the database's statistics have it."""
    connection = connections[using]
    table = connection.ops.quote_name(model._meta.db_table)
    pk = connection.ops.quote_name(model._meta.pk.column)
    # The span of ids stands in where there is no statistic (SQLite keeps no row count; a
    # PostgreSQL table never analysed has reltuples -1): rows deleted since are counted too,
    # an estimate anyway ("about"). One query either way.
    span = f"SELECT COALESCE(MAX({pk}) - MIN({pk}) + 1, 0) FROM {table}"  # noqa: S608
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT CASE WHEN reltuples > 0 THEN reltuples::bigint "  # noqa: S608
                f"ELSE ({span}) END FROM pg_class WHERE oid = %s::regclass",
                [model._meta.db_table],
            )
        else:
            cursor.execute(span)
        row = cursor.fetchone()
    return int(row[0]) if row and row[0] else 0


def list_count(rows, *, filtered: bool) -> ListCount:
    """What a list says of its length (see the module's docstring). `rows` is the list's
    queryset, or a sequence wrapping one in `.queryset` (people's ScoreOrdered)."""
    queryset: QuerySet = getattr(rows, "queryset", rows)
    capped = queryset.order_by()[: EXACT_UP_TO + 1].count()
    if capped <= EXACT_UP_TO:
        return ListCount(capped)
    if filtered:
        return ListCount(EXACT_UP_TO, exact=False)
    estimate = max(table_estimate(queryset.model, using=queryset.db), capped)
    return ListCount(estimate, exact=False, estimated=True)
