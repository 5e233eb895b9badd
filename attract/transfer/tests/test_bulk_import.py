"""Plain new persons are written in bulk at the end of each batch: the same records, history
and outcomes as the one-by-one path, and the rows that need the services still get them."""

from __future__ import annotations

from attract.people import services as people
from attract.people.models import Company, EmailAddress, Person
from attract.transfer.importing import (
    import_job_configure,
    import_job_create,
    import_job_process,
    import_job_start,
    import_job_undo,
)
from attract.transfer.models import RowOutcome

ROWS = (
    b"First Name,Last Name,Email,Phone Number,Company Name,Tags\n"
    b"Ada,Lovelace,ada@example.com,+44 20 7946 0958,New Engines Ltd,\n"
    b"Ada,Lovelace,ADA@example.com,,New Engines,\n"
    b"Bea,Stone,bea@example.com,,New Engines Ltd,vip\n"
    b"Cy,Hidden,secret@example.com,,,\n"
    b"Dee,Long," + b"x" * 10 + b"@example.com,,New Engines Ltd,\n"
)


def _import(owner, data=ROWS, **options):
    job = import_job_create(actor=owner, kind="persons", file_name="p.csv", chunks=iter([data]))
    import_job_configure(actor=owner, job=job, mapping=job.mapping, **options)
    import_job_start(actor=owner, job=job)
    return import_job_process(job=job, batch_size=3)


def test_bulk_rows_get_records_history_and_outcomes(owner, outsider):
    people.person_create(
        actor=outsider, first_name="Pri", last_name="Vate", emails=["secret@example.com"],
        is_private=True,
    )  # fmt: skip
    job = _import(owner)
    assert (job.created_count, job.skipped_count, job.rejected_count) == (3, 1, 1)
    ada = Person.objects.get(first_name="Ada")
    assert ada.created_by == owner and ada.owner == owner
    assert ada.search_name == "ada lovelace"
    assert ada.history.count() == 1
    assert ada.history.get().history_user == owner
    email = EmailAddress.objects.get(person=ada)
    assert email.is_primary and email.history.count() == 1
    assert ada.phones.get().number == "+442079460958"
    company = Company.objects.get()
    assert company.name == "New Engines Ltd" and company.history.count() == 1
    assert set(company.persons.values_list("first_name", flat=True)) == {"Ada", "Bea", "Dee"}
    # A tagged row went through the service, with the company the batch had written.
    assert list(Person.objects.get(first_name="Bea").tags.values_list("name", flat=True)) == ["vip"]
    rows = {row.line: row for row in job.rows.all()}
    assert rows[2].person_id == ada.pk and rows[2].company_id == company.pk
    assert rows[3].outcome == RowOutcome.SKIPPED
    # An address a private person holds is refused without naming them.
    assert rows[5].outcome == RowOutcome.REJECTED
    assert "already belongs to another person" in rows[5].reason
    import_job_undo(actor=owner, job=job)
    assert not Person.objects.filter(created_by=owner).exists()
    assert not Company.objects.exists()


def test_update_of_a_row_written_earlier_in_the_same_batch(owner):
    data = (
        b"First Name,Last Name,Email,Job Title\n"
        b"Ada,Lovelace,ada@example.com,\n"
        b"Ada,Lovelace,ada@example.com,Countess\n"
    )
    job = _import(owner, data, on_duplicate="update")
    assert (job.created_count, job.updated_count) == (1, 1)
    assert Person.objects.get().job_title == "Countess"


def _columns(record, *, leaving_out: set[str]) -> dict:
    fields = record._meta.concrete_fields
    return {f.attname: getattr(record, f.attname) for f in fields if f.attname not in leaving_out}


def test_a_bulk_written_person_has_every_value_the_service_would_give(owner):
    """The bulk write (plain INSERTs on SQLite, COPY on PostgreSQL) stores the same values,
    booleans, empty values, times and characters COPY escapes included, as person_create."""
    title = "Countess \\ of\tLovelace, \\N"
    _import(
        owner,
        b"First Name,Last Name,Email,Phone Number,Job Title\n"
        b'Ada,Lovelace,ada@example.com,+44 20 7946 0958,"' + title.encode() + b'"\n',
    )
    imported = Person.objects.get(first_name="Ada")
    created = people.person_create(
        actor=owner,
        first_name="Ada",
        last_name="Lovelace",
        job_title=title,
        emails=["ada@example.org"],
        phones=["+44 20 7946 0959"],
    )
    own = {"id", "person_id", "email", "number", "created_at", "updated_at"}
    own_history = own | {"history_id", "history_date", "history_change_reason"}
    assert imported.job_title == title
    assert _columns(imported, leaving_out=own) == _columns(created, leaving_out=own)
    assert imported.created_at.tzinfo is not None and imported.created_at <= created.created_at
    for kept, made in [
        (imported.history.get(), created.history.get()),
        (imported.emails.get(), created.emails.get()),
        (imported.emails.get().history.get(), created.emails.get().history.get()),
        (imported.phones.get(), created.phones.get()),
        (imported.phones.get().history.get(), created.phones.get().history.get()),
    ]:
        assert _columns(kept, leaving_out=own_history) == _columns(made, leaving_out=own_history)


def test_bulk_persons_are_found_by_the_name_search_and_the_trigger_stays(owner):
    """On SQLite the batch's names go into the trigram index in one statement, the insert
    trigger set aside meanwhile: the names are searchable, and a person created afterwards
    (through the trigger, back in place) too."""
    from django.db import connection

    from attract.core import trigram_index
    from attract.people.name_index import PERSON_NAMES
    from attract.people.selectors import person_list_for_user

    _import(owner)
    found = {p.full_name for p in person_list_for_user(user=owner, search="lovel")}
    assert found == {"Ada Lovelace"}
    people.person_create(actor=owner, first_name="Zed", last_name="Afterwards")
    assert [p.full_name for p in person_list_for_user(user=owner, search="afterw")] == [
        "Zed Afterwards"
    ]
    if trigram_index.in_use(connection):
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT count(*) FROM sqlite_master WHERE type = 'trigger' AND name = %s",
                [PERSON_NAMES.insert_trigger],
            )
            assert cursor.fetchone()[0] == 1
