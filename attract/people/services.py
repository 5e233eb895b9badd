"""Every write to companies and persons: validation, normalisation, history, trash.

Each public function either does all of its work or none of it: input is validated before the
first write, writes run in one transaction, and when a call fails the instance the caller holds
is reloaded so that it does not keep the rejected values.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from datetime import date
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, models, transaction
from django.db.models.functions import Lower
from django.utils import timezone

from attract.accounts.models import User
from attract.core.email_addresses import normalise_email
from attract.core.permissions import can_change_record, can_view_record, can_write
from attract.core.phone_numbers import normalise_phone
from attract.core.record_writes import fields_apply
from attract.core.search_text import search_key
from attract.core.versions import lock_for_edit, next_version
from attract.jobs.outbox import announce
from attract.people.models import (
    Company,
    EmailAddress,
    Person,
    PhoneNumber,
    Relationship,
    UnreadableValue,
)

# tags_from_names is also reached as services.tags_from_names by the forms and the API.
from attract.people.tags import clean_tag_names, tags_from_names

COMPANY_FIELDS = (
    "name",
    "website",
    "industry",
    "size",
    "street",
    "city",
    "postal_code",
    "country",
    "relationship",
    "customer_since",
    "notes",
    "source_id",
    "owner",
    "is_private",
)
PERSON_FIELDS = (
    "first_name",
    "last_name",
    "job_title",
    "company",
    "notes",
    "owner",
    "is_private",
    "source_id",
    "do_not_email",
)


def _require_write(actor: User) -> None:
    if not can_write(actor):
        raise PermissionDenied("Your role can read but not change records.")


def _require_change(actor: User, record: Company | Person) -> None:
    if not can_write(actor):
        raise PermissionDenied("Your role can read but not change records.")
    if not can_change_record(actor, record):
        raise PermissionDenied("You may not change this record.")


def _require_alive(record: Company | Person) -> None:
    if record.in_trash:
        raise ValidationError("This record is in the trash; restore it before changing it.")


@contextmanager
def reload_on_failure(record: models.Model) -> Iterator[None]:
    """Give the caller back the stored state when a call fails, not the rejected input."""
    try:
        yield
    except Exception:
        if record.pk:
            record.refresh_from_db()
        raise


@contextmanager
def _concurrent_writes_as_validation_error() -> Iterator[None]:
    """Turn a constraint the database caught, after our own checks passed, into a clear error.

    Our checks run before the write; if another request saved the same email in between, the
    unique constraint stops the duplicate. The transaction has rolled back, so nothing is saved.
    """
    try:
        yield
    except IntegrityError as exc:
        raise ValidationError(
            {
                "emails": "Someone saved one of these email addresses at the same moment; "
                "nothing was saved. Check the addresses and try again."
            }
            if "email" in str(exc).lower()
            else "Someone changed the same records at the same moment; nothing was saved. "
            "Try again."
        ) from exc


def _collect(errors: dict[str, list], check: Callable[[], Any]) -> Any:
    """Run one check, adding its ValidationError to `errors` so that every problem with the
    input is reported at once, each at its field."""
    try:
        return check()
    except ValidationError as exc:
        exc.update_error_dict(errors)
        return None


# --- Shared steps ---------------------------------------------------------------------------


def _full_clean(record: Company | Person) -> None:
    # Our own checks below give the readable messages for the model's constraints, and the
    # database still enforces them; full_clean covers types, lengths and choices.
    record.full_clean(exclude=["tags"], validate_constraints=False)


def _save(record: Company | Person, actor: User, *, creating: bool, reason: str | None) -> None:
    record._history_user = actor
    # Always set, so that a reason left on this instance by an earlier trash or merge does not
    # label this change (tag changes saved after it read the same attribute).
    record._change_reason = reason
    if creating:
        record.created_by = actor
    record.updated_by = actor
    record.save()


def _set_tags(record: Company | Person, actor: User, names: list[str]) -> None:
    record._history_user = actor
    record.tags.set(tags_from_names(names))


# --- Companies ------------------------------------------------------------------------------


def _check_company_rules(company: Company) -> None:
    since = company.customer_since
    if isinstance(since, date) and since > timezone.localdate():
        raise ValidationError({"customer_since": "“Customer since” cannot be in the future."})


def _validate_company(company: Company, tags: Iterable[str] | None) -> list[str] | None:
    company.search_name = search_key(str(company.name or ""))[:200]
    errors: dict[str, list] = {}
    _collect(errors, lambda: _full_clean(company))
    _collect(errors, lambda: _check_company_rules(company))
    tag_names = None if tags is None else _collect(errors, lambda: clean_tag_names(tags))
    if errors:
        raise ValidationError(errors)
    return tag_names


def company_create(*, actor: User, tags: Iterable[str] = (), **fields: Any) -> Company:
    _require_write(actor)
    company = Company()
    fields.setdefault("owner", actor)
    fields_apply(company, fields, COMPANY_FIELDS)
    # A company that starts as a customer started today unless we are told otherwise.
    if company.relationship == Relationship.CUSTOMER and not company.customer_since:
        company.customer_since = timezone.localdate()
    tag_names = _validate_company(company, tags)
    with transaction.atomic():
        _save(company, actor, creating=True, reason=None)
        if tag_names:
            _set_tags(company, actor, tag_names)
        announce("company.created", company, actor=actor)
    return company


def company_update(
    *,
    actor: User,
    company: Company,
    expected_version: int | None = None,
    tags: Iterable[str] | None = None,
    reason: str | None = None,
    **fields: Any,
) -> Company:
    """Change the fields named, on the company as it is now; refused with VersionConflict
    when `expected_version` is given and someone changed it since. `reason` labels the change
    in its history (a merge, an import)."""
    _require_change(actor, company)
    with reload_on_failure(company), transaction.atomic():
        lock_for_edit(company, expected_version)
        _require_change(actor, company)  # again: the owner or privacy may have changed
        _require_alive(company)
        was_customer = company.relationship == Relationship.CUSTOMER
        fields_apply(company, fields, COMPANY_FIELDS)
        if (
            company.relationship == Relationship.CUSTOMER
            and not was_customer
            and not company.customer_since
        ):
            company.customer_since = timezone.localdate()
        tag_names = _validate_company(company, tags)
        next_version(company)
        _save(company, actor, creating=False, reason=reason)
        if tag_names is not None:
            _set_tags(company, actor, tag_names)
        announce("company.updated", company, actor=actor)
    return company


# --- Persons --------------------------------------------------------------------------------


def _normalised_unique(values: Iterable[str], normalise, field: str) -> list[str]:
    if isinstance(values, str):
        values = [values]
    result: list[str] = []
    errors: list[str] = []
    for raw in values:
        if not (raw or "").strip():
            continue
        try:
            value = normalise(raw)
        except ValidationError as exc:
            errors.extend(exc.messages)
            continue
        if value not in result:
            result.append(value)
    if errors:
        raise ValidationError({field: errors})
    return result


def _check_emails_free(emails: list[str], *, person: Person | None, actor: User) -> None:
    """Refuse addresses another person holds, even one in the trash (restoring must never make
    a duplicate). The holder is named only when the actor may see them, so that a private
    record does not leak through this message."""
    taken = EmailAddress.objects.annotate(lemail=Lower("email")).filter(lemail__in=emails)
    if person is not None and person.pk:
        taken = taken.exclude(person=person)
    messages = []
    for address in taken.select_related("person").order_by("id"):
        holder = address.person
        if can_view_record(actor, holder):
            where = " (in the trash)" if holder.in_trash else ""
            messages.append(f"{address.email} already belongs to {holder.full_name}{where}.")
        else:
            messages.append(f"{address.email} already belongs to another person.")
    if messages:
        raise ValidationError({"emails": messages})


def _sync_contact_rows(
    person: Person,
    actor: User,
    model: type[EmailAddress] | type[PhoneNumber],
    values: list[str],
    labels: dict[str, str] | None = None,
) -> None:
    """Make the person's addresses (or numbers) exactly `values`, the first one primary, with
    each added, removed or re-ranked row recorded in its history."""
    attr = "email" if model is EmailAddress else "number"
    existing = {getattr(row, attr): row for row in model.objects.filter(person=person)}
    for value, row in existing.items():
        if value not in values:
            row._history_user = actor
            row.delete()
    for index, value in enumerate(values):
        primary = index == 0
        row = existing.get(value)
        if row is None:
            label = (labels or {}).get(value, "")[:30]
            row = model(person=person, is_primary=primary, label=label, **{attr: value})
        elif row.is_primary == primary:
            continue
        row.is_primary = primary
        row._history_user = actor
        row.save()


def _sync_unreadable(person: Person, actor: User, items: list[tuple[str, str, str]]) -> None:
    """Make the person's kept-as-written values exactly `items` ((kind, text, reason) each)."""
    wanted = {(kind, text[:300]): reason[:300] for kind, text, reason in items if text.strip()}
    for row in UnreadableValue.objects.filter(person=person):
        key = (row.kind, row.text)
        if key not in wanted:
            row._history_user = actor
            row.delete()
        else:
            if row.reason != wanted[key]:
                row.reason = wanted[key]
                row._history_user = actor
                row.save()
            del wanted[key]
    for (kind, text), reason in wanted.items():
        row = UnreadableValue(person=person, kind=kind, text=text, reason=reason)
        row._history_user = actor
        row.full_clean(exclude=["person"])
        row.save()


