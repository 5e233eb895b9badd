"""Imports as jobs: created from an upload, configured (mapping, duplicates), tried as a dry
run, then started: put on the background queue, where a worker runs it to the end (run.py,
one way: read → match → write → report) in committed batches that record each line's outcome.
Undo is queued the same way (undo.py). Every write goes through the people and pipeline
services or their bulk equivalents, so validation and history apply.

This module holds the services a person calls (web, API, CLI); it imports the run, never the
other way round, and keeps nothing between requests."""

from __future__ import annotations

import hashlib
import itertools
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import phonenumbers
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from attract.accounts.models import User
from attract.transfer import deal_stages, retention, source
from attract.transfer.access import require_owner, require_write
from attract.transfer.importer import Importer
from attract.transfer.models import (
    ImportJob,
    ImportStatus,
    OnDuplicate,
    RowOutcome,
    SavedMapping,
)
from attract.transfer.owners import clean_owner_mapping, users_from_file
from attract.transfer.presets import FIELDS, KINDS, suggest_mapping
from attract.transfer.reading import encoding_name, open_table, record_count

# The run and the undo, for the callers that run them in-process (the CLI, tests, bench).
from attract.transfer.run import BATCH_SIZE, import_job_process  # noqa: F401
from attract.transfer.tasks import import_run, import_undo_run
from attract.transfer.undo import import_job_undo  # noqa: F401

# The views and the API check access through these names.
_require_owner = require_owner


def _header_key(kind: str, headers: list[str]) -> str:
    return hashlib.sha256("\x1f".join([kind, *headers]).encode()).hexdigest()


def import_job_create(
    *,
    actor: User,
    kind: str,
    file_name: str,
    chunks: Iterator[bytes],
    encoding: str = "",
) -> ImportJob:
    """Store the upload and read its header (in `encoding` when given, else the one
    detected). A file that is not a CSV is refused with a clear message, and nothing is
    kept."""
    require_write(actor)
    retention.uploads_purge()  # the files older than the owner's retention period go
    if kind not in KINDS:
        raise ValidationError({"kind": f"Choose one of: {', '.join(KINDS)}."})
    folder = Path(settings.VAR_DIR) / "imports"
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{uuid.uuid4().hex}.csv"
    with open(path, "wb") as handle:
        for chunk in chunks:
            handle.write(chunk)
    try:
        table = open_table(path, encoding_name(encoding) if encoding else None)
        total = record_count(path, table.format)
    except ValidationError as exc:
        path.unlink(missing_ok=True)
        raise ValidationError({"file": exc.messages}) from exc
    saved = SavedMapping.objects.filter(
        kind=kind, header_key=_header_key(kind, table.headers)
    ).first()
    return ImportJob.objects.create(
        kind=kind,
        created_by=actor,
        file_name=Path(file_name).name[:255],
        stored_path=str(path),
        encoding=table.format.encoding,
        delimiter=table.format.delimiter,
        headers=table.headers,
        mapping=saved.mapping if saved else suggest_mapping(kind, table.headers),
        total_rows=total,
    )


def import_job_set_encoding(*, actor: User, job: ImportJob, encoding: str) -> ImportJob:
    """Read the file again in the encoding the user chose: its header, its row count and
    (when the header reads differently now) the suggested mapping. Nothing else changes."""
    require_owner(actor, job)
    if job.status != ImportStatus.DRAFT:
        raise ValidationError("This import has started; its settings can no longer change.")
    encoding = encoding_name(encoding)
    try:
        table = open_table(Path(job.stored_path), encoding)
        total = record_count(Path(job.stored_path), table.format)
    except (ValidationError, UnicodeError) as exc:
        raise ValidationError({"encoding": f"The file cannot be read as {encoding}."}) from exc
    if table.headers != job.headers:
        job.headers = table.headers
        job.mapping = suggest_mapping(job.kind, table.headers)
    job.encoding, job.delimiter, job.total_rows = encoding, table.format.delimiter, total
    job.save(update_fields=["encoding", "delimiter", "headers", "mapping", "total_rows"])
    return job


