"""Who a letter is for, from where it was started, and the starter that fits."""

import pytest
from django.http import Http404

from attract.mail.compose_sources import compose_target
from attract.partners import services as partners
from attract.partners.tests.factories import make_person_partner
from attract.people.tests.factories import CompanyFactory, EmailAddressFactory, PersonFactory
from attract.pipeline.tests.factories import DealFactory

pytestmark = pytest.mark.django_db


def test_a_referral_that_came_in_writes_to_the_referrer_with_the_thank_you(owner):
    partner = make_person_partner(owner, "Pia", "Peer")
    EmailAddressFactory(person=partner.person, email="pia@peer.example")
    newcomer = PersonFactory(first_name="Nico", owner=owner)
    referral = partners.referral_create(
        actor=owner, partner=partner, direction="in", person=newcomer
    )
    target = compose_target(owner, {"referral": str(referral.pk)})
    assert [p.pk for p in target.persons] == [partner.person_id]
    assert target.starter == "referrer_thanks"


def test_a_company_writes_to_its_people_and_a_deal_to_its_contact(owner):
    company = CompanyFactory(name="Acme", owner=owner)
    ana = PersonFactory(first_name="Ana", owner=owner, company=company)
    ben = PersonFactory(first_name="Ben", owner=owner, company=company)
    assert {p.pk for p in compose_target(owner, {"company": str(company.pk)}).persons} == {
        ana.pk,
        ben.pk,
    }
    deal = DealFactory(title="Boiler", company=company, contact=ben, owner=owner)
    target = compose_target(owner, {"deal": str(deal.pk)})
    assert [p.pk for p in target.persons] == [ben.pk] and target.deal == deal


def test_a_selection_naming_a_person_one_may_not_see_is_not_found(owner, outsider):
    mine = PersonFactory(first_name="Ana", owner=outsider)
    hidden = PersonFactory(first_name="Zed", owner=owner, is_private=True)
    with pytest.raises(Http404):
        compose_target(outsider, {"persons": f"{mine.pk},{hidden.pk}"})
    assert len(compose_target(outsider, {"persons": f"{mine.pk}"}).persons) == 1


def test_a_care_step_writes_to_the_customers_people_about_the_won_deal(owner, outsider):
    from attract.aftercare.models import CareStep
    from attract.aftercare.tests.factories import make_customer, make_plan

    make_plan(owner)
    company, deal = make_customer(owner, "Crust & Crumb")
    cleo = PersonFactory(first_name="Cleo", owner=owner, company=company)
    step = CareStep.objects.filter(care__company=company).order_by("due_on").first()
    target = compose_target(owner, {"care_step": str(step.pk)})
    assert [p.pk for p in target.persons] == [cleo.pk]
    assert target.deal == deal and target.starter == "care_check_in"
    company.is_private = True
    company.save()
    with pytest.raises(Http404):
        compose_target(outsider, {"care_step": str(step.pk)})
