"""Writing the persons (and the new companies they name) of an import batch together.

`person_create` costs a dozen queries a person (checks, the row, its history, each email and
phone with theirs); at 100,000 rows that is hours. A plain new person — no tags, addresses
nobody holds — needs none of those checks against the database once the importer's indexes
know every address, so the importer gathers such rows and writes them here at the end of
the batch: a few bulk inserts, each with its history rows (recorded as the importing user,
as the service records them). Everything else (tags, an address someone holds, updates)
still goes through the people services one row at a time.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db.models.functions import Lower
from simple_history.utils import bulk_create_with_history

from attract.accounts.models import User
from attract.core.search_text import search_key
from attract.people.models import Company, EmailAddress, Person, PhoneNumber

if TYPE_CHECKING:
    from attract.transfer.importing import Outcome
    from attract.transfer.rows import Incoming

# Limits the model enforces, checked here without a query (full_clean would look every
# foreign key up in the database).
_LIMITS = {"first_name": 100, "last_name": 100, "job_title": 150, "notes": 20_000}


def check_person_fields(fields: dict) -> None:
    errors = {}
    for name, limit in _LIMITS.items():
        value = fields.get(name) or ""
        if len(value) > limit:
            errors[name] = [
                f"Ensure this value has at most {limit} characters (it has {len(value)})."
            ]
    if errors:
        raise ValidationError(errors)


def taken_emails() -> set[str]:
    """Every address any person holds, private and trashed ones included: such an address
    cannot be given to a new person."""
    return set(
        EmailAddress.objects.annotate(lemail=Lower("email")).values_list("lemail", flat=True)
    )


@dataclass
class _NewPerson:
    person: Person
    emails: list[str]
    phones: list[str]
    outcome: Outcome
    placeholder: int


@dataclass
class PendingWrites:
    actor: User
    companies: dict[int, Company] = field(default_factory=dict)  # placeholder id → company
    persons: list[_NewPerson] = field(default_factory=list)
    # Placeholder ids the last flush resolved, so later rows matching them find the real ones.
    resolved: dict[int, int] = field(default_factory=dict)
    company_outcomes: dict[int, list[Outcome]] = field(default_factory=dict)

    def __bool__(self) -> bool:
        return bool(self.companies or self.persons)

    def new_company(self, placeholder: int, name: str) -> None:
        company = Company(
            name=name.strip()[:200],
            owner=self.actor,
            created_by=self.actor,
            updated_by=self.actor,
            search_name=search_key(name.strip())[:200],
        )
        self.companies[placeholder] = company

    def company(self, placeholder: int) -> Company:
        return self.companies[placeholder]

    def new_person(
        self,
        incoming: Incoming,
        company_id: int | None,
        company: Company | None,
        outcome: Outcome,
        placeholder: int,
    ) -> None:
        """A person to write; their company is an existing one (by id, not fetched) or one
        gathered in this batch (the object, whose id the flush fills in)."""
        fields = incoming.fields
        check_person_fields(fields)
        person = Person(
            first_name=fields.get("first_name", "").strip(),
            last_name=fields.get("last_name", "").strip(),
            job_title=(fields.get("job_title") or "").strip(),
            notes=(fields.get("notes") or "").strip(),
            owner=self.actor,
            created_by=self.actor,
            updated_by=self.actor,
        )
        person.search_name = search_key(person.first_name, person.last_name)[:210]
        if company is not None:
            person.company = company
        elif company_id and company_id > 0:
            person.company_id = company_id
        self.persons.append(
            _NewPerson(person, incoming.emails, incoming.phones, outcome, placeholder)
        )

    def flush(self) -> None:
        """Write what was gathered; the caller's transaction holds it with the batch."""
        if self.companies:
            companies = list(self.companies.values())
            bulk_create_with_history(companies, Company, default_user=self.actor)
            for placeholder, company in self.companies.items():
                self.resolved[placeholder] = company.pk
        if self.persons:
            persons = [item.person for item in self.persons]
            for person in persons:
                # The company was unsaved when it was assigned; take its id now.
                company = person._state.fields_cache.get("company")
                if company is not None:
                    person.company_id = company.pk
            bulk_create_with_history(persons, Person, default_user=self.actor)
            emails, phones = [], []
            for item in self.persons:
                item.outcome.person_id = item.person.pk
                self.resolved[item.placeholder] = item.person.pk
                for index, email in enumerate(item.emails):
                    emails.append(
                        EmailAddress(person=item.person, email=email, is_primary=index == 0)
                    )
                for index, number in enumerate(item.phones):
                    phones.append(
                        PhoneNumber(person=item.person, number=number, is_primary=index == 0)
                    )
            if emails:
                bulk_create_with_history(emails, EmailAddress, default_user=self.actor)
            if phones:
                bulk_create_with_history(phones, PhoneNumber, default_user=self.actor)
        for placeholder, outcomes in self.company_outcomes.items():
            for outcome in outcomes:
                outcome.company_id = self.resolved[placeholder]
        self.companies, self.persons, self.company_outcomes = {}, [], {}
