from decimal import Decimal

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import F
from django.utils.timezone import now

from attract.attraction import selectors, services
from attract.attraction.models import DEFAULT_QUESTIONS, Answer, Better, Complaint, Quality
from attract.attraction.tests.factories import ExpectationFactory, QualityFactory
from attract.people.models import Company
from attract.people.tests.factories import CompanyFactory, PersonFactory


def _fit(company):
    return selectors.with_fit(Company.objects.filter(pk=company.pk), "company").get()


def test_a_new_plan_starts_with_the_five_default_questions(db):
    plan = services.plan_get()
    assert [q.text for q in plan.questions.all()] == list(DEFAULT_QUESTIONS)
    assert services.plan_get() == plan


def test_only_owner_and_admins_edit_the_plan(owner, teammate, viewer):
    for actor in (teammate, viewer):
        with pytest.raises(PermissionDenied):
            services.quality_create(actor=actor, text="Pays on time", weight=3)
    assert services.quality_create(actor=owner, text="Pays on time", weight=3).weight == 3


@pytest.mark.parametrize("weight", [0, 6, "heavy"])
def test_a_weight_out_of_range_is_refused(owner, weight):
    with pytest.raises(ValidationError) as error:
        services.quality_create(actor=owner, text="Pays on time", weight=weight)
    assert "weight" in error.value.message_dict
    assert not Quality.objects.exists()


def test_a_measurable_item_without_a_unit_is_refused(owner):
    with pytest.raises(ValidationError) as error:
        services.expectation_create(
            actor=owner, category="services", text="Fast delivery", value="48", better="lower"
        )
    assert "unit" in error.value.message_dict


def test_a_measurable_item_reads_as_a_commitment(owner):
    item = services.expectation_create(
        actor=owner,
        category="services",
        text="Fast delivery",
        metric="delivery time",
        value="48",
        unit="hours",
        better="lower",
    )
    assert item.commitment == "delivery time ≤ 48 hours"


def test_fit_weighs_answers_and_ignores_unknowns(owner):
    heavy = QualityFactory(weight=5)
    light = QualityFactory(weight=1)
    unknown = QualityFactory(weight=4)
    company = CompanyFactory()
    services.assessment_set(actor=owner, company=company, quality=heavy, answer=Answer.YES)
    services.assessment_set(actor=owner, company=company, quality=light, answer=Answer.PARTLY)
    services.assessment_set(actor=owner, company=company, quality=unknown, answer=Answer.UNKNOWN)
    row = _fit(company)
    # (5·2 + 1·1) / (2·6) = 11/12 → 92
    assert row.fit_score == 92
    fit = selectors.fit_for(company=company)
    assert (fit.assessed, fit.qualities, fit.share_assessed) == (2, 3, 67)


def test_fit_is_empty_when_nothing_is_assessed_or_the_plan_has_no_qualities(owner):
    company = CompanyFactory()
    assert _fit(company).fit_score is None
    fit = selectors.fit_for(company=company)
    assert (fit.score, fit.qualities, fit.share_assessed) == (None, 0, 0)


def test_a_removed_quality_stays_in_history_but_no_longer_counts(owner):
    kept = QualityFactory(weight=2)
    dropped = QualityFactory(weight=5)
    company = CompanyFactory()
    services.assessment_set(actor=owner, company=company, quality=kept, answer=Answer.YES)
    services.assessment_set(actor=owner, company=company, quality=dropped, answer=Answer.NO)
    assert _fit(company).fit_score == 29
    services.quality_remove(actor=owner, quality=dropped)
    assert _fit(company).fit_score == 100
    assert dropped.history.count() == 2
    with pytest.raises(ValidationError) as error:
        services.assessment_set(actor=owner, company=company, quality=dropped, answer=Answer.YES)
    assert "quality" in error.value.message_dict


