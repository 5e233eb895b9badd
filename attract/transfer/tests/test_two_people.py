"""Issue 11: two people are two people. A shared switchboard, a close name or a namesake
without a company is at most a possible duplicate, shown in the dry run for the user."""

from __future__ import annotations

from pathlib import Path

from django.core.management import call_command

from attract.people import services as people
from attract.people.models import Company, Person
from attract.transfer.importing import (
    import_dry_run,
    import_job_configure,
    import_job_create,
    import_job_process,
    import_job_start,
)
from attract.transfer.matching import company_key, company_name_key

FILES = Path(__file__).parent / "files"


def _job(owner, name: str, kind: str = "persons", data: bytes | None = None):
    data = data if data is not None else (FILES / name).read_bytes()
    return import_job_create(actor=owner, kind=kind, file_name=name, chunks=iter([data]))


def _configure(owner, job, **options):
    return import_job_configure(actor=owner, job=job, mapping=job.mapping, **options)


def _run(owner, job, **options):
    _configure(owner, job, **options)
    import_job_start(actor=owner, job=job)
    return import_job_process(job=job)


def _emails(person: Person) -> list[str]:
    return list(person.emails.values_list("email", flat=True))


def test_company_names_compare_their_legal_form_in_one_spelling():
    assert company_name_key("Acme Corp.") == company_name_key("ACME Corporation") == "acme corp"
    assert company_name_key("Acme, Inc.") == "acme inc"
    assert company_key("Acme, Inc.") == company_key("Acme Corporation") == "acme"


def test_people_behind_one_switchboard_stay_apart_even_on_update(owner):
    job = _run(owner, _job(owner, "shared_switchboard.csv"), on_duplicate="update")
    assert (job.created_count, job.updated_count, job.rejected_count) == (4, 1, 0)
    people_by_name = {p.first_name: p for p in Person.objects.all()}
    assert set(people_by_name) == {"Anna", "Bo", "Carl", "Dana"}
    for person in people_by_name.values():
        assert len(_emails(person)) == 1  # nobody holds another's address
    assert list(people_by_name["Carl"].phones.values_list("number", flat=True)) == [
        "+14155550100;ext=4601"
    ]
    # Row 6 (Anna, no email, the switchboard's number) is Anna: nothing disagrees.
    assert job.rows.get(line=6).outcome == "updated"
    assert "possibly the same person: same phone" in job.rows.get(line=3).reason
    # Acme Corp. and ACME CORPORATION are Acme Corporation; "Acme, Inc." is filed under it too.
    assert Company.objects.count() == 1


def test_the_dry_run_lists_possible_duplicates_and_look_alike_companies(owner):
    job = _job(owner, "shared_switchboard.csv")
    _configure(owner, job, on_duplicate="update")
    report = import_dry_run(actor=owner, job=job)
    assert report.counts == {"created": 4, "updated": 1, "skipped": 0, "rejected": 0}
    matches = {line: (outcome, why) for line, outcome, why in report.matches}
    assert matches[3] == (
        "created",
        "possibly the same person: same phone +14155550100, but another email address",
    )
    assert matches[6] == ("updated", "same phone +14155550100")
    assert report.companies == [
        ("Acme, Inc.", "company name “Acme Corporation” but another legal form")
    ]


def test_the_user_decides_a_possible_duplicate_row_by_row(owner):
    job = _job(owner, "shared_switchboard.csv")
    job = _run(owner, job, on_duplicate="update", overrides={"3": "skip"})
    assert job.rows.get(line=3).outcome == "skipped"
    assert not Person.objects.filter(first_name="Bo").exists()


def test_close_names_and_namesakes_without_a_company_are_not_merged(owner):
    people.person_create(actor=owner, first_name="John", last_name="Smith")
    job = _job(owner, "close_names.csv")
    _configure(owner, job, on_duplicate="update")
    report = import_dry_run(actor=owner, job=job)
    whys = {line: why for line, _, why in report.matches}
    assert whys[3].startswith("possibly the same person: name close to “ana lindqvist”")
    assert whys[4] == "possibly the same person: same name, no company"
    job = _run(owner, job, on_duplicate="update")
    assert job.created_count == 4 and job.updated_count == 0
    assert Person.objects.filter(last_name="Lindqvist").count() == 2
    assert _emails(Person.objects.get(first_name="Åsa")) == ["asa@norr.example"]
    assert Person.objects.filter(first_name="John", last_name="Smith").count() == 3


def test_the_same_email_is_still_the_same_person(owner):
    people.person_create(actor=owner, first_name="Ann", last_name="Lee", emails=["ann@example.com"])
    data = b"Name,Email\nAnnie Lee-Smith,ANN@example.com\n"
    job = _run(owner, _job(owner, "same.csv", data=data), on_duplicate="update")
    assert job.updated_count == 1 and Person.objects.count() == 1


def test_a_company_import_flags_another_legal_form_as_possibly_the_same(owner):
    people.company_create(actor=owner, name="Acme Corporation")
    data = b"Name\nAcme, Inc.\nACME Corp\n"
    job = _job(owner, "companies.csv", kind="companies", data=data)
    _configure(owner, job)
    report = import_dry_run(actor=owner, job=job)
    matches = {line: (outcome, why) for line, outcome, why in report.matches}
    assert matches[2] == (
        "created",
        "possibly the same company: company name “Acme Corporation” but another legal form",
    )
    assert matches[3] == ("skipped", "same company name")
    job = _run(owner, job, overrides={"2": "skip"})
    assert Company.objects.count() == 1


def test_cli_dry_run_prints_possible_duplicates(owner, tmp_path, capsys):
    call_command("import", "persons", str(FILES / "shared_switchboard.csv"), "--dry-run")
    out = capsys.readouterr().out
    assert "line 3: created, possibly the same person: same phone" in out
    assert "company “Acme, Inc.”: company name “Acme Corporation” but another legal form" in out
