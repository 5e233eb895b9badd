"""The background part of `make bench`: the queue's throughput through one in-process worker,
what the outbox adds to a write, and webhook deliveries per second to a local receiver.

- queue: `--jobs` no-op tasks enqueued, then run by one worker (tasks per second both ways);
- outbox: the same person update timed with and without its outbox INSERT (median ms added
  per write; the target is under 1 ms);
- webhooks: `--webhook-deliveries` events for one subscription fanned out and delivered, signed,
  to an HTTP receiver on 127.0.0.1 (deliveries per second, end to end).

What it creates it removes afterwards, so the other sections and the next run see the seed.
"""

from __future__ import annotations

import statistics
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from attract.accounts.models import User
from attract.jobs import outbox
from attract.jobs.models import OutboxEvent
from attract.jobs.queue import background_task
from attract.jobs.worker import AttractWorker
from attract.people.models import Person
from attract.people.services import person_update
from attract.webhooks.dispatch import deliver_due, fan_out_events
from attract.webhooks.models import Delivery, Subscription
from attract.webhooks.services import subscription_create


@background_task()
def noop(n: int) -> int:
    return n


def _worker() -> AttractWorker:
    return AttractWorker(
        queue_names=["*"],
        interval=0,
        batch=True,
        backend_name="default",
        startup_delay=False,
        max_tasks=None,
        worker_id="bench-worker",
        excluded_queue_names=[],
        heartbeat=False,
    )


def measure_queue(jobs: int) -> dict:
    DBTaskResult.objects.filter(task_path=noop.module_path).delete()
    started = time.perf_counter()
    for n in range(jobs):
        noop.enqueue(n)
    enqueue_seconds = time.perf_counter() - started
    started = time.perf_counter()
    _worker().run()
    run_seconds = time.perf_counter() - started
    done = DBTaskResult.objects.filter(task_path=noop.module_path, status="SUCCESSFUL").count()
    DBTaskResult.objects.filter(task_path=noop.module_path).delete()
    return {
        "jobs": jobs,
        "done": done,
        "enqueued_per_second": round(jobs / enqueue_seconds),
        "run_per_second": round(done / run_seconds),
    }


def measure_outbox(owner: User, writes: int) -> dict:
    people = list(Person.objects.filter(owner=owner, is_private=False).order_by("pk")[:writes])
    import attract.people.services as services

    real = outbox.announce

    def timed_update(person: Person, announce) -> float:
        outbox.announce = services.announce = announce
        try:
            begun = time.perf_counter()
            person_update(actor=owner, person=person, notes=f"bench {begun}")
            return (time.perf_counter() - begun) * 1000
        finally:
            outbox.announce = services.announce = real

    def silent(*args, **kwargs) -> None:
        return None

    last = OutboxEvent.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    with_outbox, without = [], []
    # Each person is updated both ways, in alternating order, so that neither way always
    # meets the warmer cache.
    for n, person in enumerate(people):
        ways = [(with_outbox, real), (without, silent)]
        for times, announce in ways if n % 2 == 0 else reversed(ways):
            times.append(timed_update(person, announce))
    OutboxEvent.objects.filter(pk__gt=last).delete()
    # The INSERT alone, inside a transaction as a service makes it.
    inserts = []
    for person in people:
        with transaction.atomic():
            begun = time.perf_counter()
            outbox.announce("person.updated", person, actor=owner)
            inserts.append((time.perf_counter() - begun) * 1000)
            transaction.set_rollback(True)
    return {
        "writes": len(people),
        "update_ms_with_outbox": round(statistics.median(with_outbox), 3),
        "update_ms_without": round(statistics.median(without), 3),
        "outbox_insert_ms": round(statistics.median(inserts), 3),
    }


class _Receiver(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def do_POST(self) -> None:  # noqa: N802
        self.rfile.read(int(self.headers.get("content-length", 0)))
        self.send_response(204)
        self.send_header("content-length", "0")
        self.end_headers()

    def log_message(self, *args) -> None:
        """Quiet: a line per delivery on stderr would hide the figures."""


def measure_webhooks(owner: User, deliveries: int) -> dict:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Receiver)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    allowed = settings.ATTRACT_WEBHOOKS_ALLOW_PRIVATE
    settings.ATTRACT_WEBHOOKS_ALLOW_PRIVATE = True
    try:
        subscription, _secret = subscription_create(
            actor=owner, url=f"http://127.0.0.1:{server.server_port}/hook", description="bench"
        )
        person_ids = list(
            Person.objects.filter(is_private=False).values_list("pk", flat=True)[:1000]
        )
        now = timezone.now()
        OutboxEvent.objects.bulk_create(
            (
                OutboxEvent(
                    name="person.updated",
                    object_type="people.person",
                    object_id=person_ids[n % len(person_ids)],
                    occurred_at=now,
                )
                for n in range(deliveries)
            ),
            batch_size=5000,
        )
        started = time.perf_counter()
        while fan_out_events(batch=2000):
            continue  # until no event is left to fan out
        fan_out_seconds = time.perf_counter() - started
        started = time.perf_counter()
        while deliver_due():
            continue  # until no delivery is due
        deliver_seconds = time.perf_counter() - started
        sent = Delivery.objects.filter(subscription=subscription, status="succeeded").count()
    finally:
        settings.ATTRACT_WEBHOOKS_ALLOW_PRIVATE = allowed
        server.shutdown()
        server.server_close()
        Subscription.objects.filter(description="bench").delete()
        OutboxEvent.objects.filter(occurred_at=now).delete()
    return {
        "events": deliveries,
        "delivered": sent,
        "fanned_out_per_second": round(deliveries / fan_out_seconds),
        "delivered_per_second": round(sent / deliver_seconds),
    }


def run(*, console, owner: User, runs: int, warmups: int, jobs: int, webhook_deliveries: int):
    queue = measure_queue(jobs)
    console.print(
        f"Queue: {queue['done']:,} of {queue['jobs']:,} tasks run by one worker: "
        f"{queue['enqueued_per_second']:,} enqueued/s, {queue['run_per_second']:,} run/s."
    )
    writes = measure_outbox(owner, max(runs, 30))
    added = writes["update_ms_with_outbox"] - writes["update_ms_without"]
    console.print(
        f"Outbox: a person update takes {writes['update_ms_with_outbox']} ms with its event, "
        f"{writes['update_ms_without']} ms without ({added:+.3f} ms); the INSERT alone "
        f"{writes['outbox_insert_ms']} ms (median of {writes['writes']} writes)."
    )
    hooks = measure_webhooks(owner, webhook_deliveries)
    console.print(
        f"Webhooks: {hooks['delivered']:,} of {hooks['events']:,} events delivered to a local "
        f"receiver: {hooks['fanned_out_per_second']:,} fanned out/s, "
        f"{hooks['delivered_per_second']:,} delivered/s (one worker)."
    )
    return {"queue": queue, "outbox": writes, "webhooks": hooks}
