"""What the queue itself does not keep: which workers are alive.

The tasks themselves are django-tasks-db's `DBTaskResult` rows; a worker that dies leaves its
task marked running, and only a heartbeat tells a live worker's task from a dead one's.
"""

from __future__ import annotations

from django.db import models


class WorkerHeartbeat(models.Model):
    worker_id = models.CharField(max_length=64, primary_key=True)
    hostname = models.CharField(max_length=255)
    pid = models.PositiveIntegerField()
    started_at = models.DateTimeField()
    seen_at = models.DateTimeField(db_index=True)

    def __str__(self) -> str:
        return f"{self.worker_id} on {self.hostname} (pid {self.pid})"


class Schedule(models.Model):
    """A task the worker queues at set times (cron syntax, in the installation's time zone).

    Declared in code (`attract.jobs.schedule.every`) and written here by the worker, so two
    workers agree on the next run: the one whose update moves `next_run_at` queues the task.
    """

    name = models.SlugField(max_length=100, unique=True)
    task_path = models.CharField(max_length=255)
    cron = models.CharField(max_length=100)
    description = models.CharField(max_length=255, blank=True)
    enabled = models.BooleanField(default=True)
    next_run_at = models.DateTimeField(db_index=True)
    last_run_at = models.DateTimeField(null=True, blank=True)
    last_task_id = models.UUIDField(null=True, blank=True)

    class Meta:
        ordering = ["next_run_at", "name"]

    def __str__(self) -> str:
        return f"{self.name} ({self.cron})"


class OutboxEvent(models.Model):
    """Something that happened to a record, written in the same transaction as the change
    (so an event is never lost, nor announced for a change that was rolled back). The webhooks
    app turns each into deliveries in the worker; `dispatched_at` says it has been."""

    name = models.CharField(max_length=64)  # "person.created", "deal.won"
    object_type = models.CharField(max_length=64)  # the model's label, "people.person"
    object_id = models.BigIntegerField()
    actor_id = models.BigIntegerField(null=True, blank=True)
    occurred_at = models.DateTimeField()
    dispatched_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [
            models.Index(
                fields=["id"],
                name="outbox_undispatched",
                condition=models.Q(dispatched_at__isnull=True),
            )
        ]

    def __str__(self) -> str:
        return f"{self.name} {self.object_type}#{self.object_id}"


class Retention(models.Model):
    """How long finished work is kept (tasks, announced events, webhook deliveries): one row,
    set by an owner on the Background work page; ATTRACT_JOB_RETENTION_DAYS until then."""

    days = models.PositiveIntegerField()
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        "accounts.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=models.Q(days__gte=1, days__lte=3650), name="retention_days_range"
            )
        ]

    def __str__(self) -> str:
        return f"{self.days} days"
