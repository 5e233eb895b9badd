"""The import pages: upload, preview and mapping, dry run, progress, history, undo.

Starting an import (or its undo) puts it on the background queue; a worker runs it. The
progress page only reads how far it got, every second, so closing the tab, logging out or
restarting the web server does not pause it.
"""

from __future__ import annotations

import logging
from pathlib import Path

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods

from attract.core.countries import phone_region_choices
from attract.core.permissions import can_manage_team, can_write
from attract.core.phone_numbers import default_region, region_name
from attract.transfer import importing, retention
from attract.transfer.deal_stages import stage_suggestions
from attract.transfer.exporting import csv_lines
from attract.transfer.forms import RetentionForm, UploadForm
from attract.transfer.models import ImportStatus, OnDuplicate, TransferSettings
from attract.transfer.presets import FIELDS, PRESETS, STAGE_TARGETS, suggest_mapping
from attract.transfer.reading import ENCODINGS
from attract.transfer.selectors import (
    ACTIVE,
    POLLED,
    PRESET_LABELS,
    detect_preset,
    import_job_for_user,
    import_jobs_for_user,
    import_row_notes,
    import_waiting_behind,
    preview_names,
    preview_rows,
    team_members,
    unmapped_columns,
)
from attract.transfer.uploads import create_job_from_upload, max_upload_bytes

logger = logging.getLogger(__name__)

# Seconds of work one progress request does before answering with the new bar.
# The dry run on the page reads at most this many rows (the command line reads them all).
DRY_RUN_ROWS = 20_000
MATCHES_SHOWN = 200
STAGE_LABELS = {
    "attention": "Attention",
    "interest": "Interest",
    "conviction": "Conviction",
    "desire": "Desire",
    "action": "Action",
    "won": "Closed: won",
    "lost": "Closed: lost",
}


def _require_write(request: HttpRequest) -> None:
    if not can_write(request.user):
        raise PermissionDenied("Your role can read but not import records.")


@login_required
@require_http_methods(["GET", "POST"])
def import_start(request: HttpRequest) -> HttpResponse:
    """Upload a file. Anything wrong with it is said on this page, and nothing is kept."""
    form = UploadForm(initial={"kind": request.GET.get("kind", "persons")})
    if request.method == "POST":
        _require_write(request)
        form = UploadForm(request.POST, request.FILES)
        if form.is_valid():
            try:
                job = create_job_from_upload(
                    actor=request.user,
                    kind=form.cleaned_data["kind"],
                    upload=form.cleaned_data["file"],
                    encoding=form.cleaned_data.get("encoding", ""),
                    users=form.cleaned_data.get("users_file"),
                )
            except ValidationError as exc:
                form.add_error(
                    "file",
                    exc.messages
                    if not hasattr(exc, "error_dict")
                    else [m for ms in exc.message_dict.values() for m in ms],
                )
            else:
                return redirect("transfer:import_job", pk=job.pk)
    context = {
        "form": form,
        "can_write": can_write(request.user),
        "can_export_all": request.user.role == "owner",
        "recent": import_jobs_for_user(user=request.user)[:5],
        "max_mb": max_upload_bytes() // (1024 * 1024),
        "nav_current": "people",
    }
    return render(
        request, "transfer/import_start.html", context, status=400 if form.errors else 200
    )


def _encoding_choices(current: str) -> list[tuple[str, str, bool]]:
    """The usual encodings, the file's own first when it is another (as read on upload)."""
    current = {"utf-8-sig": "utf-8", "utf_8": "utf-8"}.get(current, current)
    known = {code for code, _ in ENCODINGS}
    choices = [(code, label, code == current) for code, label in ENCODINGS]
    if current and current not in known:
        choices.insert(0, (current, current, True))
    return choices


def _messages(exc: ValidationError) -> list[str]:
    if hasattr(exc, "error_dict"):
        return [m for ms in exc.message_dict.values() for m in ms]
    return exc.messages


def _mapping_rows(job, mapping: dict[str, str], preview: list[list[str]]) -> list[dict]:
    return [
        {
            "index": index,
            "header": header,
            "field": mapping.get(header, ""),
            "samples": [row[index] for row in preview if index < len(row) and row[index]][:3],
        }
        for index, header in enumerate(job.headers)
    ]


