"""Uploaded files are removed after a retention period the owner sets (Settings on the import
page, `attract import clean`). An import's records, report and undo do not need its file once
it ran; a draft left that long is closed with the reason, and its file removed with the rest.
The purge also runs each time a file is uploaded, so no scheduler is needed."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from attract.accounts.models import Role, User
from attract.transfer.models import ImportJob, ImportStatus, TransferSettings

RUNNING = (ImportStatus.QUEUED, ImportStatus.RUNNING)


def transfer_settings_update(*, actor: User, upload_retention_days: int) -> TransferSettings:
    if actor.role != Role.OWNER:
        raise PermissionDenied("Only the owner sets how long uploaded files are kept.")
    settings = TransferSettings.current()
    settings.upload_retention_days = upload_retention_days
    try:
        settings.full_clean()
    except ValidationError as exc:
        raise ValidationError(
            {"upload_retention_days": ["Keep uploaded files between 1 and 3650 days."]}
        ) from exc
    settings.save()
    return settings


@transaction.atomic
def uploads_purge(*, now=None) -> int:
    """Remove the files of imports uploaded longer ago than the retention period (not those
    running); return how many files were removed."""
    days = TransferSettings.current().upload_retention_days
    cutoff = (now or timezone.now()) - timedelta(days=days)
    removed = 0
    old = ImportJob.objects.filter(created_at__lt=cutoff).exclude(stored_path="")
    for job in old.exclude(status__in=RUNNING).select_for_update():
        Path(job.stored_path).unlink(missing_ok=True)
        job.stored_path = ""
        fields = ["stored_path"]
        if job.status == ImportStatus.DRAFT:
            job.status = ImportStatus.FAILED
            job.error = f"Never started; its file was removed after {days} days."
            fields += ["status", "error"]
        job.save(update_fields=fields)
        removed += 1
    return removed
