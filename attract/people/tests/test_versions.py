"""Every edit of a person or a company is made against the version the user saw: a stale
edit is refused and explained (web: the form keeps the input; API: 409), and a PATCH writes
only the fields it names."""

from __future__ import annotations

import pytest
from django.urls import reverse

from attract.core.versions import VersionConflict
from attract.people.models import Company, Person
from attract.people.services import company_update, person_trash, person_update
from attract.people.tests.factories import CompanyFactory, EmailAddressFactory, PersonFactory
from attract.people.tests.test_api import ApiClient

pytestmark = pytest.mark.django_db


def test_an_edit_made_on_an_older_version_is_refused_and_changes_nothing(owner, teammate):
    person = PersonFactory(owner=owner, first_name="Ada", job_title="CTO")
    seen = person.version
    person_update(actor=teammate, person=person, job_title="CEO", expected_version=seen)
    stale_copy = Person.objects.get(pk=person.pk)
    stale_copy.version = seen  # what the second editor's form was opened on
    with pytest.raises(VersionConflict) as refused:
        person_update(actor=owner, person=stale_copy, job_title="CFO", expected_version=seen)
    assert refused.value.current == seen + 1
    assert [(c.field, c.old, c.new) for c in refused.value.changes()] == [
        ("job_title", "CTO", "CEO")
    ]
    person.refresh_from_db()
    assert (person.job_title, person.version) == ("CEO", seen + 1)


def test_a_change_of_one_field_keeps_a_change_made_since_to_another(owner, teammate):
    """Without a version (an old API client, an import), the fields named are written on
    the row as it is now, never on the caller's stale copy."""
    company = CompanyFactory(owner=owner, name="Acme", city="Paris")
    stale_copy = Company.objects.get(pk=company.pk)
    company_update(actor=teammate, company=company, city="Lyon")
    company_update(actor=owner, company=stale_copy, name="Acme SA")
    company.refresh_from_db()
    assert (company.name, company.city, company.version) == ("Acme SA", "Lyon", 3)


def test_trash_raises_the_version_so_an_edit_opened_before_is_refused(owner):
    person = PersonFactory(owner=owner)
    seen = person.version
    person_trash(actor=owner, person=person)
    person.refresh_from_db()
    assert person.version == seen + 1


# --- API ----------------------------------------------------------------------------------


def test_api_answers_409_with_the_current_version_and_what_changed(owner, teammate):
    person = PersonFactory(owner=owner, first_name="Ada", last_name="Lovelace")
    mine, theirs = ApiClient(owner), ApiClient(teammate)
    seen = mine.get(f"/persons/{person.pk}").json()["version"]
    assert (
        theirs.patch(f"/persons/{person.pk}", {"last_name": "King", "version": seen}).status_code
        == 200
    )
    response = mine.patch(f"/persons/{person.pk}", {"first_name": "Augusta", "version": seen})
    assert response.status_code == 409
    body = response.json()
    assert body["code"] == "version_conflict"
    assert body["current_version"] == seen + 1
    assert {"field": "last_name", "label": "Last name", "seen": "Lovelace", "now": "King"} in body[
        "changes"
    ]
    person.refresh_from_db()
    assert (person.first_name, person.last_name) == ("Ada", "King")
    retry = mine.patch(f"/persons/{person.pk}", {"first_name": "Augusta", "version": seen + 1})
    assert retry.status_code == 200
    assert retry.json()["version"] == seen + 2


def test_api_patches_without_a_version_each_write_only_their_own_field(owner, teammate):
    company = CompanyFactory(owner=owner, name="Acme", city="Paris", street="1 Rue")
    assert ApiClient(owner).patch(f"/companies/{company.pk}", {"city": "Lyon"}).status_code == 200
    assert (
        ApiClient(teammate).patch(f"/companies/{company.pk}", {"street": "2 Rue"}).status_code
        == 200
    )
    body = ApiClient(owner).get(f"/companies/{company.pk}").json()
    assert (body["name"], body["city"], body["street"], body["version"]) == (
        "Acme",
        "Lyon",
        "2 Rue",
        3,
    )


def test_api_company_patch_with_a_stale_version_is_refused(owner):
    company = CompanyFactory(owner=owner, name="Acme")
    api = ApiClient(owner)
    assert (
        api.patch(f"/companies/{company.pk}", {"name": "Acme 2", "version": 1}).status_code == 200
    )
    response = api.patch(f"/companies/{company.pk}", {"name": "Acme 3", "version": 1})
    assert response.status_code == 409
    assert response.json()["current_version"] == 2
    company.refresh_from_db()
    assert company.name == "Acme 2"


# --- Web ----------------------------------------------------------------------------------


def _person_form(person: Person, **changes) -> dict:
    data = {
        "first_name": person.first_name,
        "last_name": person.last_name,
        "job_title": person.job_title,
        "company": "",
        "emails": "\n".join(e.email for e in person.emails.all()),
        "phones": "",
        "tags": "",
        "owner": person.owner_id,
        "notes": person.notes,
        "version": person.version,
    }
    data.update(changes)
    return data


def test_a_stale_person_form_shows_what_changed_and_keeps_the_input(owner, owner_client, teammate):
    person = PersonFactory(owner=owner, first_name="Ada", job_title="CTO")
    EmailAddressFactory(person=person, email="ada@example.org")
    opened = _person_form(person, notes="Met at the fair; call back in May.")
    person_update(actor=teammate, person=person, job_title="CEO")

    url = reverse("people:person_edit", args=[person.pk])
    response = owner_client.post(url, opened)
    assert response.status_code == 200
    page = response.content.decode()
    assert "Someone else changed" in page
    assert "Job title" in page and "CTO" in page and "CEO" in page
    assert "Met at the fair; call back in May." in page  # the user's input is kept
    assert f'name="version" value="{person.version}"' in page  # moved on to theirs
    person.refresh_from_db()
    assert (person.job_title, person.notes) == ("CEO", "")

    # Saving again, having seen the change, is a choice: it goes through.
    again = owner_client.post(url, {**opened, "version": person.version})
    assert again.status_code == 302
    person.refresh_from_db()
    assert person.notes == "Met at the fair; call back in May."


def test_a_stale_company_form_is_refused_and_the_company_keeps_the_other_change(
    owner, owner_client, teammate
):
    company = CompanyFactory(owner=owner, name="Acme", city="Paris")
    opened = {
        "name": "Acme Renamed",
        "relationship": company.relationship,
        "city": "Paris",
        "owner": owner.pk,
        "version": company.version,
    }
    company_update(actor=teammate, company=company, city="Lyon")
    response = owner_client.post(reverse("people:company_edit", args=[company.pk]), opened)
    assert response.status_code == 200
    page = response.content.decode()
    assert "Someone else changed" in page and "Lyon" in page
    assert 'value="Acme Renamed"' in page
    company.refresh_from_db()
    assert (company.name, company.city) == ("Acme", "Lyon")
