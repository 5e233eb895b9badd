from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from attract.engagement import services
from attract.engagement.models import Interaction, Task
from attract.engagement.tests.factories import InteractionFactory, TaskFactory
from attract.people.tests.factories import CompanyFactory, PersonFactory
from attract.pipeline.tests.factories import DealFactory
from attract.web.navigation import DAY_ITEMS

HTMX = {"HTTP_HX_REQUEST": "true"}


def test_quick_log_from_a_person_page_answers_the_timeline_card(owner, owner_client):
    person = PersonFactory(owner=owner)
    url = reverse("engagement:interaction_log", args=["person", person.pk])
    answer = owner_client.post(
        url,
        {"channel": "call", "direction": "they_reached_out", "summary": "Asked about pricing"},
        **HTMX,
    )
    assert answer.status_code == 200
    assert b'id="timeline"' in answer.content and b"Asked about pricing" in answer.content
    assert b"<html" not in answer.content
    assert Interaction.objects.get().person == person


def test_quick_log_shows_a_future_date_error_next_to_its_field(owner, owner_client):
    company = CompanyFactory(owner=owner)
    future = (timezone.localtime() + timedelta(days=2)).strftime("%Y-%m-%dT%H:%M")
    answer = owner_client.post(
        reverse("engagement:interaction_log", args=["company", company.pk]),
        {"channel": "call", "direction": "we_reached_out", "summary": "x", "occurred_at": future},
        **HTMX,
    )
    assert b"cannot be dated in the future" in answer.content
    assert b"id_occurred_at_errors" in answer.content
    assert not Interaction.objects.exists()


def test_quick_log_on_someone_elses_private_deal_is_404(owner, outsider_client):
    deal = DealFactory(owner=owner, is_private=True)
    url = reverse("engagement:interaction_log", args=["deal", deal.pk])
    answer = outsider_client.post(
        url, {"channel": "call", "direction": "we_replied", "summary": "x"}
    )
    assert answer.status_code == 404


def test_a_viewer_may_not_quick_log(viewer_client):
    person = PersonFactory()
    url = reverse("engagement:interaction_log", args=["person", person.pk])
    assert viewer_client.post(url, {"summary": "x"}).status_code == 403


def test_detail_pages_show_their_interactions(owner, owner_client):
    person = PersonFactory(owner=owner, company=CompanyFactory(owner=owner))
    deal = DealFactory(owner=owner, contact=person, company=person.company)
    services.interaction_log(
        actor=owner,
        channel="meeting",
        direction="we_reached_out",
        summary="Coffee at the fair",
        person=person,
    )
    for url in (
        reverse("people:person_detail", args=[person.pk]),
        reverse("people:company_detail", args=[person.company.pk]),
        reverse("pipeline:deal_detail", args=[deal.pk]),
    ):
        assert "Coffee at the fair" in owner_client.get(url).content.decode(), url


@pytest.mark.parametrize("rows", [3, 30, 90])
def test_the_review_page_runs_a_fixed_number_of_queries(
    owner, teammate, owner_client, django_assert_num_queries, rows
):
    for n in range(rows):
        deal = DealFactory(owner=owner if n % 3 else teammate)
        InteractionFactory(deal=deal, direction="they_reached_out" if n % 2 else "we_reached_out")
    owner_client.get(reverse("engagement:review"))  # judges the past weeks once, and keeps them
    # session, user, the share (open deals, pulling ones, overrides, owners' names), stored
    # weeks, the page of deals, its evidence and overrides; the count comes from the share
    with django_assert_num_queries(10):
        answer = owner_client.get(reverse("engagement:review"), {"verdict": "pull", "page": 1})
    assert answer.status_code == 200


def test_the_review_shows_the_share_and_the_override_reason(owner, owner_client):
    pulled, pushed = DealFactory(owner=owner, title="Warm"), DealFactory(owner=owner, title="Cold")
    InteractionFactory(deal=pulled, direction="they_reached_out", summary="Called us first")
    answer = owner_client.post(
        reverse("engagement:verdict_override", args=[pushed.pk]),
        {"verdict": "pull", "reason": "Signed the letter of intent"},
    )
    assert answer.status_code == 302
    page = owner_client.get(reverse("engagement:review")).content.decode()
    assert "100% Pull" in page and "Called us first" in page
    assert "Signed the letter of intent" in page


def test_the_board_cards_show_push_or_pull(owner, owner_client):
    deal = DealFactory(owner=owner)
    InteractionFactory(deal=deal, direction="they_reached_out")
    DealFactory(owner=owner)
    page = owner_client.get(reverse("pipeline:board")).content.decode()
    assert page.count("badge-pull") == 1 and page.count("badge-push") == 1


def test_today_lists_awaiting_tasks_goals_and_push_deals(owner, owner_client):
    person = PersonFactory(owner=owner, first_name="Ann", last_name="Lee")
    services.interaction_log(
        actor=owner,
        channel="email",
        direction="they_reached_out",
        summary="Pricing?",
        person=person,
    )
    TaskFactory(
        assignee=owner,
        person=person,
        title="Send the brochure",
        due_at=timezone.now() - timedelta(hours=1),
    )
    DealFactory(owner=owner, title="Silent deal")
    page = owner_client.get(reverse("web:today")).content.decode()
    for expected in (
        "Reply to Ann Lee",
        "Send the brochure",
        "overdue",
        "Silent deal",
        "conversations with prospects",
    ):
        assert expected in page, expected


