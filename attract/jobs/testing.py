"""For tests of apps that queue background work: run what the queue holds, in this process,
through the real worker (its retry policies, atomic tasks and all), until nothing is ready."""

from __future__ import annotations

from attract.jobs.worker import AttractWorker


def run_queued_tasks(**overrides) -> AttractWorker:
    options = {
        "queue_names": ["*"],
        "interval": 0,
        "batch": True,
        "backend_name": "default",
        "startup_delay": False,
        "max_tasks": None,
        "worker_id": "test-worker",
        "excluded_queue_names": [],
        "heartbeat": False,
    }
    worker = AttractWorker(**{**options, **overrides})
    worker.run()
    return worker
