import pytest
from django.urls import reverse
from django.utils import timezone

from attract.people import services
from attract.people.models import Person, Relationship, Tag
from attract.people.tests.factories import (
    CompanyFactory,
    EmailAddressFactory,
    PersonFactory,
    PhoneNumberFactory,
)

pytestmark = pytest.mark.django_db

LIST = reverse("people:person_list")
CREATE = reverse("people:person_create")


def _rows(response) -> list[str]:
    return [p.full_name for p in response.context["persons"]]


# --- List ---------------------------------------------------------------------------------


def _list_queries(client, django_assert_num_queries, count: int, owner, search: str) -> None:
    company = CompanyFactory(owner=owner)
    tag = Tag.objects.create(name="lead")
    for n in range(count):
        person = PersonFactory(owner=owner, company=company, first_name=f"P{n}", last_name="Smith")
        EmailAddressFactory(person=person)
        PhoneNumberFactory(person=person)
        person.tags.set([tag])
    # session, user, owners for the filter, count, rows, tags, emails, phones, saved views
    with django_assert_num_queries(9):
        response = client.get(LIST, {"q": search} if search else {})
    assert len(response.context["persons"]) == count


@pytest.mark.parametrize("count", [3, 30])
@pytest.mark.parametrize("search", ["", "smit", "p smith"])  # indexed words and a short one
def test_person_list_runs_the_same_number_of_queries_for_3_and_30_rows(
    owner, owner_client, django_assert_num_queries, count, search
):
    _list_queries(owner_client, django_assert_num_queries, count, owner, search)


def test_person_list_shows_contact_points_company_and_badges(owner, owner_client):
    company = CompanyFactory(owner=owner, name="Acme", relationship=Relationship.CUSTOMER)
    person = PersonFactory(
        owner=owner, first_name="Ann", last_name="Lee", company=company, is_private=True
    )
    EmailAddressFactory(person=person, email="ann@example.com")
    PhoneNumberFactory(person=person, number="+442079460958")

    html = owner_client.get(LIST).content.decode()

    assert "Ann Lee" in html
    assert "ann@example.com" in html
    assert "+44 20 7946 0958" in html  # shown the way a person reads it
    assert "Acme" in html and "badge-customer" in html
    assert "badge-private" in html
    assert 'class="list stack"' in html and 'data-label="Email"' in html


def test_person_list_search_narrows_by_name_and_by_email(owner, owner_client):
    ann = PersonFactory(owner=owner, first_name="Ann", last_name="Lee")
    PersonFactory(owner=owner, first_name="Bob", last_name="Stone")
    EmailAddressFactory(person=ann, email="ann@work.example")
    EmailAddressFactory(person=ann, email="ann@home.example", is_primary=False)

    assert _rows(owner_client.get(LIST, {"q": "lee"})) == ["Ann Lee"]
    # Two matching addresses still make one row.
    assert _rows(owner_client.get(LIST, {"q": "ann@"})) == ["Ann Lee"]


def test_person_list_filters_by_owner_tag_and_relationship(owner, teammate, owner_client):
    customer = CompanyFactory(owner=owner, relationship=Relationship.CUSTOMER)
    mine = PersonFactory(owner=owner, first_name="Mine", last_name="X", company=customer)
    PersonFactory(owner=teammate, first_name="Theirs", last_name="X")
    services.person_update(actor=owner, person=mine, tags=["vip"])

    assert _rows(owner_client.get(LIST, {"owner": owner.pk})) == ["Mine X"]
    assert _rows(owner_client.get(LIST, {"tag": "VIP"})) == ["Mine X"]
    assert _rows(owner_client.get(LIST, {"relationship": "customer"})) == ["Mine X"]


def test_person_list_ignores_nonsense_filters_instead_of_failing(owner_client, owner):
    PersonFactory(owner=owner)
    response = owner_client.get(LIST, {"owner": "abc", "relationship": "x", "sort": "evil"})
    assert response.status_code == 200
    assert len(response.context["persons"]) == 1


def test_person_list_sorts_by_name_both_ways_and_by_company(owner, owner_client):
    PersonFactory(owner=owner, first_name="Ann", last_name="A", company=CompanyFactory(name="Zed"))
    PersonFactory(owner=owner, first_name="Bob", last_name="B", company=CompanyFactory(name="Abc"))

    assert _rows(owner_client.get(LIST, {"sort": "name"})) == ["Ann A", "Bob B"]
    assert _rows(owner_client.get(LIST, {"sort": "-name"})) == ["Bob B", "Ann A"]
    assert _rows(owner_client.get(LIST, {"sort": "company"})) == ["Bob B", "Ann A"]
    html = owner_client.get(LIST, {"sort": "name"}).content.decode()
    assert 'aria-sort="ascending"' in html and "sort=-name" in html


def test_person_list_pages_by_fifty_and_says_which_rows_are_shown(owner, owner_client):
    PersonFactory.create_batch(51, owner=owner)

    first = owner_client.get(LIST)
    second = owner_client.get(LIST, {"page": 2})

    assert len(first.context["persons"]) == 50
    assert "1–50 of 51" in first.content.decode()
    assert len(second.context["persons"]) == 1
    assert "51–51 of 51" in second.content.decode()


