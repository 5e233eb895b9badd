"""Imports as jobs: created from an upload, configured (mapping, duplicates), tried as a dry
run, then processed in committed batches that record each line's outcome. Every write goes
through the people and pipeline services, so validation and history apply; a job can be
resumed after a crash (it restarts after the last committed line) and undone as a whole."""

from __future__ import annotations

import hashlib
import itertools
import time
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import phonenumbers
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from attract.accounts.models import User
from attract.core.permissions import can_manage_team, can_write
from attract.people import services as people
from attract.people.models import Company, Person
from attract.transfer import (
    bulk,
    deal_import,
    deal_stages,
    garbage_collection,
    retention,
    row_reader,
    sqlite_bulk,
)
from attract.transfer.importer import Importer, Outcome
from attract.transfer.models import (
    ImportJob,
    ImportRow,
    ImportStatus,
    OnDuplicate,
    RowOutcome,
    SavedMapping,
)
from attract.transfer.owners import clean_owner_mapping
from attract.transfer.presets import FIELDS, KINDS, suggest_mapping
from attract.transfer.reading import as_record, encoding_name, open_table, shape_error

# Rows a committed batch holds. A long run (the CLI) takes big batches: every commit writes
# each index page its batch touched to SQLite's WAL, and new names, emails and phone numbers
# land all over those indexes, so a commit writes about the same few megabytes whatever its
# size (100,000 rows wrote 470 MB of WAL in 2,000-row batches, 265 MB in 5,000-row ones;
# 10,000-row ones were little faster and held 20 MB more). A progress poll takes small
# ones, so the bar moves and the write lock is held briefly.
BATCH_SIZE = 5000
UNDO_BATCH = 500  # records deleted a statement when an import is undone
POLL_BATCH_SIZE = 500


def _require_write(actor: User) -> None:
    if not can_write(actor):
        raise PermissionDenied("Your role can read but not change records.")


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
    _require_write(actor)
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
        total = sum(1 for _ in table.rows)
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
    _require_owner(actor, job)
    if job.status != ImportStatus.DRAFT:
        raise ValidationError("This import has started; its settings can no longer change.")
    encoding = encoding_name(encoding)
    try:
        table = open_table(Path(job.stored_path), encoding)
        total = sum(1 for _ in table.rows)
    except (ValidationError, UnicodeError) as exc:
        raise ValidationError({"encoding": f"The file cannot be read as {encoding}."}) from exc
    if table.headers != job.headers:
        job.headers = table.headers
        job.mapping = suggest_mapping(job.kind, table.headers)
    job.encoding, job.delimiter, job.total_rows = encoding, table.format.delimiter, total
    job.save(update_fields=["encoding", "delimiter", "headers", "mapping", "total_rows"])
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
    _require_owner(actor, job)
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


def _require_owner(actor: User, job: ImportJob, *, managers_too: bool = False) -> None:
    """Only the person who started an import sets it up; an owner or admin may also undo it."""
    _require_write(actor)
    if job.created_by_id == actor.pk or (managers_too and can_manage_team(actor)):
        return
    raise PermissionDenied("Only the person who started this import may change it.")


def _records(
    job: ImportJob, after_line: int = 0, *, checked: bool = False
) -> Iterator[tuple[int, list[str], dict[str, str] | row_reader.Refused]]:
    """(line, cells, record) after `after_line`; `checked`: a row that is not of the file's
    shape (one column of many) comes as Refused, with the reason the report gives."""
    table = open_table(Path(job.stored_path), job.encoding or None)
    for row in table.rows:
        if row.line > after_line:
            wrong = checked and shape_error(job.headers, row, table.format.delimiter)
            record = row_reader.Refused(wrong) if wrong else as_record(job.headers, row)
            yield row.line, row.cells, record


# --- Dry run, processing, undo ----------------------------------------------------------------


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
    for line, cells, record in itertools.islice(_records(job, checked=True), limit):
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


