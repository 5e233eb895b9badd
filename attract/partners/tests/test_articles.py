"""Articles linked to topics, and where a person came from on their page."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from attract.partners import initiative_services as services
from attract.partners.models import Article
from attract.people.tests.test_api import ApiClient

pytestmark = pytest.mark.django_db


@pytest.fixture
def topic(owner):
    return services.topic_create(actor=owner, name="Fewer, better customers")


def test_an_article_is_named_with_its_topic_and_goes_to_the_trash_with_undo(
    owner, owner_client, topic
):
    page = reverse("partners:topic_edit", args=[topic.pk])
    owner_client.post(
        reverse("partners:article_add", args=[topic.pk]),
        {"title": "Why we say no", "where": "Trade monthly", "link": "https://example.com/no",
         "published_on": "2026-01-05"},
    )  # fmt: skip
    article = Article.objects.get()
    assert (article.where, str(article.published_on)) == ("Trade monthly", "2026-01-05")
    assert b"Why we say no" in owner_client.get(page).content
    listing = owner_client.get(reverse("partners:topics")).content.decode()
    assert "Why we say no" in listing and "initiatives and articles that used them" in listing
    response = owner_client.post(reverse("partners:article_trash", args=[article.pk]), follow=True)
    assert b"Undo" in response.content and not Article.objects.exists()
    owner_client.post(reverse("partners:article_restore", args=[article.pk]))
    assert Article.objects.count() == 1


def test_bad_articles_are_refused_and_nothing_is_kept(owner, owner_client, topic):
    with pytest.raises(ValidationError):
        services.article_add(actor=owner, topic=topic, title="")
    with pytest.raises(ValidationError):
        services.article_add(actor=owner, topic=topic, title="Later", published_on="2999-01-01")
    with pytest.raises(ValidationError):
        services.article_add(actor=owner, topic=topic, title="Bad", link="javascript:alert(1)")
    owner_client.post(reverse("partners:article_add", args=[topic.pk]), {"title": ""})
    assert not Article.objects.exists()


def test_articles_through_the_api(owner, topic):
    api = ApiClient(owner)
    response = api.post("/articles", {"topic": topic.pk, "title": "On referrals"})
    assert response.status_code == 201, response.content
    article_id = response.json()["id"]
    assert [a["title"] for a in api.get(f"/topics/{topic.pk}/articles").json()] == ["On referrals"]
    assert api.get("/topics").json()[0]["article_count"] == 1
    assert api.post("/articles", {"topic": 999999, "title": "x"}).status_code == 422
    assert api.delete(f"/articles/{article_id}").status_code == 204
    assert api.post(f"/articles/{article_id}/restore").status_code == 200


def test_the_person_page_shows_the_initiative_they_came_from(owner, owner_client):
    from attract.partners.tests.factories import make_partner
    from attract.people.services import person_create

    partner = make_partner(owner, name="Seminar Friends")
    initiative = services.initiative_create(
        actor=owner, partners=[partner], title="Spring seminar", kind="seminar",
        our_role="co_organiser", held_on=timezone.localdate(),
    )  # fmt: skip
    person = person_create(actor=owner, first_name="Came", last_name="Along")
    services.initiative_add_person(actor=owner, initiative=initiative, person=person)
    body = owner_client.get(reverse("people:person_detail", args=[person.pk])).content.decode()
    assert "Where they came from" in body and "Spring seminar" in body
