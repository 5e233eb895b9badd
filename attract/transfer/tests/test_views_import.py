"""The import pages: upload, preview and mapping, dry run, progress polled to the end, undo,
rejected rows, and who may see and do what."""

from __future__ import annotations

import csv
import io
import tracemalloc
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from attract.accounts.models import Role
from attract.accounts.tests.factories import UserFactory
from attract.jobs.testing import run_queued_tasks
from attract.people import services as people
from attract.people.models import Person
from attract.pipeline.models import Deal, Outcome
from attract.transfer.importing import import_job_create
from attract.transfer.models import ImportJob, ImportStatus
from attract.transfer.tests.conftest import DATA

START = reverse("transfer:import_start")
HISTORY = reverse("transfer:import_history")
PERSONS = (
    b"First Name,Last Name,Email,Phone Number,Company Name,Job Title\n"
    b"Ada,Lovelace,ada@example.com,+44 20 7946 0958,Analytical Engines Ltd,Countess\n"
    b"Grace,Hopper,grace@example.com,,Navy,Rear Admiral\n"
    b",,nobody@example.com,,,\n"
    b",,not-an-email,,,\n"
)


def _upload(client, data: bytes = PERSONS, name: str = "people.csv", kind: str = "persons"):
    return client.post(START, {"kind": kind, "file": SimpleUploadedFile(name, data)})


def _mapping_post(job: ImportJob, action: str, **extra) -> dict:
    data = {f"map-{i}": job.mapping.get(h, "") for i, h in enumerate(job.headers)}
    data.update(action=action, on_duplicate="skip", **extra)
    return data


def _poll_to_the_end(client, job: ImportJob) -> str:
    """The worker runs what was queued; the progress poll then reads the outcome."""
    status = reverse("transfer:import_status", args=[job.pk])
    before = client.get(status).content.decode()
    job.refresh_from_db()
    assert job.status in (ImportStatus.QUEUED, ImportStatus.UNDOING), job.status
    assert "hx-get" in before  # the page polls while the queue has work for the import
    run_queued_tasks()
    body = client.get(status).content.decode()
    job.refresh_from_db()
    assert job.status not in (ImportStatus.RUNNING, ImportStatus.QUEUED, ImportStatus.UNDOING)
    return body


def _imports_dir(settings) -> list[Path]:
    folder = Path(settings.VAR_DIR) / "imports"
    return list(folder.iterdir()) if folder.exists() else []


def test_the_page_offers_upload_and_export(owner_client):
    body = owner_client.get(START).content.decode()
    assert 'enctype="multipart/form-data"' in body
    assert reverse("transfer:export_persons") in body
    assert reverse("transfer:export_all") in body  # the owner may download everything


def test_upload_shows_preview_and_mapping_filled_from_the_preset(owner_client, owner):
    response = _upload(owner_client)
    job = ImportJob.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("transfer:import_job", args=[job.pk])
    assert job.created_by == owner
    body = owner_client.get(response["Location"]).content.decode()
    assert "looks like an export from <strong>HubSpot</strong>" in body
    assert "Analytical Engines Ltd" in body  # the preview
    assert '<option value="email" selected>' in body
    assert '<option value="company" selected>' in body
    assert Person.objects.count() == 0


def test_a_file_that_is_not_csv_gets_a_clear_message_and_nothing_is_kept(owner_client, settings):
    png = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01"
    response = _upload(owner_client, png, name="photo.csv")
    assert response.status_code == 400
    assert "This file is not a CSV file" in response.content.decode()
    assert ImportJob.objects.count() == 0
    assert _imports_dir(settings) == []


def test_a_spreadsheet_is_refused_with_advice(owner_client):
    response = _upload(owner_client, b"PK\x03\x04 not really", name="contacts.xlsx")
    assert response.status_code == 400
    assert "Save it as CSV" in response.content.decode()
    assert ImportJob.objects.count() == 0


def test_a_file_over_the_size_limit_is_refused(owner_client, settings):
    settings.IMPORT_MAX_UPLOAD_BYTES = 100
    response = _upload(owner_client)
    assert response.status_code == 400
    assert "the limit is" in response.content.decode()
    assert ImportJob.objects.count() == 0
    assert _imports_dir(settings) == []


