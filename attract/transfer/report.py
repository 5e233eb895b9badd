"""The last step of an import's run: each row's outcome as an ImportRow, and the job's counts
and place in the file, committed with the batch that wrote the rows."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils import timezone

from attract.jobs.outbox import announce
from attract.transfer import bulk
from attract.transfer.models import ImportJob, ImportRow, ImportStatus, RowOutcome
from attract.transfer.outcomes import Outcome

COUNTS = [f"{outcome}_count" for outcome in RowOutcome.values]


def _row(job: ImportJob, line: int, cells: list[str], result: Outcome) -> dict[str, Any]:
    return {
        "job_id": job.pk,
        "line": line,
        "outcome": str(result.outcome),
        "reason": result.reason[:2000],
        "notes": "\n".join(result.notes)[:5000],
        "cells": cells if result.outcome == RowOutcome.REJECTED else [],
        "before": result.before,
        "person_id": result.person_id,
        "company_id": result.company_id,
        "deal_id": result.deal_id,
    }


def record_batch(job: ImportJob, results: list[tuple[int, list[str], Outcome]]) -> None:
    """Insert the batch's rows and move the job past them (inside the batch's transaction)."""
    for _, _, result in results:
        name = f"{result.outcome}_count"
        setattr(job, name, getattr(job, name) + 1)
    bulk.insert_rows(ImportRow, [_row(job, line, cells, result) for line, cells, result in results])
    job.processed_line = results[-1][0]
    job.status = ImportStatus.RUNNING
    job.started_at = job.started_at or timezone.now()
    # Only what a batch moves: the runner and task fields belong to the queue (tasks.py).
    job.save(update_fields=[*COUNTS, "processed_line", "status", "started_at"])


def record_done(job: ImportJob) -> None:
    """Done, unless it was stopped meanwhile (an undo asked for while the last rows ran);
    announced to webhooks in the same transaction (import.finished)."""
    with transaction.atomic():
        finished = ImportJob.objects.filter(
            pk=job.pk, status__in=[ImportStatus.QUEUED, ImportStatus.RUNNING]
        ).update(status=ImportStatus.DONE, finished_at=timezone.now())
        job.refresh_from_db()
        if finished:
            announce("import.finished", job, actor=job.created_by)


def record_failed(job: ImportJob, error: str) -> None:
    """The import cannot go on; what it committed so far stays (and can be undone)."""
    ImportJob.objects.filter(pk=job.pk).update(
        status=ImportStatus.FAILED, finished_at=timezone.now(), error=error[:5000]
    )
    job.refresh_from_db()