def import_job_set_users(*, actor: User, job: ImportJob, chunks: Iterator[bytes]) -> ImportJob:
    """Read the other CRM's users file (Salesforce's User.csv: Id, Name, Email), so that an
    owner column of user ids ("OwnerId") names team members by their email or name, and the
    dry run lists the others by name for the user to map. Replaces an earlier users file."""
    require_owner(actor, job)
    if job.status != ImportStatus.DRAFT:
        raise ValidationError("This import has started; its settings can no longer change.")
    folder = Path(settings.VAR_DIR) / "imports"
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{uuid.uuid4().hex}-users.csv"
    try:
        with open(path, "wb") as handle:
            for chunk in chunks:
                handle.write(chunk)
        try:
            users = users_from_file(path)
        except ValidationError as exc:
            raise ValidationError({"users_file": exc.messages}) from exc
    finally:
        path.unlink(missing_ok=True)  # what it said is kept on the job; the file is not
    job.owner_users = users
    job.save(update_fields=["owner_users"])
    return job


def import_job_configure(
    *,
    actor: User,
    job: ImportJob,
    mapping: dict[str, str],
    on_duplicate: str = OnDuplicate.SKIP,
    day_first: bool = False,
    stage_mapping: dict[str, str] | None = None,
    overrides: dict[str, str] | None = None,
    phone_region: str = "",
    keep_unreadable: bool = True,
    owner_mapping: dict[str, str] | None = None,
) -> ImportJob:
    """`phone_region`: where numbers without a country code are from when a row has no
    country column (blank: the installation's ATTRACT_PHONE_REGION)."""
    require_owner(actor, job)
    if job.status != ImportStatus.DRAFT:
        raise ValidationError("This import has started; its settings can no longer change.")
    mapping = {h: f for h, f in mapping.items() if f}
    unknown = sorted(set(mapping.values()) - set(FIELDS[job.kind]))
    errors: dict[str, list[str]] = {}
    if unknown:
        errors["mapping"] = [f"Unknown field(s): {', '.join(unknown)}."]
    if set(mapping) - set(job.headers):
        errors["mapping"] = ["The mapping names columns this file does not have."]
    required = {"persons": {"first_name", "last_name", "full_name"}, "companies": {"name"}}
    needed = required.get(job.kind, {"title"})
    if not needed & set(mapping.values()):
        errors.setdefault("mapping", []).append(
            "Map at least one column to " + " or ".join(FIELDS[job.kind][f] for f in needed) + "."
        )
    if on_duplicate not in OnDuplicate.values:
        errors["on_duplicate"] = ["Choose update, skip or create."]
    bad = {v for v in (overrides or {}).values() if v not in OnDuplicate.values}
    if bad:
        errors["overrides"] = ["Each row's choice is update, skip or create."]
    phone_region = (phone_region or "").strip().upper()
    if phone_region and phone_region not in phonenumbers.SUPPORTED_REGIONS:
        errors["phone_region"] = [f"“{phone_region}” is not a country code such as US or DE."]
    try:
        owner_mapping = clean_owner_mapping(owner_mapping or {})
    except ValidationError as exc:
        errors.update(exc.message_dict)
    if job.kind == "deals" and not errors:
        errors.update(deal_stages.stage_mapping_errors(job, mapping, stage_mapping or {}))
    if errors:
        raise ValidationError(errors)
    job.owner_mapping = owner_mapping
    job.phone_region = phone_region
    job.keep_unreadable = keep_unreadable
    job.mapping = mapping
    job.on_duplicate = on_duplicate
    job.day_first = day_first
    job.stage_mapping = {name: t for name, t in (stage_mapping or {}).items() if t}
    job.overrides = {str(k): v for k, v in (overrides or {}).items()}
    job.save()
    SavedMapping.objects.update_or_create(
        kind=job.kind,
        header_key=_header_key(job.kind, job.headers),
        defaults={"mapping": mapping},
    )
    return job


# --- Dry run, start, undo --------------------------------------------------------------------