def test_broken_quotes_are_refused_with_the_line(owner_client, settings):
    data = b'First Name,Last Name\nAda,Lovelace\n"Grace,Hopper\n' + b"x" * 1_100_000 + b"\n"
    response = _upload(owner_client, data)
    assert response.status_code == 400
    body = response.content.decode()
    assert "Line 3" in body and "closing quote" in body
    assert ImportJob.objects.count() == 0
    assert _imports_dir(settings) == []


def test_mixed_encodings_keep_their_accents(owner_client, owner):
    data = "First Name,Last Name,Email\nZoë,Müller,zoe@example.com\n".encode()
    data += "Renée,Façade,renee@example.com\n".encode("cp1252")
    _upload(owner_client, data)
    job = ImportJob.objects.get()
    owner_client.post(reverse("transfer:import_job", args=[job.pk]), _mapping_post(job, "start"))
    _poll_to_the_end(owner_client, job)
    names = set(Person.objects.values_list("first_name", "last_name"))
    assert names == {("Zoë", "Müller"), ("Renée", "Façade")}


def test_dry_run_reports_counts_matches_and_rejections_and_changes_nothing(owner_client, owner):
    people.person_create(
        actor=owner, first_name="Grace", last_name="H", emails=["grace@example.com"]
    )
    _upload(owner_client)
    job = ImportJob.objects.get()
    url = reverse("transfer:import_job", args=[job.pk])
    body = owner_client.post(url, _mapping_post(job, "dry_run")).content.decode()
    assert '<dd data-count="created">1</dd>' in body
    assert '<dd data-count="skipped">1</dd>' in body
    assert '<dd data-count="rejected">2</dd>' in body
    assert "same email grace@example.com" in body
    assert 'name="override-3"' in body  # the match can be decided alone
    assert "Line 4: first_name: No name" in body
    assert "Line 5:" in body
    assert Person.objects.count() == 1
    job.refresh_from_db()
    assert job.status == ImportStatus.DRAFT


def test_a_mapping_without_a_name_is_refused_and_changes_nothing(owner_client):
    _upload(owner_client)
    job = ImportJob.objects.get()
    data = {"action": "start", "on_duplicate": "skip", "map-2": "email"}
    response = owner_client.post(reverse("transfer:import_job", args=[job.pk]), data)
    assert response.status_code == 422
    assert "Map at least one column to" in response.content.decode()
    job.refresh_from_db()
    assert job.status == ImportStatus.DRAFT


def test_start_then_polling_imports_every_row_to_100_percent(owner_client, owner):
    _upload(owner_client)
    job = ImportJob.objects.get()
    response = owner_client.post(
        reverse("transfer:import_job", args=[job.pk]), _mapping_post(job, "start")
    )
    progress = reverse("transfer:import_progress", args=[job.pk])
    assert response["Location"] == progress
    page = owner_client.get(progress).content.decode()
    assert 'hx-trigger="load delay:1s"' in page
    body = _poll_to_the_end(owner_client, job)
    assert job.status == ImportStatus.DONE
    assert 'value="100"' in body and "hx-get" not in body
    assert "2 created" in body and "2 rejected" in body
    assert set(Person.objects.values_list("last_name", flat=True)) == {"Lovelace", "Hopper"}


def test_an_interrupted_import_is_resumed_by_the_queue(owner_client, owner):
    data = b"First Name,Last Name\n" + b"".join(b"P%d,Q%d\n" % (i, i) for i in range(1200))
    _upload(owner_client, data)
    job = ImportJob.objects.get()
    owner_client.post(reverse("transfer:import_job", args=[job.pk]), _mapping_post(job, "start"))
    from attract.transfer.importing import import_job_process

    job.refresh_from_db()
    import_job_process(job=job, batch_size=500, max_batches=1)  # then the worker was stopped
    history = owner_client.get(HISTORY).content.decode()
    assert "Progress" in history and "42%" in history
    job.refresh_from_db()
    assert job.status == ImportStatus.RUNNING
    run_queued_tasks()  # the queued task takes it up after the committed batch
    job.refresh_from_db()
    assert Person.objects.count() == 1200 and job.status == ImportStatus.DONE
    assert job.created_count == 1200


