"""The import benchmark works: a tiny seed, a generated file with people already in the
database, an import that skips those, and nothing left behind afterwards."""

import pytest
from django_tasks_db.models import DBTaskResult

from attract.people.models import Company, EmailAddress, Person, PhoneNumber
from attract.transfer.models import ImportJob
from bench import measuring, seeding, transfer


def _rows_that_an_import_writes() -> dict[str, int]:
    return {
        "persons": Person.all_objects.count(),
        "companies": Company.all_objects.count(),
        "emails": EmailAddress.objects.count(),
        "phones": PhoneNumber.objects.count(),
        "person_history": Person.history.count(),
        "company_history": Company.history.count(),
        "email_history": EmailAddress.history.count(),
    }


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("through_worker", [False, True])
def test_import_figures_and_nothing_left_behind(tmp_path, settings, through_worker):
    settings.VAR_DIR = tmp_path / "var"
    seeded = seeding.seed(persons=60, companies=10)
    before = _rows_that_an_import_writes()
    path = tmp_path / "import.csv"
    generated = transfer.generate_csv(path, rows=200)
    assert generated["rows"] == 200 and generated["duplicates_written"] > 20
    figures = transfer.import_file(path, owner=seeded.owner, through_worker=through_worker)
    assert figures["rows"] == 200 and figures["status"] == "done"
    assert figures["skipped"] >= generated["duplicates_written"]
    assert figures["created"] + figures["skipped"] + figures["updated"] == 200
    assert figures["rows_per_second"] > 0 and figures["peak_rss_mb"] > 0
    after = _rows_that_an_import_writes()
    assert after == before
    assert not ImportJob.objects.exists()
    # Through the worker, its task ran (and is done); directly, nothing was queued.
    tasks = list(DBTaskResult.objects.values_list("status", flat=True))
    assert tasks == (["SUCCESSFUL"] if through_worker else [])


@pytest.mark.django_db(transaction=True)
def test_import_pages_answer_200():
    seeded = seeding.seed(persons=20, companies=5)
    results = measuring.measure(owner=seeded.owner, items=transfer.scenarios(), runs=2, warmups=1)
    assert all(r.status == 200 for r in results), results