@dataclass
class DryRun:
    counts: dict[str, int]
    rejected: list[tuple[int, str]]
    matches: list[tuple[int, str, str]]  # line, outcome, why
    # A few words naming each matched row (its name or title), for the preview of matches.
    labels: dict[int, str] = field(default_factory=dict)
    checked: int = 0
    # Rows imported with a value kept as written or dropped: line, what the report says.
    notes: list[tuple[int, str]] = field(default_factory=list)
    # A company name of the file taken as an existing company, or kept apart from a close
    # one: the name, and what the dry run says of it.
    companies: list[tuple[str, str]] = field(default_factory=list)
    # Owners named in the file who are not team members: the value and its row count.
    owners: list[tuple[str, int]] = field(default_factory=list)


def import_dry_run(*, actor: User, job: ImportJob, limit: int | None = None) -> DryRun:
    """What the import would do, row by row, changing nothing."""
    importer = Importer(job, actor, write=False)
    counts = {o: 0 for o in RowOutcome.values}
    rejected, matches, labels, notes = [], [], {}, []
    checked = 0
    for line, cells, record in itertools.islice(source.records(job, checked=True), limit):
        checked += 1
        result = importer.apply(line, record)
        counts[result.outcome] += 1
        notes.extend((line, note) for note in result.notes)
        if result.outcome == RowOutcome.REJECTED:
            rejected.append((line, result.reason))
        elif result.match:
            matches.append((line, result.outcome, result.match))
            labels[line] = _label(job, record, cells)
    return DryRun(
        counts=counts,
        rejected=rejected,
        matches=matches,
        labels=labels,
        checked=checked,
        notes=notes,
        companies=sorted(importer.company_notes.items()),
        owners=sorted(importer.owners.unknown.items()),
    )


def _label(job: ImportJob, record: dict[str, str], cells: list[str]) -> str:
    wanted = ("full_name", "first_name", "last_name", "name", "title", "email", "company")
    by_field = {f: record.get(h, "") for h, f in job.mapping.items()}
    words = [by_field[f] for f in wanted if by_field.get(f)]
    return " · ".join(dict.fromkeys(words))[:120] or " ".join(cells)[:120]


def import_job_start(*, actor: User, job: ImportJob, queue: bool = True) -> ImportJob:
    """Put the import on the background queue (the user's imports run one after another, in
    the order they were started). `queue=False`: mark it to run, for a caller that runs it
    itself right away (the CLI's inline import, tests)."""
    require_owner(actor, job)
    if job.status != ImportStatus.DRAFT:
        return job
    job.status = ImportStatus.QUEUED
    if not queue:
        job.save(update_fields=["status"])
        return job
    with transaction.atomic():
        job.queued_at = timezone.now()
        job.save(update_fields=["status", "queued_at"])
        # Written in the same transaction: the job is queued with its task, or not at all.
        job.task_id = import_run.enqueue(job_id=job.pk).id
        job.save(update_fields=["task_id"])
    return job


def import_job_undo_queue(*, actor: User, job: ImportJob) -> ImportJob:
    """Ask for the import to be undone in the background. A running import stops at its
    next batch; the undo then takes back every batch it committed."""
    require_owner(actor, job, managers_too=True)
    with transaction.atomic():
        job = ImportJob.objects.select_for_update().get(pk=job.pk)
        if job.status in (ImportStatus.UNDONE, ImportStatus.UNDOING):
            return job
        if job.status == ImportStatus.DRAFT:
            raise ValidationError("This import has not started: there is nothing to undo.")
        job.status = ImportStatus.UNDOING
        job.task_id = import_undo_run.enqueue(job_id=job.pk, actor_id=actor.pk).id
        job.save(update_fields=["status", "task_id"])
    return job


def rejected_rows_csv(*, job: ImportJob) -> Iterator[list[str]]:
    """The rejected rows as they were, with the line and reason, ready to fix and import again."""
    yield [*job.headers, "line", "reason"]
    for row in job.rows.filter(outcome=RowOutcome.REJECTED).order_by("line"):
        cells = list(row.cells) + [""] * (len(job.headers) - len(row.cells))
        yield [*cells, str(row.line), row.reason]