def test_tasks_done_and_undo_from_the_list(owner, owner_client):
    task = TaskFactory(assignee=owner, person=PersonFactory(owner=owner))
    owner_client.post(reverse("engagement:task_done", args=[task.pk]))
    assert Task.objects.get().is_done
    owner_client.post(reverse("engagement:task_undo", args=[task.pk]))
    assert not Task.objects.get().is_done


def test_the_calendar_feed_parses_back_with_the_users_tasks(owner, client):
    TaskFactory(assignee=owner, title="Call Ann", person=PersonFactory(owner=owner))
    token = services.calendar_feed_for(user=owner).token
    answer = client.get(reverse("engagement:calendar_feed", args=[token]))
    assert answer["Content-Type"].startswith("text/calendar")
    events = Calendar.from_ical(answer.content).walk("VEVENT")
    assert [str(e["summary"]).startswith("Call Ann") for e in events] == [True]


def test_a_wrong_or_reset_feed_token_is_a_plain_404(owner, owner_client, client):
    old = services.calendar_feed_for(user=owner).token
    owner_client.post(reverse("engagement:calendar_reset"))
    reset = client.get(reverse("engagement:calendar_feed", args=[old]))
    wrong = client.get(reverse("engagement:calendar_feed", args=["nobody-has-this"]))
    assert reset.status_code == wrong.status_code == 404
    assert reset.content == wrong.content


def test_goals_page_shows_progress_and_refuses_a_negative_goal(owner_client):
    assert b"<svg" in owner_client.get(reverse("engagement:goals")).content
    answer = owner_client.post(reverse("engagement:goals"), {"kind": "quotes", "target": -2})
    assert answer.status_code == 422


@pytest.mark.parametrize("item", DAY_ITEMS, ids=lambda i: i.key)
def test_every_page_of_the_day_is_in_the_menu_under_today(owner_client, item):
    html = owner_client.get(reverse(item.url_name)).content.decode()
    assert '<nav class="sub-nav" aria-label="Your day">' in html
    assert f'href="{reverse(item.url_name)}" aria-current="page"' in html
    # Reachable from every page with its "g" shortcut, listed in the shortcuts dialog.
    people = owner_client.get(reverse("people:person_list")).content.decode()
    assert f'data-shortcut="{item.shortcut}">{item.label}</a>' in people


def test_the_today_page_links_every_page_of_the_day(owner_client):
    html = owner_client.get(reverse("web:today")).content.decode()
    for item in DAY_ITEMS:
        assert f'href="{reverse(item.url_name)}"' in html, item.label


def test_the_review_filters_by_owner_and_verdict_and_pages_through(
    owner, teammate, owner_client, settings
):
    for n in range(60):
        deal = DealFactory(owner=owner if n < 55 else teammate, title=f"Deal {n:02}")
        if n % 2:
            InteractionFactory(deal=deal, direction="they_reached_out")
    url = reverse("engagement:review")
    first = owner_client.get(url).content.decode()
    assert "60 deals, 1–25 shown" in first and "Page 1 of 3" in first
    assert "owner=" not in first.split('rel="next"')[0].rsplit("<a", 1)[-1]
    mine_pull = owner_client.get(url, {"owner": owner.pk, "verdict": "pull"}).content.decode()
    assert "27 deals" in mine_pull and 'data-verdict="push"' not in mine_pull
    assert mine_pull.count('data-verdict="pull"') == 25  # the first page of 27
    theirs = owner_client.get(url, {"owner": teammate.pk, "verdict": "push"}).content.decode()
    assert "2 deals" in theirs and theirs.count('data-verdict="push"') == 2
    last = owner_client.get(url, {"owner": owner.pk, "page": 3}).content.decode()
    assert "55 deals, 51–55 shown" in last and last.count("data-verdict=") == 5
    assert f'href="?owner={owner.pk}&amp;page=2" rel="prev"' in last


def test_a_bad_filter_says_so_and_shows_every_deal(owner, owner_client):
    DealFactory(owner=owner, title="Still listed")
    page = owner_client.get(reverse("engagement:review"), {"owner": "abc", "verdict": "maybe"})
    html = page.content.decode()
    assert page.status_code == 200
    assert "Showing every deal" in html and "Still listed" in html


def test_an_override_returns_to_the_same_filters_and_page(owner, owner_client):
    deal = DealFactory(owner=owner)
    answer = owner_client.post(
        reverse("engagement:verdict_override", args=[deal.pk]),
        {"verdict": "pull", "reason": "Asked for a quote", "back": "verdict=push&page=2&x=1"},
    )
    assert (
        answer["Location"] == f"{reverse('engagement:review')}?verdict=push&page=2#deal-{deal.pk}"
    )


def test_today_shows_tasks_due_as_a_compact_list_with_done(owner, owner_client):
    task = TaskFactory(
        assignee=owner,
        person=PersonFactory(owner=owner, first_name="Ada", last_name="Row"),
        title="Call about the renewal",
        due_at=timezone.now() + timedelta(minutes=5),
    )
    page = owner_client.get(reverse("web:today")).content.decode()
    tasks_card = page[page.index('id="tasks-title"') :]
    tasks_card = tasks_card[: tasks_card.index("</section>")]
    assert '<ul class="row-list">' in tasks_card and "<table" not in tasks_card
    assert "Ada Row" in tasks_card and 'aria-label="Done: Call about the renewal"' in tasks_card
    response = owner_client.post(reverse("engagement:task_done", args=[task.pk]), {"next": "today"})
    assert response.status_code == 302 and response["Location"] == reverse("web:today")
    assert Task.objects.get().is_done
