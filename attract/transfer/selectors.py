"""Reads for the import and export pages: whose imports a user sees, a file's first rows,
and which other tool's export a file looks like."""

from __future__ import annotations

import itertools
from pathlib import Path

from django.db.models import QuerySet
from django.http import Http404

from attract.accounts.models import User
from attract.core.permissions import can_manage_team
from attract.transfer.models import ImportJob, ImportStatus
from attract.transfer.presets import PRESETS
from attract.transfer.reading import open_table

PRESET_LABELS = {
    "hubspot": "HubSpot",
    "salesforce": "Salesforce",
    "pipedrive": "Pipedrive",
    "google": "Google Contacts",
    "outlook": "Outlook",
}
ACTIVE = (ImportStatus.QUEUED, ImportStatus.RUNNING)
# The states the progress page keeps polling in: the queue still has work for the import.
POLLED = (*ACTIVE, ImportStatus.UNDOING)


def import_jobs_for_user(*, user: User) -> QuerySet[ImportJob]:
    """A user's own imports; an owner or admin sees the whole team's."""
    jobs = ImportJob.objects.select_related("created_by").order_by("-created_at", "-id")
    return jobs if can_manage_team(user) else jobs.filter(created_by=user)


def import_job_for_user(*, user: User, pk: int) -> ImportJob:
    """The import, or 404 when the user may not see it (it is not theirs, not a secret)."""
    job = import_jobs_for_user(user=user).filter(pk=pk).first()
    if job is None:
        raise Http404("No such import.")
    return job


def preview_rows(job: ImportJob, *, count: int = 5) -> list[list[str]]:
    """The file's first rows, each as wide as the header."""
    table = open_table(Path(job.stored_path), job.encoding or None)
    width = len(job.headers)
    rows = []
    for row in itertools.islice(table.rows, count):
        cells = row.cells[:width]
        rows.append(cells + [""] * (width - len(cells)))
    return rows


def detect_preset(kind: str, headers: list[str]) -> str:
    """The tool whose export column names this file uses most (at least three of them)."""
    scores = {
        name: sum(header in preset.get(kind, {}) for header in headers)
        for name, preset in PRESETS.items()
    }
    best = max(scores, key=scores.get)
    return best if scores[best] >= 3 else ""


def team_members() -> list[User]:
    """Whom an owner named in a file may be mapped to."""
    return list(User.objects.filter(is_active=True).order_by("full_name", "email"))


def unmapped_columns(job: ImportJob) -> list[str]:
    """The file's columns the import left out, named after it so nothing is dropped unknown."""
    return [header or f"column {i + 1}" for i, header in enumerate(job.headers)
            if header not in job.mapping]  # fmt: skip


def import_row_notes(*, job: ImportJob, limit: int = 100) -> list[tuple[int, str]]:
    """(line, note) for the values the import kept as written or dropped, for its report."""
    if job.status not in (ImportStatus.DONE, ImportStatus.UNDONE, ImportStatus.FAILED):
        return []
    notes = []
    for line, text in job.rows.exclude(notes="").values_list("line", "notes")[:limit]:
        notes.extend((line, note) for note in text.splitlines())
    return notes


def preview_names(job: ImportJob, rows: list[list[str]]) -> list[str]:
    """The names the first rows will be stored under (a person's, a company's, a deal's
    title), so a wrong encoding shows before anything is imported."""
    column = {field: job.headers.index(h) for h, field in job.mapping.items() if h in job.headers}
    names = []
    for row in rows:
        if len(job.headers) >= 3 and sum(1 for c in row if c) == 1:
            continue  # a row that is one quoted field: rejected, and named no one

        def cell(field: str, row=row) -> str:
            index = column.get(field)
            return row[index] if index is not None and index < len(row) else ""

        if job.kind == "persons":
            name = " ".join(p for p in (cell("first_name"), cell("last_name")) if p)
            name = name or cell("full_name")
        else:
            name = cell("name" if job.kind == "companies" else "title")
        if name:
            names.append(name)
    return names


def import_waiting_behind(*, job: ImportJob) -> ImportJob | None:
    """The same user's earlier queued import that this one waits for (they run one after
    another), or None."""
    if job.queued_at is None:
        return None
    return (
        ImportJob.objects.filter(
            created_by_id=job.created_by_id, status__in=ACTIVE, queued_at__lt=job.queued_at
        )
        .order_by("queued_at")
        .only("pk", "file_name")
        .first()
    )
