"""The attraction benchmark works: a tiny seed, extra companies up to the wanted number and
gone afterwards, timed requests that answer 200, and the company lists sorted by fit keep
their query counts as the data grows."""

import io

import pytest
from rich.console import Console

from attract.attraction.models import Assessment, FitScore
from attract.attraction.selectors import with_fit
from attract.people.models import Company
from bench import attraction, measuring, seeding

pytestmark = pytest.mark.django_db


def _queries(owner) -> dict[str, int]:
    results = measuring.measure(owner=owner, items=attraction.scenarios(), runs=2, warmups=1)
    assert all(r.status == 200 for r in results), results
    return {r.name: r.queries for r in results}


def test_seeding_assesses_every_company_once_and_the_fit_list_keeps_its_query_count():
    seeded = seeding.seed(persons=20, companies=5)
    first = attraction.seed(qualities=4)
    assert not first.reused and Assessment.objects.count() == 5 * 4
    assert attraction.seed(qualities=4).reused
    # More companies than a page holds (the API's 50), as at full size.
    attraction.extra_companies_add(total=60)
    small = _queries(seeded.owner)
    attraction.extra_companies_remove()
    attraction.seed(qualities=20)
    assert Assessment.objects.count() == 5 * 20
    attraction.extra_companies_add(total=150)
    assert _queries(seeded.owner) == small


def test_extra_companies_are_assessed_and_fitted_then_removed_leaving_the_seed_as_it_was():
    seeded = seeding.seed(persons=20, companies=5)
    attraction.seed(qualities=4)
    scores = dict(FitScore.objects.values_list("company_id", "score"))

    extras = attraction.extra_companies_add(total=12)

    assert extras.companies == 7 and Company.objects.count() == 12
    assert Assessment.objects.count() == 12 * 4 and FitScore.objects.count() == 12
    copy = Company.objects.filter(created_by__email=attraction.EXTRAS_CREATOR).first()
    stored = FitScore.objects.get(company=copy).score
    assert stored == with_fit(Company.objects.filter(pk=copy.pk), "company").get().fit_score
    assert attraction.extra_companies_add(total=12).companies == 0

    assert attraction.extra_companies_remove() == 7
    assert Company.objects.count() == 5 and Assessment.objects.count() == 5 * 4
    assert dict(FitScore.objects.values_list("company_id", "score")) == scores
    assert seeding.is_seeded(persons=20, companies=5)
    assert attraction.seed(qualities=4).reused
    assert seeding.seed(persons=20, companies=5).owner == seeded.owner


def test_the_section_measures_at_the_wanted_size_and_leaves_only_the_seed_behind():
    seeded = seeding.seed(persons=20, companies=5)
    console = Console(file=io.StringIO())
    figures = attraction.run(console=console, owner=seeded.owner, runs=2, warmups=1, companies=9)
    assert figures["companies"] == 9 and figures["extra_companies"] == 4
    assert figures["assessments"] == 9 * attraction.QUALITIES
    assert all(r["status"] == 200 for r in figures["results"])
    assert Company.objects.count() == 5
    assert Assessment.objects.count() == 5 * attraction.QUALITIES
    assert FitScore.objects.count() == 5
