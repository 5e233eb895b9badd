import factory

from attract.accounts.tests.factories import UserFactory
from attract.attraction.models import (
    Answer,
    Assessment,
    Better,
    Expectation,
    ExpectationCategory,
    Quality,
    ThankYouNote,
)
from attract.attraction.services import plan_get


class QualityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Quality

    plan = factory.LazyFunction(plan_get)
    text = factory.Sequence(lambda n: f"Values quality number {n}")
    weight = 3


class ExpectationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Expectation

    plan = factory.LazyFunction(plan_get)
    category = ExpectationCategory.SERVICES
    text = "Delivery within 48 hours"
    metric = "delivery time"
    value = 48
    unit = "hours"
    better = Better.LOWER


class AssessmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Assessment

    quality = factory.SubFactory(QualityFactory)
    answer = Answer.YES


class ThankYouNoteFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ThankYouNote

    author = factory.SubFactory(UserFactory)
    to_whom = "Ada"
    text = factory.Sequence(lambda n: f"Thank you for everything, note {n}")
