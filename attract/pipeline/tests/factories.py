from decimal import Decimal

import factory
from django.utils import timezone

from attract.accounts.tests.factories import UserFactory
from attract.people.tests.factories import CompanyFactory
from attract.pipeline.models import Deal, Outcome, Quote, QuoteStatus, Stage


class DealFactory(factory.django.DjangoModelFactory):
    """A deal written straight to the table; tests about moves go through the services."""

    class Meta:
        model = Deal

    title = factory.Sequence(lambda n: f"Deal {n}")
    owner = factory.SubFactory(UserFactory)
    company = factory.SubFactory(CompanyFactory, owner=factory.SelfAttribute("..owner"))
    revenue = Decimal("1000.00")
    cost = Decimal("400.00")
    stage = Stage.ATTENTION
    outcome = Outcome.OPEN
    position = factory.Sequence(lambda n: n)
    closed_at = factory.LazyAttribute(
        lambda o: None if o.outcome == Outcome.OPEN else timezone.now()
    )


class QuoteFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Quote

    deal = factory.SubFactory(DealFactory)
    amount = Decimal("1000.00")
    status = QuoteStatus.DRAFT
