"""Private stays private in exports: the owner's full export holds only the owner's own
thank-you notes (and restore says so); the CLI's --as exports and lists show a user exactly
what the web shows them."""

from __future__ import annotations

import csv
import io
import json
import zipfile

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse

from attract.attraction.services import thank_you_note_create
from attract.people import services as people
from attract.people.tests.factories import CompanyFactory

pytestmark = pytest.mark.django_db


def _call(*args) -> str:
    out = io.StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


def _notes_in(archive: zipfile.ZipFile) -> list[str]:
    records = json.loads(archive.read("attract.json"))
    return [r["fields"]["text"] for r in records if r["model"] == "attraction.thankyounote"]


def test_the_full_export_holds_the_owners_notes_only(owner, teammate, owner_client, tmp_path):
    thank_you_note_create(actor=owner, text="Thanks from the owner")
    thank_you_note_create(actor=teammate, text="Tom's secret thanks")
    response = owner_client.get(reverse("transfer:export_all"))
    web = zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))
    assert _notes_in(web) == ["Thanks from the owner"]

    path = tmp_path / "all.zip"
    said = _call("export", "all", str(path))
    assert "owner@example.com's only" in said
    assert _notes_in(zipfile.ZipFile(path)) == ["Thanks from the owner"]


def test_restore_says_whose_notes_came_back(owner, teammate, tmp_path, django_db_reset_sequences):
    thank_you_note_create(actor=teammate, text="Tom's secret thanks")
    path = tmp_path / "all.zip"
    _call("export", "all", str(path))
    call_command("flush", "--no-input")
    said = _call("restore", str(path))
    assert "only owner@example.com's are in this export" in said


def test_only_the_owner_may_export_everything_from_the_terminal(teammate, tmp_path):
    with pytest.raises(CommandError, match="Only the owner"):
        _call("export", "all", str(tmp_path / "x.zip"), "--as", teammate.email)
    assert not (tmp_path / "x.zip").exists()


@pytest.fixture
def shared_person_at_private_company(owner):
    hidden = CompanyFactory(owner=owner, name="Zanzibar Hidden Holdings", is_private=True)
    return people.person_create(actor=owner, first_name="Ann", last_name="Lee", company=hidden)


def test_export_persons_as_a_teammate_matches_the_web_export(
    shared_person_at_private_company, teammate, teammate_client, tmp_path
):
    path = tmp_path / "persons.csv"
    _call("export", "persons", str(path), "--as", teammate.email)
    cli = path.read_text(encoding="utf-8-sig")
    web = b"".join(teammate_client.get(reverse("transfer:export_persons")).streaming_content)
    assert "Zanzibar" not in cli
    assert list(csv.reader(io.StringIO(cli))) == list(
        csv.reader(io.StringIO(web.decode("utf-8-sig")))
    )
    vcards = tmp_path / "persons.vcf"
    _call("export", "persons", str(vcards), "--vcard", "3.0", "--as", teammate.email)
    assert "Ann" in vcards.read_text() and "Zanzibar" not in vcards.read_text()


def test_people_list_as_a_teammate_shows_what_the_web_list_shows(
    shared_person_at_private_company, teammate, teammate_client, owner
):
    listed = _call("people", "list", "--as", teammate.email)
    assert "Ann Lee" in listed and "Zanzibar" not in listed and "a private company" in listed
    web = teammate_client.get(reverse("people:person_list")).content.decode()
    assert "Zanzibar" not in web and "a private company" in web
    assert "Zanzibar" in _call("people", "list", "--as", owner.email)
