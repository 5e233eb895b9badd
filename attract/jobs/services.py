"""Writes on the queue that people make: trying a task again."""

from __future__ import annotations

import logging
import uuid

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django_tasks.base import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from attract.accounts.models import Role, User
from attract.core.permissions import can_manage_team
from attract.jobs.models import Retention

logger = logging.getLogger("attract.jobs")


def require_job_manager(user: User) -> None:
    if not can_manage_team(user):
        raise PermissionDenied("Only the owner and admins see and manage background work.")


def job_get(*, job_id: str | uuid.UUID) -> DBTaskResult:
    try:
        key = uuid.UUID(str(job_id))
    except ValueError as exc:
        raise DBTaskResult.DoesNotExist(f"No task has the id {job_id}.") from exc
    return DBTaskResult.objects.get(pk=key)


@transaction.atomic
def job_retry(*, actor: User, job_id: str | uuid.UUID) -> DBTaskResult:
    """Run a failed task again now (or a task waiting for its next attempt, without waiting).
    Its earlier attempts stay counted, so a retry that fails again is failed at once."""
    require_job_manager(actor)
    row = job_get(job_id=job_id)
    if row.status not in {TaskResultStatus.FAILED, TaskResultStatus.READY}:
        raise ValidationError(
            {
                "status": f"Only a failed or queued task can be tried again; this one is {row.get_status_display().lower()}."
            }
        )
    row.status = TaskResultStatus.READY
    row.run_after = timezone.now()
    row.finished_at = None
    row.save(update_fields=["status", "run_after", "finished_at"])
    logger.info("%s asked to try task %s (%s) again", actor.email, row.pk, row.task_path)
    return row


def retention_set(*, actor: User, days: int) -> Retention:
    """How many days finished work is kept; owners only (it decides what is forgotten)."""
    if not (actor.is_authenticated and actor.is_active and actor.role == Role.OWNER):
        raise PermissionDenied("Only the owner sets how long finished work is kept.")
    if not isinstance(days, int) or isinstance(days, bool) or not 1 <= days <= 3650:
        raise ValidationError({"days": "Keep finished work between 1 and 3650 days."})
    row = Retention.objects.order_by("pk").first() or Retention(days=days)
    row.days = days
    row.updated_by = actor
    row.full_clean()
    row.save()
    return row