def test_htmx_search_gets_only_the_table(owner, owner_client):
    PersonFactory(owner=owner, first_name="Ann", last_name="Lee")

    response = owner_client.get(LIST, {"q": "ann"}, headers={"HX-Request": "true"})

    html = response.content.decode()
    assert "Ann Lee" in html
    assert "<html" not in html and 'role="search"' not in html
    assert "HX-Request" in response["Vary"]


def test_list_page_has_the_search_shortcut_htmx_search_and_a_plain_submit(owner_client):
    html = owner_client.get(LIST).content.decode()

    assert "data-search" in html
    assert 'hx-trigger="input changed delay:300ms, search"' in html
    assert 'hx-push-url="true"' in html
    assert '<button type="submit">Search</button>' in html
    assert "data-new" in html


def test_empty_list_says_what_to_do(owner_client):
    assert "Add the first with" in owner_client.get(LIST).content.decode()
    assert "clear the search and filters" in owner_client.get(LIST, {"q": "zz"}).content.decode()


def test_private_persons_of_others_are_not_listed(owner, outsider_client):
    PersonFactory(owner=owner, first_name="Secret", last_name="S", is_private=True)
    PersonFactory(owner=owner, first_name="Shared", last_name="S")

    assert _rows(outsider_client.get(LIST)) == ["Shared S"]


def test_a_private_company_of_someone_else_is_not_named_in_the_list(owner, outsider_client):
    hidden = CompanyFactory(owner=owner, name="Hidden Corp", is_private=True)
    PersonFactory(owner=owner, company=hidden)

    html = outsider_client.get(LIST).content.decode()
    assert "Hidden Corp" not in html
    assert "a private company" in html


def test_viewer_sees_no_new_person_button(viewer_client):
    assert "data-new" not in viewer_client.get(LIST).content.decode()


# --- Detail -------------------------------------------------------------------------------


def test_person_page_shows_facts_timeline_and_history(owner, owner_client):
    company = services.company_create(actor=owner, name="Acme")
    person = services.person_create(
        actor=owner,
        first_name="Ann",
        last_name="Lee",
        job_title="Buyer",
        company=company,
        emails=["ann@example.com"],
        phones=["+44 20 7946 0958"],
        tags=["lead"],
    )
    services.person_update(actor=owner, person=person, job_title="Head buyer")

    response = owner_client.get(reverse("people:person_detail", args=[person.pk]))

    html = response.content.decode()
    assert reverse("people:company_detail", args=[company.pk]) in html
    assert "ann@example.com" in html and "+44 20 7946 0958" in html
    assert 'id="timeline"' in html and "No interactions yet" in html
    assert "Buyer" in html and "Head buyer" in html  # old → new in the history
    assert reverse("people:person_edit", args=[person.pk]) in html
    assert reverse("people:person_trash", args=[person.pk]) in html
    assert "data-confirm" in html


def test_viewer_sees_a_person_without_edit_or_trash(owner, viewer_client):
    person = PersonFactory(owner=owner)

    html = viewer_client.get(reverse("people:person_detail", args=[person.pk])).content.decode()

    assert person.full_name in html
    assert reverse("people:person_edit", args=[person.pk]) not in html
    assert reverse("people:person_trash", args=[person.pk]) not in html


def test_a_trashed_person_is_readable_with_a_restore_button_but_no_edit(owner, owner_client):
    person = services.person_create(actor=owner, first_name="Ann")
    services.person_trash(actor=owner, person=person)

    html = owner_client.get(reverse("people:person_detail", args=[person.pk])).content.decode()

    assert "in the trash" in html
    assert reverse("people:person_restore", args=[person.pk]) in html
    assert reverse("people:person_edit", args=[person.pk]) not in html
    response = owner_client.get(reverse("people:person_edit", args=[person.pk]))
    assert response.status_code == 404


# --- Create and edit ----------------------------------------------------------------------


def _form(**overrides) -> dict:
    data = {
        "first_name": "Ann",
        "last_name": "Lee",
        "job_title": "",
        "company": "",
        "emails": "",
        "phones": "",
        "tags": "",
        "owner": "",
        "notes": "",
    }
    data.update(overrides)
    return data


def test_create_a_person_with_everything(owner, owner_client):
    company = services.company_create(actor=owner, name="Acme Ltd")

    response = owner_client.post(
        CREATE,
        _form(
            company="acme ltd",
            emails="Ann@Example.com\nann@home.example",
            phones="+44 20 7946 0958",
            tags="lead, vip",
            owner=owner.pk,
            is_private="on",
        ),
    )

    person = Person.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("people:person_detail", args=[person.pk])
    assert person.company == company
    assert [e.email for e in person.emails.all()] == ["ann@example.com", "ann@home.example"]
    assert person.phones.get().number == "+442079460958"
    assert sorted(t.name for t in person.tags.all()) == ["lead", "vip"]
    assert person.is_private and person.owner == owner and person.created_by == owner


