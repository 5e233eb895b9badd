"""The worker and `attract serve` as real processes: a worker killed with SIGKILL mid-task
leaves nothing written and the task finishes on restart; stopping `attract serve` stops the
web server and the worker with it.

These run their own SQLite file under a temporary folder (whatever database the suite uses),
because a killed process must meet a database that outlives it."""

from __future__ import annotations

import os
import shutil
import signal
import socket
import sqlite3
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

ATTRACT = [sys.executable, "-m", "attract"]


def _environment(var_dir: Path) -> dict[str, str]:
    environment = {
        key: value for key, value in os.environ.items() if not key.startswith("ATTRACT_")
    }
    environment.update(
        DJANGO_SETTINGS_MODULE="attract.settings",
        ATTRACT_VAR_DIR=str(var_dir),
        ATTRACT_WORKER_HEARTBEAT_SECONDS="1",
        ATTRACT_SECRET_KEY="test-only",
    )
    return environment


@pytest.fixture
def var_dir(tmp_path, migrated_sqlite_file) -> Path:
    """A folder with a copy of the run's one migrated SQLite file (attract/conftest.py)."""
    shutil.copy(migrated_sqlite_file, tmp_path / "attract.sqlite3")
    return tmp_path


@pytest.fixture
def env(var_dir) -> dict[str, str]:
    return _environment(var_dir)


def _wait_for(condition, *, seconds: float, what: str) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.1)
    raise AssertionError(f"gave up waiting for {what}")


def _query(var_dir: Path, sql: str, *params):
    with sqlite3.connect(var_dir / "attract.sqlite3") as db:
        return db.execute(sql, params).fetchall()


def test_a_worker_killed_mid_task_leaves_nothing_written_and_the_task_finishes_on_restart(
    env, var_dir
):
    progress = var_dir / "progress"
    enqueue = (
        "from attract.jobs.tests.sample_tasks import create_users_slowly; "
        f"create_users_slowly.enqueue(prefix='kill', count=30, pause=0.05, progress_file={str(progress)!r})"
    )
    subprocess.run([*ATTRACT, "shell", "-c", enqueue], env=env, check=True, timeout=120)
    worker = subprocess.Popen([*ATTRACT, "worker", "--interval", "0.1"], env=env)
    try:
        _wait_for(
            lambda: progress.exists() and int(progress.read_text() or 0) >= 10,
            seconds=120,
            what="the task to write ten users",
        )
        worker.send_signal(signal.SIGKILL)
        worker.wait(timeout=30)
    finally:
        worker.kill()
    users = "SELECT count(*) FROM accounts_user WHERE email LIKE 'kill%'"
    status = "SELECT status FROM django_tasks_database_dbtaskresult"
    assert _query(var_dir, users) == [(0,)]
    assert _query(var_dir, status) == [("RUNNING",)]

    # A new worker sees the old one's process is gone, puts the task back and runs it.
    subprocess.run(
        [*ATTRACT, "worker", "--batch", "--interval", "0"], env=env, check=True, timeout=120
    )
    assert _query(var_dir, users) == [(30,)]
    assert _query(var_dir, status) == [("SUCCESSFUL",)]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _children(pid: int) -> list[int]:
    found = []
    for task in Path(f"/proc/{pid}/task").iterdir():
        text = (task / "children").read_text().split()
        found.extend(int(child) for child in text)
    return found


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    # A zombie has exited; only its parent has not read its status yet.
    stat = Path(f"/proc/{pid}/stat")
    return stat.exists() and stat.read_text().split(") ")[1][0] != "Z"


@pytest.mark.parametrize("stop_signal", [signal.SIGTERM, signal.SIGINT])
def test_stopping_serve_stops_the_web_server_and_the_worker(env, stop_signal):
    port = _free_port()
    serve = subprocess.Popen(
        [*ATTRACT, "serve", "--port", str(port), "--workers", "1", "--no-migrate"],
        env=env,
        stdout=subprocess.DEVNULL,
    )
    try:

        def answers() -> bool:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2):
                    return True
            except OSError:
                return False

        _wait_for(answers, seconds=120, what="the web server to answer")
        _wait_for(lambda: len(_children(serve.pid)) == 2, seconds=30, what="two children")
        children = _children(serve.pid)
        grandchildren = [g for child in children for g in _children(child)]
        commands = [Path(f"/proc/{pid}/cmdline").read_text() for pid in children]
        assert any("gunicorn" in command for command in commands)
        assert any("worker" in command for command in commands)

        serve.send_signal(stop_signal)
        assert serve.wait(timeout=60) == 0
        for pid in children + grandchildren:
            _wait_for(lambda pid=pid: not _alive(pid), seconds=30, what=f"process {pid} to end")
    finally:
        serve.kill()


def test_two_workers_racing_for_a_due_schedule_queue_it_once(env, var_dir):
    batch = [*ATTRACT, "worker", "--batch", "--interval", "0"]
    subprocess.run(batch, env=env, check=True, timeout=120)  # writes the schedules
    due = "UPDATE jobs_schedule SET next_run_at = '2000-01-01 00:00:00' WHERE name = ?"
    with sqlite3.connect(var_dir / "attract.sqlite3") as db:
        db.execute(due, ("prune-finished-tasks",))
    workers = [subprocess.Popen(batch, env=env) for _ in range(2)]
    assert [worker.wait(timeout=120) for worker in workers] == [0, 0]
    runs = "SELECT status FROM django_tasks_database_dbtaskresult WHERE task_path LIKE ?"
    assert _query(var_dir, runs, "%prune_finished_tasks") == [("SUCCESSFUL",)]
