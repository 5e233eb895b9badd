"""The cost of the version check on an edit (core.versions), for `make bench`.

Every edit now reloads its row, locked until the transaction ends, and compares the version
the user saw (`lock_for_edit`); that is the time the check adds to a write. It is measured on
persons, companies and deals of the seeded database, each right after the transaction has
begun (as in the services), next to the whole edit through its service for scale. Every
edit is rolled back, so the seed stays as it was. Target: a median under 1 ms.
"""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable

from django.db import connection, transaction
from rich.table import Table

from attract.accounts.models import User
from attract.core.versions import lock_for_edit
from attract.people.models import Company, Person
from attract.people.services import company_update, person_update
from attract.pipeline.models import Deal
from attract.pipeline.services import deal_update


def _ms(seconds: list[float], share: float) -> float:
    ordered = sorted(seconds)
    return round(ordered[min(len(ordered) - 1, int(share * len(ordered)))] * 1000, 3)


def _timed(work: Callable[[], object]) -> tuple[float, float]:
    """Seconds `work` takes inside a transaction that is then rolled back: on the clock, and
    of this process's CPU (steadier on a shared machine; the database's own work on
    PostgreSQL happens in its server process and shows only on the clock)."""
    with transaction.atomic():
        started, cpu = time.perf_counter(), time.process_time()
        work()
        elapsed, cpu = time.perf_counter() - started, time.process_time() - cpu
        transaction.set_rollback(True)
    return elapsed, cpu


def measure(*, owner: User, runs: int, warmups: int) -> list[dict]:
    edits: list[tuple[str, type, Callable]] = [
        (
            "person",
            Person,
            lambda r: person_update(
                actor=owner, person=r, expected_version=r.version, job_title="Benchmarked"
            ),
        ),
        (
            "company",
            Company,
            lambda r: company_update(
                actor=owner, company=r, expected_version=r.version, industry="Benchmarked"
            ),
        ),
        (
            "deal",
            Deal,
            lambda r: deal_update(actor=owner, deal=r, expected_version=r.version, pain="Bench"),
        ),
    ]
    figures = []
    for label, model, edit in edits:
        ids = list(
            model.objects.filter(is_private=False)
            .order_by("pk")
            .values_list("pk", flat=True)[: runs + warmups]
        )
        if not ids:
            continue
        checks, checks_cpu, whole = [], [], []
        for index, pk in enumerate(ids):
            record = model.objects.get(pk=pk)
            check, check_cpu = _timed(lambda record=record: lock_for_edit(record, record.version))
            record = model.objects.get(pk=pk)
            full, _ = _timed(lambda record=record, edit=edit: edit(record))
            if index >= warmups:
                checks.append(check)
                checks_cpu.append(check_cpu)
                whole.append(full)
        figures.append(
            {
                "record": label,
                "edits": len(checks),
                "check_median_ms": round(statistics.median(checks) * 1000, 3),
                "check_p95_ms": _ms(checks, 0.95),
                "check_cpu_median_ms": round(statistics.median(checks_cpu) * 1000, 3),
                "edit_median_ms": round(statistics.median(whole) * 1000, 3),
            }
        )
    return figures


def run(*, console, owner: User, runs: int, warmups: int) -> dict:
    figures = measure(owner=owner, runs=runs, warmups=warmups)
    table = Table(title=f"{connection.vendor}: the version check on an edit (target < 1 ms)")
    columns = ("Record", "Edits", "Check median ms", "p95 ms", "CPU median ms", "Whole edit ms")
    for column in columns:
        table.add_column(column, justify="left" if column == "Record" else "right")
    for row in figures:
        table.add_row(
            row["record"],
            str(row["edits"]),
            f"{row['check_median_ms']:.3f}",
            f"{row['check_p95_ms']:.3f}",
            f"{row['check_cpu_median_ms']:.3f}",
            f"{row['edit_median_ms']:.1f}",
        )
    console.print(table)
    return {"results": figures}
