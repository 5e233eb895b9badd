"""The people services: the only way companies and persons are written."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError

from attract.people import services
from attract.people.models import Company, EmailAddress, Person, PhoneNumber, Relationship, Tag
from attract.people.selectors import person_list_for_user
from attract.people.tests.factories import CompanyFactory, EmailAddressFactory, PersonFactory

pytestmark = pytest.mark.django_db


def _snapshot() -> dict[str, int]:
    """Row counts of everything a people write can touch, history included."""
    return {
        "persons": Person.all_objects.count(),
        "companies": Company.all_objects.count(),
        "emails": EmailAddress.objects.count(),
        "phones": PhoneNumber.objects.count(),
        "tags": Tag.objects.count(),
        "person_history": Person.history.count(),
        "company_history": Company.history.count(),
        "email_history": EmailAddress.history.count(),
    }


# --- Normalisation --------------------------------------------------------------------------


def test_emails_are_stored_lower_cased_without_duplicates_and_the_first_is_primary(owner):
    person = services.person_create(
        actor=owner,
        first_name="Ada",
        emails=["  Ada.Lovelace@Example.COM ", "ada.lovelace@example.com", "", "ada@Work.org"],
    )
    rows = list(person.emails.order_by("-is_primary", "id").values_list("email", "is_primary"))
    assert rows == [("ada.lovelace@example.com", True), ("ada@work.org", False)]


def test_phones_are_stored_in_e164_and_the_first_is_primary(owner):
    person = services.person_create(
        actor=owner, first_name="Ada", phones=["+44 20 7946 0958", "(212) 555-0123"]
    )
    rows = list(person.phones.order_by("-is_primary", "id").values_list("number", "is_primary"))
    assert rows == [("+442079460958", True), ("+12125550123", False)]


def test_an_invalid_email_and_phone_are_refused_at_their_fields_and_nothing_is_saved(owner):
    before = _snapshot()
    with pytest.raises(ValidationError) as caught:
        services.person_create(
            actor=owner, first_name="Ada", emails=["not-an-email"], phones=["12"], tags=["vip"]
        )
    assert set(caught.value.message_dict) == {"emails", "phones"}
    assert _snapshot() == before


def test_reordering_emails_moves_the_primary_and_records_it(owner):
    person = services.person_create(actor=owner, first_name="Ada", emails=["a@x.org", "b@x.org"])
    services.person_update(actor=owner, person=person, emails=["b@x.org", "a@x.org"])
    primary = person.emails.get(is_primary=True)
    assert primary.email == "b@x.org"
    assert primary.history.latest().history_user == owner


def test_updating_the_emails_replaces_the_old_ones(owner):
    person = services.person_create(actor=owner, first_name="Ada", emails=["a@x.org", "b@x.org"])
    services.person_update(actor=owner, person=person, emails=["C@X.org"])
    assert list(person.emails.values_list("email", flat=True)) == ["c@x.org"]


# --- Duplicate emails -----------------------------------------------------------------------


def test_an_email_another_person_holds_is_refused_naming_the_holder(owner):
    EmailAddressFactory(
        email="ada@example.com",
        person=PersonFactory(first_name="Ada", last_name="King", owner=owner),
    )
    before = _snapshot()
    with pytest.raises(ValidationError) as caught:
        services.person_create(actor=owner, first_name="Ann", emails=["ADA@example.com"])
    assert caught.value.message_dict["emails"] == ["ada@example.com already belongs to Ada King."]
    assert _snapshot() == before


def test_an_email_held_by_someone_elses_private_person_is_refused_without_naming_them(
    owner, outsider
):
    secret = PersonFactory(first_name="Secret", last_name="Source", owner=owner, is_private=True)
    EmailAddressFactory(email="source@example.com", person=secret)
    with pytest.raises(ValidationError) as caught:
        services.person_create(actor=outsider, first_name="Ann", emails=["source@example.com"])
    message = caught.value.message_dict["emails"][0]
    assert message == "source@example.com already belongs to another person."
    assert "Secret" not in message


def test_an_email_held_by_a_trashed_person_is_refused_and_says_where_they_are(owner):
    holder = PersonFactory(first_name="Old", last_name="Contact", owner=owner)
    EmailAddressFactory(email="old@example.com", person=holder)
    services.person_trash(actor=owner, person=holder)
    with pytest.raises(ValidationError) as caught:
        services.person_create(actor=owner, first_name="New", emails=["old@example.com"])
    assert caught.value.message_dict["emails"] == [
        "old@example.com already belongs to Old Contact (in the trash)."
    ]


def test_saving_a_person_with_their_own_email_is_not_a_duplicate(owner):
    person = services.person_create(actor=owner, first_name="Ada", emails=["ada@example.com"])
    services.person_update(actor=owner, person=person, job_title="CTO", emails=["Ada@Example.com"])
    person.refresh_from_db()
    assert person.job_title == "CTO"
    assert list(person.emails.values_list("email", flat=True)) == ["ada@example.com"]


# --- Names ----------------------------------------------------------------------------------


def test_a_ten_thousand_character_name_is_refused_and_nothing_is_saved(owner):
    before = _snapshot()
    with pytest.raises(ValidationError) as caught:
        services.person_create(actor=owner, first_name="A" * 10_000)
    assert "first_name" in caught.value.message_dict
    with pytest.raises(ValidationError) as caught:
        services.company_create(actor=owner, name="B" * 10_000)
    assert "name" in caught.value.message_dict
    assert _snapshot() == before


@pytest.mark.parametrize("first, last", [("", ""), ("   ", "\t"), ("", "  ")])
def test_a_person_needs_a_first_or_a_last_name(owner, first, last):
    before = _snapshot()
    with pytest.raises(ValidationError) as caught:
        services.person_create(actor=owner, first_name=first, last_name=last)
    assert caught.value.message_dict["first_name"] == ["Give the person a first or a last name."]
    assert _snapshot() == before


def test_a_last_name_alone_is_enough(owner):
    person = services.person_create(actor=owner, last_name="Okonkwo")
    assert person.full_name == "Okonkwo"


def test_a_company_needs_a_name(owner):
    with pytest.raises(ValidationError) as caught:
        services.company_create(actor=owner, name="   ")
    assert "name" in caught.value.message_dict


@pytest.mark.parametrize(
    "first, last, query",
    [
        ("小明", "王", "小明"),
        ("محمد", "العلي", "العلي"),
        ("Γιώργος", "Παπαδόπουλος", "παπαδοπουλος"),
        ("José", "Müller", "jose muller"),
    ],
)
def test_names_in_any_script_are_saved_as_written_and_found_by_search(owner, first, last, query):
    person = services.person_create(actor=owner, first_name=first, last_name=last)
    person.refresh_from_db()
    assert (person.first_name, person.last_name) == (first, last)
    assert list(person_list_for_user(user=owner, search=query)) == [person]


def test_renaming_a_company_updates_its_search_name(owner):
    company = services.company_create(actor=owner, name="Ωmega Ltd")
    services.company_update(actor=owner, company=company, name="Åkesson AB")
    company.refresh_from_db()
    assert company.search_name == "akesson ab"


# --- Who may write --------------------------------------------------------------------------


def test_viewer_cannot_create_change_trash_or_restore_anything(owner, viewer):
    person = PersonFactory(owner=owner)
    company = CompanyFactory(owner=owner)
    trashed = PersonFactory(owner=owner)
    services.person_trash(actor=owner, person=trashed)
    before = _snapshot()
    calls = [
        lambda: services.person_create(actor=viewer, first_name="Vic"),
        lambda: services.company_create(actor=viewer, name="Viewer Inc"),
        lambda: services.person_update(actor=viewer, person=person, first_name="X"),
        lambda: services.company_update(actor=viewer, company=company, name="X"),
        lambda: services.person_trash(actor=viewer, person=person),
        lambda: services.company_trash(actor=viewer, company=company),
        lambda: services.person_restore(actor=viewer, person=trashed),
    ]
    for call in calls:
        with pytest.raises(PermissionDenied):
            call()
    assert _snapshot() == before
    person.refresh_from_db()
    assert person.first_name != "X" and not person.in_trash


def test_an_outsider_cannot_change_or_trash_another_members_private_record(owner, outsider):
    person = PersonFactory(owner=owner, is_private=True, first_name="Priv")
    company = CompanyFactory(owner=owner, is_private=True, name="Private Co")
    before = _snapshot()
    with pytest.raises(PermissionDenied):
        services.person_update(actor=outsider, person=person, first_name="Hacked")
    with pytest.raises(PermissionDenied):
        services.company_update(actor=outsider, company=company, name="Hacked")
    with pytest.raises(PermissionDenied):
        services.person_trash(actor=outsider, person=person)
    with pytest.raises(PermissionDenied):
        services.company_trash(actor=outsider, company=company)
    assert _snapshot() == before
    person.refresh_from_db()
    company.refresh_from_db()
    assert (person.first_name, company.name) == ("Priv", "Private Co")


def test_a_teammate_may_change_a_shared_record(owner, teammate):
    person = PersonFactory(owner=owner, first_name="Shared")
    services.person_update(actor=teammate, person=person, job_title="Buyer")
    person.refresh_from_db()
    assert person.job_title == "Buyer" and person.updated_by == teammate


def test_a_person_cannot_be_linked_to_a_company_the_actor_cannot_see(owner, outsider):
    hidden = CompanyFactory(owner=owner, is_private=True)
    with pytest.raises(ValidationError) as caught:
        services.person_create(actor=outsider, first_name="Ann", company=hidden)
    assert caught.value.message_dict["company"] == ["Choose a company you can see."]


def test_a_person_cannot_be_linked_to_a_company_in_the_trash(owner):
    company = CompanyFactory(owner=owner)
    services.company_trash(actor=owner, company=company)
    with pytest.raises(ValidationError) as caught:
        services.person_create(actor=owner, first_name="Ann", company=company)
    assert "company" in caught.value.message_dict


def test_a_person_whose_company_was_trashed_can_still_be_edited(owner):
    company = CompanyFactory(owner=owner)
    person = services.person_create(actor=owner, first_name="Ann", company=company)
    services.company_trash(actor=owner, company=company)
    services.person_update(actor=owner, person=person, job_title="Owner")
    person.refresh_from_db()
    assert person.job_title == "Owner" and person.company_id == company.pk


# --- Customers ------------------------------------------------------------------------------


@time_machine.travel(dt.datetime(2026, 3, 14, 12, tzinfo=dt.UTC), tick=False)
def test_a_company_turning_customer_becomes_customer_since_today(owner):
    company = services.company_create(actor=owner, name="Acme")
    assert company.customer_since is None
    services.company_update(actor=owner, company=company, relationship=Relationship.CUSTOMER)
    company.refresh_from_db()
    assert company.customer_since == dt.date(2026, 3, 14)


@time_machine.travel(dt.datetime(2026, 3, 14, 12, tzinfo=dt.UTC), tick=False)
def test_a_company_created_as_a_customer_is_customer_since_today(owner):
    company = services.company_create(actor=owner, name="Acme", relationship="customer")
    assert company.customer_since == dt.date(2026, 3, 14)


def test_a_customer_since_date_given_when_turning_customer_is_kept(owner):
    company = services.company_create(actor=owner, name="Acme")
    services.company_update(
        actor=owner,
        company=company,
        relationship=Relationship.CUSTOMER,
        customer_since=dt.date(2020, 1, 2),
    )
    company.refresh_from_db()
    assert company.customer_since == dt.date(2020, 1, 2)


@time_machine.travel(dt.datetime(2026, 3, 14, 12, tzinfo=dt.UTC), tick=False)
def test_customer_since_in_the_future_is_refused_and_changes_nothing(owner):
    company = services.company_create(actor=owner, name="Acme")
    before = _snapshot()
    with pytest.raises(ValidationError) as caught:
        services.company_update(
            actor=owner,
            company=company,
            name="Renamed",
            relationship=Relationship.CUSTOMER,
            customer_since=dt.date(2026, 3, 15),
        )
    assert caught.value.message_dict["customer_since"] == [
        "“Customer since” cannot be in the future."
    ]
    assert _snapshot() == before
    # The instance the caller holds is back to what is stored, not the rejected input.
    assert (company.name, company.relationship, company.customer_since) == (
        "Acme",
        Relationship.PROSPECT,
        None,
    )


# --- History --------------------------------------------------------------------------------


def test_every_change_is_recorded_with_the_actor(owner, teammate):
    company = services.company_create(actor=owner, name="Acme", tags=["vip"])
    person = services.person_create(
        actor=owner, first_name="Ada", company=company, emails=["ada@acme.com"], tags=["Lead"]
    )
    services.person_update(actor=teammate, person=person, job_title="CEO")
    services.company_update(actor=teammate, company=company, city="Lyon")
    services.person_trash(actor=teammate, person=person)
    services.person_restore(actor=owner, person=person)

    person_history = list(person.history.order_by("history_date", "history_id"))
    assert person_history[0].history_type == "+"
    assert person_history[0].history_user == owner
    by_reason = {h.history_change_reason: h for h in person_history}
    assert by_reason["Moved to the trash"].history_user == teammate
    assert by_reason["Restored from the trash"].history_user == owner
    ceo = [h for h in person_history if h.job_title == "CEO"][0]
    assert ceo.history_user == teammate
    assert all(h.history_user is not None for h in person_history)

    lyon = company.history.filter(city="Lyon").get()
    assert lyon.history_user == teammate
    assert {h.history_user for h in company.history.all()} == {owner, teammate}
    assert EmailAddress.history.get(email="ada@acme.com").history_user == owner


def test_tag_changes_are_recorded_in_history(owner, teammate):
    person = services.person_create(actor=owner, first_name="Ada", tags=["warm"])
    services.person_update(actor=teammate, person=person, tags=["warm", "vip"])
    latest = person.history.latest()
    assert latest.history_user == teammate
    assert sorted(t.tag.name for t in latest.tags.all()) == ["vip", "warm"]


# --- Failing calls change nothing -----------------------------------------------------------


def test_a_failing_update_changes_no_field_emails_phones_or_tags(owner):
    person = services.person_create(
        actor=owner,
        first_name="Ada",
        job_title="CTO",
        emails=["ada@example.com"],
        phones=["+44 20 7946 0958"],
        tags=["vip"],
    )
    before = _snapshot()
    with pytest.raises(ValidationError):
        services.person_update(
            actor=owner,
            person=person,
            first_name="",
            last_name="",
            job_title="Changed",
            emails=["new@example.com"],
            phones=["+1 212 555 0123"],
            tags=["other"],
        )
    assert _snapshot() == before
    assert (person.first_name, person.job_title) == ("Ada", "CTO")
    person.refresh_from_db()
    assert (person.first_name, person.job_title) == ("Ada", "CTO")
    assert list(person.emails.values_list("email", flat=True)) == ["ada@example.com"]
    assert list(person.phones.values_list("number", flat=True)) == ["+442079460958"]
    assert list(person.tags.values_list("name", flat=True)) == ["vip"]


def test_every_problem_with_the_input_is_reported_at_once(owner):
    with pytest.raises(ValidationError) as caught:
        services.person_create(
            actor=owner, first_name="", emails=["nope"], phones=["nope"], tags=["x" * 51]
        )
    assert set(caught.value.message_dict) == {"first_name", "emails", "phones", "tags"}


def test_an_unknown_field_is_refused(owner):
    with pytest.raises(ValidationError):
        services.person_create(actor=owner, first_name="Ada", is_admin=True)
    assert not Person.objects.exists()


def test_a_trashed_record_cannot_be_edited_until_restored(owner):
    person = PersonFactory(owner=owner, first_name="Gone")
    services.person_trash(actor=owner, person=person)
    with pytest.raises(ValidationError):
        services.person_update(actor=owner, person=person, first_name="Back")
    services.person_restore(actor=owner, person=person)
    services.person_update(actor=owner, person=person, first_name="Back")
    assert Person.objects.get(pk=person.pk).first_name == "Back"


# --- Trash ----------------------------------------------------------------------------------


def test_trash_hides_a_record_and_restore_brings_it_back_as_it_was(owner, teammate):
    company = CompanyFactory(owner=owner, name="Acme")
    person = services.person_create(
        actor=owner, first_name="Ada", company=company, emails=["ada@acme.com"]
    )
    services.company_trash(actor=teammate, company=company)
    services.person_trash(actor=teammate, person=person)

    assert not Person.objects.filter(pk=person.pk).exists()
    assert not Company.objects.filter(pk=company.pk).exists()
    trashed = Person.all_objects.get(pk=person.pk)
    assert trashed.deleted_by == teammate and trashed.deleted_at is not None

    services.person_restore(actor=owner, person=trashed)
    services.company_restore(actor=owner, company=Company.all_objects.get(pk=company.pk))
    restored = Person.objects.get(pk=person.pk)
    assert restored.deleted_by is None and restored.deleted_at is None
    assert restored.company_id == company.pk
    assert list(restored.emails.values_list("email", flat=True)) == ["ada@acme.com"]


def test_trashing_twice_keeps_the_first_deletion(owner, teammate):
    person = PersonFactory(owner=owner)
    services.person_trash(actor=owner, person=person)
    first = person.deleted_at
    services.person_trash(actor=teammate, person=person)
    person.refresh_from_db()
    assert (person.deleted_at, person.deleted_by) == (first, owner)


# --- Tags -----------------------------------------------------------------------------------


def test_tags_are_reused_case_insensitively_keeping_the_first_spelling(owner):
    first = services.tags_from_names(["VIP", "  trade   show "])
    again = services.tags_from_names(["vip", "Trade Show", "vIp"])
    assert [t.name for t in first] == ["VIP", "trade show"]
    assert [t.pk for t in again] == [t.pk for t in first]
    assert Tag.objects.count() == 2


def test_tags_in_other_scripts_are_matched_case_insensitively(owner):
    (ärzte,) = services.tags_from_names(["Ärzte"])
    assert services.tags_from_names(["ärzte"]) == [ärzte]
    (greek,) = services.tags_from_names(["Πελάτες"])
    assert services.tags_from_names(["ΠΕΛΆΤΕΣ"]) == [greek]


def test_a_comma_separated_string_of_tags_is_read_as_several_tags(owner):
    assert [t.name for t in services.tags_from_names("vip, warm,,")] == ["vip", "warm"]


def test_too_long_or_too_many_tags_are_refused_without_creating_any(owner):
    with pytest.raises(ValidationError) as caught:
        services.tags_from_names(["ok", "x" * 51])
    assert "tags" in caught.value.message_dict
    with pytest.raises(ValidationError):
        services.tags_from_names([f"tag {n}" for n in range(31)])
    assert not Tag.objects.exists()


def test_an_email_saved_by_someone_else_at_the_same_moment_is_a_clear_error(owner, monkeypatch):
    # Both requests pass the duplicate check before either writes; the database constraint
    # then stops the second one, which must read as a form error, not a server error.
    EmailAddressFactory(email="race@example.com")
    monkeypatch.setattr(services, "_check_emails_free", lambda emails, **kwargs: None)
    persons_before = Person.all_objects.count()
    with pytest.raises(ValidationError) as caught:
        services.person_create(actor=owner, first_name="Second", emails=["race@example.com"])
    assert "same moment" in caught.value.message_dict["emails"][0]
    assert Person.all_objects.count() == persons_before
