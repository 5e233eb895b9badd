"""Suggesting partners for a poor-fit prospect from the partners' own definitions."""

import pytest

from attract.partners import services
from attract.partners.matching import partner_suggestions
from attract.partners.tests.factories import make_partner
from attract.people.services import company_create

pytestmark = pytest.mark.django_db


@pytest.fixture
def prospect(owner):
    return company_create(
        actor=owner, name="Smile Dental", industry="Dental practice", city="Lyon", size="2-10"
    )


def _lines(owner, partner, *lines):
    for kind, text, mark in lines:
        line = services.line_add(actor=owner, partner=partner, kind=kind, text=text)
        if mark:
            services.line_mark(actor=owner, line=line, mark=mark)


def test_the_partner_whose_definition_fits_best_comes_first_with_its_reasons(owner, prospect):
    both = make_partner(owner, name="Both Ltd")
    _lines(owner, both, ("industry", "Dental", "complement"), ("place", "Lyon", ""))
    one = make_partner(owner, name="One Ltd")
    _lines(owner, one, ("place", "lyon", ""), ("industry", "Bakeries", ""))
    found = partner_suggestions(user=owner, company=prospect)
    assert [s.partner for s in found] == [both, one]
    assert found[0].score == 3
    assert any("Dental" in reason and "Dental practice" in reason for reason in found[0].reasons)


def test_ties_go_to_the_partner_we_trust_most_then_by_name(owner, prospect):
    trusted = make_partner(owner, name="Zeta", confidence_ethics=5)
    plain_b = make_partner(owner, name="Beta")
    plain_a = make_partner(owner, name="Alpha")
    for partner in (trusted, plain_b, plain_a):
        _lines(owner, partner, ("place", "Lyon", ""))
    found = partner_suggestions(user=owner, company=prospect)
    assert [s.partner.pk for s in found] == [trusted.pk, plain_a.pk, plain_b.pk]


def test_no_partner_fits_and_no_company_give_no_suggestion(owner, prospect):
    partner = make_partner(owner)
    _lines(owner, partner, ("industry", "Shipping", ""), ("quality", "Dental", ""))
    assert partner_suggestions(user=owner, company=prospect) == []
    assert partner_suggestions(user=owner, company=None) == []


def test_a_partner_in_the_trash_or_private_to_another_is_never_suggested(owner, outsider, prospect):
    trashed = make_partner(owner, name="Gone")
    _lines(owner, trashed, ("place", "Lyon", ""))
    services.partner_trash(actor=owner, partner=trashed)
    hidden = make_partner(outsider, name="Hidden", is_private=True)
    _lines(outsider, hidden, ("place", "Lyon", ""))
    assert partner_suggestions(user=owner, company=prospect) == []


def test_the_refer_page_shows_the_suggestions(owner_client, owner, prospect):
    from attract.pipeline.services import deal_create

    partner = make_partner(owner, name="Dental Friends")
    _lines(owner, partner, ("industry", "dental", "complement"))
    deal = deal_create(actor=owner, title="Poor fit", company=prospect)
    body = owner_client.get(f"/partners/refer/deal/{deal.pk}/").content.decode()
    assert "Partners whose perfect client fits" in body and "Dental Friends" in body
    chosen = owner_client.get(
        f"/partners/refer/deal/{deal.pk}/?partner={partner.pk}"
    ).content.decode()
    assert f'<option value="{partner.pk}" selected>' in chosen


def test_a_private_company_of_another_is_never_compared_on_a_shared_deal(
    outsider_client, owner, outsider
):
    from attract.pipeline.services import deal_create

    secret = company_create(actor=owner, name="Secret Co", city="Hiddenville", is_private=True)
    deal = deal_create(actor=owner, title="Shared deal", company=secret)
    partner = make_partner(outsider, name="Town Partner")
    _lines(outsider, partner, ("place", "Hiddenville", ""))
    body = outsider_client.get(f"/partners/refer/deal/{deal.pk}/").content.decode()
    assert "Hiddenville" not in body and "Partners whose perfect client fits" not in body