def test_a_row_override_creates_a_duplicate_the_file_would_skip(owner_client, owner):
    navy = people.company_create(actor=owner, name="Navy")
    people.person_create(actor=owner, first_name="Grace", last_name="Hopper", company=navy)
    _upload(owner_client)
    job = ImportJob.objects.get()
    owner_client.post(
        reverse("transfer:import_job", args=[job.pk]),
        _mapping_post(job, "start", **{"override-3": "create"}),
    )
    _poll_to_the_end(owner_client, job)
    assert Person.objects.filter(first_name="Grace").count() == 2


def test_stage_mapping_for_deals_from_a_real_pipeline(owner_client, owner):
    path = DATA / "maven_crm_sales_opportunities" / "sales_pipeline.csv"
    head = b"".join(path.read_bytes().splitlines(keepends=True)[:40])
    _upload(owner_client, head, name="sales_pipeline.csv", kind="deals")
    job = ImportJob.objects.get()
    url = reverse("transfer:import_job", args=[job.pk])
    body = owner_client.get(url).content.decode()
    assert "Their stages, our stages" in body
    assert 'value="Won"' in body and 'value="Engaging"' in body
    stages = {}
    for name in ("Won", "Lost", "Engaging", "Prospecting"):
        if f'value="{name}"' in body:
            index = body.split(f'value="{name}"')[0].rsplit('name="stage-name-', 1)[1]
            index = index.split('"')[0]
            stages[f"stage-name-{index}"] = name
            stages[f"stage-{index}"] = {"Engaging": "desire"}.get(name, name.lower())
    stages = {k: ("attention" if v == "prospecting" else v) for k, v in stages.items()}
    owner_client.post(url, _mapping_post(job, "start", **stages))
    job.refresh_from_db()
    assert job.stage_mapping["Engaging"] == "desire"
    _poll_to_the_end(owner_client, job)
    assert Deal.objects.filter(outcome=Outcome.WON).exists()
    assert Deal.objects.filter(stage="desire", outcome=Outcome.OPEN).exists()


def test_a_vcard_file_is_imported_as_people(owner_client, owner):
    data = (DATA / "ez_vcard_tests" / "John_Doe_IPHONE.vcf").read_bytes()
    response = _upload(owner_client, data, name="john.vcf")
    job = ImportJob.objects.get()
    assert response.status_code == 302
    assert job.mapping["First name"] == "first_name"
    owner_client.post(reverse("transfer:import_job", args=[job.pk]), _mapping_post(job, "start"))
    _poll_to_the_end(owner_client, job)
    assert Person.objects.filter(last_name="Doe").exists()


def test_undo_asks_for_confirmation_then_takes_the_import_back(owner_client, owner):
    _upload(owner_client)
    job = ImportJob.objects.get()
    owner_client.post(reverse("transfer:import_job", args=[job.pk]), _mapping_post(job, "start"))
    _poll_to_the_end(owner_client, job)
    url = reverse("transfer:import_undo", args=[job.pk])
    assert "Undo the whole import" in owner_client.get(url).content.decode()
    assert Person.objects.count() == 2
    response = owner_client.post(url)
    assert response["Location"] == reverse("transfer:import_progress", args=[job.pk])
    assert "Undoing" in owner_client.get(response["Location"]).content.decode()
    assert Person.objects.count() == 2  # queued, not done in the request
    body = _poll_to_the_end(owner_client, job)
    assert job.status == ImportStatus.UNDONE and "Undone" in body
    assert Person.objects.count() == 0


def test_rejected_rows_download_as_csv_with_line_and_reason(owner_client, owner):
    _upload(owner_client)
    job = ImportJob.objects.get()
    owner_client.post(reverse("transfer:import_job", args=[job.pk]), _mapping_post(job, "start"))
    _poll_to_the_end(owner_client, job)
    response = owner_client.get(reverse("transfer:import_rejected", args=[job.pk]))
    assert response["Content-Disposition"] == 'attachment; filename="people-rejected.csv"'
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert rows[0][-2:] == ["line", "reason"]
    assert [row[-2] for row in rows[1:]] == ["4", "5"]
    assert rows[2][2] == "not-an-email"