def _check_person_rules(person: Person, actor: User, *, company_changed: bool) -> None:
    if not (person.first_name or person.last_name):
        raise ValidationError({"first_name": "Give the person a first or a last name."})
    # Only a newly chosen company is checked: a person keeps their company when it is later
    # trashed or made private, and editing their phone number must not fail because of it.
    if company_changed and person.company_id:
        company = person.company
        if company.in_trash or not can_view_record(actor, company):
            raise ValidationError({"company": "Choose a company you can see."})


def _validate_person(
    person: Person,
    actor: User,
    *,
    company_changed: bool,
    emails: Iterable[str] | None,
    phones: Iterable[str] | None,
    tags: Iterable[str] | None,
) -> tuple[list[str] | None, list[str] | None, list[str] | None]:
    person.search_name = search_key(str(person.first_name or ""), str(person.last_name or ""))[:210]
    errors: dict[str, list] = {}
    _collect(errors, lambda: _full_clean(person))
    _collect(errors, lambda: _check_person_rules(person, actor, company_changed=company_changed))
    email_list = phone_list = tag_names = None
    if emails is not None:
        email_list = _collect(errors, lambda: _normalised_unique(emails, normalise_email, "emails"))
        if email_list:
            _collect(errors, lambda: _check_emails_free(email_list, person=person, actor=actor))
    if phones is not None:
        phone_list = _collect(errors, lambda: _normalised_unique(phones, normalise_phone, "phones"))
    if tags is not None:
        tag_names = _collect(errors, lambda: clean_tag_names(tags))
    if errors:
        raise ValidationError(errors)
    return email_list, phone_list, tag_names


