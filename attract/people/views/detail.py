"""What a person's or a company's page shows, shared by the page and by an edit in place
(which redraws the page's header and history after a save).

The page puts first things first: a header with the key facts and the next step, the
timeline and the deals in the main column, and the details (each field editable in place),
fit and history as side cards. Empty details are not shown to a reader; to someone who may
change the record they wait, folded, under "Add details".
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.urls import reverse

from attract.core.history import RelatedHistory, history_entries
from attract.core.permissions import can_change_record, can_view_record
from attract.core.phone_numbers import display_phone
from attract.people.inline_fields import COMPANY_FIELDS, PERSON_FIELDS, InlineField, kind_of, shown
from attract.people.models import Company, EmailAddress, Person, PhoneNumber

PERSON_HISTORY_RELATED = (
    RelatedHistory(EmailAddress, "person", "email", "Email"),
    RelatedHistory(PhoneNumber, "person", "number", "Phone", display_phone),
)


def detail_context(request: HttpRequest, record: Person | Company) -> dict[str, Any]:
    if isinstance(record, Company):
        return company_context(request, record)
    return person_context(request, record)


def field_context(record: Any, field: InlineField, *, place: str, editable: bool) -> dict:
    """What a field's templates need: the record pages, the lists (the `inline_field` tag)
    and the edit-in-place view draw it from here alike."""
    kind = kind_of(record).name
    dom_id = f"field-{kind}-{record.pk}-{field.name}"
    return {
        "record": record,
        "kind": kind,
        "field": field,
        "place": place,
        "editable": editable,
        "shown": shown(record, field),
        "dom_id": dom_id,
        "version_id": f"{kind}-{record.pk}-version",
        "field_url": reverse(f"people:{kind}_field", args=[record.pk, field.name]),
        "edit_url": reverse(f"people:{kind}_edit", args=[record.pk]),
    }


def _fields(record: Person | Company, fields: dict, editable: bool) -> tuple[list, list]:
    """The inline fields of the details card: those with a value, and the empty ones."""
    filled, empty = [], []
    for field in fields.values():
        value = shown(record, field)
        if value.empty and not editable:
            continue
        item = field_context(record, field, place="detail", editable=editable)
        (empty if value.empty else filled).append(item)
    return filled, empty


def person_context(request: HttpRequest, person: Person) -> dict[str, Any]:
    company = person.company
    can_change = can_change_record(request.user, person)
    editable = can_change and not person.in_trash
    filled, empty = _fields(person, PERSON_FIELDS, editable)
    emails = list(person.emails.all())
    phones = list(person.phones.all())
    return {
        "person": person,
        "record": person,
        "kind": "person",
        "header_template": "people/partials/_person_header.html",
        "company_visible": company is not None and can_view_record(request.user, company),
        "can_change": can_change,
        "editable": editable,
        "facts_filled": filled,
        "facts_empty": empty,
        "main_email": emails[0] if emails else None,
        "main_phone": phones[0] if phones else None,
        "history": history_entries(person, related=PERSON_HISTORY_RELATED),
    }


def company_context(request: HttpRequest, company: Company) -> dict[str, Any]:
    can_change = can_change_record(request.user, company)
    editable = can_change and not company.in_trash
    filled, empty = _fields(company, COMPANY_FIELDS, editable)
    return {
        "company": company,
        "record": company,
        "kind": "company",
        "header_template": "people/partials/_company_header.html",
        "can_change": can_change,
        "editable": editable,
        "facts_filled": filled,
        "facts_empty": empty,
        "history": history_entries(company),
    }
