"""Persons to and from vCard 3.0 and 4.0, with the vobject library. Imported cards become a
CSV in the usual import flow, so deduplication, the report and undo work the same way."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator

import vobject
from django.core.exceptions import ValidationError

from attract.people.models import Person

VCARD_HEADERS = ["First name", "Last name", "Full name", "Email", "Other email", "Phone",
                 "Mobile / other phone", "Company", "Job title", "Notes"]  # fmt: skip
VCARD_MAPPING = {
    "First name": "first_name",
    "Last name": "last_name",
    "Full name": "full_name",
    "Email": "email",
    "Other email": "email_2",
    "Phone": "phone",
    "Mobile / other phone": "phone_2",
    "Company": "company",
    "Job title": "job_title",
    "Notes": "notes",
}


def _text(value) -> str:
    # vCard structured parts may each be a list (several given names, several org units).
    if isinstance(value, (list, tuple)):
        return " ".join(_text(v) for v in value if v).strip()
    return str(value or "").strip()


def _values(card, name: str) -> list[str]:
    return [_text(item.value) for item in card.contents.get(name, []) if item.value]


def _row(card) -> list[str]:
    first = last = ""
    if "n" in card.contents:
        n = card.n.value
        first = " ".join(filter(None, [_text(n.given), _text(n.additional)]))
        last = _text(n.family) if hasattr(n, "family") else _text(n)
    full = (_values(card, "fn") or [""])[0]
    emails, phones = _values(card, "email"), _values(card, "tel")
    org = card.contents.get("org", [])
    company = ""
    if org:
        value = org[0].value
        company = _text(value[0] if isinstance(value, list) and value else value)
    return [
        first,
        last,
        full,
        emails[0] if emails else "",
        emails[1] if len(emails) > 1 else "",
        phones[0] if phones else "",
        phones[1] if len(phones) > 1 else "",
        company,
        (_values(card, "title") or [""])[0],
        (_values(card, "note") or [""])[0],
    ]


def vcards_to_csv(text: str) -> bytes:
    """Every card in the text as one CSV row with the vCard headers."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(VCARD_HEADERS)
    count = 0
    try:
        for card in vobject.readComponents(text, ignoreUnreadable=True):
            if card.name.upper() != "VCARD":
                continue
            writer.writerow(_row(card))
            count += 1
    except Exception as exc:  # vobject raises several unrelated types for a broken file
        raise ValidationError(f"This file cannot be read as vCard ({exc}).") from exc
    if not count:
        raise ValidationError("This file holds no vCard.")
    return buffer.getvalue().encode()


def person_vcard(person: Person, *, version: str = "3.0") -> str:
    card = vobject.vCard()
    card.add("n").value = vobject.vcard.Name(family=person.last_name, given=person.first_name)
    card.add("fn").value = person.full_name
    for address in person.emails.all():
        item = card.add("email")
        item.value = address.email
        item.type_param = "INTERNET" if version == "3.0" else "work"
    for phone in person.phones.all():
        card.add("tel").value = phone.number
    if person.company:
        card.add("org").value = [person.company.name]
    if person.job_title:
        card.add("title").value = person.job_title
    if person.notes:
        card.add("note").value = person.notes
    text = card.serialize()
    return text.replace("VERSION:3.0", f"VERSION:{version}", 1)


def persons_vcards(persons: Iterable[Person], *, version: str = "3.0") -> Iterator[str]:
    for person in persons:
        yield person_vcard(person, version=version)


def vcard_import_job_create(*, actor, file_name: str, data: bytes):
    """An import job for a .vcf file: its cards as CSV rows, already mapped."""
    from attract.transfer.importing import import_job_create

    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = data.decode("cp1252", errors="replace")
    csv_bytes = vcards_to_csv(text)
    job = import_job_create(
        actor=actor, kind="persons", file_name=file_name, chunks=iter([csv_bytes])
    )
    job.mapping = dict(VCARD_MAPPING)
    job.save(update_fields=["mapping"])
    return job
