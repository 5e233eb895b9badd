"""The stored fit (FitScore) always equals the fit computed from the assessments and
requirements (selectors.with_fit), after every kind of change; and the fit order pages
scored subjects first, then the unassessed, across page boundaries."""

import io
from decimal import Decimal

import pytest
from django.core.management import call_command

from attract.attraction import fitting, selectors, services
from attract.attraction.models import Answer, Better, FitScore
from attract.attraction.tests.factories import ExpectationFactory, QualityFactory
from attract.people.models import Company, Person
from attract.people.selectors import ScoreOrdered
from attract.people.tests.factories import CompanyFactory, PersonFactory


def _computed(model, subject: str) -> dict[int, tuple]:
    rows = selectors.with_fit(model.all_objects.all(), subject).values_list(
        "pk", "fit_score", "fit_assessed", "fit_mismatches"
    )
    return {pk: (score, assessed, mismatches) for pk, score, assessed, mismatches in rows}


def _stored(subject: str) -> dict[int, tuple]:
    rows = FitScore.objects.filter(**{f"{subject}__isnull": False})
    return {
        getattr(row, f"{subject}_id"): (row.score, row.assessed, row.mismatches) for row in rows
    }


def assert_stored_equals_computed() -> None:
    for model, subject in ((Company, "company"), (Person, "person")):
        computed = _computed(model, subject)
        stored = _stored(subject)
        # No row means nothing counted: no score, nothing assessed, no mismatch.
        assert {pk: stored.get(pk, (None, 0, 0)) for pk in computed} == computed
        assert set(stored) <= set(computed)


@pytest.fixture
def plan(owner):
    """Three qualities and a measurable item; two companies and a person assessed."""
    heavy, light, other = QualityFactory(weight=5), QualityFactory(weight=1), QualityFactory()
    item = ExpectationFactory(better=Better.LOWER, value=48)
    acme, beta, bare = CompanyFactory(), CompanyFactory(), CompanyFactory()
    ann = PersonFactory()
    for subject, answers in (
        ({"company": acme}, (Answer.YES, Answer.PARTLY, Answer.NO)),
        ({"company": beta}, (Answer.NO, Answer.YES, Answer.UNKNOWN)),
        ({"person": ann}, (Answer.PARTLY, Answer.UNKNOWN, Answer.YES)),
    ):
        for quality, answer in zip((heavy, light, other), answers, strict=True):
            services.assessment_set(actor=owner, quality=quality, answer=answer, **subject)
    return {
        "heavy": heavy,
        "light": light,
        "other": other,
        "item": item,
        "acme": acme,
        "beta": beta,
        "bare": bare,
        "ann": ann,
    }


def test_assessments_store_the_computed_fit(plan):
    assert_stored_equals_computed()
    # (5·2 + 1·1 + 3·0) / (2·9) = 11/18 → 61
    assert FitScore.objects.get(company=plan["acme"]).score == 61
    assert not FitScore.objects.filter(company=plan["bare"]).exists()


def test_changing_an_answer_to_unknown_takes_it_out_of_the_stored_fit(owner, plan):
    for quality in (plan["heavy"], plan["light"]):
        services.assessment_set(
            actor=owner, company=plan["beta"], quality=quality, answer=Answer.UNKNOWN
        )
    assert_stored_equals_computed()
    assert not FitScore.objects.filter(company=plan["beta"]).exists()


def test_requirements_store_their_mismatches_and_deleting_one_clears_it(owner, plan):
    requirement = services.requirement_set(
        actor=owner, company=plan["acme"], expectation=plan["item"], value="24"
    )
    services.requirement_set(actor=owner, company=plan["bare"], expectation=plan["item"], value=12)
    assert_stored_equals_computed()
    assert FitScore.objects.get(company=plan["acme"]).mismatches == 1
    # A subject with only a mismatch has a stored row with no score.
    assert FitScore.objects.get(company=plan["bare"]).score is None
    services.requirement_delete(actor=owner, requirement=requirement)
    assert_stored_equals_computed()
    assert FitScore.objects.get(company=plan["acme"]).mismatches == 0


def test_a_new_weight_refits_everyone_assessed_on_that_quality(owner, plan):
    services.quality_update(actor=owner, quality=plan["light"], weight=4)
    assert_stored_equals_computed()
    # (5·2 + 4·1) / (2·12) = 14/24 → 58
    assert FitScore.objects.get(company=plan["acme"]).score == 58


def test_a_removed_quality_no_longer_counts_in_the_stored_fit(owner, plan):
    services.quality_remove(actor=owner, quality=plan["heavy"])
    assert_stored_equals_computed()
    assert FitScore.objects.get(company=plan["acme"]).score == 13  # 1/8 → 12.5 → 13
    assert FitScore.objects.get(company=plan["beta"]).score == 100


