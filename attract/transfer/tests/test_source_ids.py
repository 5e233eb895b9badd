"""Each imported record keeps its id in the CRM it came from: a Salesforce Contact's Id on
the person, an Account's on the company, an Opportunity's on the deal. So a contacts file
linking by AccountId finds the company imported first, and the same contacts exported
again are found by their Id."""

from __future__ import annotations

import csv
import io

import pytest

from attract.people.models import Company, Person
from attract.transfer.importing import (
    import_dry_run,
    import_job_configure,
    import_job_create,
    import_job_process,
    import_job_start,
)
from attract.transfer.tests.conftest import DATA

pytestmark = pytest.mark.django_db
FOLDER = DATA / "salesforce_data_cloud_workshop"


def _job(owner, name: str, data: bytes, kind: str = "persons"):
    return import_job_create(actor=owner, kind=kind, file_name=name, chunks=iter([data]))


def _run(owner, job, **options):
    import_job_configure(actor=owner, job=job, mapping=job.mapping, **options)
    import_job_start(actor=owner, job=job)
    return import_job_process(job=job)


def test_salesforce_contacts_keep_their_id_and_link_to_their_account(owner):
    accounts = _run(
        owner, _job(owner, "Account.csv", (FOLDER / "Account.csv").read_bytes(), "companies")
    )
    companies = Company.objects.count()
    contacts = _job(owner, "Contact.csv", (FOLDER / "Contact.csv").read_bytes())
    assert contacts.mapping["Id"] == "source_id"
    assert contacts.mapping["AccountId"] == "account_id"
    contacts = _run(owner, contacts)
    assert contacts.rejected_count == 0 and contacts.created_count > 30
    with_id = Person.objects.exclude(source_id="")
    assert with_id.count() == contacts.created_count
    # Every contact with the AccountId of an imported account is at that company (the
    # others at their Current_Employer__c, by name).
    with_account = {
        row["Id"]: row["AccountId"]
        for row in csv.DictReader(io.StringIO((FOLDER / "Contact.csv").read_text("utf-8-sig")))
        if row["AccountId"]
    }
    assert len(with_account) == 18
    for source_id, account_id in with_account.items():
        assert Person.objects.get(source_id=source_id).company.source_id == account_id
    assert Company.objects.exclude(source_id="").count() == companies == accounts.created_count
    # The same file again: each contact found by their Id, nobody created twice.
    again = _run(owner, _job(owner, "Contact.csv", (FOLDER / "Contact.csv").read_bytes()))
    assert again.created_count == 0
    assert again.rows.filter(reason__contains="same id in the other CRM").exists()


def test_a_person_is_found_by_their_id_even_with_another_email(owner):
    _run(
        owner,
        _job(owner, "a.csv", b"Id,FirstName,LastName,Email\n003A,Ada,Lovelace,ada@old.example\n"),
    )
    job = _job(owner, "b.csv", b"Id,FirstName,LastName,Email\n003A,Ada,Lovelace,ada@new.example\n")
    import_job_configure(actor=owner, job=job, mapping=job.mapping, on_duplicate="update")
    report = import_dry_run(actor=owner, job=job)
    assert report.matches == [(2, "updated", "same id in the other CRM")]
    import_job_start(actor=owner, job=job)
    import_job_process(job=job)
    ada = Person.objects.get()
    assert ada.source_id == "003A"
    assert sorted(ada.emails.values_list("email", flat=True)) == [
        "ada@new.example",
        "ada@old.example",
    ]


def test_a_contact_whose_account_was_not_imported_says_so(owner):
    data = b"Id,FirstName,LastName,AccountId,Account Name\n003B,Bo,Berg,001MISSING,Berg AB\n"
    job = _run(owner, _job(owner, "c.csv", data))
    row = job.rows.get()
    assert row.outcome == "created"
    assert "No company has the account id 001MISSING" in row.notes
    assert Person.objects.get().company.name == "Berg AB"  # by its name, as before
