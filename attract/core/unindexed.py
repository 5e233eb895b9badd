"""A planner hint for SQLite: a column compared as it is, not looked up by its index."""

from __future__ import annotations

from django.db.models import CharField, Func


class Unindexed(Func):
    """A column as it is, which SQLite's planner is told not to look up by its index ("+col").
    Without statistics SQLite takes any equality on an indexed column (relationship, owner,
    a deal's outcome) for a narrow one and starts there: then it sorts a third of the people
    by fit, or reads every open deal to check a search that a trigram index would answer from
    twenty rows. Comparing the column as it is leaves the better start to the planner: the
    fit index walked in order, or the search's index. PostgreSQL plans from its statistics
    and gets the column unchanged."""

    template = "%(expressions)s"
    output_field = CharField()

    def as_sqlite(self, compiler, connection, **extra_context):
        return self.as_sql(compiler, connection, template="+%(expressions)s", **extra_context)
