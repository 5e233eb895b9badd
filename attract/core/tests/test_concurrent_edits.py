"""Many writers editing the same record at once lose no edit, on SQLite and PostgreSQL: each
write either lands on the version it read or is refused (see concurrent_writers)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from attract.attraction.models import Plan
from attract.attraction.services import plan_get, plan_update
from attract.core.tests.concurrent_writers import (
    Database,
    run_conflicting_writers,
    run_field_owners,
)
from attract.engagement.models import Task
from attract.engagement.services import task_create, task_update
from attract.people.models import Company, Person
from attract.people.services import company_update, person_update
from attract.people.tests.factories import CompanyFactory, PersonFactory
from attract.pipeline.models import Deal
from attract.pipeline.services import deal_create, deal_update

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


def test_conflicting_deal_edits_are_refused_never_lost(owner, tmp_path):
    pk = deal_create(actor=owner, title="Renewal").pk
    outcome = run_conflicting_writers(
        Database(tmp_path),
        read=lambda: Deal.objects.get(pk=pk),
        write=lambda deal, name, value, seen: (
            deal_update(actor=owner, deal=deal, expected_version=seen, **{name: value}).version
        ),
        values=lambda deal: _values(deal, ("title", "pain")),
        fields=("title", "pain"),
    )
    _assert_no_edit_lost(outcome)


def test_conflicting_plan_edits_are_refused_never_lost(owner, tmp_path):
    pk = plan_get().pk

    def write(plan, name, value, seen):
        change = {"perfect_number": int(value)} if name == "perfect_number" else {name: value}
        return plan_update(actor=owner, expected_version=seen, **change).version

    outcome = run_conflicting_writers(
        Database(tmp_path),
        read=lambda: Plan.objects.get(pk=pk),
        write=write,
        values=lambda plan: {
            "perfect_number": str(plan.perfect_number),
            "statement": plan.statement,
        },
        fields=("perfect_number", "statement"),
        value_for=lambda name, writer, index: (
            str(writer * 100 + index) if name == "perfect_number" else f"w{writer}-{index}"
        ),
    )
    _assert_no_edit_lost(outcome)


def test_conflicting_task_edits_are_refused_never_lost(owner, tmp_path):
    start = timezone.now().replace(microsecond=0)
    person = PersonFactory(owner=owner)
    pk = task_create(actor=owner, title="Call back", due_at=start, person=person).pk

    def write(task, name, value, seen):
        change = (
            {"due_at": start + timedelta(minutes=int(value))} if name == "due_at" else {name: value}
        )
        return task_update(actor=owner, task=task, expected_version=seen, **change).version

    def values(task) -> dict[str, str]:
        minutes = int((task.due_at - start).total_seconds() // 60)
        return {"title": task.title, "due_at": str(minutes)}

    outcome = run_conflicting_writers(
        Database(tmp_path),
        read=lambda: Task.objects.get(pk=pk),
        write=write,
        values=values,
        fields=("title", "due_at"),
        value_for=lambda name, writer, index: (
            str(writer * 100 + index + 1) if name == "due_at" else f"w{writer}-{index}"
        ),
    )
    _assert_no_edit_lost(outcome)
