"""`attract plan show` prints the plan's three sides and the perfect number."""

import io

import pytest
from django.core.management import call_command

from attract.attraction import services
from attract.attraction.tests.factories import ExpectationFactory

pytestmark = pytest.mark.django_db


def test_plan_show_prints_the_three_sides_and_the_perfect_number(owner):
    services.quality_create(actor=owner, text="Pays on time", weight=5)
    services.plan_update(actor=owner, perfect_number=12)
    ExpectationFactory()
    out = io.StringIO()
    call_command("plan", "show", "--as", owner.email, stdout=out)
    text = out.getvalue()
    assert "I am in the process of attracting customers who pay on time." in text
    assert "Perfect customers: 0 of 12 this year" in text
    assert "Pays on time" in text
    assert "Why do you get out of bed in the morning?" in text
    assert "delivery time ≤ 48 hours" in text
