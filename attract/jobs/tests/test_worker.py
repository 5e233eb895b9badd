"""The worker: a task's writes commit with its "done" mark, failures are retried with a
growing wait and then shown failed, and a task whose worker died runs again."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone
from django_tasks.base import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from attract.accounts.models import User
from attract.jobs.models import WorkerHeartbeat
from attract.jobs.testing import run_queued_tasks
from attract.jobs.tests.sample_tasks import create_user_then_fail, create_users_slowly
from attract.jobs.worker import reclaim_abandoned_tasks

pytestmark = pytest.mark.django_db


def test_a_task_runs_once_and_its_writes_and_done_mark_land_together():
    result = create_users_slowly.enqueue(prefix="a", count=3, pause=0)
    run_queued_tasks()
    row = DBTaskResult.objects.get(pk=result.id)
    assert row.status == TaskResultStatus.SUCCESSFUL
    assert row.return_value == 3
    assert User.objects.filter(email__startswith="a").count() == 3
    run_queued_tasks()  # nothing left to do: the task is not run again
    assert User.objects.filter(email__startswith="a").count() == 3


def test_a_failing_task_leaves_nothing_written_and_is_tried_again_later():
    result = create_user_then_fail.enqueue(email="fail@example.com")
    before = timezone.now()
    run_queued_tasks()
    row = DBTaskResult.objects.get(pk=result.id)
    assert not User.objects.filter(email="fail@example.com").exists()
    assert row.status == TaskResultStatus.READY
    assert "the receiving end said no" in row.traceback
    assert row.run_after >= before + timedelta(seconds=60)
    run_queued_tasks()  # not due yet
    assert DBTaskResult.objects.get(pk=result.id).worker_ids == ["test-worker"]


def test_after_its_last_attempt_a_task_is_failed_with_its_error():
    result = create_user_then_fail.enqueue(email="fail@example.com")
    run_queued_tasks()
    with time_machine.travel(timezone.now() + timedelta(minutes=2)):
        run_queued_tasks(worker_id="second-worker")
    row = DBTaskResult.objects.get(pk=result.id)
    assert row.status == TaskResultStatus.FAILED
    assert row.exception_class_path == "builtins.RuntimeError"
    assert "the receiving end said no" in row.traceback
    assert row.worker_ids == ["test-worker", "second-worker"]
    assert not User.objects.filter(email="fail@example.com").exists()


def _abandon(result_id, *, worker_id: str, seen_ago: timedelta, pid: int = 1) -> None:
    now = timezone.now()
    WorkerHeartbeat.objects.create(
        worker_id=worker_id, hostname="elsewhere", pid=pid, started_at=now, seen_at=now - seen_ago
    )
    DBTaskResult.objects.filter(pk=result_id).update(
        status=TaskResultStatus.RUNNING, started_at=now, worker_ids=[worker_id]
    )


def test_a_task_whose_worker_stopped_beating_runs_again_and_finishes():
    result = create_users_slowly.enqueue(prefix="r", count=2, pause=0)
    _abandon(result.id, worker_id="dead-worker", seen_ago=timedelta(minutes=5))
    run_queued_tasks()
    row = DBTaskResult.objects.get(pk=result.id)
    assert row.status == TaskResultStatus.SUCCESSFUL
    assert row.worker_ids == ["dead-worker", "test-worker"]
    assert User.objects.filter(email__startswith="r").count() == 2
    assert not WorkerHeartbeat.objects.filter(worker_id="dead-worker").exists()


def test_a_task_of_a_live_worker_elsewhere_is_left_alone():
    result = create_users_slowly.enqueue(prefix="l", count=1, pause=0)
    _abandon(result.id, worker_id="busy-worker", seen_ago=timedelta(seconds=1))
    assert reclaim_abandoned_tasks() == 0
    assert DBTaskResult.objects.get(pk=result.id).status == TaskResultStatus.RUNNING


def test_a_task_that_kept_killing_its_worker_is_failed_not_retried_forever():
    result = create_users_slowly.enqueue(prefix="k", count=1, pause=0)
    _abandon(result.id, worker_id="w3", seen_ago=timedelta(minutes=5))
    DBTaskResult.objects.filter(pk=result.id).update(worker_ids=["w1", "w2", "w3"])
    reclaim_abandoned_tasks()
    row = DBTaskResult.objects.get(pk=result.id)
    assert row.status == TaskResultStatus.FAILED
    assert "stopped 3 times" in row.traceback


def test_a_database_held_by_a_long_write_elsewhere_does_not_stop_the_worker(monkeypatch):
    # `attract demo` loading in another process holds SQLite's write lock past the busy
    # timeout: the worker leaves the reclaim to its next turn and goes on with the queue.
    from django.db.utils import OperationalError

    from attract.jobs import worker as worker_module

    def busy():
        raise OperationalError("database is locked")

    monkeypatch.setattr(worker_module, "reclaim_abandoned_tasks", busy)
    result = create_users_slowly.enqueue(prefix="busy", count=1, pause=0)

    worker = run_queued_tasks()

    assert DBTaskResult.objects.get(pk=result.id).status == TaskResultStatus.SUCCESSFUL
    assert worker._last_reclaim is None  # tried again on the next turn


def test_any_other_database_error_in_the_reclaim_still_stops_the_worker(monkeypatch):
    from django.db.utils import OperationalError

    from attract.jobs import worker as worker_module

    def broken():
        raise OperationalError("no such table: django_tasks_database_dbtaskresult")

    monkeypatch.setattr(worker_module, "reclaim_abandoned_tasks", broken)
    with pytest.raises(OperationalError):
        run_queued_tasks()