def person_create(
    *,
    actor: User,
    emails: Iterable[str] = (),
    phones: Iterable[str] = (),
    tags: Iterable[str] = (),
    unreadable: Iterable[tuple[str, str, str]] = (),
    contact_labels: dict[str, str] | None = None,
    **fields: Any,
) -> Person:
    """`unreadable`: (kind, text, reason) of values kept as written, see UnreadableValue;
    `contact_labels`: a normalised email or number → its label ("mobile", "work")."""
    _require_write(actor)
    person = Person()
    fields.setdefault("owner", actor)
    fields_apply(person, fields, PERSON_FIELDS)
    email_list, phone_list, tag_names = _validate_person(
        person, actor, company_changed=True, emails=emails, phones=phones, tags=tags
    )
    with _concurrent_writes_as_validation_error(), transaction.atomic():
        _save(person, actor, creating=True, reason=None)
        _sync_contact_rows(person, actor, EmailAddress, email_list or [], contact_labels)
        _sync_contact_rows(person, actor, PhoneNumber, phone_list or [], contact_labels)
        if unreadable:
            _sync_unreadable(person, actor, list(unreadable))
        if tag_names:
            _set_tags(person, actor, tag_names)
        announce("person.created", person, actor=actor)
    return person


def person_update(
    *,
    actor: User,
    person: Person,
    expected_version: int | None = None,
    emails: Iterable[str] | None = None,
    phones: Iterable[str] | None = None,
    tags: Iterable[str] | None = None,
    unreadable: Iterable[tuple[str, str, str]] | None = None,
    reason: str | None = None,
    **fields: Any,
) -> Person:
    """Change the fields named, on the person as they are now; refused with VersionConflict
    when `expected_version` is given and someone changed them since. `reason` labels the
    change in its history (a merge, an import)."""
    _require_change(actor, person)
    with (
        reload_on_failure(person),
        _concurrent_writes_as_validation_error(),
        transaction.atomic(),
    ):
        lock_for_edit(person, expected_version)
        _require_change(actor, person)  # again: the owner or privacy may have changed
        _require_alive(person)
        old_company_id = person.company_id
        fields_apply(person, fields, PERSON_FIELDS)
        email_list, phone_list, tag_names = _validate_person(
            person,
            actor,
            company_changed=person.company_id != old_company_id,
            emails=emails,
            phones=phones,
            tags=tags,
        )
        next_version(person)
        _save(person, actor, creating=False, reason=reason)
        if email_list is not None:
            _sync_contact_rows(person, actor, EmailAddress, email_list)
        if phone_list is not None:
            _sync_contact_rows(person, actor, PhoneNumber, phone_list)
        if unreadable is not None:
            _sync_unreadable(person, actor, list(unreadable))
        if tag_names is not None:
            _set_tags(person, actor, tag_names)
        announce("person.updated", person, actor=actor)
    return person


