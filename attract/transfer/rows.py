"""One CSV record → the values a service takes, or a ValidationError saying why not."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError

from attract.core.countries import region_for_country
from attract.core.email_addresses import normalise_email
from attract.core.phone_numbers import default_region, normalise_phone
from attract.core.search_text import search_key
from attract.transfer.values import FORMULA_STARTS, parse_date


@dataclass
class Incoming:
    """A row read and checked: the record's fields, and its contact points normalised."""

    fields: dict[str, Any]
    emails: list[str] = field(default_factory=list)
    phones: list[str] = field(default_factory=list)
    tags: list[str] = field(default_factory=list)
    company_name: str = ""
    name_key: str = ""
    extra: dict[str, Any] = field(default_factory=dict)
    # Values that could not be read, kept as written: (kind, text, reason) each.
    unreadable: list[tuple[str, str, str]] = field(default_factory=list)
    # What the report says of the row besides its outcome (a value kept or dropped).
    notes: list[str] = field(default_factory=list)
    # A normalised email or phone number → its label ("mobile", "work"), when the file said.
    labels: dict[str, str] = field(default_factory=dict)


def _mapped(record: dict[str, str], mapping: dict[str, str]) -> dict[str, str]:
    values: dict[str, str] = {}
    for header, target in mapping.items():
        cell = (record.get(header) or "").strip()
        if cell[:1] == "'" and cell[1:2] in FORMULA_STARTS:
            # Our export (and others) wrote "'=SUM…" so that a spreadsheet shows the cell
            # rather than running it: the value is what follows the quote.
            cell = cell[1:]
        if target and cell and target not in values:
            values[target] = cell
    return values


# A plain address (an ASCII dot-atom before the @, a domain of letters, digits, dots and
# hyphens) is checked by the email-validator library once per domain: the library's verdict on
# a domain does not depend on the part before the @, whose rules for such text are the
# dot-atom below. Anything else (quotes, Unicode, a display name, …) goes to the library.
_PLAIN_LOCAL = re.compile(
    r"[A-Za-z0-9_!#$%&'*+\-/=?^`{|}~]+(?:\.[A-Za-z0-9_!#$%&'*+\-/=?^`{|}~]+)*"
)
_PLAIN_DOMAIN = re.compile(r"[A-Za-z0-9.-]+")
_DOMAINS: dict[str, str] = {}  # a domain the library accepted → its normalised form


def _email(raw: str) -> str:
    """`normalise_email`, with the library consulted once per plain domain."""
    text = (raw or "").strip()
    local, at, domain = text.rpartition("@")
    plain = bool(at) and len(local) <= 64 and _PLAIN_LOCAL.fullmatch(local) is not None
    if plain and domain in _DOMAINS:
        address = f"{local}@{_DOMAINS[domain]}".lower()
        if len(text) <= 254 and len(address) <= 254:
            return address
    address = normalise_email(text)
    if plain and _PLAIN_DOMAIN.fullmatch(domain):
        normalised = address.rpartition("@")[2]
        if normalised.isascii() and len(_DOMAINS) < 100_000:
            _DOMAINS[domain] = normalised
    return address


# (text, region) → the number read, or the reason it cannot be: a file repeats its numbers
# (a company's switchboard on every colleague's row), and reading one is costly.
_PHONES: dict[tuple[str, str], tuple[str, list[str] | None]] = {}


def _phone(text: str, region: str) -> str:
    """`normalise_phone`, remembering each (text, region)'s answer."""
    key = (text, region)
    found = _PHONES.get(key)
    if found is None:
        try:
            found = (normalise_phone(text, region=region), None)
        except ValidationError as exc:
            found = ("", exc.messages)
        if len(_PHONES) >= 20_000:  # a few MB in the reader process
            _PHONES.clear()
        _PHONES[key] = found
    number, refused = found
    if refused is not None:
        raise ValidationError(refused)
    return number


def _tags(text: str) -> list[str]:
    return [t.strip() for t in re.split(r"[,;]", text or "") if t.strip()]


# Lengths the Person model allows, checked here so that a row the model would refuse is
# refused with the others, before any write (the bulk path writes without full_clean).
_PERSON_LIMITS = {"job_title": 150, "notes": 20_000}


def _row_region(values: dict[str, str], region: str) -> tuple[str, str]:
    """The region the row's numbers are read in, and why a number without a country code
    cannot be read when the row's country is not one we know ("" when it can)."""
    country = values.get("country", "")
    if not country:
        return region, ""
    found = region_for_country(country)
    if found:
        return found, ""
    # Never the import's region instead: that would give the number the wrong country.
    return "ZZ", f"the row's country “{country[:60]}” is not one Attract knows"


PHONE_KEYS = ("phone", "phone_2", "phone_3")
EMAIL_KEYS = ("email", "email_2", "email_3")


