"""Fit wherever a company, person or deal is listed: the people and company lists (a Fit
column and a sort by fit, in a fixed number of queries), the board's cards, the deal page."""

import re

import pytest
from django.urls import reverse

from attract.attraction import services
from attract.attraction.models import Better
from attract.attraction.tests.factories import ExpectationFactory, QualityFactory
from attract.people.tests.factories import CompanyFactory, PersonFactory
from attract.pipeline.models import Outcome, Stage
from attract.pipeline.services import deal_create
from attract.pipeline.tests.factories import DealFactory

COMPANIES = reverse("people:company_list")
PERSONS = reverse("people:person_list")


def _names(response, key: str) -> list[str]:
    return [getattr(row, "name", None) or row.first_name for row in response.context[key]]


def _assess(owner, quality, answers: dict) -> None:
    for record, answer in answers.items():
        field = "person" if hasattr(record, "first_name") else "company"
        services.assessment_set(actor=owner, quality=quality, answer=answer, **{field: record})


@pytest.mark.parametrize("count", [3, 30])
def test_the_company_list_sorts_by_fit_in_a_fixed_number_of_queries(
    owner, owner_client, count, django_assert_num_queries
):
    quality = QualityFactory()
    item = ExpectationFactory(value=48, better=Better.LOWER)
    for n in range(count):
        company = CompanyFactory(owner=owner, name=f"Company {n:02d}")
        if n % 3:  # a third are not assessed: they come last
            _assess(owner, quality, {company: ["no", "partly", "yes"][n % 3]})
        if n % 5 == 0:
            services.requirement_set(actor=owner, company=company, expectation=item, value=24)
    # session, user, owners for the filter, count, rows (with their stored fit), tags, the
    # mismatch reasons of the page; and, the scored rows ending on this page, the unassessed
    # rows and their tags; the user's saved views
    with django_assert_num_queries(10):
        response = owner_client.get(COMPANIES, {"sort": "fit"})
    rows = response.context["companies"]
    assert len(rows) == count
    scores = [row.fit.score if hasattr(row, "fit") else None for row in rows]
    scored = [s for s in scores if s is not None]
    assert scored == sorted(scored, reverse=True) and scored[0] == 100
    assert scores[len(scored) :] == [None] * (len(scores) - len(scored))
    html = response.content.decode()
    assert 'aria-sort="descending"><a href="?sort=-fit">Fit' in html
    assert "Needs delivery time ≤ 24 hours; we commit to ≤ 48 hours." in html


def test_the_company_list_shows_each_fit_with_its_mismatch_reason(owner, owner_client):
    quality = QualityFactory()
    good = CompanyFactory(owner=owner, name="Good Bakery")
    rushed = CompanyFactory(owner=owner, name="Rushed Ltd")
    CompanyFactory(owner=owner, name="Unknown Co")
    _assess(owner, quality, {good: "yes", rushed: "partly"})
    services.requirement_set(
        actor=owner, company=rushed, expectation=ExpectationFactory(value=48), value=12
    )
    html = owner_client.get(COMPANIES).content.decode()
    assert re.search(r'data-fit="100"><span class="badge fit-good"', html)
    assert re.search(r'data-fit="50"><span class="badge fit-poor"', html)
    assert 'title="Needs delivery time ≤ 12 hours; we commit to ≤ 48 hours."' in html
    assert '<span class="visually-hidden">: Needs delivery time ≤ 12 hours' in html
    assert "Fit not assessed" in html
    worst_first = owner_client.get(COMPANIES, {"sort": "-fit"})
    assert _names(worst_first, "companies") == ["Rushed Ltd", "Good Bakery", "Unknown Co"]


@pytest.mark.parametrize("count", [3, 30])
def test_the_people_list_sorts_by_fit_in_a_fixed_number_of_queries(
    owner, owner_client, count, django_assert_num_queries
):
    quality = QualityFactory()
    for n in range(count):
        person = PersonFactory(owner=owner, first_name=f"P{n:02d}")
        if n % 2:
            _assess(owner, quality, {person: ["no", "partly", "yes"][n % 3]})
    # session, user, owners, count, rows, tags, emails, phones; then the unassessed rows,
    # their tags, emails, phones; the user's saved views
    with django_assert_num_queries(13):
        response = owner_client.get(PERSONS, {"sort": "fit"})
    rows = response.context["persons"]
    assert len(rows) == count
    assert [hasattr(row, "fit") for row in rows] == [True] * (count // 2) + [False] * (
        count - count // 2
    )
    scores = [row.fit.score for row in rows if hasattr(row, "fit")]
    assert scores == sorted(scores, reverse=True)
    assert "Fit not assessed" in response.content.decode()


def test_the_people_list_sorted_by_name_keeps_its_query_count_with_fits(
    owner, owner_client, django_assert_num_queries
):
    quality = QualityFactory()
    for n in range(5):
        _assess(owner, quality, {PersonFactory(owner=owner, first_name=f"P{n}"): "yes"})
    # session, user, owners, count, rows (with their stored fit), tags, emails, phones, the
    # user's saved views
    with django_assert_num_queries(9):
        html = owner_client.get(PERSONS).content.decode()
    assert html.count('data-fit="100"') == 5


