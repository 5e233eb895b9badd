"""Issue 11: undo of a huge import, restore into a freshly migrated installation, export →
import keeping every address and number, and uploaded files removed after the owner's
retention period."""

from __future__ import annotations

import importlib
import sqlite3
from datetime import timedelta
from pathlib import Path

import pytest
from django.apps import apps
from django.core.management import call_command
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from attract.people import services as people
from attract.people.models import Company, Person
from attract.pipeline.models import StageSetting
from attract.transfer import undo
from attract.transfer.exporting import csv_lines, person_rows
from attract.transfer.importing import (
    import_job_configure,
    import_job_create,
    import_job_process,
    import_job_start,
    import_job_undo,
)
from attract.transfer.models import ImportJob, TransferSettings
from attract.transfer.retention import transfer_settings_update, uploads_purge


def _job(owner, data: bytes, name: str = "p.csv"):
    return import_job_create(actor=owner, kind="persons", file_name=name, chunks=iter([data]))


def _run(owner, job, **options):
    import_job_configure(actor=owner, job=job, mapping=job.mapping, **options)
    import_job_start(actor=owner, job=job)
    return import_job_process(job=job)


def test_undo_of_an_import_bigger_than_one_statement_allows(owner, monkeypatch):
    rows = "\n".join(f"P{n},Q,p{n}@example.com,Firm {n}" for n in range(1200))
    job = _run(owner, _job(owner, f"First Name,Last Name,Email,Company\n{rows}\n".encode()))
    assert Person.objects.count() == 1200 and Company.objects.count() == 1200
    if connection.vendor == "sqlite":
        # SQLite builds before 3.32 allow 999 parameters a statement; undo must fit in them.
        connection.ensure_connection()
        connection.connection.setlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER, 999)
    monkeypatch.setattr(undo, "UNDO_BATCH", 500)
    try:
        import_job_undo(actor=owner, job=job)
    finally:
        if connection.vendor == "sqlite":
            connection.connection.setlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER, 32766)
    assert Person.all_objects.count() == 0 and Company.all_objects.count() == 0


def test_restore_into_a_freshly_migrated_installation(owner, tmp_path, django_db_reset_sequences):
    acme = people.company_create(actor=owner, name="Acme")
    people.person_create(actor=owner, first_name="Ada", company=acme, emails=["ada@ex.com"])
    StageSetting.objects.filter(stage="interest").update(probability=25)  # the user's own
    archive = tmp_path / "all.zip"
    call_command("export", "all", str(archive))
    call_command("flush", "--no-input")
    # A fresh installation: migrated, so its default stage settings are there.
    seed = importlib.import_module("attract.pipeline.migrations.0002_seed_stages_and_questions")
    seed.seed(apps, None)
    assert StageSetting.objects.get(stage="interest").probability == 20
    call_command("restore", str(archive))
    assert Person.objects.get().company.name == "Acme"
    # The archive's stage settings when it holds them, else the seeded ones stay.
    assert StageSetting.objects.get(stage="interest").probability in (25, 20)
    assert StageSetting.objects.count() == 5


def test_export_then_import_keeps_every_address_and_number_and_drops_the_quote(owner):
    people.person_create(
        actor=owner,
        first_name="=Ada",
        last_name="-Lovelace",
        emails=["ada@example.com", "ada@home.example", "countess@example.org"],
        phones=["+44 20 7946 0958", "+44 7911 123456", "+1 415 555 0100 x12"],
        job_title="@Engines",
    )
    persons = Person.objects.prefetch_related("emails", "phones", "tags").select_related("company")
    exported = "".join(csv_lines(person_rows(persons, user=owner))).encode()
    assert b"'=Ada" in exported and b"'+442079460958" in exported
    Person.all_objects.all().delete()
    job = _run(owner, _job(owner, exported))
    assert job.created_count == 1 and job.rejected_count == 0
    ada = Person.objects.get()
    assert (ada.first_name, ada.last_name, ada.job_title) == ("=Ada", "-Lovelace", "@Engines")
    assert list(ada.emails.values_list("email", flat=True)) == [
        "ada@example.com",
        "ada@home.example",
        "countess@example.org",
    ]
    assert list(ada.phones.values_list("number", flat=True)) == [
        "+442079460958",
        "+447911123456",
        "+14155550100;ext=12",
    ]


def test_uploads_older_than_the_retention_period_are_removed(owner):
    done = _run(owner, _job(owner, b"Name\nAda Lovelace\n"))
    draft = _job(owner, b"Name\nGrace Hopper\n", name="draft.csv")
    fresh = _job(owner, b"Name\nAlan Turing\n", name="fresh.csv")
    old = timezone.now() - timedelta(days=31)
    ImportJob.objects.filter(pk__in=[done.pk, draft.pk]).update(created_at=old)
    paths = {job.pk: Path(job.stored_path) for job in (done, draft, fresh)}
    assert uploads_purge() == 2
    assert not paths[done.pk].exists() and not paths[draft.pk].exists()
    assert paths[fresh.pk].exists()
    draft.refresh_from_db()
    assert draft.status == "failed" and "removed after 30 days" in draft.error
    done.refresh_from_db()
    assert done.status == "done" and done.created_count == 1  # the report stays
    import_job_undo(actor=owner, job=done)  # and so does undo
    assert not Person.objects.filter(last_name="Lovelace").exists()


def test_only_the_owner_sets_the_retention_and_the_cli_cleans(owner, teammate, capsys):
    from django.core.exceptions import PermissionDenied, ValidationError

    with pytest.raises(PermissionDenied):
        transfer_settings_update(actor=teammate, upload_retention_days=7)
    with pytest.raises(ValidationError):
        transfer_settings_update(actor=owner, upload_retention_days=0)
    job = _job(owner, b"Name\nAda Lovelace\n")
    ImportJob.objects.filter(pk=job.pk).update(created_at=timezone.now() - timedelta(days=8))
    call_command("import", "clean", "--keep-days", "7")
    assert "1 uploaded file(s) older than 7 days removed." in capsys.readouterr().out
    assert TransferSettings.current().upload_retention_days == 7


def test_the_settings_page_is_the_owners(owner_client, client, teammate):
    client.force_login(teammate)
    assert client.get(reverse("transfer:import_settings")).status_code == 403
    url = reverse("transfer:import_settings")
    assert "Keep uploaded files for" in owner_client.get(url).content.decode()
    bad = owner_client.post(url, {"upload_retention_days": "0"})
    assert bad.status_code == 422
    response = owner_client.post(url, {"upload_retention_days": "14"}, follow=True)
    assert "Uploaded files are kept 14 days" in response.content.decode()
    assert TransferSettings.current().upload_retention_days == 14
