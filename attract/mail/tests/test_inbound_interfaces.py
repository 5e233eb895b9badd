"""The receiving pages, API and CLI: thin doors onto the same services. The password never
comes back out; lists are a fixed number of queries; bad input is a clear refusal."""

import io
import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django_tasks_db.models import DBTaskResult

from attract.accounts.services import api_token_create
from attract.engagement.models import Interaction
from attract.mail.inbound_files import mail_import
from attract.mail.mailbox_services import mailbox_connect
from attract.mail.models import Mailbox, UnmatchedAddress
from attract.mail.tests.conftest import MESSAGES
from attract.people.models import Person

pytestmark = pytest.mark.django_db

SECRET = "app-pass-do-not-show"  # noqa: S105


def _mbox(*names):
    return b"".join(
        b"From x Mon Jun  1 09:00:00 2026\n" + (MESSAGES / n).read_bytes() + b"\n" for n in names
    )


def _api(user):
    _, raw = api_token_create(user=user, name="tests")
    return Client(HTTP_AUTHORIZATION=f"Bearer {raw}")


def _connect(user):
    return mailbox_connect(
        actor=user,
        host="imap.example.com",
        port=993,
        security="tls",
        username=user.email,
        password=SECRET,
    )


def test_the_settings_page_saves_a_mailbox_and_never_shows_the_password(owner_client, owner):
    url = reverse("mailbox:settings")
    fields = {
        "host": "imap.example.com",
        "port": "993",
        "security": "tls",
        "username": "owner@example.com",
        "password": SECRET,
        "inbox_folder": "INBOX",
        "sent_folder": "Sent",
    }
    response = owner_client.post(url, fields)
    assert response.status_code == 302
    page = owner_client.get(url).content.decode()
    assert "owner@example.com on imap.example.com" in page
    assert SECRET not in page and Mailbox.objects.get().password_encrypted not in page

    bad = owner_client.post(url, fields | {"security": "none", "password": ""})
    assert bad.status_code == 422 and "only a server on this machine" in bad.content.decode()
    assert Mailbox.objects.get().security == "tls"


def test_sync_now_queues_the_worker_and_test_shows_the_error(owner_client, owner):
    _connect(owner)
    owner_client.post(reverse("mailbox:sync"))
    assert DBTaskResult.objects.filter(task_path__endswith="mail_sync_one").exists()
    Mailbox.objects.update(host="127.0.0.1", port=1, security="none")
    owner_client.post(reverse("mailbox:test"))
    page = owner_client.get(reverse("mailbox:settings")).content.decode()
    assert "Could not connect to 127.0.0.1:1" in page


def test_the_import_page_reports_what_was_logged(owner_client, owner):
    upload = SimpleUploadedFile(
        "export.mbox", _mbox("06_stranger_cyrillic_base64.eml", "04_newsletter.eml")
    )
    response = owner_client.post(reverse("mailbox:import"), {"file": upload})
    text = response.content.decode()
    assert response.status_code == 200
    assert "2 messages: 0 logged" in text and "1 newsletters or auto-replies" in text
    refused = owner_client.post(
        reverse("mailbox:import"), {"file": SimpleUploadedFile("a.csv", b"a,b\n1,2\n")}
    )
    assert refused.status_code == 422 and "no e-mail message" in refused.content.decode()


def test_the_unmatched_list_is_a_fixed_number_of_queries_and_adds_a_person(
    owner_client, owner, teammate
):
    mail_import(
        actor=owner,
        stream=io.BytesIO(
            _mbox(
                "06_stranger_cyrillic_base64.eml",
                "07_forged_team_sender.eml",
                "09_malformed_headers.eml",
            )
        ),
    )
    owner_client.get(reverse("mailbox:unmatched"))  # warm the session
    with CaptureQueriesContext(connection) as few:
        response = owner_client.get(reverse("mailbox:unmatched"))
    text = response.content.decode()
    assert "Дмитрий Иванов" in text and "Suspicious" in text
    for n in range(30):
        UnmatchedAddress.objects.create(
            user=owner,
            address=f"lead{n}@x.example",
            first_seen_at="2026-06-01T00:00Z",
            last_seen_at="2026-06-01T00:00Z",
        )
    with CaptureQueriesContext(connection) as many:
        owner_client.get(reverse("mailbox:unmatched"))
    assert len(many) == len(few)

    dmitri = UnmatchedAddress.objects.get(address="dmitri@newlead.example")
    owner_client.post(reverse("mailbox:unmatched_add", args=[dmitri.pk]))
    person = Person.objects.get(first_name="Дмитрий")
    assert Interaction.objects.filter(person=person).count() == 1
    assert (
        "dmitri@newlead.example"
        not in owner_client.get(reverse("mailbox:unmatched")).content.decode()
    )


