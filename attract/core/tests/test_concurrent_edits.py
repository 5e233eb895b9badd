"""Many writers editing the same record at once lose no edit, on SQLite and PostgreSQL: each
write either lands on the version it read or is refused (see concurrent_writers)."""

from __future__ import annotations

import pytest

from attract.core.tests.concurrent_writers import (
    Database,
    run_conflicting_writers,
    run_field_owners,
)
from attract.people.models import Company, Person
from attract.people.services import company_update, person_update
from attract.people.tests.factories import CompanyFactory, PersonFactory

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.xdist_group("concurrency")]

PERSON_FIELDS = ("first_name", "last_name", "job_title", "notes")
COMPANY_FIELDS = ("name", "industry", "city", "street")


def _values(record, fields) -> dict[str, str]:
    return {name: getattr(record, name) for name in fields}


def _assert_no_edit_lost(outcome) -> None:
    assert outcome.errors == []
    assert outcome.silent_overwrites == 0
    assert outcome.landed > 0
    assert outcome.refused > 0, "the writers never met: the test proved nothing"


def test_conflicting_person_edits_are_refused_never_lost(owner, tmp_path):
    pk = PersonFactory(owner=owner, first_name="Ada", last_name="Lovelace").pk
    outcome = run_conflicting_writers(
        Database(tmp_path),
        read=lambda: Person.objects.get(pk=pk),
        write=lambda person, name, value, seen: (
            person_update(
                actor=owner, person=person, expected_version=seen, **{name: value}
            ).version
        ),
        values=lambda person: _values(person, PERSON_FIELDS),
        fields=PERSON_FIELDS,
    )
    _assert_no_edit_lost(outcome)


def test_conflicting_company_edits_are_refused_never_lost(owner, tmp_path):
    pk = CompanyFactory(owner=owner, name="Acme").pk
    outcome = run_conflicting_writers(
        Database(tmp_path),
        read=lambda: Company.objects.get(pk=pk),
        write=lambda company, name, value, seen: (
            company_update(
                actor=owner, company=company, expected_version=seen, **{name: value}
            ).version
        ),
        values=lambda company: _values(company, COMPANY_FIELDS),
        fields=COMPANY_FIELDS,
    )
    _assert_no_edit_lost(outcome)


def test_edits_of_different_fields_without_a_version_all_land(owner, tmp_path):
    pk = PersonFactory(owner=owner, first_name="Ada", last_name="Lovelace").pk
    outcome = run_field_owners(
        Database(tmp_path),
        read=lambda: Person.objects.get(pk=pk),
        write=lambda person, name, value: person_update(
            actor=owner, person=person, **{name: value}
        ),
        values=lambda person: _values(person, PERSON_FIELDS),
        fields=PERSON_FIELDS,
    )
    assert outcome.errors == []
    assert outcome.silent_overwrites == 0
