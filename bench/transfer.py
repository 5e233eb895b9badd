"""The import's part of `make bench`: 100,000 persons read from a generated CSV file and
deduplicated against the 100,000 already in the database (a fifth of the rows are people the
database already has, by email), most with a company, every new one with a phone number
written as at home and read in the row's country (a Country/Region column).

The import runs twice, each time in a process of its own: directly, as `attract import` runs
it (a job processed to the end in committed batches, in the process that started it), and
through the queue, as the web page and the API run it (the job queued, then run by `attract
worker`'s worker, heartbeat thread and all, in that process); the figures are rows per second
from the upload to the job's end, and the worker's share of the direct figure (target: at
least 90%). Each runs in a separate process so that its peak memory is its own: the
figure is that process's peak resident set size (Linux's VmHWM: getrusage's ru_maxrss would
carry over the peak of the benchmark process that started it), Python, Django and the dedup
indexes included, and its growth over the process once Django had started. A run to the end
reads and checks the rows in a second process (row_reader.py), whose peak is reported beside
it: the import's memory is the two together. Afterwards what the import wrote (rows, history
rows, the job, its copy of the file) is deleted, so that the other sections (and the next
run) see the seeded data only.
"""

from __future__ import annotations

import csv
import json
import os
import random
import subprocess
import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING

from django.db import connection, transaction

if TYPE_CHECKING:
    from attract.accounts.models import User

# Models are imported inside the functions: `python -m bench.transfer` runs this module
# before Django is set up.

SEED = 20260606
FIRST = ["Ada", "Bo", "Chen", "Dana", "Eli", "Femi", "Gala", "Hugo", "Ines", "Jon", "Kai",
         "Lena", "Mira", "Noor", "Omar", "Pia", "Quinn", "Rosa", "Sven", "Tara", "Uma", "Vik"]  # fmt: skip
LAST = ["Abara", "Berg", "Costa", "Dahl", "Ekwueme", "Fischer", "Garcia", "Haddad", "Ivanova",
        "Jensen", "Kowalski", "Larsen", "Moreau", "Nakamura", "Okafor", "Petrov", "Quist",
        "Rossi", "Sato", "Tanaka", "Ueda", "Varga", "Weber", "Xu", "Yilmaz", "Zhou"]  # fmt: skip
HEADERS = ["First Name", "Last Name", "Email", "Phone Number", "Company Name", "Job Title",
           "Country/Region"]  # fmt: skip


def _local_phone(n: int) -> tuple[str, str]:
    """A number as people write it at home, with the row's country (issue 11: numbers are read
    in the country of their row)."""
    kind = n % 3
    if kind == 0:
        return f"020 7{n % 1000:03d} {n // 1000 % 10000:04d}", "United Kingdom"
    if kind == 1:
        return f"030 {n % 10000:04d}{n // 10000 % 1000:03d}", "Germany"
    return f"(212) 2{n % 100:02d}-{n // 100 % 10000:04d}", "USA"


