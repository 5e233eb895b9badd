from __future__ import annotations

import csv
import io
import sqlite3
import zipfile

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from attract.people import services as people
from attract.people.models import Company, Person
from attract.transfer.models import ImportJob
from attract.transfer.tests.conftest import DATA, write


def _call(*args) -> str:
    out = io.StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


def test_import_persons_with_map_and_dry_run_changes_nothing(owner, tmp_path):
    path = write(tmp_path, "p.csv", b"Nom;Courriel\nDupont;jean@example.fr\n")
    out = _call(
        "import",
        "persons",
        str(path),
        "--map",
        "Nom=last_name",
        "--map",
        "Courriel=email",
        "--dry-run",
    )
    assert "1 created" in out and "Nothing was changed" in out
    assert not Person.objects.exists()


def test_import_persons_then_undo(owner, tmp_path):
    path = write(tmp_path, "p.csv", b"Nom;Courriel\nDupont;jean@example.fr\n;bad\n")
    out = _call("import", "persons", str(path), "--map", "Nom=last_name", "--map", "Courriel=email")
    assert "1 created" in out and "1 rejected" in out and "line 3" in out
    assert Person.objects.get().emails.get().email == "jean@example.fr"
    _call("import", "undo", str(ImportJob.objects.get().pk))
    assert not Person.objects.exists()


def test_import_a_file_that_is_not_csv_exits_with_a_message(owner, tmp_path):
    path = write(tmp_path, "x.csv", bytes(range(256)) * 10)
    with pytest.raises(CommandError, match="not a CSV"):
        _call("import", "persons", str(path))
    assert not ImportJob.objects.exists()


def test_thunderbird_address_book_row_with_a_reserved_domain_keeps_the_person(owner):
    out = _call(
        "import", "persons", str(DATA / "thunderbird_import_tests" / "basic_addressbook.csv")
    )
    assert "First Name → first_name" in out and "Primary Email → email" in out
    assert "1 created" in out and "0 rejected" in out
    assert "line 2: Kept as written, not a valid address" in out and "special-use" in out
    person = Person.objects.get()
    assert "special-use" in person.unreadable.get(kind="email").reason


def test_import_vcards_from_real_exports(owner):
    for name in [
        "rfc2426-example.vcf",
        "outlook-2007.vcf",
        "John_Doe_IPHONE.vcf",
        "rfc6350-example.vcf",
    ]:
        _call("import", "persons", str(DATA / "ez_vcard_tests" / name), "--on-duplicate", "update")
    names = set(Person.objects.values_list("last_name", flat=True))
    assert {"Doe"} <= names and len(names) >= 3


def test_export_persons_neutralises_formulas(owner, tmp_path):
    people.person_create(
        actor=owner, first_name='=HYPERLINK("x")', last_name="+1", job_title="@SUM(A1)"
    )
    path = tmp_path / "out.csv"
    _call("export", "persons", str(path))
    rows = list(csv.reader(path.read_text(encoding="utf-8-sig").splitlines()))
    assert rows[1][:2] == ['\'=HYPERLINK("x")', "'+1"] and rows[1][6] == "'@SUM(A1)"


def test_vcard_export_can_be_imported_again(owner, tmp_path):
    people.person_create(
        actor=owner, first_name="Zoë", last_name="Müller", emails=["zoe@example.com"]
    )
    for version in ("3.0", "4.0"):
        path = tmp_path / f"p{version}.vcf"
        _call("export", "persons", str(path), "--vcard", version)
        assert f"VERSION:{version}" in path.read_text()
        out = _call("import", "persons", str(path))
        assert "1 skipped" in out


def test_full_export_restores_an_empty_installation_identically(
    owner, tmp_path, django_db_reset_sequences
):
    acme = people.company_create(actor=owner, name="Acme")
    people.person_create(
        actor=owner, first_name="Ada", company=acme, emails=["ada@example.com"], tags=["vip"]
    )
    first = tmp_path / "one.zip"
    _call("export", "all", str(first))
    with pytest.raises(CommandError, match="already has data"):
        _call("restore", str(first))
    call_command("flush", "--no-input")
    _call("restore", str(first))
    assert Person.objects.get().company == Company.objects.get()
    second = tmp_path / "two.zip"
    _call("export", "all", str(second))

    def read(path):
        return zipfile.ZipFile(path).read("attract.json")

    assert read(first) == read(second)


@pytest.mark.django_db(transaction=True)
def test_backup_is_a_readable_sqlite_copy(owner, tmp_path):
    people.person_create(actor=owner, first_name="Ada")
    path = tmp_path / "copy.sqlite3"
    if connection.vendor != "sqlite":
        # On PostgreSQL the command says what to use instead, and writes nothing.
        with pytest.raises(CommandError, match="pg_dump"):
            _call("backup", str(path))
        assert not path.exists()
        return
    _call("backup", str(path))
    with sqlite3.connect(path) as copy:
        assert copy.execute("select first_name from people_person").fetchall() == [("Ada",)]


def test_a_full_export_keeps_times_to_the_microsecond(owner, tmp_path):
    from datetime import UTC, datetime

    from attract.transfer.archive import full_export

    person = people.person_create(actor=owner, first_name="Ada")
    exact = datetime(2026, 11, 23, 23, 53, 37, 412, tzinfo=UTC)  # under a millisecond
    Person.objects.filter(pk=person.pk).update(created_at=exact)
    path = tmp_path / "all.zip"
    full_export(path, exporter=owner)
    assert (
        '"created_at": "2026-11-23T23:53:37.000412Z"'
        in zipfile.ZipFile(path).read("attract.json").decode()
    )


def test_the_cli_imports_inline_and_queues_nothing(owner, tmp_path):
    from django_tasks_db.models import DBTaskResult

    path = write(tmp_path, "p.csv", b"First Name,Email\nAda,ada@example.com\n")
    _call("import", "persons", str(path))
    assert ImportJob.objects.get().status == "done" and Person.objects.count() == 1
    assert not DBTaskResult.objects.exists()


def test_queue_puts_the_import_on_the_queue_and_process_runs_it(owner, tmp_path):
    from attract.jobs.testing import run_queued_tasks

    path = write(tmp_path, "p.csv", b"First Name,Email\nAda,ada@example.com\n")
    out = _call("import", "persons", str(path), "--queue")
    job = ImportJob.objects.get()
    assert f"Import #{job.pk} queued" in out and job.status == "queued"
    assert not Person.objects.exists()
    out = _call("import", "process")  # no worker running: the command runs it here
    assert "1 created" in out and Person.objects.count() == 1
    run_queued_tasks()  # the task then finds nothing left to do
    job.refresh_from_db()
    assert job.status == "done" and job.rows.count() == 1


def test_wait_follows_the_queued_import_until_the_worker_finishes_it(owner, tmp_path, monkeypatch):
    import importlib

    from attract.jobs.testing import run_queued_tasks

    command = importlib.import_module("attract.transfer.management.commands.import")

    # The worker runs while the command waits (here, during its first pause).
    monkeypatch.setattr(command.time, "sleep", lambda seconds: run_queued_tasks())
    path = write(tmp_path, "p.csv", b"First Name,Email\nAda,ada@example.com\nBo,bad\n")
    out = _call("import", "persons", str(path), "--wait")
    assert "queued" in out and "2 created" in out and "line 3: Kept as written" in out
    assert Person.objects.count() == 2 and ImportJob.objects.get().status == "done"
