"""Saved views: a list's filters and sort under a name, private to their user — the
service, the lists' Views menu, the manage page and the API."""

from __future__ import annotations

import json

import pytest
from django.core.exceptions import ValidationError
from django.test import Client

from attract.accounts.services import api_token_create
from attract.core.models import SavedView
from attract.core.saved_views import clean_query, saved_view_create, saved_view_rename

pytestmark = pytest.mark.django_db


def test_the_query_is_kept_without_the_page_or_odd_parameters():
    assert clean_query("stage=interest&page=3&sort=-revenue") == "stage=interest&sort=-revenue"
    assert clean_query("Weird-Key=1&q=a%00b&tag=vip") == "tag=vip"


def test_names_are_unique_per_user_and_list_ignoring_case(owner, teammate):
    saved_view_create(actor=owner, list_name="deals", name="Hot", query="stage=desire")
    with pytest.raises(ValidationError, match="already have a view named"):
        saved_view_create(actor=owner, list_name="deals", name="  hot ", query="")
    saved_view_create(actor=owner, list_name="people", name="Hot", query="")  # another list
    saved_view_create(actor=teammate, list_name="deals", name="Hot", query="")  # another user
    with pytest.raises(ValidationError, match="Give the view a name"):
        saved_view_create(actor=owner, list_name="deals", name=" \x00 ", query="")
    with pytest.raises(ValidationError, match="Choose one of"):
        saved_view_create(actor=owner, list_name="plan", name="X", query="")


def test_rename_refuses_a_taken_name(owner):
    first = saved_view_create(actor=owner, list_name="people", name="Mine", query="owner=1")
    saved_view_create(actor=owner, list_name="people", name="VIPs", query="tag=vip")
    with pytest.raises(ValidationError, match="already have"):
        saved_view_rename(actor=owner, view=first, name="vips")
    assert SavedView.objects.get(pk=first.pk).name == "Mine"


def test_save_from_the_list_menu_then_pick_it(owner_client, owner):
    page = owner_client.get("/deals/", {"stage": "interest", "page": "2"}).content.decode()
    assert 'name="query" value="stage=interest"' in page and "No saved views yet" in page
    response = owner_client.post(
        "/views/save/", {"list_name": "deals", "name": "In interest", "query": "stage=interest"}
    )
    assert response.status_code == 302 and response["Location"] == "/deals/?stage=interest"
    page = owner_client.get("/deals/", {"stage": "interest"}).content.decode()
    assert "View: In interest" in page and 'href="/deals/?stage=interest"' in page
    for url in ("/people/", "/companies/", "/deals/closed/"):
        assert "data-saved-views" in owner_client.get(url).content.decode()


def test_a_bad_save_says_why_and_keeps_the_filters(owner_client):
    response = owner_client.post(
        "/views/save/", {"list_name": "people", "name": "", "query": "tag=vip"}, follow=True
    )
    assert "Give the view a name" in response.content.decode()
    assert response.redirect_chain[-1][0] == "/people/?tag=vip"


def test_rename_and_delete_on_the_manage_page_and_privacy(owner, owner_client, teammate_client):
    view = saved_view_create(actor=owner, list_name="companies", name="Cities", query="sort=city")
    page = owner_client.get("/views/").content.decode()
    assert "Cities" in page and "/companies/?sort=city" in page
    assert "Cities" not in teammate_client.get("/views/").content.decode()
    assert teammate_client.post(f"/views/{view.pk}/delete/").status_code == 404
    assert teammate_client.post(f"/views/{view.pk}/rename/", {"name": "X"}).status_code == 404
    owner_client.post(f"/views/{view.pk}/rename/", {"name": "By city"})
    assert SavedView.objects.get(pk=view.pk).name == "By city"
    assert owner_client.get(f"/views/{view.pk}/delete/").status_code == 405
    owner_client.post(f"/views/{view.pk}/delete/")
    assert not SavedView.objects.exists()


def test_the_api_lists_creates_and_deletes_only_ones_own(owner, teammate):
    _, raw = api_token_create(user=owner, name="t")
    api = Client(HTTP_AUTHORIZATION=f"Bearer {raw}")
    body = {"list_name": "deals", "name": "Late", "query": "stage=action&page=4"}
    response = api.post("/api/v1/saved-views", json.dumps(body), content_type="application/json")
    assert response.status_code == 201, response.content
    created = response.json()
    assert created["query"] == "stage=action"
    again = api.post("/api/v1/saved-views", json.dumps(body), content_type="application/json")
    assert again.status_code == 422
    listed = api.get("/api/v1/saved-views", {"list_name": "deals"}).json()
    assert [v["name"] for v in listed] == ["Late"]
    _, other = api_token_create(user=teammate, name="t")
    stranger = Client(HTTP_AUTHORIZATION=f"Bearer {other}")
    assert stranger.get("/api/v1/saved-views").json() == []
    assert stranger.delete(f"/api/v1/saved-views/{created['id']}").status_code == 404
    assert api.delete(f"/api/v1/saved-views/{created['id']}").status_code == 204
    assert not SavedView.objects.exists()


def test_a_list_whose_filters_are_too_long_to_save_still_shows_its_menu(owner_client):
    with pytest.raises(ValidationError, match="too long"):
        clean_query("&".join(f"tag=t{n:04d}" for n in range(200)))
    page = owner_client.get("/people/?" + "&".join(f"tag=t{n:04d}" for n in range(200)))
    assert page.status_code == 200 and 'name="query" value=""' in page.content.decode()
