"""The version-check benchmark works on a tiny seed and leaves the seed as it was."""

import pytest

from attract.people.models import Person
from bench import pipeline, seeding, versions

pytestmark = pytest.mark.django_db


def test_the_check_is_timed_for_each_kind_of_record_and_every_edit_is_rolled_back():
    seeded = seeding.seed(persons=20, companies=5)
    pipeline.seed(open_deals=10, stage_changes=20)
    before = sorted(Person.all_objects.values_list("pk", "version", "job_title"))
    figures = versions.measure(owner=seeded.owner, runs=3, warmups=1)
    assert [row["record"] for row in figures] == ["person", "company", "deal"]
    assert all(row["edits"] == 3 and row["check_median_ms"] > 0 for row in figures)
    assert sorted(Person.all_objects.values_list("pk", "version", "job_title")) == before
