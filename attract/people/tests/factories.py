import factory

from attract.accounts.tests.factories import UserFactory
from attract.core.search_text import search_key
from attract.people.models import Company, EmailAddress, Person, PhoneNumber, Relationship


class CompanyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Company

    name = factory.Faker("company")
    relationship = Relationship.PROSPECT
    owner = factory.SubFactory(UserFactory)
    search_name = factory.LazyAttribute(lambda o: search_key(o.name))


class PersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Person

    first_name = factory.Faker("first_name")
    last_name = factory.Faker("last_name")
    owner = factory.SubFactory(UserFactory)
    search_name = factory.LazyAttribute(lambda o: search_key(o.first_name, o.last_name))


class EmailAddressFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = EmailAddress

    person = factory.SubFactory(PersonFactory)
    email = factory.Sequence(lambda n: f"contact{n}@example.org")
    is_primary = True


class PhoneNumberFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PhoneNumber

    person = factory.SubFactory(PersonFactory)
    number = factory.Sequence(lambda n: f"+1212555{n % 10000:04d}")
    is_primary = True
