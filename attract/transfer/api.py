"""REST endpoints for exports and imports, mounted at /api/v1/.

Exports stream CSV (or vCards) of what the token's user may see, filtered like the list
endpoints. An import is driven the way the web page drives it: upload the file (a job in
draft with a suggested mapping), set the mapping, try a dry run, start it, then call
`process` until its status is done (each call processes the next batches, so no worker is
needed; `attract import process` can finish it as well), and undo it as a whole if need be.
"""

from __future__ import annotations

from typing import Any
from uuid import UUID

from django.core.exceptions import ValidationError
from django.http import HttpRequest, StreamingHttpResponse
from ninja import File, Form, Query, Router, Schema
from ninja.files import UploadedFile
from pydantic import Field

from attract.people.api import companies_matching, persons_matching
from attract.people.schemas import CompanyFilters, PersonFilters
from attract.transfer import importing
from attract.transfer.exporting import (
    company_rows,
    csv_lines,
    hide_private_companies,
    person_rows,
)
from attract.transfer.models import OnDuplicate
from attract.transfer.selectors import import_job_for_user, import_jobs_for_user
from attract.transfer.uploads import create_job_from_upload
from attract.transfer.vcards import persons_vcards

router = Router(tags=["import and export"])


class ImportJobOut(Schema):
    id: int
    kind: str
    file_name: str
    status: str
    created_at: Any
    created_by: int | None = Field(None, alias="created_by_id")
    headers: list[str]
    mapping: dict[str, str]
    stage_mapping: dict[str, str]
    on_duplicate: str
    phone_region: str
    keep_unreadable: bool
    total_rows: int
    percent: int
    created_count: int
    updated_count: int
    skipped_count: int
    rejected_count: int
    warnings: list[str]
    # The background task that runs (or undoes) the import: poll this import (or
    # /api/v1/jobs/{task_id} as an owner or admin) until the status is done, failed or undone.
    task_id: UUID | None = None
    queued_at: Any = None
    finished_at: Any = None
    error: str = ""


class ImportSettingsIn(Schema):
    mapping: dict[str, str] = Field(..., description='Column → field, e.g. {"Email": "email"}.')
    on_duplicate: OnDuplicate = OnDuplicate.SKIP
    day_first: bool = False
    stage_mapping: dict[str, str] = Field(default_factory=dict)
    overrides: dict[str, OnDuplicate] = Field(
        default_factory=dict, description="Line number → update, skip or create."
    )
    phone_region: str = Field(
        "",
        description="Where numbers without a country code are from when a row has no country "
        "column, e.g. DE (empty: the installation's ATTRACT_PHONE_REGION).",
    )
    keep_unreadable: bool = Field(
        True, description="Keep a value that cannot be read as written (false: drop it)."
    )


class LineReason(Schema):
    line: int
    reason: str


class Match(Schema):
    line: int
    outcome: str
    why: str


class DryRunOut(Schema):
    counts: dict[str, int]
    rejected: list[LineReason]
    matches: list[Match]
    notes: list[LineReason] = Field(
        default_factory=list, description="Values kept as written or dropped, by line."
    )


