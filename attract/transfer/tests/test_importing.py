from __future__ import annotations

import itertools
from pathlib import Path

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from attract.people import services as people
from attract.people.models import Company, Person
from attract.pipeline.forecasting import learned_chances
from attract.pipeline.models import Deal, Outcome
from attract.transfer.deal_stages import stage_suggestions
from attract.transfer.importing import (
    import_dry_run,
    import_job_configure,
    import_job_create,
    import_job_process,
    import_job_start,
    import_job_undo,
    rejected_rows_csv,
)
from attract.transfer.models import ImportStatus, RowOutcome
from attract.transfer.tests.conftest import DATA

PERSONS = (
    b"First Name,Last Name,Email,Phone Number,Company Name,Job Title\n"
    b"Ada,Lovelace,ada@example.com,+44 20 7946 0958,Analytical Engines Ltd,Countess\n"
    b"Grace,Hopper,GRACE@example.com,,Navy,Rear Admiral\n"
    b",,nobody@example.com,,,\n"
    b"Ada,Lovelace,ADA@EXAMPLE.COM,,Analytical Engines,\n"
    b",,not-an-email,,,\n"
)


def _job(owner, data: bytes = PERSONS, kind: str = "persons", name: str = "people.csv"):
    return import_job_create(actor=owner, kind=kind, file_name=name, chunks=iter([data]))


def _run(owner, job, **options):
    import_job_configure(actor=owner, job=job, mapping=job.mapping, **options)
    import_job_start(actor=owner, job=job)
    return import_job_process(job=job)


def test_hubspot_columns_are_mapped_automatically(owner):
    job = _job(owner)
    assert job.mapping == {
        "First Name": "first_name",
        "Last Name": "last_name",
        "Email": "email",
        "Phone Number": "phone",
        "Company Name": "company",
        "Job Title": "job_title",
    }


def test_a_mapping_is_remembered_for_the_same_headers(owner):
    job = _job(owner)
    import_job_configure(
        actor=owner, job=job, mapping={"First Name": "first_name", "Email": "email"}
    )
    assert _job(owner).mapping == {"First Name": "first_name", "Email": "email"}


def test_dry_run_reports_and_changes_nothing(owner):
    people.person_create(
        actor=owner, first_name="Grace", last_name="H", emails=["grace@example.com"]
    )
    report = import_dry_run(actor=owner, job=_job(owner))
    assert report.counts == {"created": 1, "updated": 0, "skipped": 2, "rejected": 2}
    assert [line for line, _ in report.rejected] == [4, 6]
    assert Person.objects.count() == 1
    assert Company.objects.count() == 0


def test_import_creates_and_skips_duplicates_from_the_database_and_the_file(owner):
    existing = people.person_create(
        actor=owner, first_name="Grace", last_name="H", emails=["grace@example.com"]
    )
    job = _run(owner, _job(owner))
    assert job.status == ImportStatus.DONE
    assert (job.created_count, job.skipped_count, job.rejected_count) == (1, 2, 2)
    ada = Person.objects.get(first_name="Ada")
    assert ada.company.name == "Analytical Engines Ltd"
    assert list(ada.phones.values_list("number", flat=True)) == ["+442079460958"]
    existing.refresh_from_db()
    assert existing.last_name == "H"


def test_update_merges_the_row_and_keeps_the_replaced_value_in_history(owner):
    existing = people.person_create(
        actor=owner, first_name="Grace", last_name="H", emails=["grace@example.com"]
    )
    _run(owner, _job(owner), on_duplicate="update")
    existing.refresh_from_db()
    assert existing.last_name == "Hopper"
    assert existing.job_title == "Rear Admiral"
    assert "H" in existing.history.values_list("last_name", flat=True)
    assert existing.history.first().history_change_reason.startswith("Import #")


