"""Writing the persons (and the new companies they name) of an import batch together.

`person_create` costs a dozen queries a person (checks, the row, its history, each email and
phone with theirs); at 100,000 rows that is hours. A plain new person — no tags, addresses
nobody holds — needs none of those checks against the database once the importer's indexes
know every address, so the importer gathers such rows and writes them here at the end of
the batch: a few bulk inserts, each with its history rows (recorded as the importing user,
as the service records them), with plain INSERTs on SQLite and COPY on PostgreSQL (see
below). Everything else (tags, an address someone holds, updates) still goes through the
people services one row at a time.
"""

from __future__ import annotations

import itertools
import sqlite3
from dataclasses import dataclass, field
from decimal import Decimal
from operator import itemgetter
from typing import TYPE_CHECKING

from django.db import connection
from django.utils import timezone

from attract.accounts.models import User
from attract.core.search_text import search_key
from attract.people.models import Company, EmailAddress, Person, PhoneNumber, UnreadableValue
from attract.people.name_index import PERSON_NAMES

if TYPE_CHECKING:
    from attract.transfer.outcomes import Outcome
    from attract.transfer.rows import Incoming


@dataclass
class _NewPerson:
    row: dict  # the person's columns ({attname: value}), its id and times filled at the flush
    company: Company | None  # a company gathered in the same batch, whose id the flush fills
    emails: list[str]
    phones: list[str]
    outcome: Outcome
    placeholder: int
    unreadable: list[tuple[str, str, str]] = field(default_factory=list)
    labels: dict[str, str] = field(default_factory=dict)


_BLANKS: dict = {}