def _posted_settings(request: HttpRequest, job) -> dict:
    post = request.POST
    mapping = {}
    for index, header in enumerate(job.headers):
        target = post.get(f"map-{index}", "")
        if target:
            mapping[header] = target
    stages = {}
    for key, value in post.items():
        if key.startswith("stage-name-"):
            chosen = post.get("stage-" + key.removeprefix("stage-name-"), "")
            if value and chosen:
                stages[value] = chosen
    overrides = {
        key.removeprefix("override-"): value
        for key, value in post.items()
        if key.startswith("override-") and value
    }
    return {
        "mapping": mapping,
        "on_duplicate": post.get("on_duplicate", OnDuplicate.SKIP),
        "day_first": post.get("day_first") == "on",
        "stage_mapping": stages,
        "overrides": overrides,
        "phone_region": post.get("phone_region", ""),
        "owner_mapping": {
            post[key]: post.get("owner-" + key.removeprefix("owner-name-"), "")
            for key in post
            if key.startswith("owner-name-") and post[key]
        },
        "keep_unreadable": post.get("unreadable", "keep") != "drop",
    }


@login_required
@require_http_methods(["GET", "POST"])
def import_job(request: HttpRequest, pk: int) -> HttpResponse:
    """A draft import: the first rows, the mapping, the duplicates choice, the dry run."""
    job = import_job_for_user(user=request.user, pk=pk)
    if job.status != ImportStatus.DRAFT:
        return redirect("transfer:import_progress", pk=job.pk)
    errors, report = [], None
    if request.method == "POST" and request.POST.get("action") == "encoding":
        importing._require_owner(request.user, job)
        try:
            job = importing.import_job_set_encoding(
                actor=request.user, job=job, encoding=request.POST.get("encoding", "")
            )
        except ValidationError as exc:
            errors = _messages(exc)
    preview = preview_rows(job)
    mapping = dict(job.mapping)
    options = {
        "on_duplicate": job.on_duplicate,
        "day_first": job.day_first,
        "overrides": job.overrides,
        "phone_region": job.phone_region,
        "owner_mapping": job.owner_mapping,
        "keep_unreadable": job.keep_unreadable,
    }
    if request.method == "POST" and request.POST.get("action") != "encoding":
        importing._require_owner(request.user, job)
        action = request.POST.get("action", "dry_run")
        posted = _posted_settings(request, job)
        if action == "preset":
            preset = request.POST.get("preset", "")
            mapping = suggest_mapping(job.kind, job.headers, preset if preset in PRESETS else None)
        else:
            mapping = posted["mapping"]
            options.update(posted)
            try:
                importing.import_job_configure(actor=request.user, job=job, **posted)
            except ValidationError as exc:
                errors = _messages(exc)
            else:
                if action == "start":
                    importing.import_job_start(actor=request.user, job=job)
                    return redirect("transfer:import_progress", pk=job.pk)
                report = importing.import_dry_run(actor=request.user, job=job, limit=DRY_RUN_ROWS)
    stages = stage_suggestions(job) if job.kind == "deals" else {}
    detected = detect_preset(job.kind, job.headers)
    context = {
        "job": job,
        "preview": preview,
        "rows": _mapping_rows(job, mapping, preview),
        "fields": FIELDS[job.kind].items(),
        "presets": PRESET_LABELS.items(),
        "detected": PRESET_LABELS.get(detected, ""),
        "detected_key": detected,
        "stages": list(stages.items()),
        "has_probability": "probability" in job.mapping.values(),
        "stage_targets": [(t, STAGE_LABELS[t]) for t in STAGE_TARGETS],
        "duplicate_choices": OnDuplicate.choices,
        "options": options,
        "errors": errors,
        "report": report,
        "matches": report.matches[:MATCHES_SHOWN] if report else [],
        "dry_run_rows": DRY_RUN_ROWS,
        "phone_regions": phone_region_choices(),
        "encodings": _encoding_choices(job.encoding),
        "names": preview_names(job, preview),
        "team": team_members() if report and report.owners else [],
        "default_region": default_region(),
        "default_region_name": region_name(default_region()),
        "country_mapped": "country" in mapping.values(),
        "nav_current": "people",
    }
    return render(request, "transfer/import_job.html", context, status=422 if errors else 200)


