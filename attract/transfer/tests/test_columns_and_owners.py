"""Issue 11: the columns people really have — numbered, other tools', German, French and
Spanish; owner columns mapped to team members, unknown owners listed for the user to map;
a row that is one quoted field said as such; columns left out named after the import."""

from __future__ import annotations

from pathlib import Path

from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse

from attract.people.models import Company, Person
from attract.transfer.importing import (
    import_dry_run,
    import_job_configure,
    import_job_create,
    import_job_process,
    import_job_start,
)
from attract.transfer.models import ImportJob
from attract.transfer.presets import suggest_mapping

FILES = Path(__file__).parent / "files"


def _job(owner, name: str, data: bytes | None = None, kind: str = "persons"):
    data = data if data is not None else (FILES / name).read_bytes()
    return import_job_create(actor=owner, kind=kind, file_name=name, chunks=iter([data]))


def _run(owner, job, **options):
    import_job_configure(actor=owner, job=job, mapping=job.mapping, **options)
    import_job_start(actor=owner, job=job)
    return import_job_process(job=job)


def test_columns_people_really_have_are_recognised():
    headers = ["Email 1", "Email 2", "Email 3", "Phone 1", "Phone 2", "Home Phone",
               "Organization - Name", "Contact owner"]  # fmt: skip
    mapping = suggest_mapping("persons", headers)
    assert mapping["Email 1"] == "email" and mapping["Email 3"] == "email_3"
    assert mapping["Phone 2"] == "phone_2" and mapping["Home Phone"] == "phone_3"
    assert mapping["Organization - Name"] == "company"
    assert mapping["Contact owner"] == "owner"
    pipedrive = suggest_mapping("persons", ["Person - Name", "Person - Email"])
    assert pipedrive == {"Person - Name": "full_name", "Person - Email": "email"}
    assert suggest_mapping("persons", ["E-mail Address"]) == {"E-mail Address": "email"}
    french = suggest_mapping("persons", ["Prénom", "Nom", "Courriel", "Téléphone", "Société"])
    assert list(french.values()) == ["first_name", "last_name", "email", "phone", "company"]
    spanish = suggest_mapping("persons", ["Nombre", "Apellidos", "Correo electrónico", "Móvil"])
    assert list(spanish.values()) == ["first_name", "last_name", "email", "phone_2"]
    for header in ("Owner", "Sales agent", "OwnerId"):
        assert suggest_mapping("persons", [header]) == {header: "owner"}


def test_german_columns_owners_and_a_row_that_is_one_quoted_field(owner, teammate):
    job = _job(owner, "german_owners.csv")
    assert job.mapping == {
        "Vorname": "first_name", "Nachname": "last_name", "E-Mail-Adresse": "email",
        "Telefon": "phone", "Handy": "phone_2", "Firma": "company", "Position": "job_title",
        "Land": "country", "Kontaktinhaber": "owner",
    }  # fmt: skip
    import_job_configure(actor=owner, job=job, mapping=job.mapping)
    report = import_dry_run(actor=owner, job=job)
    assert report.owners == [("Max Mustermann", 1)]
    assert report.rejected == [
        (4, "1 column, expected 10: the whole row is one quoted field, so its separators "
            "are read as text.")
    ]  # fmt: skip
    job = _run(owner, job, owner_mapping={"Max Mustermann": str(teammate.pk)})
    assert (job.created_count, job.rejected_count) == (2, 1)
    keller = Person.objects.get(last_name="Keller")
    assert keller.owner == owner  # named by their name
    assert list(keller.phones.values_list("number", flat=True)) == [
        "+49301234567",
        "+4915123456789",
    ]  # Land: Deutschland
    assert Person.objects.get(last_name="Vogel").owner == teammate  # mapped by the user


def test_an_unknown_owner_is_the_importers_and_said_so(owner):
    job = _run(owner, _job(owner, "german_owners.csv"))
    vogel = Person.objects.get(last_name="Vogel")
    assert vogel.owner == owner
    row = job.rows.get(line=3)
    assert "Owner “Max Mustermann” is not a team member" in row.notes


def test_owner_by_email_and_for_companies(owner, teammate):
    data = b"Name,Owner\nAcme Ltd,TEAMMATE@example.com\nZeta AG,\n"
    job = _run(owner, _job(owner, "c.csv", data, kind="companies"))
    assert job.created_count == 2
    assert Company.objects.get(name="Acme Ltd").owner == teammate
    assert Company.objects.get(name="Zeta AG").owner == owner


