"""Writing the persons (and the new companies they name) of an import batch together.

`person_create` costs a dozen queries a person (checks, the row, its history, each email and
phone with theirs); at 100,000 rows that is hours. A plain new person — no tags, addresses
nobody holds — needs none of those checks against the database once the importer's indexes
know every address, so the importer gathers such rows and writes them here at the end of
the batch: a few bulk inserts, each with its history rows (recorded as the importing user,
as the service records them), with plain INSERTs (see below). Everything else (tags, an address someone holds, updates)
still goes through the people services one row at a time.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import connection
from django.db.models.functions import Lower
from django.utils import timezone

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
        now = timezone.now()
        if self.companies:
            companies = list(self.companies.values())
            for company, pk in zip(companies, _next_ids(Company, len(companies)), strict=True):
                company.pk = company.id = pk
                company.updated_at = now
            _with_history(Company, companies, actor=self.actor, now=now)
            for placeholder, company in self.companies.items():
                self.resolved[placeholder] = company.pk
        if self.persons:
            persons = [item.person for item in self.persons]
            for person, pk in zip(persons, _next_ids(Person, len(persons)), strict=True):
                person.pk = person.id = pk
                person.updated_at = now
                # The company was unsaved when it was assigned; take its id now.
                company = person._state.fields_cache.get("company")
                if company is not None:
                    person.company_id = company.pk
            _with_history(Person, persons, actor=self.actor, now=now)
            emails, phones = [], []
            for item in self.persons:
                item.outcome.person_id = item.person.pk
                self.resolved[item.placeholder] = item.person.pk
                for index, email in enumerate(item.emails):
                    emails.append(
                        EmailAddress(person_id=item.person.pk, email=email, is_primary=index == 0)
                    )
                for index, number in enumerate(item.phones):
                    phones.append(
                        PhoneNumber(person_id=item.person.pk, number=number, is_primary=index == 0)
                    )
            for model, rows in ((EmailAddress, emails), (PhoneNumber, phones)):
                if rows:
                    for row, pk in zip(rows, _next_ids(model, len(rows)), strict=True):
                        row.pk = row.id = pk
                    _with_history(model, rows, actor=self.actor, now=now)
        for placeholder, outcomes in self.company_outcomes.items():
            for outcome in outcomes:
                outcome.company_id = self.resolved[placeholder]
        self.companies, self.persons, self.company_outcomes = {}, [], {}


# --- Plain inserts ----------------------------------------------------------------------------
# Django's bulk_create compiles every value of every row through the field (a few
# microseconds each); at 100,000 persons with their history and addresses that is most of
# the import. These inserts give the database the values Django would give it, field by
# field, converted once per field rather than once per value.

_PLAIN = {"CharField", "TextField", "EmailField", "BooleanField", "ForeignKey", "BigIntegerField",
          "IntegerField", "PositiveIntegerField", "PositiveSmallIntegerField", "BigAutoField",
          "AutoField"}  # fmt: skip


def _converter(field):
    kind = field.get_internal_type()
    if kind in _PLAIN:
        return None
    if kind == "DateTimeField":
        return lambda value: connection.ops.adapt_datetimefield_value(value)
    if kind == "DateField":
        return lambda value: connection.ops.adapt_datefield_value(value)
    return lambda value: field.get_db_prep_save(value, connection)


def _next_ids(model, count: int) -> list[int]:
    """Ids for rows about to be inserted. The batch's transaction holds SQLite's write lock
    (BEGIN IMMEDIATE), so no one else takes them meanwhile; PostgreSQL hands them out from
    the table's sequence."""
    table = model._meta.db_table
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)",
                [table, count],
            )
            return [row[0] for row in cursor.fetchall()]
        cursor.execute(f'SELECT COALESCE(MAX("id"), 0) FROM "{table}"')  # noqa: S608
        highest = cursor.fetchone()[0]
        cursor.execute("SELECT seq FROM sqlite_sequence WHERE name = %s", [table])
        row = cursor.fetchone()
        start = max(highest, row[0] if row else 0) + 1
        return list(range(start, start + count))


def _insert(model, rows: list[dict]) -> None:
    """Insert rows given as {attname: value}; every concrete column must be named except an
    automatic primary key."""
    fields = [
        f
        for f in model._meta.concrete_fields
        if not (f.primary_key and f.get_internal_type() in ("AutoField", "BigAutoField"))
        or (rows and f.attname in rows[0])
    ]
    names = [f.attname for f in fields]
    converters = [_converter(f) for f in fields]
    quote = connection.ops.quote_name
    sql = "INSERT INTO {} ({}) VALUES ({})".format(  # noqa: S608 - names from the models
        quote(model._meta.db_table),
        ", ".join(quote(f.column) for f in fields),
        ", ".join(["%s"] * len(fields)),
    )
    values = [
        tuple(
            row[name] if convert is None else convert(row[name])
            for name, convert in zip(names, converters, strict=True)
        )
        for row in rows
    ]
    with connection.cursor() as cursor:
        for start in range(0, len(values), 2000):
            cursor.executemany(sql, values[start : start + 2000])


def insert_rows(model, rows: list[dict]) -> None:
    """Plain rows of a model without history (an import's outcome rows)."""
    if rows:
        _insert(model, rows)


def _with_history(model, objects: list, *, actor: User, now) -> None:
    """Insert records that already have their ids, and one "created" history row each, as
    simple_history records a creation."""
    fields = [f.attname for f in model._meta.concrete_fields]
    rows = [{name: getattr(obj, name) for name in fields} for obj in objects]
    _insert(model, rows)
    history = model.history.model
    tracked = [
        f.attname for f in history._meta.concrete_fields if not f.name.startswith("history_")
    ]
    extra = {
        "history_date": now,
        "history_change_reason": None,
        "history_type": "+",
        "history_user_id": actor.pk,
    }
    _insert(history, [{**{n: row[n] for n in tracked}, **extra} for row in rows])
