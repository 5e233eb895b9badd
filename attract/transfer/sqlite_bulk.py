"""SQLite settings for the length of a bulk write (an import's batches).

Two of SQLite's defaults suit a web request and cost an import dearly:

- the page cache (2 MB) is smaller than the person table's name indexes, so inserting rows
  in no particular name order keeps evicting and re-reading index pages;
- the WAL is copied back into the database every 1,000 pages (4 MB), which a batch of a few
  thousand persons passes at every commit, so each commit also runs a checkpoint that writes
  the same index pages over again.

For the import the cache is raised and the automatic checkpoint put off; afterwards both
are put back and one checkpoint copies what the import wrote. Nothing about durability
changes: each batch is still a committed transaction in the WAL (journal_mode=WAL,
synchronous=NORMAL, as settings.py sets them), and other connections keep reading and
writing meanwhile. PostgreSQL needs none of this.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from django.db import connection

# Negative: kibibytes, as PRAGMA cache_size takes them. 32 MiB holds most of the person
# table's name indexes at a few hundred thousand persons, and keeps the import (with its
# reader process) under its 300 MB goal.
CACHE_KIB = 32 * 1024


def _pragma(name: str, value: int | None = None) -> int:
    with connection.cursor() as cursor:
        if value is None:
            cursor.execute(f"PRAGMA {name}")
            return cursor.fetchone()[0]
        cursor.execute(f"PRAGMA {name} = {int(value)}")
        return value


@contextmanager
def bulk_writes() -> Iterator[None]:
    if connection.vendor != "sqlite":
        yield
        return
    cache, autocheckpoint = _pragma("cache_size"), _pragma("wal_autocheckpoint")
    _pragma("cache_size", -CACHE_KIB)
    _pragma("wal_autocheckpoint", 0)
    try:
        yield
    finally:
        _pragma("cache_size", cache)
        _pragma("wal_autocheckpoint", autocheckpoint)
        if not connection.in_atomic_block:
            # PASSIVE: copy what no reader still needs, without waiting for anyone.
            with connection.cursor() as cursor:
                cursor.execute("PRAGMA wal_checkpoint(PASSIVE)")
