"""Substring search that reads an index on SQLite: an FTS5 table with the trigram tokenizer.

The lists and the global search match each word of the query anywhere in a name or title
(`LIKE '%word%'`). SQLite answers that by reading every row: about 20 ms of CPU per 100,000
rows, for every kind searched. A trigram index finds the rows holding a word of three or
more characters through its posting lists instead (a few milliseconds, less for a rare word).
Shorter words have no trigram and keep the plain LIKE. PostgreSQL gets the same from pg_trgm
GIN indexes (people migration 0003, pipeline migration 0008) and needs nothing here.

An FTS table keeps no copy of the text (`content=` points at the record's table) and
triggers keep it in step with every write, the services' and the bulk SQL of imports and
benchmarks alike. Django rebuilds a table when a later migration alters it on SQLite, which
drops its triggers, so `ensure` runs after every `migrate` too (see `ensure_after_migrate`)
and restores them (and the index).

Table and column names below are the code's own constants, never input; the words searched
always travel as a query parameter.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import closing, contextmanager
from dataclasses import dataclass
from functools import cache

from django.db import connections
from django.db.backends.base.base import BaseDatabaseWrapper

# The shortest word an index can find: one trigram.
SHORTEST_WORD = 3
# Above this many rows holding the words, the first rows of a list in its own order are found
# faster by walking the list's index and checking each row with LIKE (at a million persons,
# "smit" holds 6,500: 1.6 ms to walk, 52 ms to fetch and sort them all) than through the
# trigram index. Below it the index wins, and a rare word would make the walk read every row.
MANY_MATCHES = 500


@cache
def sqlite_has_trigram() -> bool:
    """Whether this process's SQLite (3.34 or later, with FTS5) has the trigram tokenizer.
    Django talks to SQLite through the same library, so an in-memory probe answers for it."""
    try:
        with closing(sqlite3.connect(":memory:")) as probe:
            probe.execute("CREATE VIRTUAL TABLE probe USING fts5(x, tokenize='trigram')")
    except sqlite3.OperationalError:
        return False
    return True


def in_use(connection: BaseDatabaseWrapper) -> bool:
    return connection.vendor == "sqlite" and sqlite_has_trigram()


def match_query(words: list[str]) -> str:
    """An FTS5 query that holds every word as a substring: each word a quoted phrase (so that
    quotes, stars and colons in it are plain characters), the phrases joined by AND."""
    return " AND ".join('"' + word.replace('"', '""') + '"' for word in words)


def any_of_query(words: set[str]) -> str:
    """An FTS5 query for rows holding at least one of the words (each as a substring)."""
    return " OR ".join(match_query([word]) for word in sorted(words))


def indexed_words(connection: BaseDatabaseWrapper, words: list[str]) -> list[str]:
    """The words an index answers on this connection (none on PostgreSQL)."""
    if not in_use(connection):
        return []
    return [w for w in words if len(w) >= SHORTEST_WORD]


def counts_capped(
    connection: BaseDatabaseWrapper,
    lookups: list[tuple[TrigramIndex, str]],
    most: int = MANY_MATCHES,
) -> list[int]:
    """How many rows each (index, match_query) finds, counted up to `most` + 1 (enough to
    choose a plan, and a common word costs no more to count than a rare one); one query."""
    if not lookups:
        return []
    cap = int(most) + 1
    counts = ", ".join(
        f"(SELECT count(*) FROM (SELECT 1 FROM {index.name} WHERE {index.name} MATCH %s "  # noqa: S608
        f"LIMIT {cap}))"
        for index, _ in lookups
    )
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {counts}", [query for _, query in lookups])  # noqa: S608
        return list(cursor.fetchone())


@dataclass(frozen=True)
class TrigramIndex:
    """The trigram index of one text column. `case_sensitive` is False for a column stored as
    typed (a deal's title), True for one already case-folded (a search name), where matching
    must stay exactly what LIKE on it matches."""

    app_label: str
    migration: str  # the migration that creates it: only while it is applied is it kept
    table: str
    column: str
    case_sensitive: bool = True

    @property
    def name(self) -> str:
        return f"{self.table}_search"

    @property
    def matching_rows(self) -> str:
        """The ids of the rows holding every word of a match_query() parameter."""
        return f"SELECT rowid FROM {self.name} WHERE {self.name} MATCH %s"  # noqa: S608

    def triggers(self) -> dict[str, str]:
        t, fts, col = self.table, self.name, self.column
        return {
            f"{fts}_insert": f"""
                CREATE TRIGGER {fts}_insert AFTER INSERT ON {t} BEGIN
                  INSERT INTO {fts}(rowid, {col}) VALUES (new.id, new.{col});
                END""",  # noqa: S608 (names are constants)
            f"{fts}_delete": f"""
                CREATE TRIGGER {fts}_delete AFTER DELETE ON {t} BEGIN
                  INSERT INTO {fts}({fts}, rowid, {col}) VALUES ('delete', old.id, old.{col});
                END""",  # noqa: S608 (names are constants)
            f"{fts}_update": f"""
                CREATE TRIGGER {fts}_update AFTER UPDATE OF {col} ON {t}
                WHEN old.{col} IS NOT new.{col} BEGIN
                  INSERT INTO {fts}({fts}, rowid, {col}) VALUES ('delete', old.id, old.{col});
                  INSERT INTO {fts}(rowid, {col}) VALUES (new.id, new.{col});
                END""",  # noqa: S608 (names are constants)
        }

    @property
    def insert_trigger(self) -> str:
        return f"{self.name}_insert"

    @contextmanager
    def filled_in_one_statement(
        self, connection: BaseDatabaseWrapper, first_id: int, last_id: int
    ) -> Iterator[None]:
        """For a bulk insert of the rows with ids `first_id`..`last_id` (an import's batch):
        the insert trigger is set aside meanwhile and the new rows indexed by one statement
        afterwards. Row by row, the trigger's FTS writes cost an import more than the person
        rows themselves (1.6 s against 0.2 s for 80,000 names). Only inside a transaction,
        which holds SQLite's write lock (BEGIN IMMEDIATE): no other connection writes a row
        while the trigger is away, and a failure rolls the trigger's removal back with the
        rows."""
        if not in_use(connection) or not connection.in_atomic_block:
            yield
            return
        with connection.cursor() as cursor:
            cursor.execute(f"DROP TRIGGER IF EXISTS {self.insert_trigger}")
        yield
        fill = (
            f"INSERT INTO {self.name}(rowid, {self.column}) "  # noqa: S608 (names are constants)
            f"SELECT id, {self.column} FROM {self.table} WHERE id BETWEEN %s AND %s"
        )
        with connection.cursor() as cursor:
            cursor.execute(fill, [first_id, last_id])
            cursor.execute(self.triggers()[self.insert_trigger])

    def _create_table(self) -> str:
        case = 1 if self.case_sensitive else 0
        return f"""
            CREATE VIRTUAL TABLE {self.name} USING fts5(
              {self.column}, content='{self.table}', content_rowid='id',
              tokenize='trigram case_sensitive {case}'
            )"""

    def ensure(self, connection: BaseDatabaseWrapper) -> None:
        """Create the index and its triggers where they are missing, and fill the index when
        either was: rows written while the triggers were gone are then indexed too."""
        if not in_use(connection):
            return
        triggers = self.triggers()
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT name FROM sqlite_master WHERE tbl_name = %s OR name = %s",
                [self.table, self.name],
            )
            present = {row[0] for row in cursor.fetchall()}
            if self.table not in present or present >= {self.name, *triggers}:
                return  # migrated back before the table, or all in place
            if self.name not in present:
                cursor.execute(self._create_table())
            for trigger, sql in triggers.items():
                if trigger not in present:
                    cursor.execute(sql)
            rebuild = f"INSERT INTO {self.name}({self.name}) VALUES ('rebuild')"  # noqa: S608
            cursor.execute(rebuild)

    def drop(self, connection: BaseDatabaseWrapper) -> None:
        if connection.vendor != "sqlite":
            return
        with connection.cursor() as cursor:
            for trigger in self.triggers():
                cursor.execute(f"DROP TRIGGER IF EXISTS {trigger}")
            cursor.execute(f"DROP TABLE IF EXISTS {self.name}")

    def ensure_after_migrate(self, *, using: str, **kwargs) -> None:
        """A post_migrate receiver: put back what a table rebuild dropped, but only while the
        migration that made the index is applied (`migrate people 0004` drops it)."""
        from django.db.migrations.recorder import MigrationRecorder

        connection = connections[using]
        if not in_use(connection):
            return
        applied = MigrationRecorder(connection).applied_migrations()
        if (self.app_label, self.migration) in applied:
            self.ensure(connection)
