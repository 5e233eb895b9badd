"""What came of referrals, each way, per partner; correcting a referral and its trash."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from attract.core.versions import VersionConflict
from attract.partners import selectors, services
from attract.partners.models import Referral
from attract.partners.tests.factories import make_partner
from attract.people.services import person_create
from attract.people.tests.test_api import ApiClient
from attract.pipeline.services import deal_create, deal_win

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(owner):
    """A partner with two referrals out (one became their customer) and two in (a deal we won
    and an open one)."""
    partner = make_partner(owner)
    ann = person_create(actor=owner, first_name="Ann")
    bob = person_create(actor=owner, first_name="Bob")
    won = deal_create(actor=owner, title="Won", revenue=Decimal("1000"), cost=Decimal("300"))
    still = deal_create(actor=owner, title="Open", revenue=Decimal("50"))
    out = services.referral_create(
        actor=owner, partner=partner, direction="out", person=ann, became_customer=True,
        won_revenue="800", won_profit="-20", referred_on="2026-01-02",
    )  # fmt: skip
    services.referral_create(actor=owner, partner=partner, direction="out", person=bob)
    services.referral_create(
        actor=owner, partner=partner, direction="in", deal=won, referred_on="2026-01-01"
    )
    services.referral_create(actor=owner, partner=partner, direction="in", deal=still)
    deal_win(actor=owner, deal=won)
    return partner, out


def _row(owner, partner):
    return next(p for p in selectors.partner_list_for_user(user=owner) if p.pk == partner.pk)


def test_the_figures_each_way_customers_revenue_profit_balance_and_last(owner, world):
    partner, _ = world
    row = _row(owner, partner)
    assert (row.out_count, row.out_customers) == (2, 1)
    assert (row.out_won_revenue, row.out_won_profit) == (Decimal("800"), Decimal("-20"))
    assert (row.in_count, row.in_customers) == (2, 1)
    assert (row.in_won_revenue, row.in_won_profit) == (Decimal("1000"), Decimal("700"))
    assert row.balance == 0 and row.last_referred_on is not None


def test_revenue_is_won_only_by_a_customer_and_a_deal_in_tells_its_own(owner, world):
    partner, out = world
    with pytest.raises(ValidationError, match="became a customer"):
        services.referral_update(actor=owner, referral=out, became_customer=False)
    out.refresh_from_db()
    assert out.became_customer is True and out.version == 1
    deal_in = Referral.objects.filter(direction="in").first()
    with pytest.raises(ValidationError, match="its own outcome"):
        services.referral_update(actor=owner, referral=deal_in, became_customer=True)
    with pytest.raises(ValidationError):
        services.referral_update(actor=owner, referral=out, won_revenue="-5")


def test_an_edit_is_made_against_the_version_seen_and_recorded(owner, world):
    _, out = world
    services.referral_update(actor=owner, referral=out, expected_version=1, won_revenue="900")
    with pytest.raises(VersionConflict):
        services.referral_update(actor=owner, referral=out, expected_version=1, reason="late")
    out.refresh_from_db()
    assert out.won_revenue == Decimal("900") and out.history.count() == 2


def test_another_users_private_subject_cannot_be_corrected(owner, teammate):
    partner = make_partner(owner)
    secret = person_create(actor=owner, first_name="Secret", is_private=True)
    referral = services.referral_create(
        actor=owner, partner=partner, direction="out", person=secret
    )
    with pytest.raises(PermissionDenied):
        services.referral_update(actor=teammate, referral=referral, reason="x")


def test_edit_page_records_the_outcome_and_trash_has_undo(owner, owner_client, world):
    partner, out = world
    page = reverse("partners:referral_edit", args=[out.pk])
    assert owner_client.get(page).status_code == 200
    response = owner_client.post(
        page,
        {"version": 1, "referred_on": "2026-01-03", "value": "10", "reason": "fits them",
         "became_customer": "yes", "won_revenue": "1200", "won_profit": "300"},
    )  # fmt: skip
    assert response.status_code == 302
    out.refresh_from_db()
    assert (out.won_revenue, out.reason) == (Decimal("1200"), "fits them")
    stale = owner_client.post(page, {"version": 1, "referred_on": "2026-01-03", "value": "1"})
    assert stale.status_code == 200 and b"while you were editing" in stale.content
    detail = owner_client.get(reverse("partners:detail", args=[partner.pk]))
    assert b"Became their customer" in detail.content and b'data-figure="balance"' in detail.content

    response = owner_client.post(reverse("partners:referral_trash", args=[out.pk]), follow=True)
    assert b"Undo" in response.content
    assert _row(owner, partner).out_count == 1
    assert owner_client.get("/trash/").content.count(b"partners/referrals/") >= 1
    owner_client.post(reverse("partners:referral_restore", args=[out.pk]))
    assert _row(owner, partner).out_count == 2


def test_outsiders_get_404_for_a_private_subjects_referral(owner, teammate_client):
    partner = make_partner(owner)
    secret = person_create(actor=owner, first_name="Secret", is_private=True)
    referral = services.referral_create(
        actor=owner, partner=partner, direction="out", person=secret
    )
    assert (
        teammate_client.get(reverse("partners:referral_edit", args=[referral.pk])).status_code
        == 404
    )
    assert (
        teammate_client.post(reverse("partners:referral_trash", args=[referral.pk])).status_code
        == 404
    )


def test_api_figures_patch_with_version_and_trash(owner, world):
    partner, out = world
    api = ApiClient(owner)
    body = api.get(f"/partners/{partner.pk}").json()
    assert body["referred_out_customers"] == 1 and body["balance"] == 0
    assert Decimal(body["referred_in_won_profit"]) == Decimal("700")
    response = api.patch(f"/referrals/{out.pk}", {"won_profit": "55", "version": 1})
    assert response.status_code == 200, response.content
    assert response.json()["outcome"] == "customer_out" and response.json()["version"] == 2
    assert api.patch(f"/referrals/{out.pk}", {"reason": "x", "version": 1}).status_code == 409
    assert api.patch(f"/referrals/{out.pk}", {"became_customer": False}).status_code == 422
    assert api.delete(f"/referrals/{out.pk}").status_code == 204
    assert api.patch(f"/referrals/{out.pk}", {"reason": "x"}).status_code == 404
    assert api.post(f"/referrals/{out.pk}/restore", {}).status_code == 200
