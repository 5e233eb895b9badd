import pytest
from django.urls import reverse

from attract.attraction import services
from attract.attraction.models import Assessment, Complaint, Quality, Trait
from attract.attraction.tests.factories import (
    ExpectationFactory,
    QualityFactory,
    ThankYouNoteFactory,
)
from attract.people.tests.factories import CompanyFactory, PersonFactory

HTMX = {"HTTP_HX_REQUEST": "true"}


def test_the_menu_leads_to_the_plan_with_its_three_sides(owner_client):
    page = owner_client.get("/plan/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "1. The qualities of my perfect customer" in html
    assert "Why do you get out of bed in the morning?" in html
    assert 'href="/plan/"' in html


def test_adding_a_quality_inline_answers_with_side_one(owner_client):
    response = owner_client.post(
        reverse("attraction:quality_add"), {"text": "Pays on time", "weight": "4"}, **HTMX
    )
    assert response.status_code == 200
    assert 'id="side-1"' in response.content.decode()
    assert Quality.objects.get().weight == 4


def test_a_weight_out_of_range_shows_next_to_the_weight_field(owner_client):
    response = owner_client.post(
        reverse("attraction:quality_add"), {"text": "Pays on time", "weight": "9"}, **HTMX
    )
    assert 'id="id_weight_errors"' in response.content.decode()
    assert not Quality.objects.exists()


def test_a_measurable_item_without_a_unit_shows_next_to_the_unit(owner_client):
    response = owner_client.post(
        reverse("attraction:expectation_add"),
        {"category": "services", "text": "Fast", "value": "48", "better": "lower"},
        **HTMX,
    )
    assert 'id="id_unit_errors"' in response.content.decode()


def test_a_teammate_reads_the_plan_but_may_not_change_it(teammate_client, owner):
    QualityFactory(text="Curious")
    page = teammate_client.get("/plan/").content.decode()
    assert "Curious" in page and "Add quality" not in page
    response = teammate_client.post(reverse("attraction:quality_add"), {"text": "x", "weight": 3})
    assert response.status_code == 403


def test_plan_changes_need_a_post(owner_client):
    assert owner_client.get(reverse("attraction:quality_add")).status_code == 405


def test_revisions_compare_shows_what_changed(owner_client, owner):
    quality = QualityFactory(text="Curious", weight=2)
    revision = services.plan_revision_create(actor=owner, note="last year")
    services.quality_update(actor=owner, quality=quality, weight=5)
    page = owner_client.get(reverse("attraction:compare"), {"old": revision.pk, "new": "current"})
    assert "Curious: 2 → 5" in page.content.decode()


def test_the_fit_card_on_a_company_page_assesses_inline(owner_client, owner):
    quality = QualityFactory(text="Pays on time")
    company = CompanyFactory(owner=owner)
    page = owner_client.get(reverse("people:company_detail", args=[company.pk]))
    assert "not assessed" in page.content.decode()
    response = owner_client.post(
        reverse("attraction:assess", args=["company", company.pk]),
        {"quality": quality.pk, "answer": "partly"},
        **HTMX,
    )
    assert "Fit 50" in response.content.decode()
    assert Assessment.objects.get().answer == "partly"


def test_a_mismatch_shows_on_a_person_page_with_its_reason(owner_client, owner):
    item = ExpectationFactory(value=48)
    person = PersonFactory(owner=owner)
    owner_client.post(
        reverse("attraction:require", args=["person", person.pk]),
        {"expectation": item.pk, "value": "24"},
    )
    page = owner_client.get(reverse("people:person_detail", args=[person.pk])).content.decode()
    assert "Needs delivery time ≤ 24 hours; we commit to ≤ 48 hours." in page


def test_an_outsider_cannot_assess_a_private_company(outsider_client, owner):
    quality = QualityFactory()
    secret = CompanyFactory(owner=owner, is_private=True)
    response = outsider_client.post(
        reverse("attraction:assess", args=["company", secret.pk]),
        {"quality": quality.pk, "answer": "yes"},
    )
    assert response.status_code == 404


def test_a_viewer_cannot_assess(viewer_client, owner):
    quality = QualityFactory()
    company = CompanyFactory(owner=owner)
    response = viewer_client.post(
        reverse("attraction:assess", args=["company", company.pk]),
        {"quality": quality.pk, "answer": "yes"},
    )
    assert response.status_code == 403


def test_thank_you_notes_page_shows_only_your_own(owner_client, owner, teammate):
    ThankYouNoteFactory(author=teammate, text="Teammate secret thanks")
    ThankYouNoteFactory(author=owner, text="Owner own thanks")
    page = owner_client.get(reverse("attraction:notes")).content.decode()
    assert "Owner own thanks" in page
    assert "Teammate secret thanks" not in page


def test_nobody_can_delete_someone_elses_thank_you_note(owner_client, teammate):
    note = ThankYouNoteFactory(author=teammate)
    response = owner_client.post(reverse("attraction:note_delete", args=[note.pk]))
    assert response.status_code == 404


def test_a_complaint_from_a_company_page_is_turned_into_a_quality(owner_client, owner):
    company = CompanyFactory(owner=owner, name="Haggle Ltd")
    owner_client.post(
        reverse("attraction:journal") + f"?company={company.pk}", {"text": "Haggles on price"}
    )
    journal = owner_client.get(reverse("attraction:journal")).content.decode()
    assert "Haggles on price" in journal and "Haggle Ltd" in journal
    saved = Complaint.objects.get()
    owner_client.post(
        reverse("attraction:complaint_turn", args=[saved.pk]),
        {"text": "Values our work", "weight": "4"},
    )
    assert (
        "Turned into the quality"
        in owner_client.get(reverse("attraction:journal")).content.decode()
    )


def test_one_click_adds_a_trait_to_side_one(owner_client):
    owner_client.post(
        reverse("attraction:traits"), {"less_than_perfect": "Late", "opposite": "Punctual"}
    )
    owner_client.post(reverse("attraction:trait_add", args=[Trait.objects.get().pk]))
    assert Quality.objects.get().text == "Punctual"


def test_the_statement_is_editable_and_copyable(owner_client):
    QualityFactory(text="Curious", weight=5)
    page = owner_client.get("/plan/").content.decode()
    assert "I am in the process of attracting customers who are curious." in page
    assert 'data-copy="#statement-text"' in page
    owner_client.post(reverse("attraction:statement"), {"statement": "I attract the curious."})
    assert "I attract the curious." in owner_client.get("/plan/").content.decode()


def test_the_plan_prints_on_one_page_and_downloads_as_pdf(owner_client):
    QualityFactory(text="Curious")
    assert "Curious" in owner_client.get(reverse("attraction:print")).content.decode()
    pdf = owner_client.get(reverse("attraction:pdf"))
    assert pdf["Content-Type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF")


@pytest.mark.parametrize("companies", [3, 30])
def test_learning_table_query_count_is_fixed(
    owner_client, owner, companies, django_assert_num_queries
):
    qualities = [QualityFactory() for _ in range(3)]
    for i in range(companies):
        company = CompanyFactory(owner=owner, relationship="customer")
        for quality in qualities:
            services.assessment_set(
                actor=owner, company=company, quality=quality, answer="yes" if i % 2 else "no"
            )
    with django_assert_num_queries(7):
        page = owner_client.get(reverse("attraction:learning"))
    assert page.status_code == 200


@pytest.mark.parametrize("count", [3, 30])
def test_companies_by_fit_sorts_best_first_with_a_fixed_query_count(
    owner_client, owner, count, django_assert_num_queries
):
    quality = QualityFactory()
    for n in range(count):
        company = CompanyFactory(owner=owner, name=f"Company {n:02d}")
        services.assessment_set(
            actor=owner, company=company, quality=quality, answer=["no", "partly", "yes"][n % 3]
        )
    # session, user, count, rows (with their stored fit, through the index on the score),
    # qualities count
    with django_assert_num_queries(5):
        page = owner_client.get(reverse("attraction:companies_by_fit"))
    scores = [c.fit.score for c in page.context["companies"]]
    assert scores == sorted(scores, reverse=True)
    assert scores[0] == 100


def test_a_poor_fit_deal_is_closed_as_not_a_fit_with_the_reason(owner_client, owner):
    from attract.pipeline.services import deal_create

    item = ExpectationFactory(value=48)
    company = CompanyFactory(owner=owner)
    services.requirement_set(actor=owner, company=company, expectation=item, value="24")
    deal = deal_create(actor=owner, title="Rush job", company=company)
    page = owner_client.get(reverse("pipeline:deal_detail", args=[deal.pk])).content.decode()
    assert "Close as “not a fit”" in page
    owner_client.post(reverse("attraction:deal_not_a_fit", args=[deal.pk]))
    deal.refresh_from_db()
    assert deal.outcome == "lost"
    assert deal.lost_reason.startswith("Not a fit. Needs delivery time ≤ 24 hours")
