from datetime import timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from attract.partners import services
from attract.partners.models import Partner, Referral
from attract.partners.tests.factories import make_partner
from attract.people.services import company_create, person_create
from attract.pipeline.models import Outcome
from attract.pipeline.services import deal_create

pytestmark = pytest.mark.django_db


def test_the_menu_leads_to_the_partner_list_not_a_coming_next_page(owner_client, owner):
    make_partner(owner, name="Bright Partners")
    response = owner_client.get("/partners/")
    assert response.status_code == 200
    assert b"Bright Partners" in response.content
    assert b"coming next" not in response.content.lower()


def test_the_list_takes_a_fixed_number_of_queries(
    owner_client, owner, django_assert_max_num_queries
):
    def measure() -> int:
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as ctx:
            assert owner_client.get("/partners/?sort=referred_out").status_code == 200
        return len(ctx.captured_queries)

    first = make_partner(owner, name="P0")
    person = person_create(actor=owner, first_name="Ann")
    services.referral_create(actor=owner, partner=first, direction="out", person=person)
    services.step_record(actor=owner, partner=first, step="identified")
    few = measure()
    for n in range(1, 8):
        partner = make_partner(owner, name=f"P{n}")
        services.referral_create(actor=owner, partner=partner, direction="in", person=person)
        services.step_record(actor=owner, partner=partner, step="getting_to_know")
    assert measure() == few


def test_search_sort_and_paginate(owner_client, owner):
    for name in ["Alpha Co", "Beta Co", "Gamma Co"]:
        make_partner(owner, name=name)
    response = owner_client.get("/partners/?q=bet")
    assert b"Beta Co" in response.content and b"Alpha Co" not in response.content
    response = owner_client.get("/partners/?sort=-name")
    body = response.content.decode()
    assert body.index("Gamma Co") < body.index("Alpha Co")
    assert owner_client.get("/partners/?page=999&sort=bogus").status_code == 200
    assert owner_client.get("/partners/?q=%00co").status_code == 400  # refused, never a 500
    partial = owner_client.get("/partners/?q=alp", headers={"HX-Request": "true"})
    assert b"<html" not in partial.content and b"Alpha Co" in partial.content


def test_the_partner_page_shows_their_definition_beside_our_plan_and_the_alliance(
    owner_client, owner
):
    from attract.attraction import services as plan_services

    plan_services.quality_create(actor=owner, text="Pays on time")
    plan_services.expectation_create(actor=owner, text="Answer within a day", category="services")
    partner = make_partner(owner)
    services.line_add(actor=owner, partner=partner, kind="industry", text="Dentists")
    services.step_record(
        actor=owner, partner=partner, step="identified",
        reached_on=timezone.localdate() - timedelta(days=5),
    )  # fmt: skip
    body = owner_client.get(f"/partners/{partner.pk}/").content.decode()
    assert "Dentists" in body and "Pays on time" in body and "Answer within a day" in body
    assert "for 5 days" in body


def test_create_through_the_form_from_a_company_found_by_name(owner_client, owner):
    company = company_create(actor=owner, name="Helpful Agency")
    found = owner_client.get("/partners/new/?q=helpful").content.decode()
    assert f"?company={company.pk}" in found
    response = owner_client.post(
        "/partners/new/",
        {
            "company": company.pk,
            "owner": owner.pk,
            "confidence_ability": "4",
            "where_we_meet": "BNI",
        },
    )
    partner = Partner.objects.get()
    assert response.status_code == 302 and response.url == f"/partners/{partner.pk}/"
    assert partner.confidence_ability == 4 and partner.where_we_meet == "BNI"


def test_create_without_a_company_or_person_says_so(owner_client):
    response = owner_client.post("/partners/new/", {"notes": "x"})
    assert response.status_code == 200 and b"Choose the company or the person" in response.content
    assert not Partner.objects.exists()


def test_a_stale_edit_keeps_the_input_and_says_what_changed(owner_client, owner):
    partner = make_partner(owner)
    services.partner_update(actor=owner, partner=partner, where_we_meet="Chamber of commerce")
    response = owner_client.post(
        f"/partners/{partner.pk}/edit/", {"version": "1", "notes": "Mine", "owner": owner.pk}
    )
    assert response.status_code == 200 and b"Someone else changed" in response.content
    partner.refresh_from_db()
    assert partner.notes == ""


def test_marking_a_line_and_recording_a_step_from_the_page(owner_client, owner):
    partner = make_partner(owner)
    line = services.line_add(actor=owner, partner=partner, kind="quality", text="Family firms")
    owner_client.post(f"/partners/lines/{line.pk}/mark/", {"mark": "overlap", "version": "1"})
    line.refresh_from_db()
    assert line.mark == "overlap"
    owner_client.post(
        f"/partners/{partner.pk}/steps/", {"step": "first_project", "learned": "Good"}
    )
    assert partner.steps.get().learned == "Good"
    response = owner_client.post(f"/partners/{partner.pk}/steps/", {"step": "bogus"}, follow=True)
    assert response.status_code == 200 and partner.steps.count() == 1