def _stream(lines, content_type: str, name: str) -> StreamingHttpResponse:
    response = StreamingHttpResponse(lines, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


def _persons(request: HttpRequest, filters: PersonFilters):
    return persons_matching(request.auth, filters)


@router.get("/export/persons.csv", summary="Persons as CSV, filtered like GET /persons")
def export_persons(request: HttpRequest, filters: Query[PersonFilters]):
    rows = person_rows(_persons(request, filters), user=request.auth)
    return _stream(csv_lines(rows), "text/csv; charset=utf-8", "people.csv")


@router.get("/export/persons.vcf", summary="Persons as vCards (3.0 or 4.0)")
def export_persons_vcard(request: HttpRequest, filters: Query[PersonFilters], version: str = "3.0"):
    if version not in ("3.0", "4.0"):
        raise ValidationError({"version": "Choose 3.0 or 4.0."})

    persons = _persons(request, filters).iterator(chunk_size=2000)
    return _stream(
        persons_vcards(hide_private_companies(persons, request.auth), version=version),
        "text/vcard; charset=utf-8",
        "people.vcf",
    )


@router.get("/export/companies.csv", summary="Companies as CSV, filtered like GET /companies")
def export_companies(request: HttpRequest, filters: Query[CompanyFilters]):
    companies = companies_matching(request.auth, filters)
    return _stream(csv_lines(company_rows(companies)), "text/csv; charset=utf-8", "companies.csv")


@router.get("/imports", response=list[ImportJobOut], summary="Your imports (the team's for admins)")
def list_imports(request: HttpRequest):
    return list(import_jobs_for_user(user=request.auth)[:100])


@router.post("/imports", response={201: ImportJobOut}, summary="Upload a CSV or vCard file")
def create_import(
    request: HttpRequest,
    kind: Form[str],
    file: File[UploadedFile],
    encoding: Form[str] = "",
    users_file: File[UploadedFile] = None,
):
    """`users_file`: the other CRM's users (Salesforce's User.csv), for an OwnerId column."""
    # The operation declares 201 alone, so ninja answers with it.
    return create_job_from_upload(
        actor=request.auth, kind=kind, upload=file, encoding=encoding, users=users_file
    )


@router.get("/imports/{job_id}", response=ImportJobOut, summary="An import and its progress")
def get_import(request: HttpRequest, job_id: int):
    return import_job_for_user(user=request.auth, pk=job_id)


@router.put("/imports/{job_id}/settings", response=ImportJobOut, summary="Set the mapping")
def configure_import(request: HttpRequest, job_id: int, payload: ImportSettingsIn):
    job = import_job_for_user(user=request.auth, pk=job_id)
    return importing.import_job_configure(
        actor=request.auth,
        job=job,
        mapping=payload.mapping,
        on_duplicate=payload.on_duplicate,
        day_first=payload.day_first,
        stage_mapping=payload.stage_mapping,
        overrides={str(k): str(v) for k, v in payload.overrides.items()},
        phone_region=payload.phone_region,
        keep_unreadable=payload.keep_unreadable,
    )


@router.post("/imports/{job_id}/dry-run", response=DryRunOut, summary="What it would do")
def dry_run_import(request: HttpRequest, job_id: int):
    job = import_job_for_user(user=request.auth, pk=job_id)
    importing._require_owner(request.auth, job)
    report = importing.import_dry_run(actor=request.auth, job=job)
    return {
        "counts": report.counts,
        "rejected": [{"line": line, "reason": reason} for line, reason in report.rejected],
        "matches": [{"line": ln, "outcome": o, "why": why} for ln, o, why in report.matches],
        "notes": [{"line": line, "reason": note} for line, note in report.notes],
    }


@router.post(
    "/imports/{job_id}/start",
    response=ImportJobOut,
    summary="Queue the import (it runs in the background; poll GET /imports/{id})",
)
def start_import(request: HttpRequest, job_id: int):
    job = import_job_for_user(user=request.auth, pk=job_id)
    return importing.import_job_start(actor=request.auth, job=job)


@router.post(
    "/imports/{job_id}/process",
    response=ImportJobOut,
    summary="The import's progress (kept for older clients: imports now run in the background)",
)
def process_import(request: HttpRequest, job_id: int):
    job = import_job_for_user(user=request.auth, pk=job_id)
    importing._require_owner(request.auth, job)
    return job


@router.post(
    "/imports/{job_id}/undo",
    response=ImportJobOut,
    summary="Queue the undo of the whole import (status undoing, then undone)",
)
def undo_import(request: HttpRequest, job_id: int):
    job = import_job_for_user(user=request.auth, pk=job_id)
    return importing.import_job_undo_queue(actor=request.auth, job=job)


@router.get("/imports/{job_id}/rejected.csv", summary="The rejected rows, to fix and re-import")
def rejected_rows(request: HttpRequest, job_id: int):
    job = import_job_for_user(user=request.auth, pk=job_id)
    lines = csv_lines(importing.rejected_rows_csv(job=job))
    return _stream(lines, "text/csv; charset=utf-8", "rejected.csv")
