import os
import subprocess
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]

PROBE = (
    "from django.db import connection;"
    "c = connection.cursor();"
    "print(c.execute('PRAGMA journal_mode').fetchone()[0],"
    " c.execute('PRAGMA foreign_keys').fetchone()[0],"
    " c.execute('PRAGMA busy_timeout').fetchone()[0])"
)


def test_default_sqlite_database_uses_wal_foreign_keys_and_a_busy_timeout(tmp_path):
    env = {k: v for k, v in os.environ.items() if not k.startswith("ATTRACT_")}
    env["ATTRACT_VAR_DIR"] = str(tmp_path)
    env["DJANGO_SETTINGS_MODULE"] = "attract.settings"
    result = subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", PROBE],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    journal, foreign_keys, busy_timeout = result.stdout.strip().splitlines()[-1].split()
    assert journal == "wal"
    assert foreign_keys == "1"
    assert int(busy_timeout) >= 5000
    assert (tmp_path / "attract.sqlite3").exists()
    assert (tmp_path / "secret_key").exists()


def test_a_sqlite_file_named_in_the_url_gets_the_same_settings_as_the_default_one(tmp_path):
    from attract.core.database_config import default_database

    default = default_database(url="", var_dir=tmp_path)
    named = default_database(url=f"sqlite:///{tmp_path}/elsewhere.sqlite3", var_dir=tmp_path)
    assert named["ENGINE"] == default["ENGINE"] == "django.db.backends.sqlite3"
    assert named["NAME"] == f"{tmp_path}/elsewhere.sqlite3"
    assert named["OPTIONS"] == default["OPTIONS"]
    assert named["OPTIONS"]["transaction_mode"] == "IMMEDIATE"
    assert "journal_mode=WAL" in named["OPTIONS"]["init_command"]
    assert "busy_timeout=10000" in named["OPTIONS"]["init_command"]
    assert named["CONN_MAX_AGE"] == default["CONN_MAX_AGE"] == 0


def test_postgresql_from_the_url_checks_its_connections_and_gets_no_sqlite_options():
    from attract.core.database_config import default_database

    database = default_database(url="postgres://u@db.internal:5432/crm", var_dir=Path("/x"))
    assert database["ENGINE"] == "django.db.backends.postgresql"
    assert database["CONN_HEALTH_CHECKS"] is True
    assert "transaction_mode" not in database["OPTIONS"]


def test_the_running_app_opens_a_url_named_sqlite_file_in_wal_with_immediate_writes(tmp_path):
    path = tmp_path / "named.sqlite3"
    env = {k: v for k, v in os.environ.items() if not k.startswith("ATTRACT_")}
    env["ATTRACT_VAR_DIR"] = str(tmp_path / "var")
    env["ATTRACT_DATABASE_URL"] = f"sqlite:///{path}"
    env["DJANGO_SETTINGS_MODULE"] = "attract.settings"
    probe = PROBE.replace(
        "c.execute('PRAGMA busy_timeout').fetchone()[0])",
        "c.execute('PRAGMA busy_timeout').fetchone()[0], connection.transaction_mode)",
    )
    result = subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", probe],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    journal, foreign_keys, busy_timeout, mode = result.stdout.strip().splitlines()[-1].split()
    assert (journal, foreign_keys, mode) == ("wal", "1", "IMMEDIATE")
    assert int(busy_timeout) >= 5000
    assert path.exists()
    assert not (tmp_path / "var" / "attract.sqlite3").exists()


def test_concurrent_writers_on_a_url_named_sqlite_file_queue_instead_of_failing(
    tmp_path, django_db_blocker
):
    """Each writer reads a counter and writes it back plus one inside a transaction, the
    pattern of every service. Without IMMEDIATE two of them holding read locks both try to
    upgrade, and SQLite fails one at once with "database is locked" (no busy wait helps)."""
    from django.db import connections, transaction
    from django.db.utils import load_backend

    from attract.core.database_config import default_database

    named = default_database(url=f"sqlite:///{tmp_path}/writers.sqlite3", var_dir=tmp_path)
    settings = {**connections.settings["default"], "TEST": {}, **named}
    backend = load_backend(settings["ENGINE"])

    def use_writers_database() -> None:
        # Connections are per thread: this thread's "default" becomes the named file.
        connections["default"] = backend.DatabaseWrapper(dict(settings), "default")

    writers, writes_each = 8, 15
    errors: list[str] = []
    start = threading.Barrier(writers)

    def writer(number: int) -> None:
        use_writers_database()
        try:
            start.wait()
            for _ in range(writes_each):
                with transaction.atomic(), connections["default"].cursor() as cursor:
                    cursor.execute("SELECT n FROM counter WHERE id = 1")
                    (value,) = cursor.fetchone()
                    time.sleep(0.002)  # the others arrive while this one holds its read
                    cursor.execute("UPDATE counter SET n = %s WHERE id = 1", [value + 1])
        except Exception as exc:  # counted below: any error fails the test
            errors.append(f"writer {number}: {type(exc).__name__}: {exc}")
        finally:
            connections["default"].close()

    def in_thread(work) -> None:
        thread = threading.Thread(target=work)
        thread.start()
        thread.join()

    def create_table() -> None:
        use_writers_database()
        with connections["default"].cursor() as cursor:
            cursor.execute("CREATE TABLE counter (id INTEGER PRIMARY KEY, n INTEGER NOT NULL)")
            cursor.execute("INSERT INTO counter (id, n) VALUES (1, 0)")
        connections["default"].close()

    final: list[int] = []

    def read_counter() -> None:
        use_writers_database()
        with connections["default"].cursor() as cursor:
            cursor.execute("SELECT n FROM counter WHERE id = 1")
            final.append(cursor.fetchone()[0])
        connections["default"].close()

    with django_db_blocker.unblock():
        in_thread(create_table)
        threads = [threading.Thread(target=writer, args=(n,)) for n in range(writers)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        in_thread(read_counter)

    assert errors == []
    assert final == [writers * writes_each]
