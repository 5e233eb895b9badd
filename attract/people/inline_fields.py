"""Edit in place: which fields of a person or a company can be changed one at a time, and
how one typed value becomes the arguments of the same service the full form calls.

One small registry instead of a view per field: each `InlineField` names how the editor
starts (`value`), how the typed text is read (`parse`, raising ValidationError with a clear
message) and what it asks the service to change (`arguments`). The version check, the
history and the webhook event come with the service (people.services), exactly as for the
full form, so an edit in place is no weaker than one made on the edit page.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Model

from attract.accounts.models import User
from attract.core.phone_numbers import display_phone
from attract.people import services
from attract.people.forms import tag_names
from attract.people.models import Company, CompanySize, Person, Relationship

# Longer than any field the records hold: the service's own checks give the precise limit;
# this only stops a megabyte of text before it is read at all.
MAX_INPUT = 2000


@dataclass(frozen=True)
class InlineField:
    name: str
    label: str
    # How the editor looks: an <input type=…> ("text", "email", "tel", "url") or "select".
    widget: str = "text"
    value: Callable[[Model], str] | None = None
    parse: Callable[[str, Model], Any] | None = None
    arguments: Callable[[Model, Any], dict[str, Any]] | None = None
    choices: Callable[[Model], list[tuple[str, str]]] | None = None
    help: str = ""

    def start_value(self, record: Model) -> str:
        if self.value is not None:
            return self.value(record)
        current = getattr(record, self.name)
        return "" if current is None else str(current)

    def read(self, raw: str, record: Model) -> Any:
        text = (raw or "").strip()
        if len(text) > MAX_INPUT:
            raise ValidationError(f"{self.label} is too long.")
        if "\x00" in text:
            # As a form field refuses it: PostgreSQL cannot store it, and no one types it.
            raise ValidationError("Null characters are not allowed.")
        if self.parse is not None:
            return self.parse(text, record)
        if self.choices is not None and text not in {v for v, _ in self.choices(record)}:
            raise ValidationError(f"Choose one of the listed values for {self.label.lower()}.")
        return text

    def service_arguments(self, record: Model, value: Any) -> dict[str, Any]:
        if self.arguments is not None:
            return self.arguments(record, value)
        return {self.name: value}


# --- Shared readers ---------------------------------------------------------------------------


def _owner_choices(record: Model) -> list[tuple[str, str]]:
    """Active team members, and a former colleague who still owns the record (an edit in
    place must not drop them silently, as the full form does not)."""
    users = list(User.objects.filter(is_active=True).order_by("full_name", "email"))
    current = getattr(record, "owner", None)
    if current is not None and all(u.pk != current.pk for u in users):
        users.append(current)
    return [("", "Nobody")] + [(str(u.pk), u.display_name) for u in users]


def _read_owner(text: str, record: Model) -> User | None:
    if not text:
        return None
    allowed = {value for value, _ in _owner_choices(record)}
    if text not in allowed:
        raise ValidationError("Choose someone on the team as the owner.")
    return User.objects.get(pk=int(text))


def _owner_value(record: Model) -> str:
    return str(record.owner_id or "")


def _read_tags(text: str, record: Model) -> list[str]:
    return tag_names(text)


def _tags_value(record: Model) -> str:
    return ", ".join(t.name for t in record.tags.all())


def _read_url(text: str, record: Model) -> str:
    return forms.URLField(max_length=300, required=False, assume_scheme="https").clean(text)


# --- Persons: the main email and phone are the first of their lists ---------------------------


def _main_email(person: Person) -> str:
    emails = list(person.emails.all())
    return emails[0].email if emails else ""


def _main_phone(person: Person) -> str:
    phones = list(person.phones.all())
    return display_phone(phones[0].number) if phones else ""


def _emails_with_main(person: Person, value: str) -> dict[str, Any]:
    """The typed address becomes the main one; the person's other addresses stay. An empty
    value removes the main address (the next one, if any, becomes the main)."""
    others = [e.email for e in person.emails.all()][1:]
    return {"emails": ([value] if value else []) + others}


def _phones_with_main(person: Person, value: str) -> dict[str, Any]:
    others = [p.number for p in person.phones.all()][1:]
    return {"phones": ([value] if value else []) + others}


PERSON_FIELDS: dict[str, InlineField] = {
    f.name: f
    for f in (
        InlineField("first_name", "First name"),
        InlineField("last_name", "Last name"),
        InlineField("job_title", "Job title"),
        InlineField(
            "email",
            "Email",
            widget="email",
            value=_main_email,
            arguments=_emails_with_main,
            help="The main address; the others stay.",
        ),
        InlineField(
            "phone",
            "Phone",
            widget="tel",
            value=_main_phone,
            arguments=_phones_with_main,
            help="With the country code, e.g. +44 20 7946 0958.",
        ),
        InlineField(
            "owner",
            "Owner",
            widget="select",
            value=_owner_value,
            parse=_read_owner,
            choices=_owner_choices,
        ),
        InlineField(
            "tags",
            "Tags",
            value=_tags_value,
            parse=_read_tags,
            help="Separate tags with commas.",
        ),
    )
}

COMPANY_FIELDS: dict[str, InlineField] = {
    f.name: f
    for f in (
        InlineField("name", "Name"),
        InlineField("website", "Website", widget="url", parse=_read_url),
        InlineField("industry", "Industry"),
        InlineField(
            "relationship",
            "Relationship",
            widget="select",
            choices=lambda record: list(Relationship.choices),
        ),
        InlineField(
            "size",
            "Size",
            widget="select",
            choices=lambda record: [("", "Not known"), *CompanySize.choices],
        ),
        InlineField("city", "City"),
        InlineField("country", "Country"),
        InlineField(
            "owner",
            "Owner",
            widget="select",
            value=_owner_value,
            parse=_read_owner,
            choices=_owner_choices,
        ),
        InlineField(
            "tags",
            "Tags",
            value=_tags_value,
            parse=_read_tags,
            help="Separate tags with commas.",
        ),
    )
}


@dataclass(frozen=True)
class RecordKind:
    """What differs between persons and companies for an edit in place."""

    name: str  # "person" or "company": the URL name prefix and the element ids
    model: type[Model]
    fields: dict[str, InlineField]
    update: Callable[..., Model]
    detail_url: str


def _update_person(*, record: Model, **arguments: Any) -> Model:
    return services.person_update(person=record, **arguments)


def _update_company(*, record: Model, **arguments: Any) -> Model:
    return services.company_update(company=record, **arguments)


KINDS = {
    "person": RecordKind("person", Person, PERSON_FIELDS, _update_person, "people:person_detail"),
    "company": RecordKind(
        "company", Company, COMPANY_FIELDS, _update_company, "people:company_detail"
    ),
}


def kind_of(record: Model) -> RecordKind:
    return KINDS["company" if isinstance(record, Company) else "person"]


def save_field(
    *, actor: User, record: Model, field: InlineField, raw: str, expected_version: int | None
) -> Model:
    """Read the typed text and change that one field through the record's service: refused
    with ValidationError (bad input) or VersionConflict (someone changed it since)."""
    value = field.read(raw, record)
    kind = kind_of(record)
    return kind.update(
        actor=actor,
        record=record,
        expected_version=expected_version,
        **field.service_arguments(record, value),
    )


# --- How a field reads when it is not being edited ----------------------------------------------


@dataclass(frozen=True)
class Shown:
    """A field's value as the page shows it: text, an optional link, a user's tags, or a
    badge's class (a company's relationship)."""

    text: str = ""
    href: str = ""
    tags: tuple = ()
    badge: str = ""
    external: bool = False

    @property
    def empty(self) -> bool:
        return not (self.text or self.tags)


def shown(record: Model, field: InlineField) -> Shown:
    name = field.name
    if name == "email":
        text = _main_email(record)
        return Shown(text, f"mailto:{text}" if text else "")
    if name == "phone":
        phones = list(record.phones.all())
        if not phones:
            return Shown()
        return Shown(display_phone(phones[0].number), f"tel:{phones[0].number}")
    if name == "website":
        return Shown(record.website, record.website, external=True)
    if name == "tags":
        return Shown(tags=tuple(record.tags.all()))
    if name == "owner":
        return Shown(record.owner.display_name if record.owner_id else "")
    if name == "relationship":
        return Shown(record.get_relationship_display(), badge=f"badge-{record.relationship}")
    if name == "size":
        return Shown(record.get_size_display() if record.size else "")
    return Shown(str(getattr(record, name) or ""))