def test_refer_a_deal_out_from_its_page(owner_client, owner):
    partner = make_partner(owner)
    deal = deal_create(actor=owner, title="Poor fit", revenue=Decimal("900"))
    form = owner_client.get(f"/partners/refer/deal/{deal.pk}/")
    assert b"Bright Partners" in form.content
    response = owner_client.post(
        f"/partners/refer/deal/{deal.pk}/",
        {"partner": partner.pk, "direction": "out", "reason": "They do small jobs"},
    )
    assert response.status_code == 302
    deal.refresh_from_db()
    assert deal.outcome == Outcome.REFERRED_OUT
    assert Referral.objects.get().value == Decimal("900")


def test_refer_to_a_partner_that_is_not_one_is_refused(owner_client, owner):
    deal = deal_create(actor=owner, title="Poor fit")
    other = company_create(actor=owner, name="Not a partner")
    response = owner_client.post(
        f"/partners/refer/deal/{deal.pk}/", {"partner": other.pk, "direction": "out"}
    )
    assert response.status_code == 200 and not Referral.objects.exists()


def test_private_partner_and_records_of_others_are_404(outsider_client, owner):
    partner = make_partner(owner, is_private=True)
    private_deal = deal_create(actor=owner, title="Secret", is_private=True)
    assert outsider_client.get(f"/partners/{partner.pk}/").status_code == 404
    assert outsider_client.get(f"/partners/{partner.pk}/edit/").status_code == 404
    assert outsider_client.post(f"/partners/{partner.pk}/trash/").status_code == 404
    assert outsider_client.get(f"/partners/refer/deal/{private_deal.pk}/").status_code == 404
    assert outsider_client.get("/partners/refer/nothing/1/").status_code == 404
    assert b"Bright" not in outsider_client.get("/partners/").content


def test_a_viewer_reads_but_does_not_change(viewer_client, owner):
    partner = make_partner(owner)
    assert viewer_client.get(f"/partners/{partner.pk}/").status_code == 200
    assert viewer_client.get(f"/partners/{partner.pk}/edit/").status_code == 403
    assert viewer_client.post(f"/partners/{partner.pk}/trash/").status_code == 403
    assert viewer_client.get("/partners/new/").status_code == 403


def test_trash_and_restore_through_the_pages(owner_client, owner):
    partner = make_partner(owner)
    owner_client.post(f"/partners/{partner.pk}/trash/")
    assert not Partner.objects.exists()
    trash = owner_client.get(reverse("people:trash")).content.decode()
    assert "Bright Partners" in trash
    assert owner_client.get(f"/partners/{partner.pk}/").status_code == 200  # still readable
    owner_client.post(f"/partners/{partner.pk}/restore/")
    assert Partner.objects.exists()


@pytest.mark.parametrize("rows", [2, 12])
def test_the_trash_page_reads_trashed_partners_in_a_fixed_number_of_queries(
    owner_client, owner, rows
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    for n in range(rows):
        services.partner_trash(actor=owner, partner=make_partner(owner, name=f"Gone {n}"))
    with CaptureQueriesContext(connection) as ctx:
        body = owner_client.get(reverse("people:trash")).content.decode()
    assert "Gone 1" in body
    # Session, user, the count of each empty section (people, companies, deals, plan
    # qualities, questions and side-3 items, interactions, tasks), and the partners' count
    # and page with their joins done — however many partners are there; the counts of joint
    # initiatives (after reading the ids of partners hidden from the user), topics, referrals
    # and articles; care plans, departures, testimonials and case studies; customer events,
    # offers, visits and ideas.
    assert len(ctx.captured_queries) == 25


def test_the_partner_page_shows_the_latest_referrals_twenty_at_a_time(owner_client, owner):
    partner = make_partner(owner)
    person = person_create(actor=owner, first_name="Rita", last_name="Referred")
    today = timezone.localdate()
    for days_ago in range(25):
        services.referral_create(
            actor=owner,
            partner=partner,
            direction="in",
            person=person,
            referred_on=today - timedelta(days=days_ago),
            reason=f"Referral number {days_ago:02d}",
        )
    url = reverse("partners:detail", args=[partner.pk])

    first = owner_client.get(url).content.decode()
    assert "Referral number 00" in first and "Referral number 19" in first
    assert "Referral number 20" not in first
    assert "1–20 of 25" in first and "?referrals=2" in first

    older = owner_client.get(url, {"referrals": "2"}).content.decode()
    assert "Referral number 20" in older and "Referral number 24" in older
    assert "Referral number 19" not in older and "21–25 of 25" in older
    # A page past the end shows the last; a word shows the first.
    assert "21–25 of 25" in owner_client.get(url, {"referrals": "9"}).content.decode()
    assert "1–20 of 25" in owner_client.get(url, {"referrals": "x"}).content.decode()
