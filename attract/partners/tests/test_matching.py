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


# --- Qualities, budgets and the plan's mismatches -------------------------------------------


@pytest.fixture
def assessed(owner):
    """A prospect who has one of our qualities, needs 24-hour delivery (we commit to 48) and
    has a budget of 4,000 on our pricing item; its deal is worth 6,000."""
    from attract.attraction import services as plan

    company = company_create(actor=owner, name="Quick Shop")
    quality = plan.quality_create(actor=owner, text="Pays invoices on time")
    plan.assessment_set(actor=owner, quality=quality, answer="yes", company=company)
    delivery = plan.expectation_create(
        actor=owner, category="services", text="Delivery within 48 hours",
        metric="delivery time", value="48", unit="hours", better="lower",
    )  # fmt: skip
    plan.requirement_set(actor=owner, expectation=delivery, value="24", company=company)
    price = plan.expectation_create(
        actor=owner, category="pricing", text="Project price", metric="price", value="3000",
        unit="EUR", better="lower",
    )  # fmt: skip
    plan.requirement_set(actor=owner, expectation=price, value="4000", company=company)
    return company


def test_qualities_budgets_and_mismatches_are_reasons(owner, assessed):
    from attract.pipeline.services import deal_create

    deal = deal_create(actor=owner, title="Rush job", company=assessed, revenue=6_000)
    fast = make_partner(owner, name="Fast Couriers")
    _lines(owner, fast, ("offer", "Same-day delivery", ""), ("budget", "Under 5,000", ""))
    punctual = make_partner(owner, name="Punctual Payers Club")
    _lines(owner, punctual, ("quality", "Pays on time", ""), ("budget", "5k–10k", ""))
    big = make_partner(owner, name="Big Budgets")
    _lines(owner, big, ("budget", "From 50,000", ""), ("quality", "Loves long meetings", ""))
    found = partner_suggestions(user=owner, company=assessed, deal=deal)
    # The mismatch answered counts two, the budget one: 3; a quality and a budget: 2.
    assert [(s.partner.pk, s.score) for s in found] == [(fast.pk, 3), (punctual.pk, 2)]
    fast_reasons = " ".join(found[0].reasons)
    assert "what we cannot meet" in fast_reasons and "4,000" in fast_reasons
    punctual_reasons = " ".join(found[1].reasons)
    assert "Pays invoices on time" in punctual_reasons and "the deal's value" in punctual_reasons


def test_ties_on_qualities_and_budgets_go_to_trust_then_name(owner, assessed):
    b = make_partner(owner, name="Beta")
    a = make_partner(owner, name="Alpha")
    trusted = make_partner(owner, name="Zulu", confidence_ability=4)
    for partner in (b, a, trusted):
        _lines(owner, partner, ("budget", "Up to 4,500", ""))
    found = partner_suggestions(user=owner, company=assessed)
    assert [s.partner.pk for s in found] == [trusted.pk, a.pk, b.pk]
    assert len({s.score for s in found}) == 1


def test_no_partner_fits_the_qualities_budgets_or_needs(owner, assessed):
    partner = make_partner(owner)
    _lines(owner, partner, ("quality", "Loves long meetings", ""), ("budget", "Over 1m", ""),
           ("offer", "Bookkeeping", ""), ("budget", "No budget talk", ""))  # fmt: skip
    assert partner_suggestions(user=owner, company=assessed) == []


def test_a_partner_in_the_trash_is_not_suggested_for_a_need(owner, assessed):
    gone = make_partner(owner, name="Gone Couriers")
    _lines(owner, gone, ("offer", "Express delivery", "complement"))
    services.partner_trash(actor=owner, partner=gone)
    assert partner_suggestions(user=owner, company=assessed) == []
    services.partner_restore(actor=owner, partner=gone)
    found = partner_suggestions(user=owner, company=assessed)
    assert [(s.partner.pk, s.score) for s in found] == [(gone.pk, 4)]  # complement: double


def test_budget_lines_are_read_as_ranges():
    from decimal import Decimal

    from attract.partners.budgets import budget_range

    assert budget_range("Under 5,000") == (None, Decimal("5000"))
    assert budget_range("5k–20k") == (Decimal("5000"), Decimal("20000"))
    assert budget_range("From 50.000 €") == (Decimal("50000"), None)
    assert budget_range("Around 10 000") == (Decimal("7500.00"), Decimal("12500.00"))
    assert budget_range("We talk money later") == (None, None)
