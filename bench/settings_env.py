"""Point Django at the benchmark's own database before it starts.

SQLite (the default) lives at var/bench/bench.sqlite3 (ATTRACT_BENCH_DIR moves it, so that two
people on one machine can benchmark side by side) with the normal SQLite settings (WAL,
foreign keys, busy timeout); ATTRACT_DATABASE_URL selects PostgreSQL instead. The real
settings are used otherwise, so the figures include what production runs: Argon2, the
manifest static storage, every middleware.
"""

from __future__ import annotations

import os
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
BENCH_DIR = Path(os.environ.get("ATTRACT_BENCH_DIR") or REPO / "var" / "bench")


def configure(size: str = "") -> None:
    """Set the environment and settings; call before django.setup(). A `size` other than the
    default keeps its own database beside the default one (var/bench/bench-1m.sqlite3, or
    PostgreSQL's database name with "_1m"), so that each size is seeded once and reused."""
    BENCH_DIR.mkdir(parents=True, exist_ok=True)
    os.environ["DJANGO_SETTINGS_MODULE"] = "attract.settings"
    os.environ["ATTRACT_VAR_DIR"] = str(BENCH_DIR)
    # The test client's requests come from the host "testserver".
    os.environ["ATTRACT_ALLOWED_HOSTS"] = "testserver,127.0.0.1,localhost"
    from django.conf import settings

    suffix = f"-{size}" if size else ""
    if not os.environ.get("ATTRACT_DATABASE_URL"):
        settings.DATABASES["default"]["NAME"] = BENCH_DIR / f"bench{suffix}.sqlite3"
    else:
        if suffix:
            settings.DATABASES["default"]["NAME"] += suffix.replace("-", "_")
        _create_postgres_database(settings.DATABASES["default"])


def database_bytes() -> int:
    """The size of the benchmark's database: SQLite's file with its write-ahead log, or
    PostgreSQL's pg_database_size."""
    from django.db import connection

    if connection.vendor == "sqlite":
        path = Path(connection.settings_dict["NAME"])
        files = [path, path.with_name(path.name + "-wal")]
        return sum(f.stat().st_size for f in files if f.exists())
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_database_size(current_database())")
        return int(cursor.fetchone()[0])


def peak_memory_bytes() -> int:
    """The peak resident memory of this process, which serves every timed request (the test
    client runs the whole stack in-process, as one server process would)."""
    import resource
    import sys

    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak if sys.platform == "darwin" else peak * 1024


def _create_postgres_database(database: dict) -> None:
    import psycopg
    from psycopg import sql

    params = {
        "host": database.get("HOST") or None,
        "port": database.get("PORT") or None,
        "user": database.get("USER") or None,
        "password": database.get("PASSWORD") or None,
    }
    with psycopg.connect(dbname="postgres", autocommit=True, **params) as connection:
        exists = connection.execute(
            "SELECT 1 FROM pg_database WHERE datname = %s", [database["NAME"]]
        ).fetchone()
        if not exists:
            connection.execute(
                sql.SQL("CREATE DATABASE {}").format(sql.Identifier(database["NAME"]))
            )
