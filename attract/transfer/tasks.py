"""The import's background tasks: running an import to its end, and undoing one.

Each user's queued imports run one after another, in the order they were started: the task
of any of them runs the user's earliest unfinished import first, then the next, until none
is left (a "turn"). The import holding the turn names its task (`ImportJob.runner`); another
task of the same user finding that task still running leaves the work to it, and one finding
it gone (its worker was killed, and the queue put it back) takes the turn over and resumes
after the last committed batch (run.py). Two tasks that meet on the same import anyway (a
worker wrongly taken for dead) cannot write a batch twice: each batch checks the job's place
in the file under a row lock before it writes."""

from __future__ import annotations

import logging
from datetime import timedelta

from django.db import transaction
from django.db.models import F
from django_tasks.base import TaskContext, TaskResultStatus
from django_tasks_db.models import DBTaskResult

from attract.accounts.models import User
from attract.jobs.queue import background_task, policy_for
from attract.transfer import report, run, source
from attract.transfer.models import ImportJob, ImportStatus
from attract.transfer.undo import import_job_undo

logger = logging.getLogger("attract.transfer")


@background_task(atomic=False, first_wait=timedelta(seconds=10), takes_context=True)
def import_run(context: TaskContext, *, job_id: int) -> str:
    """Not atomic: the import commits batch by batch (run.py), and a rerun resumes after
    the last committed one."""
    job = ImportJob.objects.filter(pk=job_id).first()
    if job is None:
        return f"Import #{job_id} no longer exists."
    me = f"task:{context.task_result.id}"
    ran = []
    while True:
        turn = _take_turn(job.created_by_id, me)
        if isinstance(turn, str):
            return turn
        if turn is None:
            break
        _run_one(turn, context)
        ran.append(turn.pk)
    return "Ran import " + ", ".join(f"#{pk}" for pk in ran) if ran else "Nothing left to run."


def _take_turn(user_id: int | None, me: str) -> ImportJob | str | None:
    """The user's earliest unfinished queued import, now held by `me`; a message when another
    live task holds it; None when nothing is left."""
    with transaction.atomic():
        first = (
            ImportJob.objects.select_for_update()
            .filter(
                created_by_id=user_id,
                status__in=run.ACTIVE,
                queued_at__isnull=False,
            )
            .order_by(F("queued_at").asc(), "pk")
            .first()
        )
        if first is None:
            return None
        if first.runner and first.runner != me and still_running(first.runner):
            return f"Import #{first.pk} is running in {first.runner}; this user's next ones follow it there."
        if first.runner != me:
            first.runner = me
            first.save(update_fields=["runner"])
        return first


def still_running(runner: str) -> bool:
    kind, _, key = runner.partition(":")
    if kind != "task":
        return False
    return DBTaskResult.objects.filter(pk=key, status=TaskResultStatus.RUNNING).exists()


def _run_one(job: ImportJob, context: TaskContext) -> None:
    try:
        run.import_job_process(job=job)
    except source.FileGone as exc:
        # Trying again will not bring the file back: the import fails now, with the reason.
        report.record_failed(job, " ".join(exc.messages))
        logger.warning("Import #%s failed: %s", job.pk, exc.messages[0])
    except Exception as exc:
        # Tried again later (its committed batches stay); on the last attempt the import is
        # failed with the error, so the user's next imports are not held up behind it.
        policy = policy_for(import_run.module_path)
        if context.attempt >= policy.max_attempts:
            report.record_failed(job, f"The import stopped on an error: {exc}")
        raise


@background_task()
def import_undo_run(*, job_id: int, actor_id: int) -> str:
    """Atomic: the whole undo commits with the task's "done" mark, or nothing of it does."""
    job = ImportJob.objects.filter(pk=job_id).first()
    actor = User.objects.filter(pk=actor_id).first()
    if job is None or actor is None:
        return f"Import #{job_id} or its undoer no longer exists."
    if job.status != ImportStatus.UNDOING:
        return f"Import #{job_id} is {job.get_status_display().lower()}; nothing to undo."
    import_job_undo(actor=actor, job=job)
    return f"Import #{job_id} undone."