def import_job_start(*, actor: User, job: ImportJob) -> ImportJob:
    """Queue the job; `attract import process` (or the progress page) runs it in batches."""
    _require_owner(actor, job)
    if job.status != ImportStatus.DRAFT:
        return job
    job.status = ImportStatus.QUEUED
    job.save(update_fields=["status"])
    return job


def import_job_process(
    *,
    job: ImportJob,
    batch_size: int = BATCH_SIZE,
    max_batches: int | None = None,
    time_budget: float | None = None,
    on_batch: Callable[[ImportJob], None] | None = None,
) -> ImportJob:
    """Process the job from its last committed line; each batch of rows, their outcomes and
    the job's progress commit together, so a crash loses at most the batch in flight and a
    rerun continues without duplicates. `time_budget` (seconds) stops after the batch that
    passes it, so a web request can move the import on a step at a time."""
    deadline = None if time_budget is None else time.monotonic() + time_budget
    if job.status not in (ImportStatus.QUEUED, ImportStatus.RUNNING):
        return job
    # A run to the end (the CLI) may read and check rows in a second process; a poll's
    # short steps keep their reader between polls (below), which a process would outlive.
    to_the_end = time_budget is None and max_batches is None
    importer, records = _resume(job, reader_process=to_the_end)
    # The importer's indexes are built by now: frozen with the rest, they are not walked again.
    with sqlite_bulk.bulk_writes(), garbage_collection.long_lived_objects_frozen():
        job, superseded = _process_batches(
            job,
            importer,
            records,
            batch_size=batch_size,
            max_batches=max_batches,
            deadline=deadline,
            on_batch=on_batch,
        )
    if superseded:
        records.close()
        return job
    if job.status != ImportStatus.DONE:
        _KEPT[job.pk] = _Kept(
            job.stored_path, job.processed_line, time.monotonic(), importer, records
        )
    return job


def _process_batches(
    job: ImportJob,
    importer: Importer,
    records: Iterator,
    *,
    batch_size: int,
    max_batches: int | None,
    deadline: float | None,
    on_batch: Callable[[ImportJob], None] | None,
) -> tuple[ImportJob, bool]:
    """The batches of one call; True with the job as another worker left it, when that
    worker got here first."""
    batches = 0
    while max_batches is None or batches < max_batches:
        batch = list(itertools.islice(records, batch_size))
        if not batch:
            job.status = ImportStatus.DONE
            job.finished_at = timezone.now()
            job.save(update_fields=["status", "finished_at"])
            break
        with transaction.atomic():
            current = ImportJob.objects.select_for_update().get(pk=job.pk)
            if current.processed_line != job.processed_line or current.status not in (
                ImportStatus.QUEUED,
                ImportStatus.RUNNING,
            ):
                return current, True
            results = [(line, cells, importer.apply(line, record)) for line, cells, record in batch]
            importer.flush()
            rows = []
            for line, cells, result in results:
                rows.append(_row(job, line, cells, result))
                setattr(job, f"{result.outcome}_count", getattr(job, f"{result.outcome}_count") + 1)
            bulk.insert_rows(ImportRow, rows)
            job.processed_line = batch[-1][0]
            job.status = ImportStatus.RUNNING
            job.started_at = job.started_at or timezone.now()
            job.save()
        batches += 1
        if on_batch:
            on_batch(job)
        if deadline is not None and time.monotonic() >= deadline:
            break
    return job, False


# The web page moves an import on a poll at a time; building the dedup indexes costs a full
# read of the persons (seconds at 100,000), so the importer and its place in the file are kept
# between polls in this process: the next poll continues as one long run would. Kept only
# when the poll ended normally, for a short while, and used only by the poll that takes up
# exactly where it stopped; anything else (a crash, another process, a resume later) starts
# afresh from the database.
KEEP_SECONDS = 60.0
_KEEP_AT_MOST = 4


@dataclass
class _Kept:
    stored_path: str
    processed_line: int
    at: float
    importer: Importer
    records: Iterator


_KEPT: dict[int, _Kept] = {}