def _waiting_behind(job):
    return import_waiting_behind(job=job) if job.status == ImportStatus.QUEUED else None


def _progress_context(request: HttpRequest, job) -> dict:
    return {
        "job": job,
        # Polled while the queue still has work for it: a running import, or its undo.
        "poll": job.status in POLLED,
        "waiting": _waiting_behind(job),
        "notes": import_row_notes(job=job),
        "unmapped": unmapped_columns(job),
    }


@login_required
@require_GET
def import_progress(request: HttpRequest, pk: int) -> HttpResponse:
    job = import_job_for_user(user=request.user, pk=pk)
    if job.status == ImportStatus.DRAFT:
        return redirect("transfer:import_job", pk=job.pk)
    context = {**_progress_context(request, job), "nav_current": "people"}
    return render(request, "transfer/import_progress.html", context)


@login_required
@require_GET
def import_status(request: HttpRequest, pk: int) -> HttpResponse:
    """One poll of the progress bar: reads the job's progress, changes nothing."""
    job = import_job_for_user(user=request.user, pk=pk)
    return render(request, "transfer/partials/_progress.html", _progress_context(request, job))


@login_required
@require_GET
def import_history(request: HttpRequest) -> HttpResponse:
    jobs = list(import_jobs_for_user(user=request.user)[:100])
    context = {
        "jobs": jobs,
        "team": can_manage_team(request.user),
        "can_write": can_write(request.user),
        "active": ACTIVE,
        "nav_current": "people",
    }
    return render(request, "transfer/import_history.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def import_settings(request: HttpRequest) -> HttpResponse:
    """How long uploaded files are kept (the owner's choice)."""
    if request.user.role != "owner":
        raise PermissionDenied("Only the owner sets how long uploaded files are kept.")
    current = TransferSettings.current()
    form = RetentionForm(initial={"upload_retention_days": current.upload_retention_days})
    if request.method == "POST":
        form = RetentionForm(request.POST)
        if form.is_valid():
            try:
                retention.transfer_settings_update(actor=request.user, **form.cleaned_data)
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                removed = retention.uploads_purge()
                messages.success(
                    request,
                    f"Uploaded files are kept {form.cleaned_data['upload_retention_days']} days"
                    + (
                        f"; {removed} older file{'s' if removed != 1 else ''} removed."
                        if removed
                        else "."
                    ),  # fmt: skip
                )
                return redirect("transfer:import_settings")
    context = {"form": form, "nav_current": "people"}
    return render(
        request, "transfer/import_settings.html", context, status=422 if form.errors else 200
    )


@login_required
@require_http_methods(["GET", "POST"])
def import_undo(request: HttpRequest, pk: int) -> HttpResponse:
    job = import_job_for_user(user=request.user, pk=pk)
    if request.method == "POST":
        try:
            job = importing.import_job_undo_queue(actor=request.user, job=job)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
            return redirect("transfer:import_history")
        messages.success(request, f"Undoing the import of {job.file_name} in the background.")
        return redirect("transfer:import_progress", pk=job.pk)
    if not can_write(request.user):
        raise PermissionDenied("Your role can read but not undo imports.")
    return render(request, "transfer/import_undo.html", {"job": job, "nav_current": "people"})


@login_required
@require_GET
def import_rejected(request: HttpRequest, pk: int) -> StreamingHttpResponse:
    """The rejected rows, with their line and reason, to fix and import again."""
    job = import_job_for_user(user=request.user, pk=pk)
    response = StreamingHttpResponse(
        csv_lines(importing.rejected_rows_csv(job=job)), content_type="text/csv; charset=utf-8"
    )
    stem = Path(job.file_name).stem or "import"
    response["Content-Disposition"] = f'attachment; filename="{stem}-rejected.csv"'
    return response


def progress_url(job) -> str:
    return reverse("transfer:import_progress", args=[job.pk])