def test_the_api_connects_reads_and_never_returns_the_password(owner, teammate):
    api = _api(owner)
    body = {
        "host": "imap.example.com",
        "port": 993,
        "security": "tls",
        "username": "o",
        "password": SECRET,
    }
    created = api.put("/api/v1/mail/mailbox", json.dumps(body), content_type="application/json")
    assert created.status_code == 200
    assert (
        SECRET not in created.content.decode()
        and "password_encrypted" not in created.content.decode()
    )
    assert created.json()["mailbox"]["has_password"] is True
    stale = api.put(
        "/api/v1/mail/mailbox", json.dumps(body | {"version": 99}), content_type="application/json"
    )
    assert stale.status_code == 422
    bad = api.put(
        "/api/v1/mail/mailbox", json.dumps(body | {"port": 0}), content_type="application/json"
    )
    assert bad.status_code == 422
    assert _api(teammate).get("/api/v1/mail/mailbox").json() == {
        "connected": False,
        "mailbox": None,
    }
    assert api.post("/api/v1/mail/mailbox/sync").status_code == 202
    assert api.delete("/api/v1/mail/mailbox").status_code == 204
    assert not Mailbox.objects.exists()


def test_the_api_imports_and_turns_an_unmatched_sender_into_a_person(owner, teammate, viewer):
    api = _api(owner)
    upload = SimpleUploadedFile(
        "one.eml", (MESSAGES / "06_stranger_cyrillic_base64.eml").read_bytes()
    )
    report = api.post("/api/v1/mail/import", {"file": upload})
    assert report.status_code == 200 and report.json()["unmatched"] == 1
    listed = api.get("/api/v1/mail/unmatched").json()
    assert listed["count"] == 1 and listed["items"][0]["name"] == "Дмитрий Иванов"
    pk = listed["items"][0]["id"]
    assert (
        _api(teammate)
        .post(f"/api/v1/mail/unmatched/{pk}/person", "{}", content_type="application/json")
        .status_code
        == 404
    )
    assert (
        _api(viewer)
        .post(f"/api/v1/mail/unmatched/{pk}/person", "{}", content_type="application/json")
        .status_code
        == 403
    )
    made = api.post(
        f"/api/v1/mail/unmatched/{pk}/person",
        json.dumps({"first_name": "Dima"}),
        content_type="application/json",
    )
    assert made.status_code == 201 and made.json()["interactions_logged"] == 1
    assert Person.objects.get(pk=made.json()["person_id"]).first_name == "Dima"


def test_the_cli_imports_a_file_and_lists_what_is_unmatched(owner, teammate, tmp_path):
    path = tmp_path / "export.mbox"
    path.write_bytes(_mbox("06_stranger_cyrillic_base64.eml", "07_forged_team_sender.eml"))
    out = io.StringIO()
    call_command("mail", "import", str(path), stdout=out)
    assert "2 messages" in out.getvalue() and "1 suspicious" in out.getvalue()
    out = io.StringIO()
    call_command("mail", "unmatched", stdout=out)
    assert "dmitri@newlead.example" in out.getvalue() and "SUSPICIOUS" in out.getvalue()
    with pytest.raises(CommandError, match="No file"):
        call_command("mail", "import", str(tmp_path / "missing.mbox"))
    out = io.StringIO()
    call_command("mail", "sync", stdout=out)
    assert "No mailbox is connected." in out.getvalue()
