from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from attract.core.history import RelatedHistory, history_entries
from attract.core.phone_numbers import display_phone
from attract.people import services
from attract.people.models import EmailAddress, PhoneNumber, Relationship

pytestmark = pytest.mark.django_db

PERSON_RELATED = (
    RelatedHistory(EmailAddress, "person", "email", "Email"),
    RelatedHistory(PhoneNumber, "person", "number", "Phone", display_phone),
)


def _later(minutes: int):
    return time_machine.travel(timezone.now() + timedelta(minutes=minutes), tick=False)


def test_a_new_record_has_one_created_entry_by_its_author(owner):
    company = services.company_create(actor=owner, name="Acme")

    entries = history_entries(company)

    assert len(entries) == 1
    assert entries[0].action == "Created"
    assert entries[0].who == owner.display_name


def test_a_change_shows_each_field_with_old_and_new_value(owner, teammate):
    company = services.company_create(actor=owner, name="Acme", city="Leeds")
    with _later(5):
        services.company_update(
            actor=teammate, company=company, city="York", relationship=Relationship.PARTNER
        )

    newest = history_entries(company)[0]

    assert newest.who == teammate.display_name
    changes = {c.label: (c.old, c.new) for c in newest.changes}
    assert changes["City"] == ("Leeds", "York")
    # Choices read as the label a person sees, not the stored value.
    assert changes["Relationship"] == ("Prospect", "Partner")


def test_a_changed_owner_and_company_show_names_not_ids(owner, teammate):
    old_company = services.company_create(actor=owner, name="Old Ltd")
    new_company = services.company_create(actor=owner, name="New Ltd")
    person = services.person_create(actor=owner, first_name="Ann", company=old_company)
    with _later(5):
        services.person_update(actor=owner, person=person, company=new_company, owner=teammate)

    changes = {c.label: (c.old, c.new) for c in history_entries(person)[0].changes}

    assert changes["Company"] == ("Old Ltd", "New Ltd")
    assert changes["Owner"] == (str(owner), str(teammate))


def test_tag_changes_are_part_of_the_history(owner):
    person = services.person_create(actor=owner, first_name="Ann", tags=["lead"])
    with _later(5):
        services.person_update(actor=owner, person=person, tags=["lead", "vip"])

    newest = history_entries(person)[0]

    assert [(c.label, c.old, c.new) for c in newest.changes] == [("Tags", "lead", "lead, vip")]


def test_email_and_phone_changes_read_as_changes_of_the_person(owner):
    person = services.person_create(actor=owner, first_name="Ann", emails=["ann@example.com"])
    with _later(5):
        services.person_update(
            actor=owner,
            person=person,
            emails=["ann@work.example"],
            phones=["+44 20 7946 0958"],
        )

    newest = history_entries(person, related=PERSON_RELATED)[0]

    changes = {(c.label, c.old, c.new) for c in newest.changes}
    assert ("Email", "ann@example.com", "") in changes
    assert ("Email", "", "ann@work.example") in changes
    assert ("Phone", "", "+44 20 7946 0958") in changes


def test_one_form_save_reads_as_one_entry(owner):
    services.person_create(actor=owner, first_name="Ann", emails=["ann@example.com"], tags=["lead"])
    person = services.person_create(
        actor=owner, first_name="Bob", emails=["bob@example.com"], tags=["lead", "vip"]
    )

    entries = history_entries(person, related=PERSON_RELATED)

    assert len(entries) == 1
    assert entries[0].action == "Created"
    labels = {c.label for c in entries[0].changes}
    assert labels == {"Tags", "Email"}


def test_trash_shows_its_reason_and_history_is_newest_first(owner):
    person = services.person_create(actor=owner, first_name="Ann")
    with _later(5):
        services.person_trash(actor=owner, person=person)

    entries = history_entries(person)

    assert [e.action for e in entries] == ["Moved to the trash", "Created"]


def test_history_is_cut_at_the_limit_keeping_the_newest(owner):
    company = services.company_create(actor=owner, name="Acme")
    for minute in range(1, 6):
        with _later(minute * 10):
            services.company_update(actor=owner, company=company, industry=f"Industry {minute}")

    entries = history_entries(company, limit=3)

    assert len(entries) == 3
    assert entries[0].changes[0].new == "Industry 5"
    assert entries[-1].changes[0].old == "Industry 2"


def test_a_save_that_changes_nothing_adds_no_entry(owner):
    company = services.company_create(actor=owner, name="Acme")
    with _later(5):
        services.company_update(actor=owner, company=company, name="Acme")

    assert len(history_entries(company)) == 1
