"""The worker `attract worker` runs: django-tasks-db's worker, plus what a CRM's jobs need.

django-tasks-db claims a task (row locked, skip-locked on PostgreSQL, an exclusive
transaction on SQLite), runs it and marks it done or failed. Three things are added here:

- a task declared atomic runs in one transaction *with* its "done" mark: killed half-way,
  it leaves nothing written, and killed after its commit, it is never run twice;
- a task that raises is put back with a growing wait until its policy's last attempt, and
  only then marked failed (its last error is kept on the row either way);
- each worker writes a heartbeat, and a task left "running" by a worker whose heartbeat
  stopped (or whose process is gone, on this machine) is put back in the queue.

Between tasks the worker also runs the registered "idle work" (due schedules, webhook
deliveries), so no separate process or cron is needed.
"""

from __future__ import annotations

import logging
import os
import socket
import threading
import time
from collections.abc import Callable
from datetime import timedelta

from django.conf import settings
from django.db import close_old_connections, connection, transaction
from django.db.utils import DatabaseError, OperationalError
from django.utils import timezone
from django_tasks.base import TaskContext, TaskResultStatus
from django_tasks.signals import task_finished, task_started
from django_tasks_db.management.commands.db_worker import Worker
from django_tasks_db.models import DBTaskResult
from django_tasks_db.utils import exclusive_transaction, is_locked_database_exception

from attract.jobs.models import WorkerHeartbeat
from attract.jobs.queue import policy_for
from attract.jobs.schedule import sync_schedules

logger = logging.getLogger("attract.jobs")

# Work the worker does when the queue has nothing ready: each callable returns how many
# things it did, and is registered by its app's AppConfig.ready (so this module names no app
# above it).
IDLE_WORK: list[Callable[[], int]] = []


def register_idle_work(function: Callable[[], int]) -> None:
    if function not in IDLE_WORK:
        IDLE_WORK.append(function)


class AttractWorker(Worker):
    def __init__(self, *, heartbeat: bool = True, **kwargs) -> None:
        super().__init__(**kwargs)
        self.hostname = socket.gethostname()
        self.heartbeat = heartbeat
        self._stop_beating = threading.Event()
        self._last_reclaim = None
        self._last_idle = 0.0

    # --- heartbeat -------------------------------------------------------------------------

    def beat(self) -> None:
        now = timezone.now()
        WorkerHeartbeat.objects.update_or_create(
            worker_id=self.worker_id,
            defaults={"hostname": self.hostname, "pid": os.getpid(), "seen_at": now},
            create_defaults={
                "hostname": self.hostname,
                "pid": os.getpid(),
                "seen_at": now,
                "started_at": now,
            },
        )

    def _beat_forever(self) -> None:
        # Its own thread and so its own connection: a long task must not stop the beat.
        try:
            while not self._stop_beating.wait(settings.ATTRACT_WORKER_HEARTBEAT_SECONDS):
                try:
                    self.beat()
                except DatabaseError:
                    # SQLite busy with the task's own transaction: the next beat will do.
                    logger.warning("Worker %s missed a heartbeat", self.worker_id)
        finally:
            connection.close()

    # --- the loop --------------------------------------------------------------------------

    def run(self) -> None:
        self.beat()
        sync_schedules()
        self._reclaim_unless_busy()
        beater = None
        if self.heartbeat:
            beater = threading.Thread(target=self._beat_forever, name="heartbeat", daemon=True)
            beater.start()
        try:
            self._loop()
        finally:
            self._stop_beating.set()
            if beater:
                beater.join(timeout=5)
            try:
                WorkerHeartbeat.objects.filter(worker_id=self.worker_id).delete()
            except DatabaseError:
                logger.warning("Worker %s could not remove its heartbeat", self.worker_id)

    def _loop(self) -> None:
        # django-tasks-db's loop, with the idle work run whenever the queue has nothing ready.
        while self.running:
            _close_old_connections()
            db_task_result = self.claim_next()
            if db_task_result is not None:
                self.run_task(db_task_result)
            # Between tasks of a busy queue, the idle work still gets a turn every second.
            did = 0
            if db_task_result is None or time.monotonic() - self._last_idle >= 1:
                self._last_idle = time.monotonic()
                did = self.between_tasks()
            if self.max_tasks is not None and self._run_tasks >= self.max_tasks:
                return
            if db_task_result is None and not did:
                if self.batch:
                    return
                if self.running:
                    time.sleep(self.interval)

    def claim_next(self) -> DBTaskResult | None:
        ready = DBTaskResult.objects.ready().filter(backend_name=self.backend_name)
        if not self.process_all_queues:
            ready = ready.filter(queue_name__in=self.queue_names)
        try:
            with exclusive_transaction(ready.db):
                db_task_result = ready.get_locked()
                if db_task_result is not None:
                    db_task_result.claim(self.worker_id)
                return db_task_result
        except OperationalError as exc:
            if is_locked_database_exception(exc):
                return None  # SQLite busy: the next turn will find it
            raise

    def run_task(self, db_task_result: DBTaskResult) -> None:
        policy = policy_for(db_task_result.task_path)
        self.running_task = True
        try:
            task = db_task_result.task
            task_result = db_task_result.task_result
            sender = type(task.get_backend())
            task_started.send(sender=sender, task_result=task_result)
            args = task_result.args
            if task.takes_context:
                args = [TaskContext(task_result=task_result), *args]
            if policy.atomic:
                with transaction.atomic():
                    value = task.call(*args, **task_result.kwargs)
                    db_task_result.set_successful(value)
            else:
                value = task.call(*args, **task_result.kwargs)
                db_task_result.set_successful(value)
            task_finished.send(sender=sender, task_result=db_task_result.task_result)
        except (KeyboardInterrupt, SystemExit):
            # Stopped by force in the middle: the task did not fail, it goes back in line.
            _put_back(db_task_result, wait=timedelta(0))
            raise
        except Exception as exc:
            after_failure(db_task_result, exc)
        finally:
            self.running_task = False
            self._run_tasks += 1

    def _reclaim_unless_busy(self) -> None:
        """Reclaim abandoned tasks, or leave it to the next turn when SQLite is held by a long
        write elsewhere (`attract demo`, a big import in another process): a worker that
        stopped for it would take `attract serve`'s web server down with it."""
        try:
            reclaim_abandoned_tasks()
        except OperationalError as exc:
            if not is_locked_database_exception(exc):
                raise
            logger.warning("The database is busy; abandoned tasks are reclaimed next turn")
            self._last_reclaim = None
            _close_old_connections()

    def between_tasks(self) -> int:
        """Reclaim abandoned tasks now and then, and do the registered idle work."""
        now = timezone.now()
        every = timedelta(seconds=settings.ATTRACT_WORKER_HEARTBEAT_SECONDS)
        if self._last_reclaim is None or now - self._last_reclaim >= every:
            self._last_reclaim = now
            self._reclaim_unless_busy()
        done = 0
        for work in IDLE_WORK:
            try:
                done += work()
            except Exception:
                logger.exception("Idle work %s failed", work.__name__)
                _close_old_connections()
        return done