def test_a_row_override_beats_the_file_choice(owner):
    people.person_create(
        actor=owner, first_name="Grace", last_name="H", emails=["grace@example.com"]
    )
    job = _run(owner, _job(owner), on_duplicate="skip", overrides={"3": "update"})
    assert job.rows.get(line=3).outcome == RowOutcome.UPDATED


def test_fuzzy_name_at_the_same_company_is_a_possible_duplicate_the_user_decides(owner):
    acme = people.company_create(actor=owner, name="Acme Corporation")
    people.person_create(actor=owner, first_name="Jonathan", last_name="Smith", company=acme)
    data = b"Name,Company\nJonathon Smith,ACME Corp\nJonathan Smith,Other Inc\n"
    job = _run(owner, _job(owner, data))
    outcomes = dict(job.rows.values_list("line", "outcome"))
    assert outcomes == {2: "created", 3: "created"}  # a close name is never merged silently
    assert "possibly the same person: name close to" in job.rows.get(line=2).reason
    Person.objects.filter(first_name="Jonathon").delete()
    job = _run(owner, _job(owner, data), overrides={"2": "skip"})  # the user's decision
    assert dict(job.rows.values_list("line", "outcome"))[2] == "skipped"


def test_rejected_rows_come_back_as_a_csv_with_line_and_reason(owner):
    job = _run(owner, _job(owner))
    rows = list(rejected_rows_csv(job=job))
    assert rows[0][-2:] == ["line", "reason"]
    assert [r[-2] for r in rows[1:]] == ["4", "6"]
    assert "name" in rows[1][-1].lower()
    assert rows[2][2] == "not-an-email"


def test_undo_removes_created_records_and_restores_updated_ones(owner):
    existing = people.person_create(
        actor=owner, first_name="Grace", last_name="H", emails=["grace@example.com"]
    )
    job = _run(owner, _job(owner), on_duplicate="update")
    import_job_undo(actor=owner, job=job)
    existing.refresh_from_db()
    assert existing.last_name == "H"
    assert list(Person.objects.values_list("first_name", flat=True)) == ["Grace"]
    assert not Company.objects.exists()
    assert job.status == ImportStatus.UNDONE


def test_an_interrupted_import_resumes_without_duplicates(owner):
    data = b"first,last,email\n" + b"".join(
        f"P{i},L{i},p{i}@example.com\n".encode() for i in range(25)
    )
    job = _job(owner, data)
    import_job_configure(actor=owner, job=job, mapping=job.mapping)
    import_job_start(actor=owner, job=job)
    import_job_process(job=job, batch_size=10, max_batches=1)
    # the process dies here: the next run builds everything again from the database
    assert Person.objects.count() == 10
    job.refresh_from_db()
    import_job_process(job=job, batch_size=10)
    assert Person.objects.count() == 25
    assert job.rows.count() == 25 and job.status == ImportStatus.DONE


def test_each_run_starts_afresh_from_the_database_and_still_finds_earlier_rows(owner, monkeypatch):
    """Nothing is kept between runs (no importer cached in the process): each run builds its
    indexes from what the earlier runs committed, and so still finds their rows."""
    from attract.transfer import run

    data = b"first,last,email\n" + b"".join(
        f"P{i},L{i},p{i % 20}@example.com\n".encode() for i in range(25)
    )
    job = _job(owner, data)
    import_job_configure(actor=owner, job=job, mapping=job.mapping)
    import_job_start(actor=owner, job=job)
    built = []
    real_init = run.Importer.__init__

    def counting_init(self, *args, **kwargs):
        built.append(1)
        real_init(self, *args, **kwargs)

    monkeypatch.setattr(run.Importer, "__init__", counting_init)
    for _ in range(4):  # three batches, then the run that finds the end
        job = import_job_process(job=job, batch_size=10, max_batches=1)
    assert len(built) == 4 and job.status == ImportStatus.DONE
    # The rows of the third run that repeat an address of the first are found as duplicates.
    assert (job.created_count, job.skipped_count) == (20, 5)
    assert Person.objects.count() == 20