def test_companies_sort_by_fit_in_the_database(owner):
    quality = QualityFactory()
    good, poor, unassessed = CompanyFactory(), CompanyFactory(), CompanyFactory()
    services.assessment_set(actor=owner, company=good, quality=quality, answer=Answer.YES)
    services.assessment_set(actor=owner, company=poor, quality=quality, answer=Answer.NO)
    ordered = selectors.with_fit(Company.objects.all(), "company").order_by(
        F("fit_score").desc(nulls_last=True), "pk"
    )
    assert [c.pk for c in ordered] == [good.pk, poor.pk, unassessed.pk]


def test_a_person_is_assessed_like_a_company(owner):
    quality = QualityFactory()
    person = PersonFactory()
    services.assessment_set(actor=owner, person=person, quality=quality, answer=Answer.PARTLY)
    assert selectors.fit_for(person=person).score == 50


@pytest.mark.parametrize(
    ("better", "ours", "theirs", "mismatch"),
    [
        (Better.LOWER, 48, 24, True),  # they need delivery within 24 hours; we do 48
        (Better.LOWER, 48, 72, False),
        (Better.LOWER, 48, 48, False),
        (Better.HIGHER, 10, 20, True),  # they need 20 staff; we have 10
        (Better.HIGHER, 10, 5, False),
    ],
)
def test_a_requirement_stricter_than_our_commitment_is_a_mismatch(
    owner, better, ours, theirs, mismatch
):
    item = ExpectationFactory(better=better, value=ours)
    company = CompanyFactory()
    requirement = services.requirement_set(
        actor=owner, company=company, expectation=item, value=theirs
    )
    assert bool(requirement.mismatch_reason) is mismatch
    assert _fit(company).fit_mismatches == int(mismatch)
    assert bool(selectors.fit_for(company=company).mismatches) is mismatch


def test_the_mismatch_says_why(owner):
    item = ExpectationFactory(value=48)
    requirement = services.requirement_set(
        actor=owner, company=CompanyFactory(), expectation=item, value="24"
    )
    assert requirement.mismatch_reason == (
        "Needs delivery time ≤ 24 hours; we commit to ≤ 48 hours."
    )


def test_a_requirement_against_a_removed_item_is_refused(owner):
    item = ExpectationFactory()
    services.expectation_remove(actor=owner, expectation=item)
    with pytest.raises(ValidationError) as error:
        services.requirement_set(
            actor=owner, company=CompanyFactory(), expectation=item, value=Decimal("24")
        )
    assert "expectation" in error.value.message_dict


def test_a_complaint_about_both_a_person_and_a_company_is_refused(owner):
    with pytest.raises(ValidationError):
        services.complaint_create(
            actor=owner, text="Never answers", company=CompanyFactory(), person=PersonFactory()
        )


def test_a_complaint_turned_into_a_quality_keeps_the_link_both_ways(owner):
    complaint = services.complaint_create(
        actor=owner, text="Haggles over every invoice", company=CompanyFactory()
    )
    quality = services.complaint_turn_into_quality(
        actor=owner, complaint=complaint, text="Values our work and pays the price", weight=4
    )
    assert Complaint.objects.get(pk=complaint.pk).quality == quality
    assert list(quality.complaints.all()) == [complaint]


def test_a_teammate_cannot_turn_a_complaint_into_a_quality(owner, teammate):
    complaint = services.complaint_create(actor=teammate, text="Late again")
    with pytest.raises(PermissionDenied):
        services.complaint_turn_into_quality(actor=teammate, complaint=complaint, text="On time")


def test_a_complaint_about_someone_elses_private_company_is_refused(owner, teammate):
    secret = CompanyFactory(owner=owner, is_private=True)
    with pytest.raises(ValidationError):
        services.complaint_create(actor=teammate, text="x", company=secret)


def test_one_click_adds_a_traits_opposite_to_side_one(owner):
    trait = services.trait_create(actor=owner, less_than_perfect="Late", opposite="Punctual")
    quality = services.trait_add_to_plan(actor=owner, trait=trait)
    assert quality.text == "Punctual" and quality.is_active
    with pytest.raises(ValidationError):
        services.trait_add_to_plan(actor=owner, trait=trait)