def person_from_record(
    record: dict[str, str],
    mapping: dict[str, str],
    *,
    region: str = "",
    keep_unreadable: bool = True,
) -> Incoming:
    """The person a row describes. Only the name is required: a phone number or an address
    that cannot be read is kept as written (or dropped, when the import says so), and the
    report says which and why; it never costs the person."""
    values = _mapped(record, mapping)
    first, last = values.get("first_name", ""), values.get("last_name", "")
    if not (first or last) and values.get("full_name"):
        parts = values["full_name"].rsplit(" ", 1)
        first, last = (parts[0], parts[1]) if len(parts) == 2 else ("", parts[0])
    errors: dict[str, list[str]] = {}
    if not (first or last):
        errors["first_name"] = ["No name: give a first or a last name."]
    emails, phones, unreadable, notes = [], [], [], []
    labels: dict[str, str] = {}

    def unread(kind: str, text: str, reason: str) -> None:
        if keep_unreadable:
            unreadable.append((kind, text[:300], reason[:300]))
            notes.append(f"Kept as written, {_KIND_LABEL[kind]}: {reason}")
        else:
            notes.append(f"Dropped, {_KIND_LABEL[kind]}: {reason}")

    for text, label in _several(values, EMAIL_KEYS, "emails"):
        try:
            emails.append(_email(text))
        except ValidationError as exc:
            unread("email", text, " ".join(exc.messages))
        else:
            if label:
                labels.setdefault(emails[-1], label)
    row_region, unknown_country = _row_region(values, region or default_region())
    for text, label in _several(values, PHONE_KEYS, "phones"):
        try:
            phones.append(_phone(text, row_region))
        except ValidationError as exc:
            reason = " ".join(exc.messages)
            if unknown_country and row_region == "ZZ":
                reason = f"“{text[:60]}” has no country code, and {unknown_country}."
            unread("phone", text, reason)
        else:
            if label:
                labels.setdefault(phones[-1], label)
    fields = {"first_name": first[:100], "last_name": last[:100]}
    if values.get("source_id"):
        fields["source_id"] = values["source_id"][:100]
    for name, limit in _PERSON_LIMITS.items():
        if values.get(name):
            fields[name] = values[name]
            if len(values[name]) > limit:
                errors[name] = [
                    f"Ensure this value has at most {limit} characters "
                    f"(it has {len(values[name])})."
                ]
    if errors:
        raise ValidationError(errors)
    return Incoming(
        fields=fields,
        emails=list(dict.fromkeys(emails)),
        phones=list(dict.fromkeys(phones)),
        tags=_tags(values.get("tags", "")),
        company_name=values.get("company", "")[:200],
        name_key=search_key(first, last)[:210],
        unreadable=list(dict.fromkeys(unreadable)),
        notes=notes,
        labels=labels,
        extra=_extra(values),
    )


def _extra(values: dict[str, str]) -> dict[str, str]:
    """What the importer reads besides the person's fields: the owner named, and the account
    (company) id that links the person to a company imported earlier."""
    extra = {}
    if values.get("owner"):
        extra["owner"] = values["owner"][:200]
    if values.get("account_id"):
        extra["account_id"] = values["account_id"][:100]
    return extra


def _several(values: dict[str, str], keys: tuple[str, ...], many: str) -> list[tuple[str, str]]:
    """(value, label) of each single column, then of each line of the several-values column
    (a vCard's: "value<TAB>label" a line)."""
    found = [(values[key], "") for key in keys if values.get(key)]
    for line in values.get(many, "").splitlines():
        text, _, label = line.partition("\t")
        # Addresses may also be separated by commas, semicolons or spaces ("Other emails").
        parts = re.split(r"[\s,;]+", text.strip()) if many == "emails" and not label else [text]
        found.extend((part.strip(), label.strip()[:30]) for part in parts if part.strip())
    return found


_KIND_LABEL = {"email": "not a valid address", "phone": "not a valid number"}


def company_from_record(
    record: dict[str, str], mapping: dict[str, str], *, day_first: bool
) -> Incoming:
    values = _mapped(record, mapping)
    if not values.get("name"):
        raise ValidationError({"name": "No company name."})
    fields: dict[str, Any] = {}
    for name in (
        "name",
        "industry",
        "street",
        "city",
        "postal_code",
        "country",
        "notes",
        "source_id",
    ):
        if values.get(name):
            fields[name] = values[name]
    if values.get("website"):
        site = values["website"]
        fields["website"] = site if "://" in site else f"https://{site}"
    if values.get("customer_since"):
        fields["customer_since"] = parse_date(values["customer_since"], day_first=day_first)
        fields["relationship"] = "customer"
    return Incoming(
        fields=fields,
        tags=_tags(values.get("tags", "")),
        company_name=values["name"],
        extra={"owner": values.get("owner", "")[:200]} if values.get("owner") else {},
    )
