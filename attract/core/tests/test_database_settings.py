import os
import subprocess
import sys
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
