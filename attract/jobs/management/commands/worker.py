"""`attract worker`: run the background queue (tasks, due schedules, webhook deliveries).

`attract serve` starts one beside the web server; run more (on this machine or, with
PostgreSQL, on others) for more throughput: they share the queue without running a task twice.
"""

from __future__ import annotations

import logging

from django.core.management.base import BaseCommand, CommandError
from django.utils.crypto import get_random_string

from attract.jobs.worker import AttractWorker


class Command(BaseCommand):
    help = "Run a background worker: queued tasks, due schedules and webhook deliveries."

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--queue",
            default="*",
            help="Queues to take tasks from, comma-separated (default: all).",
        )
        parser.add_argument(
            "--interval",
            type=float,
            default=1.0,
            help="Seconds to wait when there is nothing to do (default: 1).",
        )
        parser.add_argument(
            "--batch", action="store_true", help="Do everything due now, then exit."
        )
        parser.add_argument(
            "--max-tasks", type=int, default=None, help="Exit after running this many tasks."
        )

    def handle(
        self,
        *args,
        queue: str,
        interval: float,
        batch: bool,
        max_tasks: int | None,
        verbosity: int,
        **options,
    ) -> None:
        if interval < 0:
            raise CommandError("--interval must be zero or more seconds.")
        if max_tasks is not None and max_tasks < 1:
            raise CommandError("--max-tasks must be at least 1.")
        queues = [name.strip() for name in queue.split(",") if name.strip()]
        if not queues:
            raise CommandError("--queue names no queue.")
        self._configure_logging(verbosity)
        worker = AttractWorker(
            queue_names=queues,
            interval=interval,
            batch=batch,
            backend_name="default",
            startup_delay=False,
            max_tasks=max_tasks,
            worker_id=get_random_string(32),
            excluded_queue_names=[],
        )
        worker.configure_signals()
        self.stdout.write(f"Worker {worker.worker_id} taking tasks from: {', '.join(queues)}")
        self.stdout.flush()
        worker.run()

    def _configure_logging(self, verbosity: int) -> None:
        level = {0: logging.ERROR, 1: logging.INFO}.get(verbosity, logging.DEBUG)
        for name in ("attract.jobs", "django_tasks", "django_tasks_db"):
            logger = logging.getLogger(name)
            logger.setLevel(level)
            if not logger.handlers:
                logger.addHandler(logging.StreamHandler(self.stderr))
                logger.propagate = False