def test_thank_you_notes_are_read_only_by_their_author(owner, teammate):
    note = services.thank_you_note_create(actor=teammate, text="Thanks for the referral")
    assert list(selectors.thank_you_notes_for(teammate)) == [note]
    assert list(selectors.thank_you_notes_for(owner)) == []
    with pytest.raises(PermissionDenied):
        services.thank_you_note_delete(actor=owner, note=note)


def test_revisions_keep_last_years_plan_for_comparison(owner):
    with time_machine.travel("2025-01-10 09:00Z"):
        kept = services.quality_create(actor=owner, text="Pays on time", weight=3)
        services.quality_create(actor=owner, text="Local", weight=2)
        services.plan_update(actor=owner, perfect_number=20)
        last_year = services.plan_revision_create(actor=owner, note="2025")
    with time_machine.travel("2026-01-10 09:00Z"):
        services.quality_update(actor=owner, quality=kept, weight=5)
        services.quality_remove(actor=owner, quality=Quality.objects.get(text="Local"))
        services.quality_create(actor=owner, text="Loves to learn", weight=4)
        services.plan_update(actor=owner, perfect_number=25)
        this_year = services.plan_revision_create(actor=owner, note="2026")
    plan = services.plan_get()
    assert list(selectors.revisions(plan)) == [this_year, last_year]
    assert last_year.created_at.year == 2025
    diff = selectors.revision_compare(last_year.snapshot, this_year.snapshot)
    assert diff["qualities_added"] == [("Loves to learn", 4)]
    assert diff["qualities_removed"] == [("Local", 2)]
    assert diff["weights_changed"] == [("Pays on time", 3, 5)]
    assert diff["perfect_number"] == (20, 25)


def test_the_statement_is_composed_from_the_heaviest_qualities_until_edited(owner):
    services.quality_create(actor=owner, text="Loyal", weight=2)
    services.quality_create(actor=owner, text="Curious", weight=5)
    services.quality_create(actor=owner, text="Kind", weight=4)
    plan = services.plan_get()
    assert selectors.statement_for(plan) == (
        "I am in the process of attracting customers who are curious, kind and loyal."
    )
    services.plan_update(actor=owner, statement="I attract curious builders.")
    assert selectors.statement_for(services.plan_get()) == "I attract curious builders."


def test_the_current_count_is_customers_that_fit(owner):
    quality = QualityFactory()
    fits = CompanyFactory(relationship="customer")
    prospect = CompanyFactory(relationship="prospect")
    misfit = CompanyFactory(relationship="customer")
    for company, answer in ((fits, "yes"), (prospect, "yes"), (misfit, "no")):
        services.assessment_set(actor=owner, company=company, quality=quality, answer=answer)
    assert selectors.perfect_customer_count(owner) == 1


def test_learning_table_compares_customers_with_and_without_a_quality(owner):
    from attract.pipeline.models import Deal

    quality = QualityFactory(text="Pays on time")
    loyal = CompanyFactory(relationship="customer")
    gone = CompanyFactory(relationship="former_customer")
    for company, answer in ((loyal, "yes"), (gone, "no")):
        services.assessment_set(actor=owner, company=company, quality=quality, answer=answer)
    Deal.objects.create(
        title="a", company=loyal, outcome="won", revenue=1000, cost=400, closed_at=now()
    )
    Deal.objects.create(title="b", company=loyal, outcome="lost", closed_at=now())
    Deal.objects.create(title="c", company=gone, outcome="lost", closed_at=now())
    (row,) = selectors.learning_table(owner)
    assert row.had["companies"] == 1 and row.had["closed"] == 2
    assert row.had["won_share"] == 50
    assert row.had["profit_per_customer"] == Decimal("600.00")
    assert row.had["still_share"] == 100
    assert row.had_not["won_share"] == 0 and row.had_not["still_share"] == 0
