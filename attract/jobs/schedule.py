"""Scheduled work without cron: tasks declared with a cron expression, queued by the worker.

    @every("30 2 * * *", name="fit-refresh", description="Recompute stored fit scores")
    @background_task()
    def fit_refresh() -> int: ...

Why our own small table rather than a package: the schedulers made for Django's Tasks API
(django-periodic-tasks, django-crontask) need Python 3.13 or 3.14, and Attract supports 3.11.
cronsim (the cron evaluator healthchecks uses, kept by its author) reads the expressions; the
rest is one row per schedule. Each due row is moved to its next time with a conditional
UPDATE (WHERE next_run_at = the time we read) in the same transaction as the enqueue, so with
two workers, on SQLite or PostgreSQL, exactly one of them queues each run.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from cronsim import CronSim, CronSimError
from django.db import transaction
from django.utils import timezone
from django.utils.module_loading import import_string

from attract.jobs.models import Schedule


@dataclass(frozen=True)
class Declared:
    name: str
    task_path: str
    cron: str
    description: str


DECLARED: dict[str, Declared] = {}


def next_time(cron: str, after: datetime) -> datetime:
    """The first moment after `after` that the expression names, in the installation's zone."""
    local = timezone.localtime(after).replace(second=0, microsecond=0)
    return next(CronSim(cron, local))


def every(cron: str, *, name: str, description: str = "") -> Callable:
    try:
        next_time(cron, timezone.now())
    except CronSimError as exc:
        raise ValueError(f"Schedule {name}: {cron!r} is not a cron expression: {exc}") from exc

    def declare(task):
        DECLARED[name] = Declared(name, task.module_path, cron, description)
        return task

    return declare


def sync_schedules(*, now: datetime | None = None) -> None:
    """Write the declared schedules; a changed expression takes effect from now. Schedules no
    longer declared are removed."""
    now = now or timezone.now()
    existing = {row.name: row for row in Schedule.objects.all()}
    for declared in DECLARED.values():
        row = existing.get(declared.name)
        if row is None:
            Schedule.objects.get_or_create(
                name=declared.name,
                defaults={
                    "task_path": declared.task_path,
                    "cron": declared.cron,
                    "description": declared.description,
                    "next_run_at": next_time(declared.cron, now),
                },
            )
        elif (row.task_path, row.cron, row.description) != (
            declared.task_path,
            declared.cron,
            declared.description,
        ):
            row.task_path, row.description = declared.task_path, declared.description
            if row.cron != declared.cron:
                row.cron = declared.cron
                row.next_run_at = next_time(declared.cron, now)
            row.save()
    Schedule.objects.exclude(name__in=DECLARED).delete()


def run_due_schedules(*, now: datetime | None = None) -> int:
    """Queue every schedule whose time has come. Returns how many this worker queued."""
    now = now or timezone.now()
    due = Schedule.objects.filter(enabled=True, next_run_at__lte=now)
    return sum(queue_if_still_due(row, now=now) for row in due)


def queue_if_still_due(row: Schedule, *, now: datetime) -> bool:
    """Queue the schedule's task unless another worker moved it on since `row` was read."""
    with transaction.atomic():
        won = Schedule.objects.filter(pk=row.pk, next_run_at=row.next_run_at).update(
            next_run_at=next_time(row.cron, now), last_run_at=now
        )
        if not won:
            return False
        result = import_string(row.task_path).enqueue()
        Schedule.objects.filter(pk=row.pk).update(last_task_id=result.id)
    return True
