"""Issue 11: nobody is lost for one bad value, and phone numbers are read in their own country."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.urls import reverse

from attract.core.phone_numbers import display_phone, normalise_phone
from attract.people.models import Person, UnreadableValue
from attract.people.selectors import person_list_for_user
from attract.transfer.importing import (
    import_dry_run,
    import_job_configure,
    import_job_create,
    import_job_process,
    import_job_start,
    import_job_undo,
)
from attract.transfer.models import RowOutcome

FILES = Path(__file__).parent / "files"


def _job(owner, name: str):
    data = (FILES / name).read_bytes()
    return import_job_create(actor=owner, kind="persons", file_name=name, chunks=iter([data]))


def _run(owner, job, **options):
    import_job_configure(actor=owner, job=job, mapping=job.mapping, **options)
    import_job_start(actor=owner, job=job)
    return import_job_process(job=job)


def _phones(last_name: str) -> list[str]:
    person = Person.objects.get(last_name=last_name)
    return list(person.phones.values_list("number", flat=True))


# --- Reading one number -------------------------------------------------------------------


def test_extensions_are_kept_and_shown():
    assert normalise_phone("(415) 555-0123 x4601", region="US") == "+14155550123;ext=4601"
    assert normalise_phone("+1 415 555 0123 ext. 12") == "+14155550123;ext=12"
    assert display_phone("+14155550123;ext=12") == "+1 415-555-0123 ext. 12"


def test_a_00_prefix_is_read_as_international_even_where_the_prefix_is_011():
    assert normalise_phone("0049 30 1234567", region="US") == "+49301234567"


def test_an_invalid_number_in_its_region_is_not_told_to_add_a_country_code():
    with pytest.raises(ValidationError) as caught:
        normalise_phone("(555) 555-0123", region="US")
    message = " ".join(caught.value.messages)
    assert "not a valid number in United States" in message
    assert "country code" not in message


# --- Importing --------------------------------------------------------------------------


def test_numbers_are_read_in_the_country_of_their_row(owner):
    job = _job(owner, "country_per_row.csv")
    assert job.mapping["MailingCountry"] == "country"
    job = _run(owner, job, phone_region="CH")
    assert job.rejected_count == 0 and job.created_count == 7
    assert _phones("Keller") == ["+49301234567"]  # Germany
    assert _phones("Hart") == ["+442079460958"]  # United Kingdom
    assert _phones("Walsh") == ["+14155550123;ext=4601"]  # USA, with its extension
    assert _phones("Vogel") == ["+49301234568"]  # no country: 00 49 says Germany
    assert _phones("Kron") == ["+49301234569"]  # an unknown country, but a + number
    assert _phones("Nordmann") == ["+4722123456"]  # Norway
    # An unknown country and a local number: never read in the import's region (CH).
    berg = Person.objects.get(last_name="Berg")
    assert berg.phones.count() == 0
    kept = berg.unreadable.get()
    assert kept.text == "555 0100" and kept.kind == "phone"
    assert "Atlantis" in kept.reason


def test_the_import_region_reads_rows_without_a_country(owner):
    data = b"Name,Phone\nHans Muster,044 668 18 00\n"
    job = import_job_create(actor=owner, kind="persons", file_name="ch.csv", chunks=iter([data]))
    _run(owner, job, phone_region="CH")
    assert _phones("Muster") == ["+41446681800"]


def test_a_bad_phone_or_email_never_costs_the_person(owner):
    job = _job(owner, "bad_values.csv")
    report = import_dry_run(actor=owner, job=job)
    assert report.counts["rejected"] == 0 and report.counts["created"] == 4
    reasons = dict(report.notes)
    assert "not a valid number" in reasons[3]
    assert "not a valid address" in reasons[4]
    assert "not a valid number in United States" in reasons[5]
    assert "country code" not in reasons[5]
    job = _run(owner, job)
    assert job.created_count == 4 and job.rejected_count == 0
    assert _phones("Lovelace") == ["+14155550199;ext=12"]
    email_person = Person.objects.get(first_name="Bad", last_name="Email")
    assert email_person.emails.count() == 0
    assert email_person.phones.get().number == "+442079460958"  # the good value stays
    assert email_person.unreadable.get().text == "bad at example dot com"
    row = job.rows.get(line=3)
    assert row.outcome == RowOutcome.CREATED and "+1 555 CALL-NOW" in row.notes
    # Found by search, as written.
    found = person_list_for_user(user=owner, search="555 CALL")
    assert [p.last_name for p in found] == ["Phone"]
    found = person_list_for_user(user=owner, search="bad at example")
    assert list(found) == []  # no @, no digit: a name search
    assert UnreadableValue.objects.count() == 3
    import_job_undo(actor=owner, job=job)
    assert UnreadableValue.objects.count() == 0 and Person.objects.count() == 0


def test_the_user_may_drop_unreadable_values_instead(owner):
    job = _run(owner, _job(owner, "bad_values.csv"), keep_unreadable=False)
    assert job.created_count == 4
    assert UnreadableValue.objects.count() == 0
    assert "Dropped, not a valid number" in job.rows.get(line=3).notes


def test_the_bulk_path_and_the_reader_process_keep_values_too(owner, reader_for_any_size):
    job = _run(owner, _job(owner, "bad_values.csv"))
    assert reader_for_any_size, "the reader process ran"
    assert job.created_count == 4
    assert set(UnreadableValue.objects.values_list("text", flat=True)) == {
        "+1 555 CALL-NOW",
        "bad at example dot com",
        "(555) 555-0123",
    }
    assert UnreadableValue.history.count() == 3


def test_an_update_adds_kept_values_and_undo_takes_them_back(owner):
    _run(owner, _job(owner, "bad_values.csv"))
    again = b"First Name,Last Name,Email,Phone\nAda,Lovelace,ada@example.com,call me maybe 1\n"
    job = import_job_create(actor=owner, kind="persons", file_name="u.csv", chunks=iter([again]))
    job = _run(owner, job, on_duplicate="update")
    assert job.updated_count == 1
    ada = Person.objects.get(last_name="Lovelace")
    assert list(ada.unreadable.values_list("text", flat=True)) == ["call me maybe 1"]
    assert ada.phones.count() == 1  # kept
    import_job_undo(actor=owner, job=job)
    assert ada.unreadable.count() == 0


def test_the_page_offers_the_region_and_the_choice_and_the_person_shows_the_value(owner_client):
    upload = (FILES / "bad_values.csv").read_bytes()
    from django.core.files.uploadedfile import SimpleUploadedFile

    response = owner_client.post(
        reverse("transfer:import_start"),
        {"kind": "persons", "file": SimpleUploadedFile("bad_values.csv", upload)},
    )
    job_url = response["Location"]
    page = owner_client.get(job_url).content.decode()
    assert 'name="phone_region"' in page and 'value="drop"' in page
    from attract.transfer.models import ImportJob

    job = ImportJob.objects.get()
    post = {f"map-{i}": job.mapping.get(h, "") for i, h in enumerate(job.headers)}
    post.update(action="dry_run", phone_region="FR", unreadable="keep", on_duplicate="skip")
    body = owner_client.post(job_url, post).content.decode()
    assert "Notes on the rows" in body
    notes = body[body.index("Notes on the rows") :][:1500]
    assert "not a valid number in France" in notes, notes  # read in FR
    job.refresh_from_db()
    assert job.phone_region == "FR"
    post["action"] = "start"
    owner_client.post(job_url, post)
    import_job_process(job=ImportJob.objects.get())
    person = Person.objects.get(first_name="Bad", last_name="Phone")
    detail = owner_client.get(reverse("people:person_detail", args=[person.pk])).content.decode()
    assert "+1 555 CALL-NOW" in detail and "not a valid number" in detail
    progress = owner_client.get(reverse("transfer:import_progress", args=[job.pk]))
    assert "Notes on the rows" in progress.content.decode()


def test_a_kept_value_fixed_on_the_edit_form_becomes_a_phone(owner, owner_client):
    _run(owner, _job(owner, "bad_values.csv"))
    person = Person.objects.get(first_name="Bad", last_name="Phone")
    url = reverse("people:person_edit", args=[person.pk])
    page = owner_client.get(url).content.decode()
    assert "+1 555 CALL-NOW" in page
    response = owner_client.post(
        url,
        {
            "first_name": "Bad",
            "last_name": "Phone",
            "emails": "bad@example.com",
            "unreadable": "+1 415 555 0100\nstill not a number",
        },
    )
    assert response.status_code == 302
    person.refresh_from_db()
    assert list(person.phones.values_list("number", flat=True)) == ["+14155550100"]
    assert list(person.unreadable.values_list("text", flat=True)) == ["still not a number"]


def test_cli_takes_the_phone_region_and_drop_invalid(owner, tmp_path, capsys):
    path = tmp_path / "ch.csv"
    path.write_bytes(
        b"Name,Phone,Email\nHans Muster,044 668 18 00,x@\nEva Frei,12,eva@example.ch\n"
    )
    call_command("import", "persons", str(path), "--phone-region", "CH", "--drop-invalid")
    out = capsys.readouterr().out
    assert "2 created" in out and "0 rejected" in out
    assert "Dropped, not a valid number" in out and "Switzerland" in out
    assert _phones("Muster") == ["+41446681800"]
    assert UnreadableValue.objects.count() == 0


def test_the_api_takes_the_phone_region_and_reports_the_kept_values(owner):
    from attract.transfer.tests.test_api import _client, _json, _upload

    api = _client(owner)
    data = b"Name,Phone\nHans Muster,044 668 18 00\nEva Frei,12\n"
    job = _upload(api, data, "ch.csv").json()
    path = f"/imports/{job['id']}"
    bad = _json(api, "put", f"{path}/settings", {"mapping": job["mapping"], "phone_region": "XX"})
    assert bad.status_code == 422
    settings = {"mapping": job["mapping"], "phone_region": "ch", "keep_unreadable": True}
    assert _json(api, "put", f"{path}/settings", settings).json()["phone_region"] == "CH"
    report = _json(api, "post", f"{path}/dry-run").json()
    assert report["counts"]["created"] == 2 and report["counts"]["rejected"] == 0
    assert report["notes"] == [
        {"line": 3, "reason": "Kept as written, not a valid number: “12” is not a valid "
         "number in Switzerland, where it was read."}
    ]  # fmt: skip
