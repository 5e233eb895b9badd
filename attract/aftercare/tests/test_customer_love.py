"""Events, offers, visits and ideas (services and selectors): each touch logged on the
customer's timeline, bad input refused with nothing changed, stale edits refused, the trash
and back, and a private customer never named to someone who may not see them."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from attract.aftercare import customer_love_selectors as selectors
from attract.aftercare import customer_love_services as love
from attract.aftercare.models import CustomerEvent, EventGuest, Idea, Offer, Visit
from attract.core.versions import VersionConflict
from attract.engagement.models import Interaction
from attract.people.services import company_create, person_create

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate


@pytest.fixture
def customers(owner, outsider):
    shared = company_create(actor=owner, name="Open Bakery", relationship="customer")
    secret = company_create(actor=owner, name="Hidden Spa", relationship="customer",
                            is_private=True)  # fmt: skip
    return shared, secret


def _timeline(company) -> list[str]:
    return list(
        Interaction.objects.filter(company=company).order_by("occurred_at", "id")
        .values_list("summary", flat=True)
    )  # fmt: skip


def test_invitation_and_coming_are_logged_on_the_guests_timeline(owner, customers):
    shared, _ = customers
    event = love.event_create(actor=owner, title="Bread workshop", kind="workshop",
                              held_on=TODAY() - timedelta(days=2))  # fmt: skip
    guest = love.event_invite(actor=owner, event=event, company=shared)
    love.event_attendance(actor=owner, guest=guest, came=True)
    love.event_attendance(actor=owner, guest=guest, came=True)  # twice: logged once
    summaries = _timeline(shared)
    assert summaries[0] == "Came to “Bread workshop”"  # dated the day it was held
    assert any(s.startswith("Invited to “Bread workshop”") for s in summaries)
    assert len([s for s in summaries if s.startswith("Came to")]) == 1
    came_at = Interaction.objects.get(company=shared, summary__startswith="Came").occurred_at
    assert timezone.localtime(came_at).date() == event.held_on


def test_a_customer_is_invited_once_and_attendance_waits_for_the_day(owner, customers):
    shared, _ = customers
    event = love.event_create(actor=owner, title="Preview", kind="preview",
                              held_on=TODAY() + timedelta(days=7))  # fmt: skip
    guest = love.event_invite(actor=owner, event=event, company=shared)
    with pytest.raises(ValidationError, match="already invited"):
        love.event_invite(actor=owner, event=event, company=shared)
    with pytest.raises(ValidationError, match="on or after the day"):
        love.event_attendance(actor=owner, guest=guest, came=True)
    guest.refresh_from_db()
    assert guest.came is None and EventGuest.objects.count() == 1


def test_an_event_without_a_title_or_day_is_refused_and_nothing_is_saved(owner):
    with pytest.raises(ValidationError) as err:
        love.event_create(actor=owner, title=" ", held_on=None, kind="party")
    assert {"title", "held_on", "kind"} <= set(err.value.message_dict)
    assert not CustomerEvent.all_objects.exists()


def test_an_offer_is_logged_and_its_answer_too(owner, customers):
    shared, _ = customers
    offer = love.offer_make(actor=owner, company=shared, kind="service", what="Weekend delivery")
    assert _timeline(shared) == ["Offered a new service: Weekend delivery"]
    love.offer_answer(actor=owner, offer=offer, outcome="taken", expected_version=offer.version)
    offer.refresh_from_db()
    assert offer.outcome == "taken" and offer.answered_on == TODAY()
    assert _timeline(shared)[-1] == "Took our offer: Weekend delivery"
    takers = selectors.offer_takers(owner)
    assert takers == [{"what": "Weekend delivery", "offered": 1, "taken": 1, "declined": 0}]


def test_a_stale_edit_of_an_offer_is_refused(owner, customers):
    shared, _ = customers
    offer = love.offer_make(actor=owner, company=shared, what="Loyalty price")
    seen = offer.version
    love.offer_update(actor=owner, offer=Offer.objects.get(pk=offer.pk), terms="10% off",
                      expected_version=seen)  # fmt: skip
    with pytest.raises(VersionConflict):
        love.offer_update(actor=owner, offer=Offer.objects.get(pk=offer.pk), terms="20% off",
                          expected_version=seen)  # fmt: skip
    assert Offer.objects.get(pk=offer.pk).terms == "10% off"


def test_bad_offers_and_visits_are_refused(owner, customers):
    shared, _ = customers
    with pytest.raises(ValidationError, match="what we offered"):
        love.offer_make(actor=owner, company=shared, what="")
    with pytest.raises(ValidationError, match="future"):
        love.visit_record(actor=owner, company=shared, what_we_watched="Baking",
                          visited_on=TODAY() + timedelta(days=1))  # fmt: skip
    with pytest.raises(ValidationError, match="one of the two"):
        love.visit_record(actor=owner, what_we_watched="Baking")
    assert not Offer.all_objects.exists() and not Visit.all_objects.exists()
    assert _timeline(shared) == []


def test_a_visit_is_logged_and_an_idea_from_it_names_its_customer(owner, customers):
    shared, _ = customers
    visit = love.visit_record(actor=owner, company=shared, what_we_watched="the morning bake",
                              visited_on=TODAY() - timedelta(days=1),
                              what_we_learned="They weigh flour by hand")  # fmt: skip
    assert _timeline(shared) == ["Visit: watched the morning bake"]
    idea = love.idea_create(actor=owner, title="A flour scale", visit=visit)
    assert list(idea.companies.all()) == [shared]
    [listed] = selectors.idea_list(owner, customer=shared)
    assert listed.pk == idea.pk and listed.inspired_companies == [shared]


def test_trash_and_restore_keep_what_was_logged(owner, customers):
    shared, _ = customers
    visit = love.visit_record(actor=owner, company=shared, what_we_watched="packing")
    love.visit_trash(actor=owner, visit=visit)
    assert not selectors.visit_list(owner).exists()
    assert _timeline(shared) == ["Visit: watched packing"]
    love.visit_restore(actor=owner, visit=visit)
    assert list(selectors.visit_list(owner)) == [visit]


def test_a_private_customer_is_never_named_to_someone_else(owner, outsider, customers):
    shared, secret = customers
    event = love.event_create(actor=owner, title="Tenth birthday", kind="celebration",
                              held_on=TODAY())  # fmt: skip
    love.event_invite(actor=owner, event=event, company=shared)
    love.event_invite(actor=owner, event=event, company=secret)
    love.offer_make(actor=owner, company=secret, what="Spa terms")
    love.visit_record(actor=owner, company=secret, what_we_watched="the spa")
    idea = love.idea_create(actor=owner, title="Gift cards", companies=[shared, secret])
    assert [g.customer for g in selectors.event_guests(outsider, event)] == [shared]
    assert selectors.event_list(outsider).get().invited == 1
    assert selectors.event_list(owner).get().invited == 2
    assert not selectors.offer_list(outsider).exists()
    assert not selectors.visit_list(outsider).exists()
    assert selectors.idea_list(outsider).get(pk=idea.pk).inspired_companies == [shared]
    with pytest.raises(PermissionDenied):
        love.offer_make(actor=outsider, company=secret, what="Peek")
    with pytest.raises(ValidationError):
        love.idea_create(actor=outsider, title="Peek", companies=[secret])


def test_a_viewer_changes_nothing(viewer, customers):
    shared, _ = customers
    with pytest.raises(PermissionDenied):
        love.event_create(actor=viewer, title="X", held_on=TODAY())
    with pytest.raises(PermissionDenied):
        love.visit_record(actor=viewer, company=shared, what_we_watched="X")


def test_linking_a_customer_to_an_idea_is_in_its_history_without_their_name(owner, customers):
    shared, secret = customers
    idea = love.idea_create(actor=owner, title="Night bakery")
    love.idea_link(actor=owner, idea=idea, company=secret)
    love.idea_link(actor=owner, idea=Idea.objects.get(pk=idea.pk), company=secret, remove=True)
    reasons = list(idea.history.values_list("history_change_reason", flat=True))
    assert "A customer linked" in reasons and "A customer unlinked" in reasons
    assert not any("Hidden" in (r or "") for r in reasons)
    assert not Idea.objects.get(pk=idea.pk).companies.exists()


def test_person_customers_work_as_companies_do(owner):
    person = person_create(actor=owner, first_name="Ada", last_name="Baker")
    offer = love.offer_make(actor=owner, person=person, what="Bread club")
    assert list(selectors.offer_list(owner, customer=person)) == [offer]
    assert Interaction.objects.filter(person=person, summary__contains="Bread club").exists()


def test_the_cli_lists_events_offers_and_ideas_without_private_names(owner, outsider, customers):
    from io import StringIO

    from django.core.management import call_command

    shared, secret = customers
    event = love.event_create(actor=owner, title="Harvest fair", held_on=TODAY())
    love.event_invite(actor=owner, event=event, company=secret)
    love.offer_make(actor=owner, company=shared, what="Gift boxes")
    love.idea_create(actor=owner, title="Night opening", companies=[shared, secret])
    out = StringIO()
    for action in ("events", "offers", "ideas"):
        call_command("care", action, "--as", outsider.email, stdout=out)
    text = out.getvalue()
    assert "Harvest fair" in text and "Gift boxes" in text and "Night opening" in text
    assert "Open Bakery" in text and "Hidden Spa" not in text


def test_merging_the_person_who_inspired_an_idea_keeps_the_idea_linked_to_the_kept_one(owner):
    from attract.aftercare.customer_love_services import idea_create
    from attract.people.merging import person_merge
    from attract.people.services import person_create

    kept = person_create(actor=owner, first_name="Ines", last_name="Idea")
    duplicate = person_create(actor=owner, first_name="Ines", last_name="Idea")
    idea = idea_create(actor=owner, title="A spare-parts box", persons=[duplicate])

    person_merge(actor=owner, keep=kept, discard=duplicate)

    assert list(idea.persons.all()) == [kept]
