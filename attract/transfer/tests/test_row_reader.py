"""A long persons import reads and checks its rows in a second process: the outcomes are the
ones the same import gets when every row is checked in this process, and the worker never
outlives the run."""

from __future__ import annotations

import multiprocessing

import pytest

from attract.people.models import Person
from attract.transfer import row_reader
from attract.transfer.importing import (
    Importer,
    import_dry_run,
    import_job_configure,
    import_job_create,
    import_job_process,
    import_job_start,
)
from attract.transfer.models import RowOutcome

HEADER = b"First Name,Last Name,Email,Phone Number,Company Name,Job Title\n"


def _rows(count: int) -> bytes:
    lines = []
    for n in range(count):
        # No company: names are then matched exactly, and these all differ.
        lines.append(f"Ada{n},Berg,ada{n}@example.com,+44 20 7946 {n:04d},,Buyer")
    lines += [
        "Bo,Dahl,not-an-email,,Firm 1,",  # created, the email kept as written
        ",,nameless@example.com,,,",  # refused: no name
        "Cy,Long,cy@example.com,,Firm 2," + "x" * 151,  # refused: the job title's length
        "Ada0,Berg,ADA0@EXAMPLE.COM,,Firm 0,",  # a duplicate of the first row
        'Dee,"Quote, Inc",dee@example.com,12,Firm 3,',  # created, the number kept as written
    ]
    return HEADER + "\n".join(lines).encode() + b"\n"


def _job(owner, data: bytes):
    job = import_job_create(actor=owner, kind="persons", file_name="p.csv", chunks=iter([data]))
    import_job_configure(actor=owner, job=job, mapping=job.mapping)
    import_job_start(actor=owner, job=job)
    return job


def test_the_reader_process_decides_every_row_as_the_dry_run_does(owner, reader_for_any_size):
    job = _job(owner, _rows(2500))
    planned = import_dry_run(actor=owner, job=job)
    job = import_job_process(job=job, batch_size=1000)
    assert len(reader_for_any_size) == 1  # the worker read this run
    assert job.status == "done"
    counts = {o: getattr(job, f"{o}_count") for o in RowOutcome.values}
    assert counts == planned.counts == {"created": 2502, "updated": 0, "skipped": 1, "rejected": 2}
    rejected = dict(job.rows.filter(outcome="rejected").values_list("line", "reason"))
    assert rejected == dict(planned.rejected)
    assert "job_title" in rejected[2504] and "150 characters" in rejected[2504]
    assert set(rejected) == {2503, 2504}
    # A value that cannot be read is reported the same way by both, and kept on the person.
    notes = dict(job.rows.exclude(notes="").values_list("line", "notes"))
    assert notes == dict(planned.notes)
    assert "not-an-email" in notes[2502] and "“12”" in notes[2506]
    assert Person.objects.get(first_name="Bo").unreadable.get().text == "not-an-email"
    assert Person.objects.filter(created_by=owner).count() == 2502
    assert not multiprocessing.active_children()


def test_a_short_run_or_a_small_file_checks_its_rows_in_this_process(owner, monkeypatch):
    started = []
    monkeypatch.setattr(row_reader, "checked_person_rows", lambda *a: started.append(a))
    job = _job(owner, _rows(10))
    job = import_job_process(job=job)  # 15 rows: below the worthwhile size
    assert job.created_count == 12 and not started
    monkeypatch.setattr(row_reader, "WORTHWHILE_ROWS", 1)
    job = _job(owner, _rows(10).replace(b"example.com", b"example.org"))
    import_job_process(job=job, max_batches=1)  # a run of a few batches reads in-process
    assert not started


def test_a_reader_that_fails_stops_the_run_with_nothing_written(owner, reader_for_any_size):
    job = _job(owner, _rows(1500))
    job.encoding = "no-such-codec"  # the reader process cannot read the file
    job.save(update_fields=["encoding"])
    with pytest.raises(RuntimeError, match="reader failed"):
        import_job_process(job=job, batch_size=500)
    job.refresh_from_db()
    assert job.processed_line == 0 and not Person.objects.exists()
    assert not multiprocessing.active_children()


def test_a_run_stopped_by_an_error_stops_its_reader(owner, reader_for_any_size, monkeypatch):
    job = _job(owner, _rows(3000))
    calls = []

    def failing_apply(self, line, record):
        calls.append(line)
        if len(calls) > 700:
            raise OSError("disk full")
        return apply(self, line, record)

    apply = Importer.apply
    monkeypatch.setattr(Importer, "apply", failing_apply)
    with pytest.raises(OSError, match="disk full"):
        import_job_process(job=job, batch_size=500)
    job.refresh_from_db()
    # The first batch is committed; the second rolled back; a resume continues from there.
    assert job.processed_line == 501 and Person.objects.count() == 500
    assert not multiprocessing.active_children()
