"""A run to the end (the CLI's) reads and checks its rows in a second process and writes
plain new persons in bulk: the records and outcomes are those of the same import run a step
at a time, in this process (as the progress page runs it)."""

from __future__ import annotations

from attract.people.models import Person
from attract.transfer.importing import (
    import_job_configure,
    import_job_create,
    import_job_process,
    import_job_start,
)

ROWS = [
    "First Name,Last Name,Email,Company Name,Tags,Job Title",
    "Ada,Lovelace,ada@example.com,Engines Ltd,,",
    "Bea,Stone,bea@example.com,Engines Ltd,vip,",  # tags: written through the people services
    "Ada,Lovelace,ADA@example.com,Engines,,Countess",  # an update of row 2
    "Cy,Young,cy@example.com,,,",
    "Dee,Bo,not-an-address,,,",  # created, the address kept as written
    "Eve,Adams,eve@example.com,Looms plc,,",
    "Eve,Adams,eve2@example.com,Looms,,",  # same name, same company, another email: possible
    "Fay,Wu,fay@example.com,New Looms Ltd,,",
]


def _run(owner, *, step: bool):
    data = ("\n".join(ROWS) + "\n").encode()
    job = import_job_create(actor=owner, kind="persons", file_name="p.csv", chunks=iter([data]))
    import_job_configure(actor=owner, job=job, mapping=job.mapping, on_duplicate="update")
    import_job_start(actor=owner, job=job)
    if step:
        while job.status != "done":
            job = import_job_process(job=job, batch_size=2, max_batches=1)
    else:
        job = import_job_process(job=job, batch_size=2)
    outcomes = list(job.rows.order_by("line").values_list("line", "outcome", "reason"))
    persons = sorted(
        (
            p.first_name,
            p.last_name,
            p.job_title,
            p.company.name if p.company else "",
            list(p.tags.values_list("name", flat=True)),
        )
        for p in Person.objects.select_related("company")
    )
    return outcomes, persons


def test_a_run_to_the_end_gives_what_a_step_by_step_import_gives(owner, reader_for_any_size):
    to_the_end = _run(owner, step=False)
    assert reader_for_any_size  # its rows were checked by the reader process
    Person.all_objects.all().delete()
    reader_for_any_size.clear()
    stepped = _run(owner, step=True)
    assert not reader_for_any_size
    assert to_the_end == stepped
    outcomes = {line: outcome for line, outcome, _ in to_the_end[0]}
    assert outcomes == {
        2: "created", 3: "created", 4: "updated", 5: "created", 6: "created", 7: "created",
        8: "created", 9: "created",
    }  # fmt: skip