def generate_csv(path: Path, *, rows: int, duplicate_share: float = 0.2) -> dict[str, int]:
    """A HubSpot-style export: new people (new emails, phones, some new companies) mixed
    with people already in the database, their emails written in another case."""
    from attract.people.models import EmailAddress, Person

    rng = random.Random(SEED)
    existing = list(
        EmailAddress.objects.filter(is_primary=True)
        .order_by("pk")
        .values_list("email", "person__first_name", "person__last_name", "person__company__name")[
            : max(1, int(rows * duplicate_share))
        ]
    )
    companies = list(
        Person.objects.exclude(company=None)
        .order_by("company_id")
        .values_list("company__name", flat=True)
        .distinct()[:5000]
    ) or ["Bench Imports Ltd"]
    duplicates = 0
    with open(path, "w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(HEADERS)
        for n in range(rows):
            if existing and rng.random() < duplicate_share:
                email, first, last, company = existing[rng.randrange(len(existing))]
                writer.writerow([first, last, email.upper(), "", company or "", "Buyer", ""])
                duplicates += 1
                continue
            first, last = rng.choice(FIRST), f"{rng.choice(LAST)}-{n}"
            company = (
                rng.choice(companies) if rng.random() < 0.8 else f"Imported Company {n % 2000}"
            )
            phone, country = _local_phone(n)
            email = f"{first}.{last}.{n}@import.example"
            writer.writerow([first, last, email, phone, company, "Engineer", country])
    return {"rows": rows, "duplicates_written": duplicates, "bytes": path.stat().st_size}


def _cpu_seconds() -> float:
    """User and system time of this process and of its finished children (the reader)."""
    import resource

    own = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def _rss_mb() -> float:
    from attract.transfer.row_reader import peak_rss_kib

    return peak_rss_kib() / 1024


def import_file(path: Path, *, owner: User, through_worker: bool = False) -> dict:
    """Import the file as a job, timed (directly, or queued and run by a worker); then remove
    what it wrote. Returns the figures."""
    from attract.transfer import importing, row_reader

    start_rss = _rss_mb()
    cpu_before = _cpu_seconds()
    started = time.perf_counter()
    with open(path, "rb") as handle:
        job = importing.import_job_create(
            actor=owner,
            kind="persons",
            file_name=path.name,
            chunks=iter(lambda: handle.read(1 << 20), b""),
        )
    importing.import_job_configure(actor=owner, job=job, mapping=job.mapping)
    if through_worker:
        importing.import_job_start(actor=owner, job=job)
        _run_worker()
        job.refresh_from_db()
    else:
        importing.import_job_start(actor=owner, job=job, queue=False)
        job = importing.import_job_process(job=job)
    seconds = time.perf_counter() - started
    cpu = _cpu_seconds() - cpu_before
    peak_rss = _rss_mb()
    figures = {
        "rows": job.total_rows,
        "seconds": round(seconds, 2),
        "rows_per_second": round(job.total_rows / seconds) if seconds else 0,
        # CPU time of this process and its reader: what the run costs, whatever else the
        # machine is doing (a shared machine's wall time varies run to run).
        "cpu_seconds": round(cpu, 2),
        "rows_per_cpu_second": round(job.total_rows / cpu) if cpu else 0,
        "created": job.created_count,
        "updated": job.updated_count,
        "skipped": job.skipped_count,
        "rejected": job.rejected_count,
        "peak_rss_mb": round(peak_rss, 1),
        # The process that reads and checks the rows beside the importer (row_reader.py).
        "reader_peak_rss_mb": round(row_reader.last_reader_peak_kib[0] / 1024, 1),
        "rss_growth_mb": round(peak_rss - start_rss, 1),
        "status": job.status,
    }
    cleanup(job)
    return figures


def _run_worker() -> None:
    """`attract worker --batch`: the worker runs what is queued (the import), then stops."""
    from attract.jobs.worker import AttractWorker

    AttractWorker(
        queue_names=["*"],
        interval=0,
        batch=True,
        backend_name="default",
        startup_delay=False,
        max_tasks=None,
        worker_id="bench-worker",
        excluded_queue_names=[],
    ).run()


def cleanup(job) -> None:
    """Remove everything the import wrote (the persons, their addresses and numbers, the
    companies it created, all their history rows) and the job itself, with plain deletes:
    undoing 70,000 creations through the services would record 70,000 deletions in the
    history tables, which is what `attract import undo` should do and not what a benchmark
    should leave behind."""
    from attract.people.models import Company, EmailAddress, Person, PhoneNumber

    created = list(job.rows.filter(outcome="created").values_list("person_id", "company_id"))
    person_ids = [p for p, _ in created if p]
    company_ids = [c for _, c in created if c]
    with transaction.atomic():
        for start in range(0, max(len(person_ids), len(company_ids)), 5000):
            persons = person_ids[start : start + 5000]
            companies = company_ids[start : start + 5000]
            for model in (EmailAddress, PhoneNumber):
                model.history.filter(person_id__in=persons)._raw_delete(connection.alias)
                model.objects.filter(person_id__in=persons)._raw_delete(connection.alias)
            Person.history.filter(id__in=persons)._raw_delete(connection.alias)
            Person.all_objects.filter(id__in=persons)._raw_delete(connection.alias)
            Company.history.filter(id__in=companies)._raw_delete(connection.alias)
            Company.all_objects.filter(id__in=companies)._raw_delete(connection.alias)
        job.delete()
    Path(job.stored_path).unlink(missing_ok=True)  # the job's copy of the uploaded file
    from attract.transfer.models import ImportRow
    from bench.seeding import analyze_tables

    analyze_tables(
        Person, Person.history.model, EmailAddress, EmailAddress.history.model, PhoneNumber,
        PhoneNumber.history.model, Company, Company.history.model, ImportRow, vacuum=True,
    )  # fmt: skip


def child_main(argv: list[str]) -> None:
    """`python -m bench.transfer FILE`: run one import in this process, print its figures."""
    from bench import settings_env

    settings_env.configure()
    import django

    django.setup()
    from attract.accounts.models import User
    from bench.seeding import BENCH_OWNER

    owner = User.objects.get(email=BENCH_OWNER)
    figures = import_file(Path(argv[0]), owner=owner, through_worker="--worker" in argv[1:])
    print(json.dumps(figures))


def run(*, console, owner: User, rows: int, runs: int, warmups: int) -> dict:
    from bench import measuring, settings_env

    path = settings_env.BENCH_DIR / "bench-import.csv"
    generated = generate_csv(path, rows=rows)
    console.print(
        f"Import: generated {rows:,} rows ({generated['bytes'] / 1048576:.1f} MB, "
        f"{generated['duplicates_written']:,} of people already in the database)."
    )
    connection.close()  # the child process writes; let go of SQLite's connection meanwhile
    runs_of = {}
    for mode, extra in (("direct", []), ("worker", ["--worker"])):
        result = subprocess.run(
            [sys.executable, "-m", "bench.transfer", str(path), *extra],
            capture_output=True,
            text=True,
            env=os.environ.copy(),
            cwd=settings_env.REPO,
            check=False,
        )
        if result.returncode != 0:
            console.print(f"[red]The import benchmark ({mode}) failed:[/]\n{result.stderr[-3000:]}")
            return {"error": result.stderr[-3000:]}
        runs_of[mode] = json.loads(result.stdout.strip().splitlines()[-1])
    path.unlink(missing_ok=True)
    figures, worker = runs_of["direct"], runs_of["worker"]
    share = (
        worker["rows_per_second"] / figures["rows_per_second"] if figures["rows_per_second"] else 0
    )
    from rich.table import Table

    table = Table(title=f"{connection.vendor}: import of {rows:,} persons", title_justify="left")
    for column in ("Run", "Rows/s", "Seconds", "Rows/CPU s", "Created", "Skipped", "Updated", "Rejected",
                   "Peak RSS MB", "RSS growth MB", "Reader RSS MB"):  # fmt: skip
        table.add_column(column, justify="right")
    for mode, run_figures in runs_of.items():
        table.add_row(
            mode,
            f"{run_figures['rows_per_second']:,}",
            f"{run_figures['seconds']:.1f}",
            f"{run_figures['rows_per_cpu_second']:,}",
            f"{run_figures['created']:,}",
            f"{run_figures['skipped']:,}",
            f"{run_figures['updated']:,}",
            f"{run_figures['rejected']:,}",
            f"{run_figures['peak_rss_mb']:.0f}",
            f"{run_figures['rss_growth_mb']:.0f}",
            f"{run_figures['reader_peak_rss_mb']:.0f}",
        )
    console.print(table)
    console.print(
        f"Through the worker: {share:.0%} of the direct import's rows per second (target ≥ 90%)."
    )
    pages = measuring.measure(owner=owner, items=scenarios(), runs=runs, warmups=warmups)
    console.print(measuring.results_table(f"{connection.vendor}: import and export pages", pages))
    return {
        "import": figures,
        "import_through_worker": worker,
        "worker_share_of_direct": round(share, 3),
        "generated": generated,
        "results": measuring.as_dicts(pages),
    }


def scenarios() -> list:
    from bench import measuring

    return [
        measuring.Scenario("Import page", lambda n: "/import/"),
        measuring.Scenario("Import history", lambda n: "/import/history/"),
    ]


if __name__ == "__main__":
    child_main(sys.argv[1:])