def test_history_lists_who_when_file_and_counts(owner_client, owner, django_assert_max_num_queries):
    for name in ("a.csv", "b.csv", "c.csv"):
        import_job_create(actor=owner, kind="persons", file_name=name, chunks=iter([PERSONS]))
    with django_assert_max_num_queries(6):
        body = owner_client.get(HISTORY).content.decode()
    assert all(name in body for name in ("a.csv", "b.csv", "c.csv"))
    assert "Olivia Owner" in body  # the owner sees who ran each import


def test_a_viewer_cannot_import(viewer_client):
    assert "Your role can read records but not import" in viewer_client.get(START).content.decode()
    assert _upload(viewer_client).status_code == 403
    assert ImportJob.objects.count() == 0


def test_another_members_import_is_not_found(owner, outsider_client):
    job = import_job_create(actor=owner, kind="persons", file_name="a.csv", chunks=iter([PERSONS]))
    for name in ("import_job", "import_progress", "import_undo", "import_rejected"):
        assert outsider_client.get(reverse(f"transfer:{name}", args=[job.pk])).status_code == 404
    assert outsider_client.get(reverse("transfer:import_status", args=[job.pk])).status_code == 404
    assert outsider_client.post(reverse("transfer:import_undo", args=[job.pk])).status_code == 404
    assert "a.csv" not in outsider_client.get(HISTORY).content.decode()


def test_an_admin_sees_and_may_undo_a_members_import(teammate, client):
    admin = UserFactory(email="admin@example.com", role=Role.ADMIN)
    job = import_job_create(
        actor=teammate, kind="persons", file_name="team.csv", chunks=iter([PERSONS])
    )
    from attract.transfer.importing import (
        import_job_configure,
        import_job_process,
        import_job_start,
    )

    import_job_configure(actor=teammate, job=job, mapping=job.mapping)
    import_job_start(actor=teammate, job=job)
    import_job_process(job=job)
    client.force_login(admin)
    assert "team.csv" in client.get(HISTORY).content.decode()
    client.post(reverse("transfer:import_undo", args=[job.pk]))
    run_queued_tasks()
    job.refresh_from_db()
    assert job.status == ImportStatus.UNDONE
    # Setting up someone else's import stays theirs alone.
    other = import_job_create(
        actor=teammate, kind="persons", file_name="t2.csv", chunks=iter([PERSONS])
    )
    response = client.post(reverse("transfer:import_job", args=[other.pk]), {"action": "start"})
    assert response.status_code == 403


def test_a_forged_upload_without_csrf_token_is_refused(csrf_client):
    response = _upload(csrf_client)
    assert response.status_code == 403
    assert ImportJob.objects.count() == 0


@pytest.mark.parametrize("url", [START, HISTORY])
def test_pages_need_a_login(db, client, url):
    assert client.get(url).status_code == 302


def test_a_50_mb_upload_is_streamed_to_disk_and_counted_in_chunks(owner, tmp_path, settings):
    # Django writes an upload above FILE_UPLOAD_MAX_MEMORY_SIZE to a temporary file; the
    # view hands its chunks on, and the job is created without holding the file in memory.
    assert settings.FILE_UPLOAD_MAX_MEMORY_SIZE < 50 * 1024 * 1024
    assert any("TemporaryFileUploadHandler" in h for h in settings.FILE_UPLOAD_HANDLERS)
    line = b"Ada,Lovelace,ada@example.com,Analytical Engines Ltd,padding the row out a bit\n"
    path = tmp_path / "big.csv"
    with open(path, "wb") as handle:
        handle.write(b"First Name,Last Name,Email,Company Name,Notes\n")
        handle.write(line * (50 * 1024 * 1024 // len(line)))
    tracemalloc.start()
    try:
        with open(path, "rb") as handle:
            job = import_job_create(
                actor=owner,
                kind="persons",
                file_name="big.csv",
                chunks=iter(lambda: handle.read(64 * 1024), b""),
            )
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert job.total_rows == 50 * 1024 * 1024 // len(line)
    assert peak < 10 * 1024 * 1024
