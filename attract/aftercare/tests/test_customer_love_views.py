"""Pages of events, offers, visits and ideas, and a plan step's edit: what each shows, what
each form does, a stale edit refused with the input kept, the trash with Undo, privacy,
and fixed query counts on the lists."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from attract.aftercare import care_plan_services as plans
from attract.aftercare import customer_love_services as love
from attract.aftercare.models import CarePlanStep, CustomerEvent, EventGuest, Idea, Offer, Visit
from attract.aftercare.tests.factories import make_customer, make_plan
from attract.engagement.models import Interaction
from attract.people.services import company_create

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate


@pytest.fixture
def shop(owner):
    return company_create(actor=owner, name="Corner Shop", relationship="customer")


def test_an_event_is_added_guests_invited_and_who_came_recorded(owner, owner_client, shop):
    response = owner_client.post(reverse("aftercare:events"), {
        "title": "Sourdough workshop", "kind": "workshop",
        "held_on": (TODAY() - timedelta(days=1)).isoformat(),
    })  # fmt: skip
    event = CustomerEvent.objects.get()
    assert response.status_code == 302 and response["Location"].endswith(f"/events/{event.pk}/")
    found = owner_client.get(reverse("aftercare:event_detail", args=[event.pk]), {"q": "corner"})
    assert "Invite Corner Shop" in found.content.decode()
    owner_client.post(reverse("aftercare:event_invite", args=[event.pk]), {"company": shop.pk})
    guest = EventGuest.objects.get()
    owner_client.post(reverse("aftercare:guest_attendance", args=[guest.pk]), {"came": "yes"})
    guest.refresh_from_db()
    assert guest.came is True
    page = owner_client.get(reverse("aftercare:events")).content.decode()
    assert "Sourdough workshop" in page
    summaries = set(Interaction.objects.filter(company=shop).values_list("summary", flat=True))
    assert "Came to “Sourdough workshop”" in summaries


def test_a_bad_event_keeps_the_input_and_saves_nothing(owner_client):
    response = owner_client.post(reverse("aftercare:events"), {"title": "Tea", "kind": "workshop",
                                                               "held_on": "not a date"})  # fmt: skip
    assert response.status_code == 200
    assert 'value="Tea"' in response.content.decode()
    assert not CustomerEvent.all_objects.exists()


def test_an_offer_made_from_the_customer_page_and_answered(owner, owner_client, shop):
    card = owner_client.get(reverse("people:company_detail", args=[shop.pk])).content.decode()
    new = reverse("aftercare:offer_create", args=["company", shop.pk])
    assert new in card
    response = owner_client.post(new, {"kind": "service", "what": "Repairs plan",
                                       "offered_on": TODAY().isoformat(), "channel": "call"})  # fmt: skip
    offer = Offer.objects.get()
    assert response["Location"] == reverse("aftercare:offer_detail", args=[offer.pk])
    owner_client.post(reverse("aftercare:offer_answer", args=[offer.pk]),
                      {"outcome": "taken", "version": offer.version})  # fmt: skip
    offer.refresh_from_db()
    assert offer.outcome == "taken"
    listed = owner_client.get(reverse("aftercare:offers"), {"company": shop.pk}).content.decode()
    assert "Repairs plan" in listed and "Taken" in listed


def test_a_stale_offer_edit_is_refused_and_the_input_kept(owner, owner_client, shop):
    offer = love.offer_make(actor=owner, company=shop, what="Old price")
    seen = offer.version
    love.offer_update(actor=owner, offer=offer, terms="changed meanwhile")
    response = owner_client.post(reverse("aftercare:offer_detail", args=[offer.pk]), {
        "kind": "terms", "what": "My new words", "terms": "", "offered_on": TODAY().isoformat(),
        "version": seen,
    })  # fmt: skip
    body = response.content.decode()
    assert response.status_code == 200 and "Someone else changed" in body
    assert "My new words" in body
    assert Offer.objects.get(pk=offer.pk).what == "Old price"


def test_a_visit_goes_to_the_trash_with_undo_and_comes_back(owner, owner_client, shop):
    visit = love.visit_record(actor=owner, company=shop, what_we_watched="the till")
    response = owner_client.post(reverse("aftercare:visit_trash", args=[visit.pk]), follow=True)
    body = response.content.decode()
    restore = reverse("aftercare:visit_restore", args=[visit.pk])
    assert restore in body and "Undo" in body
    assert owner_client.get(reverse("aftercare:visit_detail", args=[visit.pk])).status_code == 200
    owner_client.post(restore)
    assert Visit.objects.filter(pk=visit.pk).exists()


def test_trashed_records_are_on_the_trash_page(owner, owner_client, shop):
    visit = love.visit_record(actor=owner, company=shop, what_we_watched="the stockroom")
    idea = love.idea_create(actor=owner, title="Self-service corner")
    love.visit_trash(actor=owner, visit=visit)
    love.idea_trash(actor=owner, idea=idea)
    body = owner_client.get(reverse("people:trash")).content.decode()
    assert "the stockroom" in body and "Self-service corner" in body
    assert reverse("aftercare:idea_restore", args=[idea.pk]) in body


def test_an_idea_kept_from_a_visit_links_its_customer(owner, owner_client, shop):
    visit = love.visit_record(actor=owner, company=shop, what_we_watched="closing time")
    response = owner_client.post(reverse("aftercare:ideas"),
                                 {"title": "Evening pickup", "status": "new", "visit": visit.pk})  # fmt: skip
    idea = Idea.objects.get()
    assert response["Location"] == reverse("aftercare:idea_detail", args=[idea.pk])
    assert list(idea.companies.all()) == [shop]
    page = owner_client.get(reverse("aftercare:visit_detail", args=[visit.pk])).content.decode()
    assert "Evening pickup" in page


def test_someone_elses_private_customer_stays_hidden(owner, outsider_client):
    secret = company_create(actor=owner, name="Quiet Clinic", relationship="customer",
                            is_private=True)  # fmt: skip
    offer = love.offer_make(actor=owner, company=secret, what="Clinic terms")
    visit = love.visit_record(actor=owner, company=secret, what_we_watched="the clinic")
    event = love.event_create(actor=owner, title="Open day", held_on=TODAY())
    love.event_invite(actor=owner, event=event, company=secret)
    love.idea_create(actor=owner, title="Home visits", companies=[secret])
    for url in (reverse("aftercare:offer_detail", args=[offer.pk]),
                reverse("aftercare:visit_detail", args=[visit.pk])):  # fmt: skip
        assert outsider_client.get(url).status_code == 404
    for url in (reverse("aftercare:offers"), reverse("aftercare:visits"),
                reverse("aftercare:ideas"), reverse("aftercare:event_detail", args=[event.pk])):  # fmt: skip
        assert "Quiet Clinic" not in outsider_client.get(url).content.decode()


def test_lists_read_a_fixed_number_of_queries(owner, owner_client, shop):
    def count(url: str) -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert owner_client.get(url).status_code == 200
        return len(ctx)

    def add(n: int) -> None:
        for i in range(n):
            other = company_create(actor=owner, name=f"Shop {i}{n}", relationship="customer")
            love.offer_make(actor=owner, company=other, what=f"Offer {i}")
            love.visit_record(actor=owner, company=other, what_we_watched=f"watch {i}")
            love.idea_create(actor=owner, title=f"Idea {i}{n}", companies=[other, shop])
            event = love.event_create(actor=owner, title=f"Event {i}{n}", held_on=TODAY())
            love.event_invite(actor=owner, event=event, company=other)

    add(2)
    urls = [reverse(n) for n in ("aftercare:events", "aftercare:offers", "aftercare:visits",
                                 "aftercare:ideas")]  # fmt: skip
    before = [count(u) for u in urls]
    add(6)
    assert [count(u) for u in urls] == before


def test_a_plan_step_is_edited_and_a_stale_edit_refused(owner, owner_client):
    plan = make_plan(owner)
    company, _ = make_customer(owner, "Edit Bakery")
    step = CarePlanStep.objects.get(plan=plan, title="Welcome call")
    url = reverse("aftercare:plan_step_edit", args=[step.pk])
    form = owner_client.get(url).content.decode()
    assert 'value="Welcome call"' in form and f'value="{step.version}"' in form
    data = {"title": "Welcome visit", "day": "3", "repeat_months": "0", "doer": "deal_owner",
            "channel": "visit", "version": step.version}  # fmt: skip
    response = owner_client.post(url, data)
    assert response.status_code == 302
    step.refresh_from_db()
    assert (step.title, step.day, step.channel) == ("Welcome visit", 3, "visit")
    stale = owner_client.post(url, {**data, "title": "Hello call"})  # the old version again
    body = stale.content.decode()
    assert stale.status_code == 200 and "Someone else changed" in body and "Hello call" in body
    assert CarePlanStep.objects.get(pk=step.pk).title == "Welcome visit"


def test_a_plan_step_at_a_negative_day_is_refused_on_its_page(owner, owner_client):
    plan = make_plan(owner)
    step = CarePlanStep.objects.get(plan=plan, title="Welcome call")
    response = owner_client.post(reverse("aftercare:plan_step_edit", args=[step.pk]), {
        "title": "Welcome call", "day": "-3", "repeat_months": "0", "doer": "deal_owner",
        "channel": "call", "version": step.version,
    })  # fmt: skip
    assert response.status_code == 200 and "never before" in response.content.decode()
    assert CarePlanStep.objects.get(pk=step.pk).day == 1


def test_a_viewer_may_read_but_not_edit_a_plan_step(owner, viewer_client):
    plan = make_plan(owner)
    step = plans.care_plan_step_add(actor=owner, plan=plan, title="Anniversary", day=365)
    url = reverse("aftercare:plan_step_edit", args=[step.pk])
    assert viewer_client.get(url).status_code == 200
    assert viewer_client.post(url, {"title": "X", "day": "1", "repeat_months": "0",
                                    "doer": "deal_owner", "channel": "call"}).status_code == 403  # fmt: skip