# --- Trash ----------------------------------------------------------------------------------


def move_to_trash(record: Company | Person, actor: User, *, reason: str) -> None:
    """Put a record in the trash with its history entry; callers check permission first.
    `merged_into` is saved too, so that a merge trashes the duplicate in one history row."""
    record.deleted_at = timezone.now()
    record.deleted_by = actor
    record.updated_by = actor
    record._history_user = actor
    record._change_reason = reason
    next_version(record)
    record.save(
        update_fields=[
            "deleted_at",
            "deleted_by",
            "updated_by",
            "updated_at",
            "merged_into",
            "version",
        ]
    )


def _trash(record: Company | Person, actor: User) -> None:
    _require_change(actor, record)
    with transaction.atomic():
        lock_for_edit(record, None)
        if record.in_trash:
            return
        move_to_trash(record, actor, reason="Moved to the trash")
        announce(f"{record._meta.model_name}.deleted", record, actor=actor)


def _restore(record: Company | Person, actor: User) -> None:
    _require_change(actor, record)
    with transaction.atomic():
        lock_for_edit(record, None)
        if not record.in_trash:
            return
        record.deleted_at = None
        record.deleted_by = None
        record.updated_by = actor
        record._history_user = actor
        record._change_reason = "Restored from the trash"
        next_version(record)
        record.save(
            update_fields=["deleted_at", "deleted_by", "updated_by", "updated_at", "version"]
        )


def company_trash(*, actor: User, company: Company) -> None:
    """Move a company to the trash. Its persons stay, still linked, and return with it."""
    _trash(company, actor)


def company_restore(*, actor: User, company: Company) -> None:
    _restore(company, actor)


def person_trash(*, actor: User, person: Person) -> None:
    _trash(person, actor)


def person_restore(*, actor: User, person: Person) -> None:
    _restore(person, actor)
