"""`attract departures` and `attract survey link CUSTOMER`: the same figures and rules as the
web, and a clear error for what cannot be done."""

from __future__ import annotations

from datetime import date
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.test import Client

from attract.aftercare.departure_services import departure_record
from attract.aftercare.models import SurveyLink
from attract.aftercare.tests.departure_factories import make_customer

pytestmark = pytest.mark.django_db


def _run(*args) -> str:
    out = StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


def test_departures_and_a_survey_link_from_the_command_line(owner, outsider):
    company = make_customer(owner, name="Acme Ltd", purchases=[(date(2025, 1, 1), "100", "10")])
    departure_record(actor=owner, company=company, departed_on=date(2025, 6, 1),
                     reason="indifference")  # fmt: skip
    text = _run("departures", "--start", "2025-01-01", "--end", "2025-12-31")
    assert "Perceived indifference" in text and "68%" in text
    assert "100.0% for reasons in our control (published: 91%)" in text
    assert "Acme Ltd" in text
    link = _run("survey", "link", "acme ltd", "--base-url", "https://crm.example.com/")
    url = link.strip().splitlines()[-1]
    assert url.startswith("https://crm.example.com/care/survey/")
    assert Client().get(url.removeprefix("https://crm.example.com")).status_code == 200
    assert SurveyLink.objects.count() == 1
    with pytest.raises(CommandError, match="No departed customer"):
        _run("survey", "link", "Nobody")
    with pytest.raises(CommandError, match="YYYY-MM-DD"):
        _run("departures", "--start", "yesterday")


def test_testimonials_and_case_studies_from_the_command_line_respect_consent(owner):
    from attract.aftercare import testimonial_services as praise

    company = make_customer(owner, name="Happy Hens", purchases=[(date(2025, 1, 1), "100", "10")])
    dana = company.persons.get()
    kept = praise.testimonial_create(actor=owner, company=company, person=dana,
                                     words="Kept for us", consent="none")  # fmt: skip
    first = praise.testimonial_create(actor=owner, company=company, person=dana,
                                      words="Lovely eggs", consent="first_name")  # fmt: skip
    case = praise.case_study_create(
        actor=owner, company=company, person=dana, title="Twice the eggs", pain="Empty shelves",
        what_we_did="A weekly delivery", result="Sales up 40%", consent="full",
    )  # fmt: skip
    listed = _run("testimonials", "list")
    assert "Kept for us" in listed and "Lovely eggs" in listed  # the team sees both
    exported = _run("testimonials", "export")
    assert "Lovely eggs,Dana," in exported and "Kept for us" not in exported
    assert "Baker" not in exported and "Happy Hens" not in exported
    snippet = _run("testimonials", "snippet", str(first.pk))
    assert "Lovely eggs" in snippet and "Dana" in snippet and "Baker" not in snippet
    with pytest.raises(CommandError, match="not consented"):
        _run("testimonials", "snippet", str(kept.pk))
    assert "Twice the eggs" in _run("testimonials", "cases")
    assert "Dana Baker, Happy Hens" in _run("testimonials", "case-snippet", str(case.pk))
    with pytest.raises(CommandError, match="No case study with the id 999"):
        _run("testimonials", "case-snippet", "999")
