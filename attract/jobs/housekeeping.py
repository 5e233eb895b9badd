"""The queue's own scheduled work: finished tasks are forgotten after the retention period."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone
from django_tasks.base import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from attract.jobs.models import WorkerHeartbeat
from attract.jobs.queue import background_task
from attract.jobs.schedule import every
from attract.jobs.selectors import retention_days


@every(
    "15 3 * * *",
    name="prune-finished-tasks",
    description="Forget finished tasks past the retention period",
)
@background_task()
def prune_finished_tasks() -> int:
    cutoff = timezone.now() - timedelta(days=retention_days())
    finished = DBTaskResult.objects.filter(
        status__in=[TaskResultStatus.SUCCESSFUL, TaskResultStatus.FAILED], finished_at__lt=cutoff
    )
    deleted, _ = finished.delete()
    WorkerHeartbeat.objects.filter(seen_at__lt=cutoff).delete()
    return deleted