def _blank(model) -> dict:
    """A model's columns with the values a new instance would have (the creation time is set
    at the flush); no Model instance per row, since building one costs more than writing it."""
    if model not in _BLANKS:
        _BLANKS[model] = {f.attname: f.get_default() for f in model._meta.concrete_fields}
    return dict(_BLANKS[model])


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
        *,
        owner_id: int | None = None,
    ) -> None:
        """A person to write; their company is an existing one (by id, not fetched) or one
        gathered in this batch (the object, whose id the flush fills in)."""
        fields = incoming.fields
        row = _blank(Person)
        first = fields.get("first_name", "").strip()
        last = fields.get("last_name", "").strip()
        row.update(
            first_name=first,
            last_name=last,
            job_title=(fields.get("job_title") or "").strip(),
            notes=(fields.get("notes") or "").strip(),
            source_id=fields.get("source_id", ""),
            owner_id=owner_id or self.actor.pk,
            created_by_id=self.actor.pk,
            updated_by_id=self.actor.pk,
            # The name as the importer's index keyed it, unless the field was cut short.
            search_name=incoming.name_key
            if len(first) < 100 and len(last) < 100
            else search_key(first, last)[:210],
        )
        if company is None and company_id and company_id > 0:
            row["company_id"] = company_id
        self.persons.append(
            _NewPerson(
                row,
                company,
                incoming.emails,
                incoming.phones,
                outcome,
                placeholder,
                incoming.unreadable,
                incoming.labels,
            )
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
            rows = [item.row for item in self.persons]
            for item, pk in zip(self.persons, _next_ids(Person, len(rows)), strict=True):
                item.row.update(id=pk, created_at=now, updated_at=now)
                if item.company is not None:
                    item.row["company_id"] = item.company.pk
            # The ids are consecutive (_next_ids): the batch's names indexed in one statement.
            with PERSON_NAMES.filled_in_one_statement(connection, rows[0]["id"], rows[-1]["id"]):
                _rows_with_history(Person, rows, actor=self.actor, now=now)
            emails, phones, kept = [], [], []
            email_blank, phone_blank = _blank(EmailAddress), _blank(PhoneNumber)
            kept_blank = _blank(UnreadableValue)
            for item in self.persons:
                pk = item.row["id"]
                item.outcome.person_id = pk
                self.resolved[item.placeholder] = pk
                for index, email in enumerate(item.emails):
                    emails.append(
                        {
                            **email_blank,
                            "person_id": pk,
                            "email": email,
                            "is_primary": index == 0,
                            "label": item.labels.get(email, ""),
                        }
                    )
                for index, number in enumerate(item.phones):
                    phones.append(
                        {
                            **phone_blank,
                            "person_id": pk,
                            "number": number,
                            "is_primary": index == 0,
                            "label": item.labels.get(number, ""),
                        }
                    )
                for kind, text, reason in item.unreadable:
                    kept.append(
                        {
                            **kept_blank,
                            "person_id": pk,
                            "kind": kind,
                            "text": text,
                            "reason": reason,
                        }
                    )
            for model, contact_rows in (
                (EmailAddress, emails),
                (PhoneNumber, phones),
                (UnreadableValue, kept),
            ):
                if contact_rows:
                    ids = _next_ids(model, len(contact_rows))
                    for contact, pk in zip(contact_rows, ids, strict=True):
                        contact["id"] = pk
                    _rows_with_history(model, contact_rows, actor=self.actor, now=now)
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
    if kind == "DecimalField":
        return _decimal_converter(field)
    if kind == "DateTimeField":
        convert = connection.ops.adapt_datetimefield_value
    elif kind == "DateField":
        convert = connection.ops.adapt_datefield_value
    else:
        return _memo(lambda value: field.get_db_prep_save(value, connection), empty_only=True)
    return _memo(convert)


def _decimal_converter(field):
    """What DecimalField.get_db_prep_save gives, without its four calls a value: a finite
    Decimal goes to the database as it is (to_python copies it, and neither backend adapts
    it); anything else takes the field's own way."""

    def run(value):
        if type(value) is Decimal and value.is_finite():
            return value
        return field.get_db_prep_save(value, connection)

    return run


def _memo(convert, *, empty_only: bool = False):
    """`convert`, remembering its answers within one insert: a batch's rows share their
    times (the flush's `now`, no deletion) and mostly empty JSON values."""
    seen: dict = {}

    def run(value):
        if empty_only:
            if value or value is None or not isinstance(value, list | dict):
                return convert(value)
            key = type(value)
        else:
            key = value
        try:
            return seen[key]
        except KeyError:
            seen[key] = converted = convert(value)
            return converted

    return run


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


# An INSERT and the parameters of each execution, run with executemany.
Statement = tuple[str, list[tuple]]


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
    table, columns = quote(model._meta.db_table), ", ".join(quote(f.column) for f in fields)
    # The columns picked with one itemgetter call a row; only the few that need it converted.
    pick = itemgetter(*names) if len(names) > 1 else (lambda row: (row[names[0]],))
    converted = [(i, convert) for i, convert in enumerate(converters) if convert is not None]
    values = []
    for row in rows:
        picked = pick(row)
        if converted:
            picked = list(picked)
            for i, convert in converted:
                picked[i] = convert(picked[i])
            picked = tuple(picked)
        values.append(picked)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # COPY streams the rows: no statement to parse, which psycopg does again for every
            # execution of a long multi-row INSERT (it prepares only short statements).
            with cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                for row in values:
                    copy.write_row(row)
            return
        placeholders = ", ".join(["%s"] * len(fields))
        sql = f"INSERT INTO {table} ({columns}) VALUES ({placeholders})"  # noqa: S608 - model names
        for statement, parameters in _many_rows_at_once(sql, values):
            cursor.executemany(statement, parameters)


# Rows an INSERT carries at most: enough that calls are few, few enough that the prepared
# statement (and its parameters) stays small in memory.
ROWS_PER_STATEMENT = 500


def _most_parameters() -> int:
    """How many parameters one SQLite statement may hold (999 in old builds, 32,766 since
    3.32); PostgreSQL takes its rows by COPY instead."""
    connection.ensure_connection()
    return connection.connection.getlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER)


def _many_rows_at_once(sql: str, values: list[tuple]) -> list[Statement]:
    """The INSERT rewritten to carry as many rows as its parameters allow: one call into the
    database (and one round of binding) per few hundred rows rather than per row."""
    if not values:
        return []
    head, _, group = sql.partition(" VALUES ")
    per = max(1, min(_most_parameters() // len(values[0]), ROWS_PER_STATEMENT))
    whole = len(values) - len(values) % per
    flat = itertools.chain.from_iterable
    statements = []
    if whole:
        statements.append(
            (
                f"{head} VALUES {', '.join([group] * per)}",
                [tuple(flat(values[i : i + per])) for i in range(0, whole, per)],
            )
        )
    if whole < len(values):
        # The rest a row at a time: a statement of each size would stay in the connection's
        # statement cache.
        statements.append((sql, values[whole:]))
    return statements


def insert_rows(model, rows: list[dict]) -> None:
    """Plain rows of a model without history (an import's outcome rows)."""
    if rows:
        _insert(model, rows)


def _with_history(model, objects: list, *, actor: User, now) -> None:
    """Insert records that already have their ids, and one "created" history row each, as
    simple_history records a creation."""
    fields = [f.attname for f in model._meta.concrete_fields]
    _rows_with_history(
        model,
        [{name: getattr(obj, name) for name in fields} for obj in objects],
        actor=actor,
        now=now,
    )


def _rows_with_history(model, rows: list[dict], *, actor: User, now) -> None:
    """The same for rows given as {attname: value}, every column named."""
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
