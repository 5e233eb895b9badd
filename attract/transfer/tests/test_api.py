"""The import and export API at /api/v1/, driven with real Bearer tokens."""

from __future__ import annotations

import csv
import io
import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from attract.accounts.services import api_token_create
from attract.jobs.testing import run_queued_tasks
from attract.people import services as people
from attract.people.models import Person
from attract.transfer.models import ImportJob

pytestmark = pytest.mark.django_db

PERSONS = (
    b"First Name,Last Name,Email\n"
    b"Ada,Lovelace,ada@example.com\n"
    b"Grace,Hopper,grace@example.com\n"
    b",,not-an-email\n"
)


def _client(user) -> Client:
    _, raw = api_token_create(user=user, name="tests")
    return Client(HTTP_AUTHORIZATION=f"Bearer {raw}")


def _upload(client, data: bytes = PERSONS, name: str = "people.csv"):
    return client.post(
        "/api/v1/imports", {"kind": "persons", "file": SimpleUploadedFile(name, data)}
    )


def _json(client, method: str, path: str, data=None):
    return getattr(client, method)(
        f"/api/v1{path}", json.dumps(data or {}), content_type="application/json"
    )


def test_upload_configure_dry_run_start_process_and_undo(owner):
    api = _client(owner)
    created = _upload(api)
    assert created.status_code == 201
    job = created.json()
    assert job["status"] == "draft" and job["total_rows"] == 3
    assert job["mapping"] == {
        "First Name": "first_name",
        "Last Name": "last_name",
        "Email": "email",
    }
    path = f"/imports/{job['id']}"
    settings = _json(api, "put", f"{path}/settings", {"mapping": job["mapping"]})
    assert settings.status_code == 200
    report = _json(api, "post", f"{path}/dry-run").json()
    assert report["counts"] == {"created": 2, "updated": 0, "skipped": 0, "rejected": 1}
    assert report["rejected"][0]["line"] == 4
    assert Person.objects.count() == 0
    started = _json(api, "post", f"{path}/start").json()
    assert started["status"] == "queued" and started["task_id"]
    assert Person.objects.count() == 0  # queued: the worker runs it, not the request
    run_queued_tasks()
    done = api.get(f"/api/v1{path}").json()
    assert done["status"] == "done" and done["percent"] == 100 and done["created_count"] == 2
    assert api.get(f"/api/v1{path}").json()["rejected_count"] == 1
    rejected = b"".join(api.get(f"/api/v1{path}/rejected.csv").streaming_content).decode()
    assert "not-an-email" in rejected
    undoing = _json(api, "post", f"{path}/undo").json()
    assert undoing["status"] == "undoing" and undoing["task_id"] != started["task_id"]
    run_queued_tasks()
    assert api.get(f"/api/v1{path}").json()["status"] == "undone"
    assert Person.objects.count() == 0


def test_a_file_that_is_not_csv_answers_422_and_keeps_nothing(owner):
    response = _upload(_client(owner), b"\x89PNG\r\n\x1a\n\x00\x00", name="x.csv")
    assert response.status_code == 422
    assert "not a CSV file" in response.json()["detail"][0]["message"]
    assert ImportJob.objects.count() == 0


def test_a_bad_mapping_answers_422(owner):
    api = _client(owner)
    job = _upload(api).json()
    response = _json(api, "put", f"/imports/{job['id']}/settings", {"mapping": {"Email": "shoe"}})
    assert response.status_code == 422
    assert response.json()["detail"][0]["field"] == "mapping"


def test_a_viewer_cannot_import(viewer):
    assert _upload(_client(viewer)).status_code == 403
    assert ImportJob.objects.count() == 0


def test_another_members_import_is_not_found(owner, outsider):
    job = _upload(_client(owner)).json()
    api = _client(outsider)
    assert api.get(f"/api/v1/imports/{job['id']}").status_code == 404
    assert _json(api, "post", f"/imports/{job['id']}/undo").status_code == 404
    assert api.get("/api/v1/imports").json() == []


def test_exports_are_filtered_neutralised_and_private_free(owner, outsider):
    people.person_create(actor=owner, first_name="Bob", last_name="Stone", job_title="=1+1")
    people.person_create(actor=owner, first_name="Ann", last_name="Lee")
    people.person_create(actor=outsider, first_name="Hidden", last_name="Stone", is_private=True)
    people.company_create(actor=owner, name="-Minus Co")
    api = _client(owner)
    response = api.get("/api/v1/export/persons.csv", {"search": "stone"})
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert [r[:2] for r in rows[1:]] == [["Bob", "Stone"]]
    assert rows[1][6] == "'=1+1"
    companies = b"".join(api.get("/api/v1/export/companies.csv").streaming_content).decode()
    assert "'-Minus Co" in companies
    cards = api.get("/api/v1/export/persons.vcf", {"version": "4.0"})
    text = b"".join(cards.streaming_content).decode()
    assert "VERSION:4.0" in text and "Hidden" not in text
    assert api.get("/api/v1/export/persons.vcf", {"version": "2.1"}).status_code == 422


def test_exports_need_a_token(db):
    assert Client().get("/api/v1/export/persons.csv").status_code == 401