def forget_kept_importers() -> None:
    """Drop every kept importer (as a new process starts with none)."""
    while _KEPT:
        _KEPT.pop(next(iter(_KEPT))).records.close()


def _resume(job: ImportJob, *, reader_process: bool = False) -> tuple[Importer, Iterator]:
    now = time.monotonic()
    kept = _KEPT.pop(job.pk, None)
    for pk in [pk for pk, k in _KEPT.items() if now - k.at > KEEP_SECONDS]:
        _KEPT.pop(pk).records.close()
    while len(_KEPT) >= _KEEP_AT_MOST:
        _KEPT.pop(next(iter(_KEPT))).records.close()
    if (
        kept is not None
        and kept.stored_path == job.stored_path
        and kept.processed_line == job.processed_line
        and now - kept.at <= KEEP_SECONDS
        and kept.importer.actor.pk == job.created_by_id
    ):
        kept.importer.job = job
        return kept.importer, kept.records
    if kept is not None:
        kept.records.close()
    remaining = job.total_rows - job.done_rows
    if reader_process and job.kind == "persons" and row_reader.worthwhile(remaining):
        # Started before the dedup indexes are built, so that it reads meanwhile.
        records = row_reader.checked_person_rows(
            Path(job.stored_path),
            job.headers,
            job.mapping,
            job.processed_line,
            {
                "region": job.phone_region,
                "keep_unreadable": job.keep_unreadable,
                "encoding": job.encoding or None,
            },
        )
    else:
        records = _records(job, after_line=job.processed_line, checked=True)
    return Importer(job, job.created_by, write=True), records


def _row(job: ImportJob, line: int, cells: list[str], result: Outcome) -> dict[str, Any]:
    """One ImportRow's columns, inserted with the batch's others (bulk.insert_rows)."""
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


@transaction.atomic
def import_job_undo(*, actor: User, job: ImportJob) -> ImportJob:
    """Take back everything the import did: records it created are deleted, records it
    updated get their earlier values back (recorded in their history). Works on a finished
    import and on one interrupted halfway (a rollback)."""
    _require_owner(actor, job, managers_too=True)
    if job.status == ImportStatus.UNDONE:
        return job
    reason = f"Import #{job.pk} undone"
    rows = job.rows.select_related("person", "company", "deal").order_by("-line")
    for row in rows:
        if row.outcome == RowOutcome.UPDATED and row.person_id:
            before = dict(row.before)
            before["company"] = Company.all_objects.filter(pk=before.get("company")).first()
            created_company = before.pop("_created_company", None)
            people.person_update(actor=actor, person=row.person, reason=reason, **before)
            Company.all_objects.filter(pk=created_company).delete()
        elif row.outcome == RowOutcome.UPDATED and row.company_id:
            people.company_update(actor=actor, company=row.company, reason=reason, **row.before)
    created = job.rows.filter(outcome=RowOutcome.CREATED)
    deal_import.delete_deals(created)
    # In batches: deleting 300,000 persons at once names them all in one statement, past
    # SQLite's limit of parameters ("too many SQL variables").
    for model, column in ((Person, "person_id"), (Company, "company_id")):
        ids = list(created.exclude(**{column: None}).values_list(column, flat=True))
        for start in range(0, len(ids), UNDO_BATCH):
            model.all_objects.filter(pk__in=ids[start : start + UNDO_BATCH]).delete()
    job.status = ImportStatus.UNDONE
    job.finished_at = timezone.now()
    job.save(update_fields=["status", "finished_at"])
    return job


def rejected_rows_csv(*, job: ImportJob) -> Iterator[list[str]]:
    """The rejected rows as they were, with the line and reason, ready to fix and import again."""
    yield [*job.headers, "line", "reason"]
    for row in job.rows.filter(outcome=RowOutcome.REJECTED).order_by("line"):
        cells = list(row.cells) + [""] * (len(job.headers) - len(row.cells))
        yield [*cells, str(row.line), row.reason]