def test_the_page_lists_unknown_owners_to_map_and_names_unmapped_columns(
    owner, owner_client, teammate
):
    data = (FILES / "german_owners.csv").read_bytes()
    response = owner_client.post(
        reverse("transfer:import_start"),
        {"kind": "persons", "file": SimpleUploadedFile("de.csv", data)},
    )
    url = response["Location"]
    job = ImportJob.objects.get()
    post = {f"map-{i}": job.mapping.get(h, "") for i, h in enumerate(job.headers)}
    post.update(action="dry_run", on_duplicate="skip", unreadable="keep")
    page = owner_client.post(url, post).content.decode()
    assert "Owners who are not on the team" in page and "Max Mustermann (1 row)" in page
    assert "1 column, expected 10" in page
    post.update({"action": "start", "owner-name-1": "Max Mustermann", "owner-1": teammate.pk})
    owner_client.post(url, post)
    job.refresh_from_db()
    assert job.owner_mapping == {"Max Mustermann": str(teammate.pk)}
    import_job_process(job=job)
    progress = owner_client.get(reverse("transfer:import_progress", args=[job.pk]))
    assert "Columns not imported: <strong>Geburtstag</strong>" in progress.content.decode()
    assert Person.objects.get(last_name="Vogel").owner == teammate


def test_cli_maps_owners_and_names_unmapped_columns(owner, teammate, capsys):
    path = str(FILES / "german_owners.csv")
    call_command("import", "persons", path, "--dry-run")
    out = capsys.readouterr().out
    assert "owner “Max Mustermann” (1 rows) is not a team member" in out
    call_command("import", "persons", path, "--owner", "Max Mustermann=teammate@example.com")
    out = capsys.readouterr().out
    assert "Columns not imported: Geburtstag." in out
    assert "line 4: 1 column, expected 10" in out
    assert Person.objects.get(last_name="Vogel").owner == teammate


def test_an_update_gives_the_record_to_the_files_owner_and_adds_its_labels(owner, teammate):
    """Owner and tags apply to an existing person (and company) the file updates, as to a new
    one; an update without an owner column leaves the owner alone; undo gives it back."""
    from attract.people import services as people

    ada = people.person_create(
        actor=owner, first_name="Ada", last_name="Lovelace", emails=["ada@example.com"],
        tags=["old"],
    )  # fmt: skip
    acme = people.company_create(actor=owner, name="Acme Ltd")
    data = b"First Name,Last Name,Email,Tags,Owner\nAda,Lovelace,ada@example.com,vip,Teammate@example.com\n"
    job = _run(owner, _job(owner, "p.csv", data), on_duplicate="update")
    assert job.updated_count == 1
    ada.refresh_from_db()
    assert ada.owner == teammate
    assert sorted(ada.tags.values_list("name", flat=True)) == ["old", "vip"]
    data = b"Name,Owner,Tags\nAcme Ltd,teammate@example.com,partner\n"
    company_job = _run(owner, _job(owner, "c.csv", data, kind="companies"), on_duplicate="update")
    assert company_job.updated_count == 1
    acme.refresh_from_db()
    assert acme.owner == teammate
    assert list(acme.tags.values_list("name", flat=True)) == ["partner"]
    # No owner column: the owner stays.
    data = b"First Name,Last Name,Email,Job Title\nAda,Lovelace,ada@example.com,Countess\n"
    _run(owner, _job(owner, "p2.csv", data), on_duplicate="update")
    ada.refresh_from_db()
    assert ada.owner == teammate and ada.job_title == "Countess"
    from attract.transfer.importing import import_job_undo

    import_job_undo(actor=owner, job=company_job)
    import_job_undo(actor=owner, job=job)
    ada.refresh_from_db()
    acme.refresh_from_db()
    assert ada.owner == owner and acme.owner == owner


USERS_CSV = (
    b"Id,Name,Email,IsActive\n"
    b"005A,Team Mate,teammate@example.com,true\n"
    b"005B,Max Mustermann,max@elsewhere.example,true\n"
)
CONTACTS_WITH_OWNER_IDS = (
    b"FirstName,LastName,Email,OwnerId\n"
    b"Ada,Lovelace,ada@example.com,005A\n"
    b"Bo,Berg,bo@example.com,005B\n"
    b"Cy,Young,cy@example.com,005UNKNOWN\n"
)


