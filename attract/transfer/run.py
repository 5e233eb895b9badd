"""Running an import from its last committed line to its end, in one process and one way:

    read (source.py) → match (importer.py) → write (bulk.py, deal_writes.py) → report (report.py)

Each batch's rows, their outcomes and the job's place in the file commit together, so a run
killed at any point (a worker's SIGKILL, a power cut) leaves whole batches only, and the next
run starts after the last committed line with fresh indexes read from the database: a row is
never lost nor written twice. Nothing is kept between runs. The queue's task (tasks.py) and
the CLI's inline run both call `import_job_process`."""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterator

from django.db import transaction

from attract.transfer import garbage_collection, report, source, sqlite_bulk
from attract.transfer.importer import Importer
from attract.transfer.models import ImportJob, ImportStatus

# Rows a committed batch holds. Every commit writes each index page its batch touched to
# SQLite's WAL, and new names, emails and phone numbers land all over those indexes, so a
# commit writes about the same few megabytes whatever its size (100,000 rows wrote 470 MB of
# WAL in 2,000-row batches, 265 MB in 5,000-row ones; 10,000-row ones were little faster and
# held 20 MB more).
BATCH_SIZE = 5000
ACTIVE = (ImportStatus.QUEUED, ImportStatus.RUNNING)


def import_job_process(
    *,
    job: ImportJob,
    batch_size: int = BATCH_SIZE,
    max_batches: int | None = None,
    on_batch: Callable[[ImportJob], None] | None = None,
) -> ImportJob:
    """Process the job from its last committed line to its end (or `max_batches` batches,
    which tests use to stop a run half-way). Returns the job as the run left it; when another
    run got to a batch first, or the job was stopped (undo), as that left it."""
    if job.status not in ACTIVE:
        return job
    # A run to the end reads and checks a long file's rows in a second process.
    records = source.rows_to_import(job, reader_process=max_batches is None)
    try:
        with garbage_collection.collector_paused():
            importer = Importer(job, job.created_by, write=True)
            # The importer's indexes are built by now: frozen with the rest, they are not
            # walked again by the cycle collector.
            with sqlite_bulk.bulk_writes(), garbage_collection.long_lived_objects_frozen():
                return _batches(job, importer, records, batch_size, max_batches, on_batch)
    finally:
        records.close()


def _batches(
    job: ImportJob,
    importer: Importer,
    records: Iterator,
    batch_size: int,
    max_batches: int | None,
    on_batch: Callable[[ImportJob], None] | None,
) -> ImportJob:
    for _ in itertools.count() if max_batches is None else range(max_batches):
        batch = list(itertools.islice(records, batch_size))
        if not batch:
            report.record_done(job)
            return job
        with transaction.atomic():
            current = ImportJob.objects.select_for_update().get(pk=job.pk)
            if current.processed_line != job.processed_line or current.status not in ACTIVE:
                return current  # another run wrote this batch, or the job was stopped
            results = [(line, cells, importer.apply(line, record)) for line, cells, record in batch]
            importer.flush()  # writes what the rows gathered, filling in their outcomes' ids
            report.record_batch(job, results)
        del results, batch
        garbage_collection.after_batch()
        if on_batch:
            on_batch(job)
    return job
