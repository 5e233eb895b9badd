"""A real `attract worker` killed with SIGKILL in the middle of an import of a generated file:
what it committed is whole batches only, and a new worker puts the abandoned task back,
resumes after the last committed batch and finishes with every row exactly once. On the
database the suite runs on: SQLite (a file of its own) or PostgreSQL (a database of its own
on the suite's server), so that each CI run tests its own and neither ever skips."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import uuid
from pathlib import Path

import pytest
from django.db import connection

from attract.jobs.tests.test_processes import (  # noqa: F401 - fixtures
    ATTRACT,
    _alive,
    _children,
    _environment,
    _wait_for,
    var_dir,
)

# Six batches of 5,000 (and a bit), read by a reader process (row_reader.py) both before the
# kill and after it (20,000 rows or more remain).
ROWS = 26_000


def _postgres_server() -> str:
    """The server of the suite's own PostgreSQL database (its URL without the name)."""
    return os.environ["ATTRACT_DATABASE_URL"].rsplit("/", 1)[0]


QUEUE = f"""
from attract.accounts.models import Role, User
from attract.transfer import importing
owner = User.objects.create_user(email="owner@example.com", password="x", role=Role.OWNER)
lines = "".join(f"P{{n}},L{{n}},p{{n}}@example.com,+1 212 555 {{n % 10000:04d}}\\n" for n in range({ROWS}))
data = ("First Name,Last Name,Email,Phone\\n" + lines).encode()
job = importing.import_job_create(actor=owner, kind="persons", file_name="big.csv", chunks=iter([data]))
importing.import_job_configure(actor=owner, job=job, mapping=job.mapping)
importing.import_job_start(actor=owner, job=job)
"""


class Database:
    def __init__(self, vendor: str, env: dict[str, str], folder: Path) -> None:
        self.vendor, self.env, self.var_dir = vendor, env, folder

    def query(self, sql: str):
        if self.vendor == "sqlite":
            with sqlite3.connect(self.var_dir / "attract.sqlite3") as db:
                return db.execute(sql).fetchall()
        import psycopg

        with psycopg.connect(self.env["ATTRACT_DATABASE_URL"]) as db:
            return db.execute(sql).fetchall()


@pytest.fixture
def database(var_dir):  # noqa: F811 - the fixture imported above
    env = _environment(var_dir)
    if connection.vendor == "sqlite":
        yield Database("sqlite", env, var_dir)
        return
    import psycopg

    server = _postgres_server()
    name = f"attract_kill_{uuid.uuid4().hex[:8]}"
    admin = psycopg.connect(f"{server}/postgres", autocommit=True, connect_timeout=10)
    admin.execute(f'CREATE DATABASE "{name}"')
    env["ATTRACT_DATABASE_URL"] = f"{server}/{name}"
    try:
        subprocess.run([*ATTRACT, "migrate", "-v", "0"], env=env, check=True, timeout=900)
        yield Database("postgresql", env, var_dir)
    finally:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.close()


def test_a_worker_killed_mid_import_resumes_and_imports_each_row_once(database):
    env = database.env
    subprocess.run([*ATTRACT, "shell", "-c", QUEUE], env=env, check=True, timeout=300)
    progress = "SELECT status, processed_line FROM transfer_importjob"
    worker = subprocess.Popen([*ATTRACT, "worker", "--interval", "0.1"], env=env)
    try:
        _wait_for(lambda: database.query(progress)[0][1] > 0, seconds=300, what="a committed batch")
        worker.send_signal(signal.SIGKILL)
        worker.wait(timeout=30)
    finally:
        worker.kill()
    status, line = database.query(progress)[0]
    persons = database.query("SELECT count(*) FROM people_person")[0][0]
    outcomes = database.query("SELECT count(*), max(line) FROM transfer_importrow")[0]
    # Killed after a commit: whole batches only, every written person with its outcome row.
    assert status == "running" and line < ROWS + 1
    assert (line - 1) % 5000 == 0 and persons == line - 1 == outcomes[0] == outcomes[1] - 1
    task = "SELECT status FROM django_tasks_database_dbtaskresult"
    assert database.query(task) == [("RUNNING",)]

    # A new worker sees the old one's process is gone, puts the task back and resumes it.
    subprocess.run(
        [*ATTRACT, "worker", "--batch", "--interval", "0"], env=env, check=True, timeout=600
    )
    assert database.query(task) == [("SUCCESSFUL",)]
    assert database.query(progress) == [("done", ROWS + 1)]
    counts = (
        "SELECT count(*), count(DISTINCT first_name) FROM people_person",
        "SELECT count(*), count(DISTINCT email) FROM people_emailaddress",
        "SELECT count(*), count(DISTINCT line) FROM transfer_importrow",
        "SELECT count(*) FROM people_person WHERE id NOT IN "
        "(SELECT person_id FROM transfer_importrow WHERE outcome = 'created')",
    )
    results = [database.query(sql)[0] for sql in counts]
    assert results == [(ROWS, ROWS), (ROWS, ROWS), (ROWS, ROWS), (0,)]
