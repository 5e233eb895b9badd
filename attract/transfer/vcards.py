"""Persons to and from vCard (2.1, 3.0, 4.0), with the vobject library (see vcard_reading.py
for what is done to a card before vobject reads it). Imported cards become a CSV in the
usual import flow, so deduplication, the report and undo work the same way; every email,
phone (with its label) and address of a card is kept."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator

import vobject
from django.core.exceptions import ValidationError

from attract.people.models import Person
from attract.transfer.vcard_reading import parse_cards

VCARD_HEADERS = ["First name", "Last name", "Full name", "Emails", "Phones", "Company",
                 "Job title", "Notes"]  # fmt: skip
VCARD_MAPPING = {
    "First name": "first_name",
    "Last name": "last_name",
    "Full name": "full_name",
    "Emails": "emails",
    "Phones": "phones",
    "Company": "company",
    "Job title": "job_title",
    "Notes": "notes",
}
# The TYPE of a TEL or EMAIL (vCard 2.1 writes it bare: TEL;CELL;PREF) → the label we keep.
_LABELS = {"cell": "mobile", "mobile": "mobile", "work": "work", "home": "home", "fax": "fax",
           "pager": "pager", "main": "main", "iphone": "iPhone", "car": "car", "other": "other",
           "assistant": "assistant"}  # fmt: skip


def _text(value) -> str:
    # vCard structured parts may each be a list (several given names, several org units).
    if isinstance(value, (list, tuple)):
        return " ".join(_text(v) for v in value if v).strip()
    return str(value or "").strip()


def _values(card, name: str) -> list[str]:
    return [_text(item.value) for item in card.contents.get(name, []) if item.value]


def _label(item) -> str:
    """The first known TYPE of a property, as 3.0 (TYPE=CELL) or 2.1 (a bare CELL) wrote it."""
    types = [t.lower() for t in item.params.get("TYPE", [])]
    types += [t.lower() for t in getattr(item, "singletonparams", [])]
    return next((_LABELS[t] for t in types if t in _LABELS), "")


def _labelled(card, name: str) -> str:
    """Every value of a TEL or EMAIL, one a line, each with its label after a tab."""
    lines = []
    for item in card.contents.get(name, []):
        value = _text(item.value).replace("\t", " ")
        if value:
            label = _label(item)
            lines.append(f"{value}\t{label}" if label else value)
    return "\n".join(dict.fromkeys(lines))


def _addresses(card) -> list[str]:
    lines = []
    for item in card.contents.get("adr", []):
        adr = item.value
        parts = [_text(getattr(adr, part, "")) for part in
                 ("box", "extended", "street", "city", "region", "code", "country")]  # fmt: skip
        text = ", ".join(p for p in parts if p)
        if text:
            label = _label(item)
            lines.append(f"Address ({label}): {text}" if label else f"Address: {text}")
    return lines


def _row(card) -> list[str]:
    first = last = ""
    if "n" in card.contents:
        n = card.n.value
        first = " ".join(filter(None, [_text(n.given), _text(n.additional)]))
        last = _text(n.family) if hasattr(n, "family") else _text(n)
    full = (_values(card, "fn") or [""])[0]
    org = card.contents.get("org", [])
    company = ""
    if org:
        value = org[0].value
        company = _text(value[0] if isinstance(value, list) and value else value)
    # Addresses have no field of their own on a person: they are kept in the notes.
    notes = "\n".join([*_values(card, "note")[:1], *_addresses(card)])
    return [
        first,
        last,
        full,
        _labelled(card, "email"),
        _labelled(card, "tel"),
        company,
        (_values(card, "title") or [""])[0],
        notes,
    ]


def vcards_to_csv(data: bytes, encoding: str = "") -> tuple[bytes, list[str]]:
    """Every card of the file as one CSV row with the vCard headers, and the warnings for
    the report (a card that could not be read, one cut off), each with its position."""
    cards, warnings = parse_cards(data, encoding)
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(VCARD_HEADERS)
    for card in cards:
        writer.writerow(_row(card))
    if not cards:
        raise ValidationError(["This file holds no vCard that can be read.", *warnings])
    return buffer.getvalue().encode(), warnings


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


def vcard_import_job_create(*, actor, file_name: str, data: bytes, encoding: str = ""):
    """An import job for a .vcf file: its cards as CSV rows, already mapped; the cards that
    could not be read are named in the job's warnings."""
    from attract.transfer.importing import import_job_create

    try:
        csv_bytes, warnings = vcards_to_csv(data, encoding)
    except LookupError as exc:
        raise ValidationError({"encoding": f"“{encoding}” is not an encoding."}) from exc
    job = import_job_create(
        actor=actor, kind="persons", file_name=file_name, chunks=iter([csv_bytes])
    )
    job.mapping = dict(VCARD_MAPPING)
    job.warnings = warnings
    job.save(update_fields=["mapping", "warnings"])
    return job
