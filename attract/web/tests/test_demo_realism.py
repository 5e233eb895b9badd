"""The sample business looks like a real one on every page: people have a fit, a minority of
open deals are long maybes, and each record's dates tell one story (added before anything
happened with it, its history starting on the day it was added)."""

from datetime import timedelta

import pytest
from django.db import transaction

from attract.accounts.models import Role
from attract.accounts.tests.factories import UserFactory
from attract.attraction.models import FitScore
from attract.engagement.models import Interaction
from attract.people.models import Company, Person
from attract.pipeline.models import Deal, Outcome
from attract.pipeline.selectors import long_maybes_for_user
from attract.web.demo import demo_load

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def sample(django_db_setup, django_db_blocker):
    """One sample business for the whole module (loading it is the slow part), in a
    transaction rolled back after the module's last test: the tests only read it, each in its
    own savepoint inside this transaction. Gives the owner it was loaded for."""
    with django_db_blocker.unblock(), transaction.atomic():
        owner = UserFactory(email="owner@example.com", full_name="Olivia Owner", role=Role.OWNER)
        demo_load(owner=owner, seed=7)
        yield owner
        transaction.set_rollback(True)


def test_people_at_assessed_companies_have_a_fit(sample):
    assessed = FitScore.objects.filter(company__isnull=False, score__isnull=False)
    people = Person.objects.filter(company__in=assessed.values("company_id"), is_private=False)
    scored = FitScore.objects.filter(person__in=people, score__isnull=False).count()
    assert people.count() > 100
    assert scored == people.count()


def test_long_maybes_are_a_minority_of_the_open_deals(sample):
    open_deals = Deal.objects.filter(outcome=Outcome.OPEN).count()
    long_maybes = long_maybes_for_user(user=sample).count()
    assert 0 < long_maybes < open_deals / 2


def test_nothing_happens_with_a_record_before_it_was_added(sample):
    added = {
        **{("company", pk): at for pk, at in Company.objects.values_list("pk", "created_at")},
        **{("person", pk): at for pk, at in Person.objects.values_list("pk", "created_at")},
    }
    events = [
        *((("company", c), at) for c, at in Deal.objects.values_list("company_id", "created_at")),
        *((("person", p), at) for p, at in Deal.objects.values_list("contact_id", "created_at")),
        *(
            (("company", c), at)
            for c, at in Interaction.objects.values_list("company_id", "occurred_at")
        ),
        *(
            (("person", p), at)
            for p, at in Interaction.objects.values_list("person_id", "occurred_at")
        ),
    ]
    early = [(key, at) for key, at in events if key in added and at < added[key]]
    assert events and not early


@pytest.mark.parametrize("model", [Company, Person, Deal])
def test_each_history_starts_on_the_day_the_record_was_added(sample, model):
    added = dict(model.objects.values_list("pk", "created_at"))
    history = model.history.model.objects.order_by("id", "history_id")
    first_rows = {}
    for pk, when, kind in history.values_list("id", "history_date", "history_type"):
        first_rows.setdefault(pk, (when, kind))
    assert added
    for pk, at in added.items():
        when, kind = first_rows[pk]
        assert kind == "+"
        assert abs(when - at) < timedelta(seconds=1), (model.__name__, pk)
