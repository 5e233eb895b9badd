"""The index the person name search reads on SQLite: an FTS5 table with the trigram tokenizer.

The search matches each word of the query anywhere in the normalised name
(`search_name LIKE '%word%'`). SQLite answers that by reading every row: about 20 ms of
CPU at 100,000 persons for the count alone. The trigram index finds the rows holding a word
of three or more characters through its posting lists instead (a few milliseconds, less
for a rare word). Shorter words have no trigram and keep the plain LIKE. PostgreSQL gets
the same from a pg_trgm GIN index on `search_name` (migration 0003) and needs nothing here.

The FTS table keeps no copy of the names (`content=` points at people_person) and triggers
keep it in step with every write, the services' and the bulk SQL of imports and benchmarks
alike. Django rebuilds a table when a later migration alters it on SQLite, which drops its
triggers, so `ensure` runs after every `migrate` too and restores them (and the index).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import closing, contextmanager
from functools import cache

from django.db.backends.base.base import BaseDatabaseWrapper

TABLE = "people_person_search"
MIGRATION = "0005_person_name_trigram_index"  # the one that creates it
# Written out rather than formatted, so that each reads as the SQL it is.
TRIGGERS = {
    "people_person_search_insert": """
        CREATE TRIGGER people_person_search_insert AFTER INSERT ON people_person BEGIN
          INSERT INTO people_person_search(rowid, search_name) VALUES (new.id, new.search_name);
        END""",
    "people_person_search_delete": """
        CREATE TRIGGER people_person_search_delete AFTER DELETE ON people_person BEGIN
          INSERT INTO people_person_search(people_person_search, rowid, search_name)
            VALUES ('delete', old.id, old.search_name);
        END""",
    "people_person_search_update": """
        CREATE TRIGGER people_person_search_update AFTER UPDATE OF search_name ON people_person
        WHEN old.search_name IS NOT new.search_name BEGIN
          INSERT INTO people_person_search(people_person_search, rowid, search_name)
            VALUES ('delete', old.id, old.search_name);
          INSERT INTO people_person_search(rowid, search_name) VALUES (new.id, new.search_name);
        END""",
}
# Case-sensitive: names and queries are both case-folded already (search_key), so matching
# stays exactly what LIKE on search_name matches.
CREATE_TABLE = """
    CREATE VIRTUAL TABLE people_person_search USING fts5(
      search_name, content='people_person', content_rowid='id',
      tokenize='trigram case_sensitive 1'
    )"""
REBUILD = "INSERT INTO people_person_search(people_person_search) VALUES ('rebuild')"
# The shortest word the index can find: one trigram.
SHORTEST_WORD = 3
MATCHING_ROWS = "SELECT rowid FROM people_person_search WHERE people_person_search MATCH %s"


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


def ensure(connection: BaseDatabaseWrapper) -> None:
    """Create the index and its triggers where they are missing, and fill the index when
    either was: rows written while the triggers were gone are then indexed too."""
    if not in_use(connection):
        return
    with connection.cursor() as cursor:
        # The person table with its indexes and triggers, and the search table.
        cursor.execute(
            "SELECT name FROM sqlite_master WHERE tbl_name = 'people_person' OR name = %s",
            [TABLE],
        )
        present = {row[0] for row in cursor.fetchall()}
        if "people_person" not in present or present >= {TABLE, *TRIGGERS}:
            return  # migrated back before the persons, or all in place
        if TABLE not in present:
            cursor.execute(CREATE_TABLE)
        for name, sql in TRIGGERS.items():
            if name not in present:
                cursor.execute(sql)
        cursor.execute(REBUILD)


def drop(connection: BaseDatabaseWrapper) -> None:
    if connection.vendor != "sqlite":
        return
    with connection.cursor() as cursor:
        for name in TRIGGERS:
            cursor.execute(f"DROP TRIGGER IF EXISTS {name}")
        cursor.execute("DROP TABLE IF EXISTS people_person_search")


INSERT_TRIGGER = "people_person_search_insert"


@contextmanager
def indexed_in_one_statement(
    connection: BaseDatabaseWrapper, first_id: int, last_id: int
) -> Iterator[None]:
    """For a bulk insert of the persons with ids `first_id`..`last_id` (an import's batch):
    the insert trigger is set aside meanwhile and the new names indexed by one statement
    afterwards. Row by row, the trigger's FTS writes cost an import more than the person
    rows themselves (1.6 s against 0.2 s for 80,000 names). Only inside a transaction, which
    holds SQLite's write lock (BEGIN IMMEDIATE): no other connection writes a person while
    the trigger is away, and a failure rolls the trigger's removal back with the rows."""
    if not in_use(connection) or not connection.in_atomic_block:
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute(f"DROP TRIGGER IF EXISTS {INSERT_TRIGGER}")
    yield
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {TABLE}(rowid, search_name) "  # noqa: S608 - our own table name
            "SELECT id, search_name FROM people_person WHERE id BETWEEN %s AND %s",
            [first_id, last_id],
        )
        cursor.execute(TRIGGERS[INSERT_TRIGGER])