def test_a_changed_or_removed_measurable_item_refits_the_mismatches(owner, plan):
    services.requirement_set(actor=owner, company=plan["acme"], expectation=plan["item"], value=24)
    services.requirement_set(actor=owner, person=plan["ann"], expectation=plan["item"], value=36)
    services.expectation_update(actor=owner, expectation=plan["item"], value=Decimal("30"))
    assert_stored_equals_computed()
    assert FitScore.objects.get(company=plan["acme"]).mismatches == 1
    assert FitScore.objects.get(person=plan["ann"]).mismatches == 0
    services.expectation_update(actor=owner, expectation=plan["item"], better=Better.HIGHER)
    assert_stored_equals_computed()
    assert FitScore.objects.get(person=plan["ann"]).mismatches == 1
    services.expectation_remove(actor=owner, expectation=plan["item"])
    assert_stored_equals_computed()
    assert not FitScore.objects.filter(mismatches__gt=0).exists()


def test_refit_rebuilds_what_bulk_inserts_left_out(owner, plan):
    FitScore.objects.all().delete()
    FitScore.objects.create(company=plan["bare"], score=99, updated_at="2020-01-01T00:00Z")
    out = io.StringIO()
    call_command("plan", "refit", stdout=out)
    assert "Fit scores recomputed: 3 companies and persons have one." in out.getvalue()
    assert_stored_equals_computed()


def test_a_refit_of_one_subject_leaves_the_others_alone(owner, plan):
    FitScore.objects.filter(company=plan["beta"]).update(score=1)
    fitting.refit(fitting.for_subject(company_id=plan["acme"].pk))
    assert FitScore.objects.get(company=plan["beta"]).score == 1


def _ordered(descending=True):
    companies = Company.objects.select_related("fit")
    return ScoreOrdered(companies, "fit__score", descending=descending, then=("search_name", "id"))


@pytest.mark.parametrize(("start", "stop"), [(0, 2), (1, 4), (3, 5), (4, 6), (0, 10)])
def test_the_fit_order_pages_scored_then_unassessed_across_the_boundary(
    owner, start, stop, django_assert_max_num_queries
):
    quality = QualityFactory()
    names = {}
    for name, answer in (("Ann", "yes"), ("Bob", "partly"), ("Cy", "no")):
        company = CompanyFactory(name=name)
        services.assessment_set(actor=owner, company=company, quality=quality, answer=answer)
        names[name] = company
    for name in ("Dee", "Eve", "Al"):
        CompanyFactory(name=name)
    expected = ["Ann", "Bob", "Cy", "Al", "Dee", "Eve"]
    # scored rows, and when the page reaches past them: their count and the unassessed rows
    with django_assert_max_num_queries(3):
        page = _ordered()[start:stop]
    assert [c.name for c in page] == expected[start:stop]
    assert _ordered().count() == 6
    assert [c.name for c in _ordered(descending=False)[0:6]] == [
        "Cy",
        "Bob",
        "Ann",
        "Al",
        "Dee",
        "Eve",
    ]
    assert [c.name for c in _ordered().iterator()] == expected


def test_perfect_customers_are_counted_from_the_stored_fit(owner):
    quality = QualityFactory()
    for answer in ("yes", "no"):
        customer = CompanyFactory(relationship="customer")
        services.assessment_set(actor=owner, company=customer, quality=quality, answer=answer)
    assert selectors.perfect_customer_count(owner) == 1


def test_bad_input_changes_no_stored_fit(owner, plan):
    from django.core.exceptions import ValidationError

    before = _stored("company"), _stored("person")
    with pytest.raises(ValidationError):
        services.quality_update(actor=owner, quality=plan["heavy"], weight=9)
    services.expectation_remove(actor=owner, expectation=plan["item"])
    with pytest.raises(ValidationError):
        services.requirement_set(
            actor=owner, company=plan["acme"], expectation=plan["item"], value=1
        )
    with pytest.raises(ValidationError):
        services.assessment_set(
            actor=owner, company=plan["acme"], quality=plan["heavy"], answer="maybe"
        )
    assert (_stored("company"), _stored("person")) == before
    plan["heavy"].refresh_from_db()
    assert plan["heavy"].weight == 5
    # The assessment of a quality removed from the plan stays, and stops counting.
    services.quality_remove(actor=owner, quality=plan["other"])
    assert plan["other"].assessments.count() == 3
    assert FitScore.objects.get(person=plan["ann"]).assessed == 1
    assert_stored_equals_computed()
