"""An uploaded file (from the web page or the API) turned into an import job, or refused with
a clear message, keeping nothing."""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError

from attract.accounts.models import User
from attract.transfer import importing
from attract.transfer.models import ImportJob
from attract.transfer.vcards import vcard_import_job_create

VCARD_SUFFIXES = (".vcf", ".vcard")
SPREADSHEET_SUFFIXES = (".xlsx", ".xls", ".ods", ".numbers")


def max_upload_bytes() -> int:
    return getattr(settings, "IMPORT_MAX_UPLOAD_BYTES", 100 * 1024 * 1024)


def create_job_from_upload(
    *, actor: User, kind: str, upload, encoding: str = "", users=None
) -> ImportJob:
    """`encoding`: the file's, when the user chose one (else it is detected). `users`: the
    other CRM's users file, read for the owner column (see import_job_set_users)."""
    job = _job_from_upload(actor=actor, kind=kind, upload=upload, encoding=encoding)
    if users is not None:
        try:
            if users.size > max_upload_bytes():
                raise ValidationError({"users_file": ["This users file is over the upload limit."]})
            job = importing.import_job_set_users(actor=actor, job=job, chunks=users.chunks())
        except ValidationError:
            # Refused as a whole: nothing of the upload is kept.
            Path(job.stored_path).unlink(missing_ok=True)
            job.delete()
            raise
    return job


def _job_from_upload(*, actor: User, kind: str, upload, encoding: str = "") -> ImportJob:
    name = Path(upload.name or "upload.csv").name
    suffix = Path(name).suffix.lower()
    limit = max_upload_bytes()
    if upload.size > limit:
        raise ValidationError(
            f"This file is {upload.size / 1048576:.0f} MB; the limit is {limit // 1048576} MB. "
            "Split it in parts and import them one after the other."
        )
    if suffix in SPREADSHEET_SUFFIXES:
        raise ValidationError(
            "This is a spreadsheet, not a CSV file. Save it as CSV (File → Save as → CSV) and "
            "upload that."
        )
    if suffix in VCARD_SUFFIXES:
        if kind != "persons":
            raise ValidationError("A vCard file holds people: choose “People” and try again.")
        return vcard_import_job_create(
            actor=actor, file_name=name, data=upload.read(), encoding=encoding
        )
    # Uploads above a few MB wait in a temporary file; they are copied on in chunks.
    return importing.import_job_create(
        actor=actor, kind=kind, file_name=name, chunks=upload.chunks(), encoding=encoding
    )
