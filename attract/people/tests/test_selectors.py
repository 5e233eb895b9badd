import pytest
from django.utils import timezone

from attract.people.models import Relationship, Tag
from attract.people.selectors import (
    PERSON_SORTS,
    company_list_for_user,
    company_persons,
    person_list_for_user,
)
from attract.people.tests.factories import CompanyFactory, EmailAddressFactory, PersonFactory

pytestmark = pytest.mark.django_db


def _names(qs) -> list[str]:
    return [getattr(r, "full_name", None) or r.name for r in qs]


def test_search_matches_every_word_ignoring_case_and_accents(owner):
    PersonFactory(owner=owner, first_name="Zoë", last_name="Müller")
    PersonFactory(owner=owner, first_name="Zoe", last_name="Smith")

    assert _names(person_list_for_user(user=owner, search="zoe MULLER")) == ["Zoë Müller"]


def test_email_search_finds_a_person_once_even_with_two_matching_addresses(owner):
    person = PersonFactory(owner=owner, first_name="Ann", last_name="Lee")
    EmailAddressFactory(person=person, email="ann@work.example")
    EmailAddressFactory(person=person, email="ann@home.example", is_primary=False)

    found = person_list_for_user(user=owner, search="ann@")

    assert _names(found) == ["Ann Lee"]
    assert found.count() == 1


def test_private_records_are_seen_only_by_their_owner(owner, outsider):
    PersonFactory(owner=owner, first_name="Secret", last_name="P", is_private=True)
    CompanyFactory(owner=owner, name="Secret Co", is_private=True)

    assert _names(person_list_for_user(user=owner)) == ["Secret P"]
    assert _names(person_list_for_user(user=outsider)) == []
    assert _names(company_list_for_user(user=outsider)) == []


def test_trashed_records_are_not_listed(owner):
    PersonFactory(owner=owner, deleted_at=timezone.now())
    CompanyFactory(owner=owner, deleted_at=timezone.now())

    assert not person_list_for_user(user=owner).exists()
    assert not company_list_for_user(user=owner).exists()


def test_person_filters_combine(owner, teammate):
    customer = CompanyFactory(owner=owner, relationship=Relationship.CUSTOMER)
    vip = Tag.objects.create(name="VIP")
    match = PersonFactory(owner=owner, company=customer, first_name="Match", last_name="M")
    match.tags.set([vip])
    PersonFactory(owner=teammate, company=customer, first_name="Other", last_name="O").tags.set(
        [vip]
    )
    PersonFactory(owner=owner, first_name="Plain", last_name="P").tags.set([vip])

    found = person_list_for_user(
        user=owner, owner_id=owner.pk, tag="vip", relationship=Relationship.CUSTOMER
    )

    assert _names(found) == ["Match M"]


@pytest.mark.parametrize("sort", PERSON_SORTS)
def test_relationship_filter_finds_the_same_people_whatever_the_sort(owner, sort):
    customer = CompanyFactory(owner=owner, name="Bolt", relationship=Relationship.CUSTOMER)
    other_customer = CompanyFactory(owner=owner, name="Acme", relationship=Relationship.CUSTOMER)
    prospect = CompanyFactory(owner=owner, name="Cog", relationship=Relationship.PROSPECT)
    PersonFactory(owner=owner, company=customer, first_name="Ann", last_name="A")
    PersonFactory(owner=owner, company=other_customer, first_name="Bea", last_name="B")
    PersonFactory(owner=owner, company=prospect, first_name="Cy", last_name="C")
    PersonFactory(owner=owner, first_name="Di", last_name="D")

    found = person_list_for_user(user=owner, relationship=Relationship.CUSTOMER, sort=sort)

    assert sorted(_names(found)) == ["Ann A", "Bea B"]
    if sort == "company":
        assert _names(found) == ["Bea B", "Ann A"]  # Acme before Bolt


def test_unknown_sort_falls_back_to_name(owner):
    PersonFactory(owner=owner, first_name="Bob", last_name="B")
    PersonFactory(owner=owner, first_name="Ann", last_name="A")

    assert _names(person_list_for_user(user=owner, sort="password")) == ["Ann A", "Bob B"]


def test_company_sorts_by_relationship_then_name(owner):
    CompanyFactory(owner=owner, name="B", relationship=Relationship.PARTNER)
    CompanyFactory(owner=owner, name="A", relationship=Relationship.PARTNER)
    CompanyFactory(owner=owner, name="C", relationship=Relationship.CUSTOMER)

    assert _names(company_list_for_user(user=owner, sort="relationship")) == ["C", "A", "B"]


def test_company_persons_leaves_out_private_and_trashed_people(owner, outsider):
    company = CompanyFactory(owner=owner)
    PersonFactory(owner=owner, company=company, first_name="Seen", last_name="S")
    PersonFactory(owner=owner, company=company, first_name="Hid", last_name="H", is_private=True)
    PersonFactory(owner=owner, company=company, deleted_at=timezone.now())

    assert _names(company_persons(user=outsider, company=company)) == ["Seen S"]