def _close_old_connections() -> None:
    # As Django does between requests; never inside a caller's transaction (a test's, or a
    # command run in one), where "obsolete" would close the connection under it.
    if not connection.in_atomic_block:
        close_old_connections()


def _put_back(db_task_result: DBTaskResult, *, wait: timedelta) -> None:
    DBTaskResult.objects.filter(pk=db_task_result.pk).update(
        status=TaskResultStatus.READY, run_after=timezone.now() + wait, finished_at=None
    )


def after_failure(db_task_result: DBTaskResult, exc: BaseException) -> None:
    """Keep the error; try again after the policy's wait, or mark it failed for good."""
    policy = policy_for(db_task_result.task_path)
    attempts = len(db_task_result.worker_ids)
    db_task_result.set_failed(exc)  # records the error class and traceback
    if attempts < policy.max_attempts:
        _put_back(db_task_result, wait=policy.wait_after(attempts))
        logger.warning(
            "Task %s failed (attempt %d of %d); trying again later",
            db_task_result.task_path,
            attempts,
            policy.max_attempts,
        )


class WorkerStopped(Exception):
    """Recorded as the error of a task whose worker stopped under it too many times."""


def reclaim_abandoned_tasks() -> int:
    """Put back the running tasks whose worker is gone. Returns how many."""
    now = timezone.now()
    stale_after = timedelta(seconds=settings.ATTRACT_WORKER_HEARTBEAT_SECONDS * 6)
    alive = {
        beat.worker_id
        for beat in WorkerHeartbeat.objects.filter(seen_at__gte=now - stale_after)
        if beat.hostname != socket.gethostname() or _process_exists(beat.pid)
    }
    reclaimed = 0
    for row in DBTaskResult.objects.filter(status=TaskResultStatus.RUNNING):
        if row.worker_ids and row.worker_ids[-1] in alive:
            continue
        policy = policy_for(row.task_path)
        # Only if still the same run: another worker may have reclaimed it meanwhile.
        same_run = DBTaskResult.objects.filter(
            pk=row.pk, status=TaskResultStatus.RUNNING, started_at=row.started_at
        )
        if len(row.worker_ids) >= policy.max_attempts:
            exc = WorkerStopped(
                f"The worker running this task stopped {len(row.worker_ids)} times."
            )
            same_run.update(
                status=TaskResultStatus.FAILED,
                finished_at=now,
                exception_class_path=f"{__name__}.WorkerStopped",
                traceback=str(exc),
            )
        else:
            reclaimed += same_run.update(status=TaskResultStatus.READY, run_after=now)
    dead = WorkerHeartbeat.objects.filter(seen_at__lt=now - stale_after)
    dead.delete()
    return reclaimed


def _process_exists(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True
