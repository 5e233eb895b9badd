import datetime

import pytest
from django.urls import reverse

from attract.people import services
from attract.people.models import Company, Relationship, Tag
from attract.people.tests.factories import CompanyFactory, PersonFactory

pytestmark = pytest.mark.django_db

LIST = reverse("people:company_list")
CREATE = reverse("people:company_create")


def _rows(response) -> list[str]:
    return [c.name for c in response.context["companies"]]


@pytest.mark.parametrize("count", [3, 30])
def test_company_list_runs_the_same_number_of_queries_for_3_and_30_rows(
    owner, owner_client, django_assert_num_queries, count
):
    tag = Tag.objects.create(name="lead")
    for n in range(count):
        CompanyFactory(owner=owner, name=f"Company {n}").tags.set([tag])
    # session, user, owners for the filter, count, rows, tags, the user's saved views
    with django_assert_num_queries(7):
        response = owner_client.get(LIST)
    assert len(response.context["companies"]) == count


def test_company_list_searches_filters_and_sorts(owner, teammate, owner_client):
    CompanyFactory(owner=owner, name="Acme Widgets", relationship=Relationship.CUSTOMER)
    CompanyFactory(owner=teammate, name="Beta Tools", relationship=Relationship.PARTNER)

    assert _rows(owner_client.get(LIST, {"q": "widg"})) == ["Acme Widgets"]
    assert _rows(owner_client.get(LIST, {"relationship": "partner"})) == ["Beta Tools"]
    assert _rows(owner_client.get(LIST, {"owner": teammate.pk})) == ["Beta Tools"]
    assert _rows(owner_client.get(LIST, {"sort": "-name"})) == ["Beta Tools", "Acme Widgets"]
    assert _rows(owner_client.get(LIST, {"sort": "relationship"})) == [
        "Acme Widgets",
        "Beta Tools",
    ]


def test_company_list_shows_badges_and_a_mobile_friendly_table(owner, owner_client):
    CompanyFactory(owner=owner, name="Acme", relationship=Relationship.CUSTOMER, is_private=True)

    html = owner_client.get(LIST).content.decode()

    assert "badge-customer" in html and "badge-private" in html
    assert 'class="list stack"' in html and 'data-label="Relationship"' in html
    assert "1–1 of 1" in html


def test_htmx_company_search_gets_only_the_table(owner, owner_client):
    CompanyFactory(owner=owner, name="Acme")

    html = owner_client.get(LIST, {"q": "acme"}, headers={"HX-Request": "true"}).content.decode()

    assert "Acme" in html and "<html" not in html


def test_empty_company_list_says_what_to_do(owner_client, viewer_client):
    assert "New company" in owner_client.get(LIST).content.decode()
    assert "When your team adds companies" in viewer_client.get(LIST).content.decode()


def test_company_page_shows_facts_its_people_timeline_and_history(owner, owner_client):
    company = services.company_create(
        actor=owner, name="Acme", website="https://acme.example", city="Leeds", tags=["vip"]
    )
    services.company_update(actor=owner, company=company, city="York")
    PersonFactory(owner=owner, company=company, first_name="Ann", last_name="Lee")
    PersonFactory(owner=owner, company=company, first_name="Hid", last_name="Den", is_private=True)

    html = owner_client.get(reverse("people:company_detail", args=[company.pk])).content.decode()

    assert "https://acme.example" in html and "vip" in html
    assert "Ann Lee" in html
    assert 'id="timeline"' in html
    assert "Leeds" in html and "York" in html  # the change, old → new
    assert reverse("people:company_edit", args=[company.pk]) in html
    assert reverse("people:company_trash", args=[company.pk]) in html
    assert f"{reverse('people:person_create')}?company={company.pk}" in html


def test_company_page_lists_only_the_people_the_user_may_see(owner, outsider_client):
    company = CompanyFactory(owner=owner)
    PersonFactory(owner=owner, company=company, first_name="Secret", last_name="S", is_private=True)

    html = outsider_client.get(reverse("people:company_detail", args=[company.pk]))

    assert "Secret S" not in html.content.decode()


def test_create_a_company_with_every_field(owner, owner_client):
    response = owner_client.post(
        CREATE,
        {
            "name": "Acme",
            "website": "https://acme.example",
            "industry": "Widgets",
            "size": "11-50",
            "relationship": "customer",
            "customer_since": "2024-02-01",
            "street": "1 High St",
            "postal_code": "LS1 1AA",
            "city": "Leeds",
            "country": "United Kingdom",
            "owner": owner.pk,
            "is_private": "on",
            "notes": "Met at the fair.",
            "tags": "vip, fair",
        },
    )

    company = Company.objects.get()
    assert response["Location"] == reverse("people:company_detail", args=[company.pk])
    assert company.customer_since == datetime.date(2024, 2, 1)
    assert company.address == "1 High St, LS1 1AA Leeds, United Kingdom"
    assert company.is_private and company.owner == owner
    assert sorted(t.name for t in company.tags.all()) == ["fair", "vip"]


def test_a_service_rule_shows_at_its_field(owner_client):
    response = owner_client.post(
        CREATE, {"name": "Acme", "relationship": "customer", "customer_since": "2999-01-01"}
    )

    assert "cannot be in the future" in response.context["form"].errors["customer_since"][0]
    assert not Company.objects.exists()


def test_edit_a_company(owner, owner_client):
    company = services.company_create(actor=owner, name="Acme", tags=["vip"])
    url = reverse("people:company_edit", args=[company.pk])

    form = owner_client.get(url).context["form"]
    assert form.initial["tags"] == "vip"

    response = owner_client.post(
        url, {"name": "Acme Ltd", "relationship": "partner", "owner": owner.pk, "tags": ""}
    )

    assert response.status_code == 302
    company.refresh_from_db()
    assert company.name == "Acme Ltd" and company.relationship == "partner"
    assert not company.tags.exists()


def test_a_large_company_shows_fifty_people_and_links_to_the_full_list(owner, owner_client):
    company = CompanyFactory(owner=owner, name="Big Co")
    PersonFactory.create_batch(51, owner=owner, company=company)
    PersonFactory(owner=owner, first_name="Else", last_name="Where")

    page = owner_client.get(reverse("people:company_detail", args=[company.pk]))
    everyone = owner_client.get(reverse("people:person_list"), {"company": company.pk})

    assert len(page.context["persons"]) == 50 and page.context["more_persons"]
    assert f"?company={company.pk}" in page.content.decode()
    assert everyone.context["page"].paginator.count == 51
    assert "Only people at" in everyone.content.decode()


def test_the_company_filter_ignores_a_company_the_user_may_not_see(owner, outsider_client):
    secret = CompanyFactory(owner=owner, name="Secret Co", is_private=True)
    PersonFactory(owner=owner, company=secret)

    response = outsider_client.get(reverse("people:person_list"), {"company": secret.pk})

    assert "Secret Co" not in response.content.decode()
    assert response.context["company"] is None
