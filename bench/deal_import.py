"""The deal import's part of `make bench`: 100,000 closed deals with their history (a stage
column, a won/lost status column, open, engaged and close dates, a probability, 2,000
accounts) read from a generated CSV file and imported as `attract import deals` imports them
(a job processed to the end in committed batches). The figure is rows per second, file
reading, stage mapping, company matching and the bulk writes (deals, their history rows and
stage moves) included. Afterwards what the import wrote is deleted, so that the other sections
(and the next run) see the seeded data only.
"""

from __future__ import annotations

import csv
import random
import time
from pathlib import Path
from typing import TYPE_CHECKING

from django.db import connection, transaction

if TYPE_CHECKING:
    from attract.accounts.models import User

SEED = 20261207
HEADERS = [
    "Opportunity ID",
    "Opportunity Name",
    "Account",
    "Stage",
    "Status",
    "Amount",
    "Probability",
    "Created Date",
    "Engage Date",
    "Close Date",
]
# The other CRM's stages, with the chance it gives each and the stage of ours it maps to.
STAGES = [
    ("Prospecting", 10, "attention"),
    ("Qualified", 20, "interest"),
    ("Needs Analysis", 40, "conviction"),
    ("Proposal", 70, "desire"),
    ("Negotiation", 90, "action"),
]
ACCOUNTS = 2_000


def generate_csv(path: Path, *, rows: int) -> dict[str, int]:
    """Closed deals: about 45% won (at Negotiation), the rest lost at any stage."""
    from datetime import date, timedelta

    rng = random.Random(SEED)
    start = date(2023, 1, 1)
    won = 0
    with open(path, "w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(HEADERS)
        for n in range(rows):
            is_won = rng.random() < 0.45
            won += is_won
            reached = len(STAGES) - 1 if is_won else rng.randrange(len(STAGES))
            name, chance, _ = STAGES[reached]
            created = start + timedelta(days=rng.randrange(700))
            engaged = created + timedelta(days=rng.randrange(1, 30)) if reached else None
            closed = (engaged or created) + timedelta(days=rng.randrange(5, 120))
            writer.writerow(
                [
                    f"OPP-{n:07d}",
                    f"Deal {n % 5000} for account {n % ACCOUNTS}",
                    f"Bench Deal Account {n % ACCOUNTS}",
                    name,
                    "Won" if is_won else "Lost",
                    f"{rng.randrange(100, 100_000)}.{rng.randrange(100):02d}",
                    chance,
                    created.isoformat(),
                    engaged.isoformat() if engaged else "",
                    closed.isoformat(),
                ]
            )
    return {"rows": rows, "won_written": won, "bytes": path.stat().st_size}


def import_file(path: Path, *, owner: User) -> dict:
    """Import the file as a job, timed; then remove what it wrote. Returns the figures."""
    from attract.transfer import importing
    from attract.transfer.deal_stages import stage_suggestions
    from bench.transfer import _cpu_seconds

    cpu_before = _cpu_seconds()
    started = time.perf_counter()
    with open(path, "rb") as handle:
        job = importing.import_job_create(
            actor=owner,
            kind="deals",
            file_name=path.name,
            chunks=iter(lambda: handle.read(1 << 20), b""),
        )
    importing.import_job_configure(
        actor=owner, job=job, mapping=job.mapping, stage_mapping=stage_suggestions(job)
    )
    importing.import_job_start(actor=owner, job=job, queue=False)  # run here, timed directly
    job = importing.import_job_process(job=job)
    seconds = time.perf_counter() - started
    cpu = _cpu_seconds() - cpu_before
    from attract.pipeline.models import Deal, StageMove

    written = Deal.all_objects.filter(pk__in=job.rows.values("deal_id"))
    figures = {
        "rows": job.total_rows,
        "seconds": round(seconds, 2),
        "rows_per_second": round(job.total_rows / seconds) if seconds else 0,
        # What the run costs whatever else the machine is doing (see bench/transfer.py).
        "cpu_seconds": round(cpu, 2),
        "rows_per_cpu_second": round(job.total_rows / cpu) if cpu else 0,
        "created": job.created_count,
        "skipped": job.skipped_count,
        "rejected": job.rejected_count,
        "stage_moves": StageMove.objects.filter(deal__in=written).count(),
        "status": job.status,
    }
    cleanup(job)
    return figures


def cleanup(job) -> None:
    """Remove the deals, their stage moves and history rows, the companies the import made and
    the job, with plain deletes (an undo would record each deletion in the history)."""
    from attract.people.models import Company
    from attract.pipeline.models import Deal, StageMove
    from attract.transfer.models import ImportRow
    from bench.seeding import analyze_tables

    created = list(job.rows.filter(outcome="created").values_list("deal_id", "company_id"))
    deal_ids = [d for d, _ in created if d]
    company_ids = [c for _, c in created if c]
    with transaction.atomic():
        for start in range(0, max(len(deal_ids), len(company_ids)), 5000):
            deals = deal_ids[start : start + 5000]
            companies = company_ids[start : start + 5000]
            StageMove.objects.filter(deal_id__in=deals)._raw_delete(connection.alias)
            Deal.history.filter(id__in=deals)._raw_delete(connection.alias)
            Deal.all_objects.filter(id__in=deals)._raw_delete(connection.alias)
            Company.history.filter(id__in=companies)._raw_delete(connection.alias)
            Company.all_objects.filter(id__in=companies)._raw_delete(connection.alias)
        job.delete()
    Path(job.stored_path).unlink(missing_ok=True)
    analyze_tables(
        Deal, Deal.history.model, StageMove, Company, Company.history.model, ImportRow, vacuum=True
    )


def run(*, console, owner: User, rows: int, runs: int, warmups: int) -> dict:
    from rich.table import Table

    from bench import settings_env

    path = settings_env.BENCH_DIR / "bench-deal-import.csv"
    generated = generate_csv(path, rows=rows)
    console.print(
        f"Deal import: generated {rows:,} closed deals ({generated['bytes'] / 1048576:.1f} MB)."
    )
    figures = import_file(path, owner=owner)
    path.unlink(missing_ok=True)
    table = Table(
        title=f"{connection.vendor}: import of {rows:,} closed deals with history",
        title_justify="left",
    )
    for column in ("Rows/s", "Seconds", "Rows/CPU s", "Created", "Skipped", "Rejected",
                   "Stage moves"):  # fmt: skip
        table.add_column(column, justify="right")
    table.add_row(
        f"{figures['rows_per_second']:,}",
        f"{figures['seconds']:.1f}",
        f"{figures['rows_per_cpu_second']:,}",
        f"{figures['created']:,}",
        f"{figures['skipped']:,}",
        f"{figures['rejected']:,}",
        f"{figures['stage_moves']:,}",
    )
    console.print(table)
    return {"import": figures, "generated": generated}
