"""`attract people list | head -1`: the reader goes away early, and the command must end
quietly (no traceback) — the way `ls | head -1` does."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import connection

from attract.people.models import Person
from attract.people.tests.factories import PersonFactory

VENV_BIN = Path(sys.executable).parent


def _database_url_for_a_subprocess(tmp_path: Path) -> str:
    """The test database as another process can open it: a file copy of the in-memory SQLite
    one, or the PostgreSQL test database itself (the rows are committed: transaction=True)."""
    settings = connection.settings_dict
    if connection.vendor == "sqlite":
        path = tmp_path / "piped.sqlite3"
        connection.ensure_connection()
        target = sqlite3.connect(path)
        connection.connection.backup(target)
        target.close()
        return f"sqlite:///{path}"
    user = settings["USER"] or "postgres"
    host = settings["HOST"] or "127.0.0.1"
    port = settings["PORT"] or 5432
    return f"postgres://{user}@{host}:{port}/{settings['NAME']}"


@pytest.mark.django_db(transaction=True)
def test_people_list_piped_to_head_ends_quietly_without_a_traceback(owner, tmp_path):
    # Far more than a pipe's 64 KiB buffer, so the writer is still writing when head exits.
    Person.objects.bulk_create(PersonFactory.build_batch(3000, owner=owner))
    env = {k: v for k, v in os.environ.items() if not k.startswith(("ATTRACT_", "DJANGO_"))}
    env["ATTRACT_VAR_DIR"] = str(tmp_path)
    env["ATTRACT_DATABASE_URL"] = _database_url_for_a_subprocess(tmp_path)
    env["COLUMNS"] = "200"

    lister = subprocess.Popen(
        [str(VENV_BIN / "attract"), "people", "list", "--limit", "3000"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=env,
    )
    head = subprocess.Popen(["head", "-1"], stdin=lister.stdout, stdout=subprocess.PIPE)
    lister.stdout.close()  # only head holds the read end now: when it exits, the pipe breaks
    first_line, _ = head.communicate(timeout=180)
    errors = lister.stderr.read().decode()
    lister.stderr.close()
    lister.wait(timeout=180)

    assert head.returncode == 0
    assert first_line.count(b"\n") == 1
    assert "Traceback" not in errors and "BrokenPipeError" not in errors, errors
    assert errors == ""
    assert lister.returncode in (0, 141)