def test_the_create_form_starts_with_the_user_as_owner_and_a_company_from_its_page(
    owner, owner_client
):
    company = CompanyFactory(owner=owner, name="Acme")

    form = owner_client.get(CREATE, {"company": company.pk}).context["form"]

    assert form.initial["owner"] == owner.pk
    assert form.initial["company"] == "Acme"


def test_an_unknown_company_name_is_an_error_at_the_field(owner_client):
    response = owner_client.post(CREATE, _form(company="Nowhere Inc"))

    assert response.status_code == 200
    assert "There is no company called" in response.context["form"].errors["company"][0]
    assert not Person.objects.exists()


def test_two_companies_with_one_name_are_told_apart_by_number(owner, owner_client):
    CompanyFactory(owner=owner, name="Acme")
    second = CompanyFactory(owner=owner, name="Acme")

    ambiguous = owner_client.post(CREATE, _form(company="Acme"))
    chosen = owner_client.post(CREATE, _form(company=f"Acme #{second.pk}"))

    assert "Several companies" in ambiguous.context["form"].errors["company"][0]
    assert chosen.status_code == 302
    assert Person.objects.get().company == second


def test_edit_a_person_changes_fields_and_keeps_the_company(owner, owner_client):
    company = services.company_create(actor=owner, name="Acme")
    person = services.person_create(
        actor=owner, first_name="Ann", company=company, emails=["ann@example.com"]
    )
    url = reverse("people:person_edit", args=[person.pk])
    form = owner_client.get(url).context["form"]
    data = {k: v for k, v in form.initial.items() if v is not None}
    data.update(owner=owner.pk, job_title="Buyer", emails="ann@new.example")

    response = owner_client.post(url, data)

    assert response.status_code == 302
    person.refresh_from_db()
    assert person.job_title == "Buyer" and person.company == company
    assert [e.email for e in person.emails.all()] == ["ann@new.example"]


def test_company_suggestions_list_at_most_twenty_visible_companies(owner, outsider, owner_client):
    for n in range(25):
        CompanyFactory(owner=owner, name=f"Acme {n:02d}")
    CompanyFactory(owner=outsider, name="Acme Secret", is_private=True)

    html = owner_client.get(reverse("people:company_suggest"), {"company": "acme"}).content.decode()

    assert html.count("<option") == 20
    assert "Acme Secret" not in html


def test_a_merged_duplicate_points_to_the_person_it_was_merged_into(owner, owner_client):
    winner = PersonFactory(owner=owner, first_name="Ann", last_name="Winner")
    duplicate = PersonFactory(owner=owner)
    Person.all_objects.filter(pk=duplicate.pk).update(merged_into=winner, deleted_at=timezone.now())

    html = owner_client.get(reverse("people:person_detail", args=[duplicate.pk])).content.decode()

    assert "merged into" in html
    assert reverse("people:person_detail", args=[winner.pk]) in html


def test_editing_a_person_keeps_a_company_the_editor_may_not_see(owner, teammate, owner_client):
    company = services.company_create(actor=teammate, name="Their Secret Co")
    person = services.person_create(actor=owner, first_name="Ann", company=company)
    services.company_update(actor=teammate, company=company, is_private=True)
    url = reverse("people:person_edit", args=[person.pk])

    page = owner_client.get(url)
    assert "Their Secret Co" not in page.content.decode()

    data = {k: v for k, v in page.context["form"].initial.items() if v is not None}
    data.update(owner=owner.pk, job_title="Buyer")
    response = owner_client.post(url, data)

    assert response.status_code == 302
    person.refresh_from_db()
    assert person.company == company and person.job_title == "Buyer"


@pytest.mark.parametrize("changes", [1, 12])
def test_person_page_queries_do_not_grow_with_its_history(
    owner, owner_client, django_assert_num_queries, changes
):
    company = services.company_create(actor=owner, name="Acme")
    person = services.person_create(
        actor=owner, first_name="Ann", company=company, emails=["a0@x.org"], tags=["t0"]
    )
    for n in range(1, changes + 1):
        services.person_update(
            actor=owner, person=person, job_title=f"Job {n}", emails=[f"a{n}@x.org"], tags=[f"t{n}"]
        )
    url = reverse("people:person_detail", args=[person.pk])

    # session, user, person (with company and users), tags, emails, phones, its history, tag
    # history, email history, phone history, its interactions (engagement's timeline card):
    # the same for one change as for a dozen; the fit card (qualities, measurable items,
    # answers, requirements, the score); the deals card (one query); the header's fit chip
    # (the stored score comes with the person) and the next step (the next open task); where
    # they came from (the partners app: the initiative that brought them, the partners who
    # referred them); the care card (the person's care with its steps, their promises, their
    # experiences, their own dates)
    with django_assert_num_queries(25):  # 25: the values kept as written
        response = owner_client.get(url)

    assert response.status_code == 200
