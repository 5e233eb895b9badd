"""A shared deal that names someone else's private company or contact: the team sees the
deal, and "a private company" / "a private contact" in place of their names, on every page,
in the form and in the API; the deal's owner is warned when linking."""

from __future__ import annotations

import json

import pytest
from django.test import Client
from django.urls import reverse

from attract.accounts.services import api_token_create
from attract.people.tests.factories import CompanyFactory, PersonFactory
from attract.pipeline.models import Deal
from attract.pipeline.services import deal_create
from attract.pipeline.tests.factories import DealFactory

pytestmark = pytest.mark.django_db

SECRET_COMPANY = "Zanzibar Hidden Holdings"
SECRET_CONTACT = "Quentin Hushhush"


@pytest.fixture
def shared_deal(owner):
    company = CompanyFactory(owner=owner, name=SECRET_COMPANY, is_private=True)
    contact = PersonFactory(
        owner=owner, first_name="Quentin", last_name="Hushhush", is_private=True, company=company
    )
    return DealFactory(owner=owner, company=company, contact=contact, title="Shared roof deal")


@pytest.mark.parametrize(
    "page",
    ["pipeline:board", "pipeline:deal_list", "pipeline:long_maybes", "web:today"],
)
def test_lists_show_a_private_company_to_the_team_and_its_name_to_its_owner(
    page, shared_deal, owner_client, teammate_client
):
    Deal.objects.filter(pk=shared_deal.pk).update(stage_entered_at="2020-01-01T00:00Z")
    seen_by_team = teammate_client.get(reverse(page)).content.decode()
    assert SECRET_COMPANY not in seen_by_team
    if page != "web:today":  # Today lists the user's own push deals, not the team's
        assert "Shared roof deal" in seen_by_team
        assert "a private company" in seen_by_team
        assert SECRET_COMPANY in owner_client.get(reverse(page)).content.decode()


def test_the_deal_page_names_neither_and_links_neither(shared_deal, teammate_client):
    body = teammate_client.get(reverse("pipeline:deal_detail", args=[shared_deal.pk])).content
    body = body.decode()
    assert SECRET_COMPANY not in body and SECRET_CONTACT not in body
    assert "a private company" in body and "a private contact" in body
    assert reverse("people:company_detail", args=[shared_deal.company_id]) not in body
    assert reverse("people:person_detail", args=[shared_deal.contact_id]) not in body


def test_a_teammate_edits_the_deal_without_seeing_or_losing_its_private_links(
    shared_deal, teammate_client
):
    url = reverse("pipeline:deal_edit", args=[shared_deal.pk])
    form = teammate_client.get(url).content.decode()
    assert SECRET_COMPANY not in form and SECRET_CONTACT not in form
    response = teammate_client.post(
        url,
        {
            "title": "Shared roof deal, bigger",
            "company": "a private company",
            "contact": "a private contact",
            "source": "outbound",
            "version": shared_deal.version,
        },
    )
    assert response.status_code == 302, response.content.decode()
    shared_deal.refresh_from_db()
    assert shared_deal.title == "Shared roof deal, bigger"
    assert shared_deal.company.name == SECRET_COMPANY
    assert shared_deal.contact.last_name == "Hushhush"


def test_a_teammate_cannot_link_a_private_company_by_its_label(owner, teammate, teammate_client):
    CompanyFactory(owner=owner, name=SECRET_COMPANY, is_private=True)
    deal = DealFactory(owner=teammate, company=None, title="Walk-in")
    response = teammate_client.post(
        reverse("pipeline:deal_edit", args=[deal.pk]),
        {"title": "Walk-in", "company": SECRET_COMPANY, "source": "outbound", "version": 0},
    )
    assert response.status_code == 200
    deal.refresh_from_db()
    assert deal.company is None


def test_the_owner_is_warned_when_a_shared_deal_names_a_private_company(owner, owner_client):
    CompanyFactory(owner=owner, name=SECRET_COMPANY, is_private=True)
    response = owner_client.post(
        reverse("pipeline:deal_create"),
        {"title": "New roof", "company": SECRET_COMPANY, "source": "outbound"},
        follow=True,
    )
    assert "the team sees “a private company” in its place" in response.content.decode()


def test_the_api_gives_no_id_and_the_private_label(shared_deal, teammate, owner):
    _, raw = api_token_create(user=teammate, name="t")
    client = Client(HTTP_AUTHORIZATION=f"Bearer {raw}")
    for path in ("/api/v1/deals", f"/api/v1/deals/{shared_deal.pk}"):
        body = client.get(path).content.decode()
        assert SECRET_COMPANY not in body and SECRET_CONTACT not in body
        data = json.loads(body)
        item = data["items"][0] if "items" in data else data
        assert item["company_id"] is None and item["contact_id"] is None
        assert item["company_name"] == "a private company"
        assert item["contact_name"] == "a private contact"
    _, raw = api_token_create(user=owner, name="o")
    mine = Client(HTTP_AUTHORIZATION=f"Bearer {raw}").get(f"/api/v1/deals/{shared_deal.pk}")
    assert mine.json()["company_name"] == SECRET_COMPANY
    assert "Its company is private" in " ".join(mine.json()["warnings"])


def test_the_deal_search_does_not_find_deals_by_a_hidden_company_name(shared_deal, teammate, owner):
    def found(user) -> int:
        _, raw = api_token_create(user=user, name="s")
        client = Client(HTTP_AUTHORIZATION=f"Bearer {raw}")
        return client.get("/api/v1/deals", {"search": "zanzibar"}).json()["count"]

    assert found(teammate) == 0
    assert found(owner) == 1


def test_a_service_keeps_refusing_to_link_a_new_hidden_company(owner, teammate):
    hidden = CompanyFactory(owner=owner, is_private=True)
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError, match="company you can see"):
        deal_create(actor=teammate, title="X", company=hidden)