def test_the_board_shows_each_deals_fit_and_its_page_offers_not_a_fit(owner, owner_client):
    quality = QualityFactory()
    good, poor = CompanyFactory(owner=owner), CompanyFactory(owner=owner)
    contact = PersonFactory(owner=owner)
    _assess(owner, quality, {good: "yes", poor: "no", contact: "partly"})
    DealFactory(owner=owner, company=good, title="Good deal", stage=Stage.INTEREST)
    poor_deal = DealFactory(owner=owner, company=poor, title="Poor deal", stage=Stage.INTEREST)
    DealFactory(owner=owner, company=None, contact=contact, title="Contact deal")
    html = owner_client.get(reverse("pipeline:board")).content.decode()
    cards = {
        title: html[html.index(f">{title}</a>") :].split("</li>")[0]
        for title in ("Good deal", "Poor deal", "Contact deal")
    }
    assert 'data-fit="100"' in cards["Good deal"] and "Not a fit" not in cards["Good deal"]
    # The compact card shows the fit; closing as "not a fit" is on the deal's page.
    assert 'data-fit="0"' in cards["Poor deal"] and "Not a fit" not in cards["Poor deal"]
    # No company: the main contact's fit.
    assert 'data-fit="50"' in cards["Contact deal"]

    response = owner_client.post(
        reverse("attraction:deal_not_a_fit", args=[poor_deal.pk]), {"next": "board"}
    )
    assert response.status_code == 302 and response.url == reverse("pipeline:board")
    poor_deal.refresh_from_db()
    assert poor_deal.outcome == Outcome.LOST
    assert poor_deal.lost_reason == "Not a fit. Fit 0/100."


def test_a_deal_without_a_company_shows_its_main_contacts_fit(owner, owner_client):
    quality = QualityFactory()
    contact = PersonFactory(owner=owner, first_name="Ann", last_name="Lee")
    services.requirement_set(
        actor=owner, person=contact, expectation=ExpectationFactory(value=48), value=24
    )
    _assess(owner, quality, {contact: "yes"})
    deal = deal_create(actor=owner, title="Solo job", contact=contact)
    html = owner_client.get(reverse("pipeline:deal_detail", args=[deal.pk])).content.decode()
    assert "Fit of Ann Lee" in html and "(main contact)" in html
    assert "Mismatch: Needs delivery time ≤ 24 hours" in html
    assert "Close as “not a fit”" in html
    owner_client.post(reverse("attraction:deal_not_a_fit", args=[deal.pk]))
    deal.refresh_from_db()
    assert deal.outcome == Outcome.LOST
    assert deal.lost_reason.startswith("Not a fit. Fit 100/100. Needs delivery time ≤ 24")


def test_a_viewer_sees_fit_on_the_board_but_no_not_a_fit_button(owner, viewer_client):
    quality = QualityFactory()
    poor = CompanyFactory(owner=owner)
    _assess(owner, quality, {poor: "no"})
    DealFactory(owner=owner, company=poor, title="Poor deal")
    html = viewer_client.get(reverse("pipeline:board")).content.decode()
    assert 'data-fit="0"' in html and "Not a fit</button>" not in html


def test_a_page_past_the_assessed_companies_counts_them_once(
    owner, owner_client, django_assert_num_queries
):
    quality = QualityFactory()
    for n in range(55):
        company = CompanyFactory(owner=owner, name=f"Company {n:02d}")
        if n < 50:
            _assess(owner, quality, {company: "yes"})
    # session, user, owners, count, the scored rows (none left on page 2, so) their count,
    # the unassessed rows, their tags, the user's saved views
    with django_assert_num_queries(9):
        response = owner_client.get(COMPANIES, {"sort": "fit", "page": 2})
    assert _names(response, "companies") == [f"Company {n}" for n in range(50, 55)]


def test_the_company_export_and_api_follow_the_fit_order(owner, owner_client):
    import csv
    import io

    from attract.accounts.services import api_token_create

    quality = QualityFactory()
    CompanyFactory(owner=owner, name="Aardvark")
    best = CompanyFactory(owner=owner, name="Zebra")
    _assess(owner, quality, {best: "yes"})
    response = owner_client.get(reverse("transfer:export_companies"), {"sort": "fit"})
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    names = [row[0] for row in csv.reader(io.StringIO(text))][1:]
    assert names == ["Zebra", "Aardvark"]

    _, token = api_token_create(user=owner, name="tests")
    page = owner_client.get(
        "/api/v1/companies", {"sort": "fit"}, HTTP_AUTHORIZATION=f"Bearer {token}"
    ).json()
    assert page["count"] == 2 and [c["name"] for c in page["items"]] == ["Zebra", "Aardvark"]


@pytest.mark.parametrize("count", [2, 20])
def test_the_deal_lists_show_each_deals_fit_in_a_fixed_number_of_queries(
    owner, owner_client, django_assert_num_queries, count
):
    quality = QualityFactory()
    good, poor = CompanyFactory(owner=owner), CompanyFactory(owner=owner)
    _assess(owner, quality, {good: "yes", poor: "no"})
    DealFactory(owner=owner, company=good, title="Good deal")
    DealFactory(owner=owner, company=poor, title="Poor deal", outcome=Outcome.LOST)
    DealFactory.create_batch(count, owner=owner)
    # session, user, count, the page of deals, their tags, the stored fits of the page, the
    # owners to filter by, the user's saved views
    with django_assert_num_queries(8):
        html = owner_client.get(reverse("pipeline:deal_list")).content.decode()
    row = html[html.index(">Good deal</a>") :].split("</tr>")[0]
    assert 'data-fit="100"' in row
    closed = owner_client.get(reverse("pipeline:closed_list")).content.decode()
    assert 'data-fit="0"' in closed[closed.index(">Poor deal</a>") :].split("</tr>")[0]