def test_an_interrupted_import_can_be_rolled_back(owner):
    data = b"first,email\n" + b"".join(f"P{i},p{i}@example.com\n".encode() for i in range(15))
    job = _job(owner, data)
    import_job_configure(actor=owner, job=job, mapping=job.mapping)
    import_job_start(actor=owner, job=job)
    import_job_process(job=job, batch_size=10, max_batches=1)
    import_job_undo(actor=owner, job=job)
    assert not Person.objects.exists()


def test_a_file_that_is_not_csv_changes_nothing(owner):
    with pytest.raises(ValidationError) as caught:
        _job(owner, b"\x00\x01\x02PK\x03\x04" * 100, name="photo.png")
    assert "not a CSV" in str(caught.value)
    assert not list(
        (
            Path(owner._state.db and __import__("django.conf").conf.settings.VAR_DIR) / "imports"
        ).iterdir()
    )


def test_viewer_cannot_import(viewer):
    with pytest.raises(PermissionDenied):
        _job(viewer)


def test_salesforce_contacts_import(owner):
    path = DATA / "salesforce_data_cloud_workshop" / "Contact.csv"
    job = import_job_create(
        actor=owner, kind="persons", file_name=path.name, chunks=iter([path.read_bytes()])
    )
    assert job.mapping["FirstName"] == "first_name" and job.mapping["Email"] == "email"
    job = _run(owner, job)
    assert job.created_count > 30
    # Numbers invalid in their row's country (MailingCountry US) cost nobody: each is kept
    # as written, with the true reason (no advice to add a country code they did not lack).
    assert job.rejected_count == 0
    assert job.created_count + job.skipped_count == job.total_rows
    note = job.rows.exclude(notes="").first().notes
    assert "not a valid number in United States" in note and "country code" not in note
    assert (
        Person.objects.filter(emails__email__endswith="@example.com").count() == job.created_count
    )


def test_maven_pipeline_stages_get_suggestions_and_every_row_would_import(owner):
    path = DATA / "maven_crm_sales_opportunities" / "sales_pipeline.csv"
    job = import_job_create(
        actor=owner, kind="deals", file_name=path.name, chunks=iter([path.read_bytes()])
    )
    assert job.mapping["deal_stage"] == "stage" and job.mapping["close_value"] == "revenue"
    assert stage_suggestions(job) == {
        "Won": "won",
        "Lost": "lost",
        "Engaging": "interest",
        "Prospecting": "attention",
    }
    import_job_configure(
        actor=owner, job=job, mapping=job.mapping, stage_mapping=stage_suggestions(job)
    )
    report = import_dry_run(actor=owner, job=job)
    assert report.counts["rejected"] == 0 and report.counts["created"] == job.total_rows == 8800


def test_maven_pipeline_deals_keep_their_stages_and_dates(owner):
    path = DATA / "maven_crm_sales_opportunities" / "sales_pipeline.csv"
    # The first 400 deals of the real file: enough history for learned chances, quick to run.
    with open(path, "rb") as handle:
        head = b"".join(itertools.islice(handle, 401))
    job = import_job_create(actor=owner, kind="deals", file_name=path.name, chunks=iter([head]))
    stages = {"Won": "won", "Lost": "lost", "Engaging": "interest", "Prospecting": "attention"}
    job = _run(owner, job, stage_mapping=stages)
    assert job.rejected_count == 0
    assert Deal.objects.count() == job.created_count == job.total_rows
    won = Deal.objects.get(title="1C1I7A6R")
    assert won.outcome == Outcome.WON and won.closed_at.date().isoformat() == "2017-03-01"
    assert won.created_at.date().isoformat() == "2016-10-20" and won.revenue == 1054
    assert Deal.objects.filter(outcome=Outcome.OPEN, stage="interest").exists()
    assert learned_chances()["action"].learned > 0
