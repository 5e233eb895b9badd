"""Reads for the Background work page, its API and `attract jobs list`."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from django.db.models import Count, Q, QuerySet
from django.utils import timezone
from django_tasks.base import TaskResultStatus
from django_tasks_db.models import DBTaskResult

# What the page calls each state, and which rows it shows for it.
STATES = ("queued", "running", "failed", "done")
RECENT = timedelta(days=1)


def _state_filter(state: str, now) -> Q:
    since = now - RECENT
    return {
        "queued": Q(status=TaskResultStatus.READY),
        "running": Q(status=TaskResultStatus.RUNNING),
        "failed": Q(status=TaskResultStatus.FAILED, finished_at__gte=since),
        "done": Q(status=TaskResultStatus.SUCCESSFUL, finished_at__gte=since),
    }[state]


def job_counts() -> dict[str, int]:
    """How many tasks are in each state: one query."""
    now = timezone.now()
    return DBTaskResult.objects.aggregate(
        **{state: Count("pk", filter=_state_filter(state, now)) for state in STATES}
    )


def job_list(*, state: str) -> QuerySet[DBTaskResult]:
    if state not in STATES:
        raise ValueError(state)
    rows = DBTaskResult.objects.filter(_state_filter(state, timezone.now())).defer("return_value")
    if state in {"failed", "done"}:
        return rows.order_by("-finished_at", "-enqueued_at")
    return rows.order_by("run_after", "enqueued_at")


@dataclass(frozen=True)
class JobView:
    """A task as people read it: its name, attempts and last error in one line."""

    id: str
    name: str
    state: str
    attempts: int
    enqueued_at: object
    started_at: object
    finished_at: object
    run_after: object | None
    error: str
    traceback: str

    @classmethod
    def of(cls, row: DBTaskResult) -> JobView:
        status = {
            TaskResultStatus.READY: "queued",
            TaskResultStatus.RUNNING: "running",
            TaskResultStatus.FAILED: "failed",
            TaskResultStatus.SUCCESSFUL: "done",
        }[row.status]
        lines = [line for line in row.traceback.strip().splitlines() if line.strip()]
        far = row.run_after.year >= 9999
        return cls(
            id=str(row.id),
            name=row.task_path.rsplit(".", 1)[-1].replace("_", " "),
            state=status,
            attempts=len(row.worker_ids),
            enqueued_at=row.enqueued_at,
            started_at=row.started_at,
            finished_at=row.finished_at,
            run_after=None if far else row.run_after,
            error=lines[-1] if lines else "",
            traceback=row.traceback,
        )


def retention_days() -> int:
    from django.conf import settings

    from attract.jobs.models import Retention

    row = Retention.objects.order_by("pk").first()
    return row.days if row else settings.ATTRACT_JOB_RETENTION_DAYS
