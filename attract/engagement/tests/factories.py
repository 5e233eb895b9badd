import factory
from django.utils import timezone

from attract.accounts.tests.factories import UserFactory
from attract.engagement.models import Channel, Direction, Interaction, Task
from attract.people.tests.factories import PersonFactory


class InteractionFactory(factory.django.DjangoModelFactory):
    """Written straight to the table; tests about clocks and reply times use the service."""

    class Meta:
        model = Interaction

    channel = Channel.CALL
    direction = Direction.WE_REACHED_OUT
    person = factory.SubFactory(PersonFactory)
    occurred_at = factory.LazyFunction(timezone.now)
    summary = "Talked about next steps"
    created_by = factory.SubFactory(UserFactory)


class TaskFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Task

    title = factory.Sequence(lambda n: f"Task {n}")
    due_at = factory.LazyFunction(timezone.now)
    person = factory.SubFactory(PersonFactory)
    assignee = factory.SubFactory(UserFactory)
