"""Imports on the background queue: a user's queued imports run one after another, a task
whose import another live task holds leaves it to that one, an import whose file was deleted
meanwhile fails with a clear reason (and the next one still runs), undo runs in the
background and stops a running import, and attract/transfer imports itself one way."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
from django.utils import timezone
from django_tasks.base import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from attract.jobs.models import WorkerHeartbeat
from attract.jobs.testing import run_queued_tasks
from attract.people.models import Person
from attract.transfer.importing import (
    import_job_configure,
    import_job_create,
    import_job_process,
    import_job_start,
    import_job_undo_queue,
)
from attract.transfer.models import ImportJob, ImportStatus

pytestmark = pytest.mark.django_db


def _rows(prefix: str, count: int) -> bytes:
    lines = "".join(f"{prefix}{n},L,{prefix}{n}@example.com\n" for n in range(count))
    return f"First Name,Last Name,Email\n{lines}".encode()


def _queued(owner, prefix: str, count: int = 3) -> ImportJob:
    job = import_job_create(
        actor=owner, kind="persons", file_name=f"{prefix}.csv", chunks=iter([_rows(prefix, count)])
    )
    import_job_configure(actor=owner, job=job, mapping=job.mapping)
    return import_job_start(actor=owner, job=job)


def _worker_alive_elsewhere(worker_id: str) -> None:
    now = timezone.now()
    WorkerHeartbeat.objects.create(
        worker_id=worker_id, hostname="elsewhere", pid=1, started_at=now, seen_at=now
    )


def test_starting_an_import_queues_it_with_its_task_and_writes_nothing(owner):
    job = _queued(owner, "a")
    assert job.status == ImportStatus.QUEUED and job.queued_at
    task = DBTaskResult.objects.get(pk=job.task_id)
    assert task.task_path == "attract.transfer.tasks.import_run"
    assert task.args_kwargs["kwargs"] == {"job_id": job.pk}
    assert not Person.objects.exists()
    run_queued_tasks()
    job.refresh_from_db()
    assert job.status == ImportStatus.DONE and Person.objects.count() == 3
    assert DBTaskResult.objects.get(pk=job.task_id).status == TaskResultStatus.SUCCESSFUL


def test_two_imports_of_one_user_run_one_after_another_in_the_order_started(owner):
    first, second = _queued(owner, "first"), _queued(owner, "second")
    # The first import's task is running in another worker (alive), holding the turn.
    _worker_alive_elsewhere("w1")
    held = DBTaskResult.objects.filter(pk=first.task_id)
    held.update(status=TaskResultStatus.RUNNING, started_at=timezone.now(), worker_ids=["w1"])
    ImportJob.objects.filter(pk=first.pk).update(runner=f"task:{first.task_id}")
    run_queued_tasks()  # claims the second one's task, which leaves the work to the first's
    second.refresh_from_db()
    assert second.status == ImportStatus.QUEUED and not Person.objects.exists()
    message = DBTaskResult.objects.get(pk=second.task_id).return_value
    assert f"Import #{first.pk} is running" in message

    # That worker died and the queue put its task back: it runs the first, then the second.
    held.update(status=TaskResultStatus.READY)
    run_queued_tasks()
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.status == second.status == ImportStatus.DONE
    assert first.finished_at <= second.started_at
    assert DBTaskResult.objects.get(pk=first.task_id).return_value == (
        f"Ran import #{first.pk}, #{second.pk}"
    )
    assert Person.objects.count() == 6


def test_another_users_import_does_not_wait(owner, teammate):
    mine = _queued(owner, "mine")
    _worker_alive_elsewhere("w1")
    DBTaskResult.objects.filter(pk=mine.task_id).update(
        status=TaskResultStatus.RUNNING, started_at=timezone.now(), worker_ids=["w1"]
    )
    ImportJob.objects.filter(pk=mine.pk).update(runner=f"task:{mine.task_id}")
    theirs = _queued(teammate, "theirs")
    run_queued_tasks()
    theirs.refresh_from_db()
    assert theirs.status == ImportStatus.DONE


def test_a_job_whose_file_was_deleted_meanwhile_fails_clearly_and_the_next_runs(owner):
    gone, next_one = _queued(owner, "gone"), _queued(owner, "next")
    Path(gone.stored_path).unlink()
    run_queued_tasks()
    gone.refresh_from_db()
    next_one.refresh_from_db()
    assert gone.status == ImportStatus.FAILED
    assert "gone.csv is no longer there" in gone.error and "upload it again" in gone.error
    # Not retried: trying again would not bring the file back.
    assert DBTaskResult.objects.get(pk=gone.task_id).status == TaskResultStatus.SUCCESSFUL
    assert next_one.status == ImportStatus.DONE
    assert list(Person.objects.values_list("first_name", flat=True).order_by("pk")) == [
        "next0",
        "next1",
        "next2",
    ]


def test_undo_runs_in_the_background(owner, owner_client):
    job = _queued(owner, "u")
    run_queued_tasks()
    job = import_job_undo_queue(actor=owner, job=job)
    assert job.status == ImportStatus.UNDOING and Person.objects.count() == 3
    run_queued_tasks()
    job.refresh_from_db()
    assert job.status == ImportStatus.UNDONE and not Person.objects.exists()


def test_undo_of_a_running_import_stops_it_and_takes_back_its_batches(owner):
    job = _queued(owner, "r", count=25)
    import_job_process(job=job, batch_size=10, max_batches=1)  # a worker got this far
    assert Person.objects.count() == 10
    import_job_undo_queue(actor=owner, job=job)
    run_queued_tasks()  # the import's task finds it stopped; the undo takes the batch back
    job.refresh_from_db()
    assert job.status == ImportStatus.UNDONE and not Person.objects.exists()
    assert job.processed_line == 11  # it did not go on after the undo was asked for


def test_a_draft_cannot_be_undone(owner):
    job = import_job_create(
        actor=owner, kind="persons", file_name="d.csv", chunks=iter([_rows("d", 1)])
    )
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError, match="nothing to undo"):
        import_job_undo_queue(actor=owner, job=job)
    job.refresh_from_db()
    assert job.status == ImportStatus.DRAFT and job.task_id is None


# --- The import's modules import each other one way ----------------------------------------

TRANSFER = Path(__file__).resolve().parents[1]


def _imports_of(path: Path) -> set[str]:
    """Every attract.transfer module a file imports: at the top, in functions, and for type
    checking alike (a cycle through any of them is still a tangle)."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.ImportFrom) and node.module:
            if node.module == "attract.transfer":
                found |= {f"attract.transfer.{alias.name}" for alias in node.names}
            elif node.module.startswith("attract.transfer."):
                found.add(node.module)
        elif isinstance(node, ast.Import):
            found |= {a.name for a in node.names if a.name.startswith("attract.transfer.")}
    return found


def test_the_transfer_modules_import_each_other_without_a_cycle():
    modules = {
        "attract.transfer." + ".".join(p.relative_to(TRANSFER).with_suffix("").parts): p
        for p in TRANSFER.rglob("*.py")
        if "tests" not in p.parts and "migrations" not in p.parts
    }
    graph = {name: _imports_of(path) & set(modules) for name, path in modules.items()}
    assert "attract.transfer.importer" in graph and graph["attract.transfer.run"]
    done: set[str] = set()

    def visit(name: str, trail: list[str]) -> None:
        if name in trail:
            cycle = trail[trail.index(name) :] + [name]
            raise AssertionError("import cycle: " + " → ".join(cycle))
        if name in done:
            return
        for dependency in sorted(graph[name]):
            visit(dependency, [*trail, name])
        done.add(name)

    for name in sorted(graph):
        visit(name, [])
