"""A company's and a person's page list their deals; the deal lists narrow to one of them."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from attract.people.tests.factories import CompanyFactory, PersonFactory
from attract.pipeline.models import Outcome, Stage
from attract.pipeline.tests.factories import DealFactory

pytestmark = pytest.mark.django_db


def test_a_company_page_lists_its_open_deals_before_its_closed_ones(owner_client, owner):
    acme = CompanyFactory(owner=owner, name="Acme")
    DealFactory(owner=owner, company=acme, title="Old win", outcome=Outcome.WON)
    DealFactory(owner=owner, company=acme, title="Kitchen refit", stage=Stage.DESIRE)
    DealFactory(owner=owner, title="Someone else's deal")
    html = owner_client.get(reverse("people:company_detail", args=[acme.pk])).content.decode()
    assert 'id="deals"' in html
    assert html.index("Kitchen refit") < html.index("Old win")
    assert "Desire" in html and "Won" in html
    assert "Someone else&#x27;s deal" not in html
    assert f"{reverse('pipeline:deal_create')}?company={acme.pk}" in html


def test_a_person_page_lists_the_deals_they_are_the_contact_of(owner_client, owner):
    ann = PersonFactory(owner=owner, first_name="Ann")
    DealFactory(owner=owner, contact=ann, title="Ann's project")
    DealFactory(owner=owner, title="Not Ann's")
    html = owner_client.get(reverse("people:person_detail", args=[ann.pk])).content.decode()
    assert "Ann&#x27;s project" in html and "Not Ann&#x27;s" not in html


def test_another_users_private_deal_stays_off_the_company_page(client, owner, teammate):
    acme = CompanyFactory(owner=owner, name="Acme")
    DealFactory(owner=owner, company=acme, title="Secret bid", is_private=True)
    client.force_login(teammate)
    html = client.get(reverse("people:company_detail", args=[acme.pk])).content.decode()
    assert "Secret bid" not in html
    assert "No deals yet" in html


def test_the_open_and_closed_lists_narrow_to_one_company(owner_client, owner):
    acme = CompanyFactory(owner=owner, name="Acme")
    DealFactory(owner=owner, company=acme, title="Acme open")
    DealFactory(owner=owner, company=acme, title="Acme lost", outcome=Outcome.LOST)
    DealFactory(owner=owner, title="Elsewhere open")
    open_list = owner_client.get(reverse("pipeline:deal_list"), {"company": acme.pk})
    html = open_list.content.decode()
    assert "Acme open" in html and "Elsewhere open" not in html and "Acme lost" not in html
    assert "Open deals of" in html
    closed = owner_client.get(reverse("pipeline:closed_list"), {"company": acme.pk})
    assert "Acme lost" in closed.content.decode()


def test_a_hidden_or_unknown_company_filter_narrows_nothing_and_reveals_nothing(
    client, owner, teammate
):
    hidden = CompanyFactory(owner=owner, name="Hidden Ltd", is_private=True)
    DealFactory(owner=teammate, title="Visible deal")
    client.force_login(teammate)
    for raw in (hidden.pk, "nonsense", 999_999):
        response = client.get(reverse("pipeline:deal_list"), {"company": raw})
        html = response.content.decode()
        assert response.status_code == 200
        assert "Visible deal" in html and "Hidden Ltd" not in html


def _queries_for_company_page(client, company) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(reverse("people:company_detail", args=[company.pk])).status_code == 200
    return len(queries.captured_queries)


def test_the_deals_card_costs_the_same_queries_for_few_and_many_deals(owner_client, owner):
    few, many = CompanyFactory(owner=owner), CompanyFactory(owner=owner)
    DealFactory(owner=owner, company=few)
    DealFactory.create_batch(12, owner=owner, company=many)
    _queries_for_company_page(owner_client, few)  # warm the session and caches
    assert _queries_for_company_page(owner_client, few) == _queries_for_company_page(
        owner_client, many
    )


def test_a_company_with_many_deals_links_to_all_of_them(owner_client, owner):
    acme = CompanyFactory(owner=owner)
    DealFactory.create_batch(9, owner=owner, company=acme)
    html = owner_client.get(reverse("people:company_detail", args=[acme.pk])).content.decode()
    assert html.count('href="/deals/') - html.count('href="/deals/new') == 8 + 2
    assert f"/deals/?company={acme.pk}" in html and f"/deals/closed/?company={acme.pk}" in html
