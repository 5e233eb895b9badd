"""The `DATABASES["default"]` entry, from ATTRACT_DATABASE_URL or the SQLite file under var/.

Every SQLite database gets the same tuning, whether it is the default file or one named
through `sqlite:///...` in the URL; otherwise a deployment that merely moved the file would
lose WAL, IMMEDIATE transactions and the busy timeout, and two writers at once would get
"database is locked" (a 500) instead of queueing.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import dj_database_url

SQLITE_ENGINE = "django.db.backends.sqlite3"
POSTGRESQL_ENGINE = "django.db.backends.postgresql"
BUSY_TIMEOUT_SECONDS = 10

# WAL so readers never block the writer; IMMEDIATE so a transaction takes the write lock
# when it starts, and a second writer waits (up to the busy timeout) instead of failing
# half-way when it tries to upgrade a read lock; foreign keys on, as on PostgreSQL.
SQLITE_OPTIONS: dict[str, Any] = {
    "transaction_mode": "IMMEDIATE",
    "timeout": BUSY_TIMEOUT_SECONDS,
    "init_command": (
        "PRAGMA journal_mode=WAL;"
        "PRAGMA synchronous=NORMAL;"
        "PRAGMA foreign_keys=ON;"
        f"PRAGMA busy_timeout={BUSY_TIMEOUT_SECONDS * 1000};"
    ),
}


def default_database(*, url: str, var_dir: Path) -> dict[str, Any]:
    """The default database: the URL's if one is given, else `var_dir/attract.sqlite3`."""
    if url:
        database = dj_database_url.parse(url, conn_max_age=60)
    else:
        database = {"ENGINE": SQLITE_ENGINE, "NAME": var_dir / "attract.sqlite3"}
    return tuned(database)


def tuned(database: dict[str, Any]) -> dict[str, Any]:
    """The same database with the settings its engine needs; options the URL gave win."""
    database = {**database, "OPTIONS": dict(database.get("OPTIONS") or {})}
    if database["ENGINE"] == SQLITE_ENGINE:
        database["OPTIONS"] = {**SQLITE_OPTIONS, **database["OPTIONS"]}
        # One SQLite connection per request, as with the default file: a persistent one
        # would keep a WAL read snapshot open between requests for nothing.
        database["CONN_MAX_AGE"] = 0
    elif database["ENGINE"] == POSTGRESQL_ENGINE:
        database["CONN_HEALTH_CHECKS"] = True
    return database
