"""Lists as CSV, exactly as filtered on screen, safe to open in a spreadsheet: a cell that
starts with =, +, -, @ (or a tab or carriage return) is prefixed with a quote so that the
spreadsheet shows it rather than running it as a formula."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator

from django.db.models import QuerySet

from attract.accounts.models import User
from attract.core.permissions import can_view_record
from attract.people.models import Company, Person
from attract.transfer.values import FORMULA_STARTS

PERSON_HEADERS = ["First name", "Last name", "Email", "Other emails", "Phone", "Other phones",
                  "Job title", "Company", "Tags", "Notes", "Private", "Do not e-mail"]  # fmt: skip
COMPANY_HEADERS = ["Name", "Website", "Industry", "Size", "Street", "City", "Postal code",
                   "Country", "Relationship", "Customer since", "Tags", "Notes", "Private"]  # fmt: skip


def neutralise(value: object) -> str:
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


DEAL_HEADERS = ["Title", "Company", "Contact email", "Stage", "Outcome", "Revenue", "Cost",
                "Create date", "Expected close date", "Close date", "Pain", "Lost reason",
                "Tags", "Private"]  # fmt: skip


def _visible_name(record, user: User, attribute: str = "name") -> str:
    """A related record's name, or nothing when it is someone else's private record."""
    if record is None or not can_view_record(user, record):
        return ""
    return getattr(record, attribute)


def hide_private_companies(persons: Iterable[Person], user: User) -> Iterator[Person]:
    """The persons with someone else's private company taken off (in memory only), for the
    vCard writer, which names each person's company."""
    for person in persons:
        if person.company is not None and not can_view_record(user, person.company):
            person.company = None
        yield person


def person_rows(persons: QuerySet[Person], *, user: User) -> Iterator[list[str]]:
    yield PERSON_HEADERS
    # The list selector has already joined the company and prefetched emails, phones and
    # tags; the models order emails and phones primary first.
    for person in persons.iterator(chunk_size=2000):
        emails = [e.email for e in person.emails.all()]
        phones = [p.number for p in person.phones.all()]
        yield [
            person.first_name,
            person.last_name,
            emails[0] if emails else "",
            "\n".join(emails[1:]),  # one a line, as the import's "several" fields read them
            phones[0] if phones else "",
            "\n".join(phones[1:]),
            person.job_title,
            _visible_name(person.company, user),
            ", ".join(t.name for t in person.tags.all()),
            person.notes,
            "yes" if person.is_private else "",
            "yes" if person.do_not_email else "",
        ]


def company_rows(companies: QuerySet[Company]) -> Iterator[list[str]]:
    yield COMPANY_HEADERS
    for company in companies.prefetch_related("tags").iterator(chunk_size=2000):
        yield [
            company.name,
            company.website,
            company.industry,
            company.size,
            company.street,
            company.city,
            company.postal_code,
            company.country,
            company.relationship,
            company.customer_since.isoformat() if company.customer_since else "",
            ", ".join(t.name for t in company.tags.all()),
            company.notes,
            "yes" if company.is_private else "",
        ]


def csv_lines(rows: Iterable[list[str]]) -> Iterator[str]:
    """One encoded CSV line at a time, for a streaming response or a file."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    for row in rows:
        writer.writerow([neutralise(cell) for cell in row])
        yield buffer.getvalue()
        buffer.seek(0)
        buffer.truncate()


def deal_rows(deals: QuerySet, *, user: User) -> Iterator[list[str]]:
    """Deals with the column names the deal import reads, so an export imports back."""
    yield DEAL_HEADERS
    for deal in deals.iterator(chunk_size=2000):
        contact = deal.contact
        if contact is not None and not can_view_record(user, contact):
            contact = None
        emails = [e.email for e in contact.emails.all()] if contact else []
        closed = deal.outcome != "open"
        yield [
            deal.title,
            _visible_name(deal.company, user),
            emails[0] if emails else "",
            deal.outcome if closed else deal.stage,
            deal.outcome,
            str(deal.revenue),
            str(deal.cost),
            deal.created_at.date().isoformat(),
            deal.expected_close_date.isoformat() if deal.expected_close_date else "",
            deal.closed_at.date().isoformat() if deal.closed_at else "",
            deal.pain,
            deal.lost_reason,
            ", ".join(t.name for t in deal.tags.all()),
            "yes" if deal.is_private else "",
        ]
