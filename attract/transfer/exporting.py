"""Lists as CSV, exactly as filtered on screen, safe to open in a spreadsheet: a cell that
starts with =, +, -, @ (or a tab or carriage return) is prefixed with a quote so that the
spreadsheet shows it rather than running it as a formula."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator

from django.db.models import QuerySet

from attract.people.models import Company, Person

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")

PERSON_HEADERS = ["First name", "Last name", "Email", "Other emails", "Phone", "Other phones",
                  "Job title", "Company", "Tags", "Notes", "Private"]  # fmt: skip
COMPANY_HEADERS = ["Name", "Website", "Industry", "Size", "Street", "City", "Postal code",
                   "Country", "Relationship", "Customer since", "Tags", "Notes", "Private"]  # fmt: skip


def neutralise(value: object) -> str:
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def person_rows(persons: QuerySet[Person]) -> Iterator[list[str]]:
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
            " ".join(emails[1:]),
            phones[0] if phones else "",
            " ".join(phones[1:]),
            person.job_title,
            person.company.name if person.company else "",
            ", ".join(t.name for t in person.tags.all()),
            person.notes,
            "yes" if person.is_private else "",
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