def test_owner_ids_are_read_with_the_other_crms_users_file(owner, teammate):
    """Salesforce exports owners as ids (OwnerId); its User.csv names them: a user whose email
    is a team member's owns their records, the others are listed by name to map."""
    from attract.transfer.importing import import_job_set_users

    job = _job(owner, "Contact.csv", CONTACTS_WITH_OWNER_IDS)
    assert job.mapping["OwnerId"] == "owner"
    job = import_job_set_users(actor=owner, job=job, chunks=iter([USERS_CSV]))
    assert job.owner_users["005A"] == ["Team Mate", "teammate@example.com"]
    import_job_configure(actor=owner, job=job, mapping=job.mapping)
    report = import_dry_run(actor=owner, job=job)
    assert report.owners == [("005UNKNOWN", 1), ("Max Mustermann", 1)]
    # Max is mapped by his name, as the page and --owner map any other owner value.
    import_job_configure(
        actor=owner, job=job, mapping=job.mapping, owner_mapping={"Max Mustermann": "me"}
    )
    import_job_start(actor=owner, job=job)
    job = import_job_process(job=job)
    assert Person.objects.get(first_name="Ada").owner == teammate
    assert Person.objects.get(first_name="Bo").owner == owner
    assert "Owner “005UNKNOWN” is not a team member" in job.rows.get(line=4).notes


def test_a_users_file_without_ids_is_refused_and_nothing_is_kept(owner, owner_client, tmp_path):
    from django.core.exceptions import ValidationError

    from attract.transfer.importing import import_job_set_users

    job = _job(owner, "Contact.csv", CONTACTS_WITH_OWNER_IDS)
    try:
        import_job_set_users(actor=owner, job=job, chunks=iter([b"Name,Email\nA,a@b.example\n"]))
    except ValidationError as exc:
        assert "needs an Id column" in " ".join(exc.messages)
    else:
        raise AssertionError("a users file without ids was accepted")
    ImportJob.objects.all().delete()
    response = owner_client.post(
        reverse("transfer:import_start"),
        {
            "kind": "persons",
            "file": SimpleUploadedFile("Contact.csv", CONTACTS_WITH_OWNER_IDS),
            "users_file": SimpleUploadedFile("User.csv", b"Name\nA\n"),
        },
    )
    assert response.status_code == 400 and "needs an Id column" in response.content.decode()
    assert not ImportJob.objects.exists()


def test_the_page_api_and_cli_take_the_users_file(owner, owner_client, teammate, tmp_path, capsys):
    response = owner_client.post(
        reverse("transfer:import_start"),
        {
            "kind": "persons",
            "file": SimpleUploadedFile("Contact.csv", CONTACTS_WITH_OWNER_IDS),
            "users_file": SimpleUploadedFile("User.csv", USERS_CSV),
        },
    )
    assert response.status_code == 302
    assert ImportJob.objects.get().owner_users["005B"][0] == "Max Mustermann"
    from attract.accounts.services import api_token_create

    _, secret = api_token_create(user=owner, name="t")
    response = owner_client.post(
        "/api/v1/imports",
        {
            "kind": "persons",
            "file": SimpleUploadedFile("Contact.csv", CONTACTS_WITH_OWNER_IDS),
            "users_file": SimpleUploadedFile("User.csv", USERS_CSV),
        },
        HTTP_AUTHORIZATION=f"Bearer {secret}",
    )
    assert response.status_code == 201, response.content
    assert ImportJob.objects.get(pk=response.json()["id"]).owner_users["005A"][1] == (
        "teammate@example.com"
    )
    contacts, users = tmp_path / "Contact.csv", tmp_path / "User.csv"
    contacts.write_bytes(CONTACTS_WITH_OWNER_IDS)
    users.write_bytes(USERS_CSV)
    call_command("import", "persons", str(contacts), "--users-file", str(users), "--dry-run")
    out = capsys.readouterr().out
    assert "owner “Max Mustermann” (1 rows) is not a team member" in out
    call_command("import", "persons", str(contacts), "--users-file", str(users))
    assert Person.objects.get(first_name="Ada").owner == teammate


def test_an_update_naming_an_owner_off_the_team_keeps_the_records_owner(owner, teammate):
    from attract.people import services as people

    ada = people.person_create(
        actor=teammate, first_name="Ada", last_name="Lovelace", emails=["ada@example.com"]
    )
    data = b"First Name,Last Name,Email,Owner\nAda,Lovelace,ada@example.com,Max Mustermann\n"
    job = _run(owner, _job(owner, "p.csv", data), on_duplicate="update")
    ada.refresh_from_db()
    assert job.updated_count == 1 and ada.owner == teammate
    assert "the record keeps its owner" in job.rows.get().notes
