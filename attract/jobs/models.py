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
