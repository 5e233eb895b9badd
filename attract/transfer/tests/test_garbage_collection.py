"""An import freezes the objects alive when it starts, so the cycle collector does not walk
them at every batch; afterwards the process's collector must be as it was, or a web worker
that ran an import would never collect those objects' cycles again."""

from __future__ import annotations

import gc

import pytest

from attract.transfer.garbage_collection import long_lived_objects_frozen
from attract.transfer.importing import (
    import_job_configure,
    import_job_process,
    import_job_start,
)
from attract.transfer.tests.test_importing import _job


@pytest.fixture
def nothing_frozen():
    gc.unfreeze()
    yield
    gc.unfreeze()


def test_objects_alive_at_the_start_are_frozen_only_for_the_import(nothing_frozen):
    with long_lived_objects_frozen():
        assert gc.get_freeze_count() > 0
    assert gc.get_freeze_count() == 0


def _collected(thing) -> bool:
    """Whether the collector would scan `thing` (frozen objects are left out)."""
    return any(candidate is thing for candidate in gc.get_objects())


def test_a_process_that_froze_its_own_objects_keeps_them_frozen(nothing_frozen):
    its_own = ["a start-up object"]
    gc.freeze()
    with long_lived_objects_frozen():
        made_during_the_import = ["a row"]
    assert not _collected(its_own)
    assert _collected(made_during_the_import)


@pytest.mark.django_db
def test_an_import_runs_frozen_and_leaves_the_collector_as_it_found_it(owner, nothing_frozen):
    job = _job(owner)
    import_job_configure(actor=owner, job=job, mapping=job.mapping)
    import_job_start(actor=owner, job=job)
    frozen_during_batches, collecting_during_batches = [], []

    def seen(job):
        frozen_during_batches.append(gc.get_freeze_count())
        collecting_during_batches.append(gc.isenabled())

    assert gc.isenabled()
    job = import_job_process(job=job, on_batch=seen)
    assert job.created_count == 2
    assert frozen_during_batches and all(count > 0 for count in frozen_during_batches)
    # The automatic collector paused during the batches (each ends with a young collection).
    assert collecting_during_batches == [False] * len(collecting_during_batches)
    assert gc.get_freeze_count() == 0
    assert gc.isenabled()
