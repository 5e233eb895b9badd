"""The deals, quotes, stages and moves API at /api/v1/, driven with real Bearer tokens."""

from __future__ import annotations

import json

import pytest
from django.test import Client

from attract.accounts.services import api_token_create
from attract.people.models import Relationship
from attract.people.tests.factories import CompanyFactory
from attract.pipeline.models import Outcome, Stage
from attract.pipeline.services import deal_create, deal_update
from attract.pipeline.tests.factories import DealFactory, QuoteFactory

pytestmark = pytest.mark.django_db


class ApiClient:
    def __init__(self, user) -> None:
        _, raw = api_token_create(user=user, name="tests")
        self.client = Client(HTTP_AUTHORIZATION=f"Bearer {raw}")

    def get(self, path: str, **params):
        return self.client.get(f"/api/v1{path}", params)

    def send(self, method: str, path: str, data: dict | None = None):
        return getattr(self.client, method)(
            f"/api/v1{path}", json.dumps(data or {}), content_type="application/json"
        )


@pytest.fixture
def api(owner):
    return ApiClient(owner)


def test_create_and_read_a_deal_with_profit_margin_and_warnings(api, owner):
    company = CompanyFactory(owner=owner)
    response = api.send(
        "post",
        "/deals",
        {"title": "Shop", "company": company.pk, "revenue": "100", "cost": "150", "tags": ["vip"]},
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["stage"] == "attention" and body["company_name"] == company.name
    assert body["profit"] == "-50.00" or float(body["profit"]) == -50
    assert body["warnings"] == ["Cost is above revenue: this deal loses money."]
    assert body["tags"] == ["vip"]
    assert api.get(f"/deals/{body['id']}").json()["version"] == 1


def test_negative_revenue_answers_422_with_the_field(api):
    response = api.send("post", "/deals", {"title": "Bad", "revenue": "-3"})
    assert response.status_code == 422
    assert response.json()["detail"] == [
        {"field": "revenue", "message": "Revenue cannot be negative."}
    ]


def test_a_refused_move_answers_409_with_the_missing_criteria(api, owner):
    deal = deal_create(actor=owner, title="Gate")
    response = api.send("post", f"/deals/{deal.pk}/move", {"stage": "desire"})
    assert response.status_code == 409
    body = response.json()
    assert body["code"] == "gate_refused"
    assert body["missing"] == [
        "the customer's pain, described in their own words (needed for Interest)",
        "the customer acknowledges the problem (needed for Desire)",
        "the customer believes we are the ones to solve it (needed for Desire)",
    ]


def test_a_stale_version_answers_409_with_a_different_code(api, owner):
    deal = deal_create(actor=owner, title="Race", pain="Slow")
    deal_update(actor=owner, deal=deal, title="Changed meanwhile")
    response = api.send("post", f"/deals/{deal.pk}/move", {"stage": "interest", "version": 1})
    assert response.status_code == 409
    assert response.json()["code"] == "version_conflict"
    assert response.json()["current_version"] == 2
    ok = api.send("post", f"/deals/{deal.pk}/move", {"stage": "interest", "version": 2})
    assert ok.status_code == 200 and ok.json()["stage"] == "interest"
    moves = api.get(f"/deals/{deal.pk}/moves").json()
    assert [(m["from_stage"], m["to_stage"]) for m in moves] == [
        ("", "attention"),
        ("attention", "interest"),
    ]


def test_a_move_to_an_unknown_stage_answers_422(api, owner):
    deal = deal_create(actor=owner, title="Where")
    response = api.send("post", f"/deals/{deal.pk}/move", {"stage": "closing"})
    assert response.status_code == 422
    assert response.json()["detail"][0]["field"] == "stage"


def test_quote_then_action_then_win_makes_the_company_a_customer(api, owner):
    company = CompanyFactory(owner=owner)
    deal = deal_create(
        actor=owner,
        title="Full cycle",
        company=company,
        pain="Paper forms",
        conviction_problem_acknowledged=True,
        conviction_we_are_the_ones=True,
        stage=Stage.DESIRE,
    )
    quote = api.send("post", f"/deals/{deal.pk}/quotes", {"amount": "900"})
    assert quote.status_code == 201
    sent = api.send("post", f"/quotes/{quote.json()['id']}/send", {})
    assert sent.json()["status"] == "sent"
    assert api.send("post", f"/deals/{deal.pk}/move", {"stage": "action"}).status_code == 200
    won = api.send("post", f"/deals/{deal.pk}/win", {})
    assert won.status_code == 200 and won.json()["outcome"] == "won"
    company.refresh_from_db()
    assert company.relationship == Relationship.CUSTOMER


def test_lose_needs_a_reason_and_the_closed_filter_lists_it(api, owner):
    deal = deal_create(actor=owner, title="Gone")
    assert api.send("post", f"/deals/{deal.pk}/lose", {"reason": ""}).status_code == 422
    assert api.send("post", f"/deals/{deal.pk}/lose", {"reason": "Budget"}).status_code == 200
    assert api.get("/deals").json()["count"] == 0
    closed = api.get("/deals", closed="true").json()
    assert [d["outcome"] for d in closed["items"]] == ["lost"]


def test_the_deal_list_filters_and_paginates_in_a_fixed_number_of_queries(
    api, owner, django_assert_max_num_queries
):
    for index in range(30):
        DealFactory(owner=owner, stage=Stage.INTEREST if index % 2 else Stage.ATTENTION)
    with django_assert_max_num_queries(8):
        page = api.get("/deals", stage="interest", limit=10, offset=5).json()
    assert page["count"] == 15 and len(page["items"]) == 10


def test_private_deals_of_others_are_404_and_viewers_cannot_write(owner, outsider, viewer):
    deal = DealFactory(owner=owner, is_private=True)
    assert ApiClient(outsider).get(f"/deals/{deal.pk}").status_code == 404
    public = DealFactory(owner=owner)
    response = ApiClient(viewer).send("post", f"/deals/{public.pk}/move", {"stage": "interest"})
    assert response.status_code == 403


def test_stages_show_settings_learned_chances_and_only_admins_change_them(api, owner, teammate):
    DealFactory(owner=owner, stage=Stage.DESIRE, revenue=1000)
    DealFactory(owner=owner, outcome=Outcome.WON, furthest_stage_index=4)
    stages = api.get("/stages").json()
    desire = next(s for s in stages if s["stage"] == "desire")
    assert (desire["probability"], desire["open_count"], desire["learned_sample_size"]) == (
        70,
        1,
        1,
    )
    assert float(desire["weighted_total"]) == 700
    refused = ApiClient(teammate).send(
        "put", "/stages/desire", {"probability": 50, "stale_after_days": 10}
    )
    assert refused.status_code == 403
    changed = api.send("put", "/stages/desire", {"probability": 50, "stale_after_days": 10})
    assert next(s for s in changed.json() if s["stage"] == "desire")["probability"] == 50


def test_a_quote_of_a_private_deal_cannot_be_sent_by_an_outsider(owner, outsider):
    quote = QuoteFactory(deal=DealFactory(owner=owner, is_private=True))
    response = ApiClient(outsider).send("post", f"/quotes/{quote.pk}/send", {})
    assert response.status_code == 404
