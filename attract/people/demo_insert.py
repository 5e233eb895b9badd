"""Writing sample rows fast: bulk inserts in big batches, with their change history, for
`attract demo` and `make bench`. A service call per row would take minutes for the
benchmark's 100,000 persons. (History of the tags attached in bulk is not recorded; the rows
themselves are.)"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import replace
from datetime import timedelta

from django.db import connection, models, transaction
from django.db.models.functions import Lower
from django.utils import timezone

from attract.accounts.models import User
from attract.core.search_text import search_key
from attract.people.demo_rows import TAGS, CompanyRow, PersonRow
from attract.people.models import Company, EmailAddress, Person, PhoneNumber
from attract.people.services import tags_from_names


def _existing_emails(emails: list[str]) -> set[str]:
    found: set[str] = set()
    for start in range(0, len(emails), 5000):
        found.update(
            EmailAddress.objects.annotate(lemail=Lower("email"))
            .filter(lemail__in=emails[start : start + 5000])
            .values_list("lemail", flat=True)
        )
    return found


def _renumbered(rows: list[PersonRow], taken: set[str]) -> list[PersonRow]:
    used = set(taken)
    result = []
    for row in rows:
        fresh = []
        for email in row.emails:
            local, domain = email.split("@", 1)
            number = 1
            while email in used:
                number += 1
                email = f"{local}+{number}@{domain}"
            used.add(email)
            fresh.append(email)
        result.append(replace(row, emails=tuple(fresh)))
    return result


def _free_emails(rows: list[PersonRow]) -> list[PersonRow]:
    """Renumber addresses already in the database, so a second sample can join the first."""
    if not EmailAddress.objects.exists():
        return rows
    taken: set[str] = set()
    while True:
        # Each round learns which renumbered addresses an earlier sample took too.
        candidate = _renumbered(rows, taken)
        clashes = _existing_emails([e for row in candidate for e in row.emails])
        if not clashes:
            return candidate
        taken |= clashes


_HISTORY_OWN_FIELDS = {
    "history_id", "history_date", "history_change_reason", "history_type", "history_user"
}  # fmt: skip


def _create_with_history(
    objects: list[models.Model], model: type[models.Model], *, actor: User, when
) -> None:
    """Insert rows, then let the database copy them into their history table ("created by
    `actor`"), one statement per batch. simple-history's bulk_create_with_history builds a
    Python object per history row, which doubled the benchmark's seeding time."""
    model.objects.bulk_create(objects)
    if not objects:
        return
    history = model.history.model
    quote = connection.ops.quote_name
    columns = ", ".join(
        quote(f.column) for f in history._meta.concrete_fields if f.name not in _HISTORY_OWN_FIELDS
    )
    pks = [o.pk for o in objects]
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {quote(history._meta.db_table)} ({columns}, history_date, "  # noqa: S608
            f"history_type, history_user_id) SELECT {columns}, %s, '+', %s "
            f"FROM {quote(model._meta.db_table)} WHERE id IN ({', '.join(['%s'] * len(pks))})",
            [connection.ops.adapt_datetimefield_value(when), actor.pk, *pks],
        )


@transaction.atomic
def people_demo_insert(
    *,
    actor: User,
    owners: Sequence[User],
    companies: list[CompanyRow],
    persons: list[PersonRow],
    batch_size: int = 5000,
    on_progress: Callable[[int], None] | None = None,
) -> dict[str, int]:
    """Write the rows with bulk inserts, history included; `on_progress` gets rows written."""
    now = timezone.now()
    today = timezone.localdate()
    tags = {t.name.casefold(): t for t in tags_from_names(TAGS)}

    company_objects = [
        Company(
            name=row.name,
            website=row.website,
            industry=row.industry,
            size=row.size,
            street=row.street,
            city=row.city,
            postal_code=row.postal_code,
            country=row.country,
            relationship=row.relationship,
            customer_since=(
                None
                if row.customer_days_ago is None
                else today - timedelta(days=row.customer_days_ago)
            ),
            owner=owners[row.owner_index % len(owners)],
            created_at=now - timedelta(days=row.created_days_ago),
            created_by=actor,
            updated_by=actor,
            search_name=search_key(row.name)[:200],
        )
        for row in companies
    ]
    company_tags = Company.tags.through
    for start in range(0, len(company_objects), batch_size):
        chunk = company_objects[start : start + batch_size]
        _create_with_history(chunk, Company, actor=actor, when=now)
        company_tags.objects.bulk_create(
            company_tags(company_id=company.pk, tag_id=tags[name].pk)
            for company, row in zip(chunk, companies[start : start + batch_size], strict=True)
            for name in row.tags
        )
        if on_progress:
            on_progress(len(chunk))

    persons = _free_emails(persons)
    person_tags = Person.tags.through
    for start in range(0, len(persons), batch_size):
        rows = persons[start : start + batch_size]
        chunk = [
            Person(
                first_name=row.first_name,
                last_name=row.last_name,
                job_title=row.job_title,
                company=None if row.company_index is None else company_objects[row.company_index],
                owner=owners[row.owner_index % len(owners)],
                created_at=now - timedelta(days=row.created_days_ago),
                created_by=actor,
                updated_by=actor,
                search_name=search_key(row.first_name, row.last_name)[:210],
            )
            for row in rows
        ]
        _create_with_history(chunk, Person, actor=actor, when=now)
        email_objects = [
            EmailAddress(person=person, email=email, is_primary=position == 0)
            for person, row in zip(chunk, rows, strict=True)
            for position, email in enumerate(row.emails)
        ]
        _create_with_history(email_objects, EmailAddress, actor=actor, when=now)
        phone_objects = [
            PhoneNumber(person=person, number=number, is_primary=position == 0)
            for person, row in zip(chunk, rows, strict=True)
            for position, number in enumerate(row.phones)
        ]
        _create_with_history(phone_objects, PhoneNumber, actor=actor, when=now)
        person_tags.objects.bulk_create(
            person_tags(person_id=person.pk, tag_id=tags[name].pk)
            for person, row in zip(chunk, rows, strict=True)
            for name in row.tags
        )
        if on_progress:
            on_progress(len(chunk))
    return {"companies": len(company_objects), "persons": len(persons)}
