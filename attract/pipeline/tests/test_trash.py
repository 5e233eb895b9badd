"""Deals in the trash: listed on /trash/ beside people and companies, restorable from there,
and the message after moving one there carries Undo."""

from __future__ import annotations

import pytest

from attract.people.tests.factories import CompanyFactory, PersonFactory
from attract.pipeline.models import Deal
from attract.pipeline.services import deal_trash
from attract.pipeline.tests.factories import DealFactory

pytestmark = pytest.mark.django_db


def test_a_trashed_deal_is_listed_and_restored_from_the_trash(owner, owner_client):
    deal = DealFactory(title="Warehouse racking", owner=owner)
    deal_trash(actor=owner, deal=deal)
    page = owner_client.get("/trash/").content.decode()
    assert "Deals" in page and "Warehouse racking" in page
    response = owner_client.post(f"/deals/{deal.pk}/restore/", {"next": "/trash/"})
    assert response["Location"] == "/trash/"
    assert Deal.objects.filter(pk=deal.pk).exists()
    assert "No deal is in the trash." in owner_client.get("/trash/").content.decode()


def test_moving_a_deal_to_the_trash_offers_undo(owner, owner_client):
    deal = DealFactory(title="Forklift lease", owner=owner)
    response = owner_client.post(f"/deals/{deal.pk}/trash/", follow=True)
    html = response.content.decode()
    assert "Forklift lease" in html and "moved to the trash" in html
    assert f'action="/deals/{deal.pk}/restore/"' in html


def test_the_trash_shows_no_one_elses_private_deal_and_names_private_companies_as_such(
    owner, teammate, owner_client
):
    secret = CompanyFactory(name="Quiet Holdings", owner=teammate, is_private=True)
    mine = PersonFactory(first_name="Pia", last_name="Trash", owner=owner, company=secret)
    mine.deleted_at = mine.created_at
    mine.save()
    hidden = DealFactory(title="Teammate's private deal", owner=teammate, is_private=True)
    deal_trash(actor=teammate, deal=hidden)
    page = owner_client.get("/trash/").content.decode()
    assert "Pia Trash" in page and "a private company" in page
    assert "Quiet Holdings" not in page and "Teammate&#x27;s private deal" not in page
