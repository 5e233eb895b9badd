"""Fit that is proven: win rates with and without each quality, with their samples, and a
suggestion only when the difference is strong enough (never a change of weight)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from attract.attraction.models import Answer
from attract.attraction.tests.factories import AssessmentFactory, QualityFactory
from attract.people.models import Relationship
from attract.people.tests.factories import CompanyFactory
from attract.pipeline.models import Outcome
from attract.pipeline.tests.factories import DealFactory
from attract.reports.filters import ReportFilters
from attract.reports.fit import fit_report, z_score
from attract.reports.tests.conftest import at

YEAR = ReportFilters(start=date(2026, 1, 1), end=date(2026, 12, 31))


def _company(owner, quality, answer, *, won, lost, relationship=Relationship.CUSTOMER, **kw):
    company = CompanyFactory(owner=owner, relationship=relationship, **kw)
    AssessmentFactory(quality=quality, company=company, answer=answer)
    for outcome, n in ((Outcome.WON, won), (Outcome.LOST, lost)):
        for _ in range(n):
            DealFactory(
                owner=owner,
                company=company,
                outcome=outcome,
                closed_at=at(2026, 5),
                revenue=Decimal("1000"),
                cost=Decimal("400"),
            )
    return company


def test_win_rates_samples_and_a_suggestion_when_the_data_disagree(owner, outsider):
    quality = QualityFactory(text="Decides fast", weight=2)
    _company(owner, quality, Answer.YES, won=9, lost=3)
    _company(owner, quality, Answer.NO, won=2, lost=10, relationship=Relationship.FORMER_CUSTOMER)
    # Someone else's private company and its deals are not counted for the owner.
    _company(outsider, quality, Answer.YES, won=0, lost=5, is_private=True)
    figures = fit_report(user=owner, filters=YEAR)
    has, has_not = figures.rows
    assert (has["decided"], has["win_rate"], has["profit_per_deal"]) == (12, 75.0, Decimal("600"))
    assert (has_not["decided"], has_not["win_rate"]) == (12, 16.7)
    assert has["still_with_us"] == 100.0 and has_not["still_with_us"] == 0.0
    assert (
        figures.notes and "Consider a higher weight for “Decides fast” (now 2)" in figures.notes[0]
    )
    quality.refresh_from_db()
    assert quality.weight == 2  # a suggestion, never a change


def test_no_suggestion_on_a_small_sample(owner):
    quality = QualityFactory(text="Pays on time", weight=3)
    _company(owner, quality, Answer.YES, won=3, lost=0)
    _company(owner, quality, Answer.NO, won=0, lost=3)
    assert fit_report(user=owner, filters=YEAR).notes == []


def test_the_z_score():
    assert z_score(9, 12, 2, 12) > 1.96
    assert z_score(0, 0, 1, 2) is None
