"""Merging two records that describe the same person (or company) into one.

The preview lists every field with both values and which one wins: by default the kept
record's value, unless it is empty and the duplicate has one. The merge applies the chosen
values to the kept record, moves everything that hangs on the duplicate (email addresses,
phone numbers, tags, a company's persons, and rows of later apps such as deals) over to it,
and moves the duplicate to the trash with `merged_into` pointing at the kept record, all in
one transaction and recorded in both records' history.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any, Literal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, models, transaction
from django.db.models import Case, QuerySet, Value, When
from django.utils import formats

from attract.accounts.models import User
from attract.core.permissions import can_change_record, can_write, visible_to
from attract.core.search_text import search_key
from attract.people import services
from attract.people.models import Company, EmailAddress, Person, PhoneNumber

Side = Literal["keep", "discard"]
SIDES: tuple[Side, ...] = ("keep", "discard")

# The fields a person chooses between, in the order the preview shows them.
PERSON_MERGE_FIELDS = (
    "first_name",
    "last_name",
    "job_title",
    "company",
    "notes",
    "owner",
    "is_private",
)
COMPANY_MERGE_FIELDS = (
    "name",
    "website",
    "industry",
    "size",
    "relationship",
    "customer_since",
    "street",
    "city",
    "postal_code",
    "country",
    "notes",
    "owner",
    "is_private",
)
# Relations the merge moves itself (with their own rules); every other row that points at
# the duplicate is simply repointed at the kept record.
HANDLED_RELATIONS = {EmailAddress, PhoneNumber}
LABELS = {"is_private": "Private", "customer_since": "Customer since"}
CANDIDATE_LIMIT = 20


@dataclass(frozen=True)
class FieldChoice:
    name: str
    label: str
    keep_display: str
    discard_display: str
    differs: bool
    winner: Side


@dataclass(frozen=True)
class MergePreview:
    keep: Person | Company
    discard: Person | Company
    fields: tuple[FieldChoice, ...]
    emails_moving: tuple[str, ...] = ()
    phones_moving: tuple[str, ...] = ()
    tags_after: tuple[str, ...] = ()
    tags_moving: tuple[str, ...] = ()
    persons_moving: int = 0

    @property
    def differing(self) -> tuple[FieldChoice, ...]:
        return tuple(f for f in self.fields if f.differs)

    @property
    def defaults(self) -> dict[str, Side]:
        return {f.name: f.winner for f in self.fields}


# --- Checks ---------------------------------------------------------------------------------


def _check_pair(actor: User, keep: Any, discard: Any, model: type[Person] | type[Company]) -> None:
    if not (isinstance(keep, model) and isinstance(discard, model)):
        raise ValidationError("Only two persons or two companies can be merged.")
    if not can_write(actor):
        raise PermissionDenied("Your role can read but not change records.")
    if not (can_change_record(actor, keep) and can_change_record(actor, discard)):
        raise PermissionDenied("You may only merge records you may change.")
    if keep.pk == discard.pk:
        raise ValidationError("A record cannot be merged with itself.")
    if keep.in_trash or discard.in_trash:
        raise ValidationError("Restore the record from the trash before merging it.")


def _check_choices(choices: dict[str, str], fields: tuple[str, ...]) -> None:
    unknown = set(choices) - set(fields)
    if unknown:
        raise ValidationError(f"Unknown field(s) to merge: {', '.join(sorted(unknown))}.")
    bad = {name for name, side in choices.items() if side not in SIDES}
    if bad:
        raise ValidationError(
            {name: "Choose the value of the kept record or of the duplicate." for name in bad}
        )


# --- Finding the duplicate -----------------------------------------------------------------


def merge_candidates(*, user: User, record: Person | Company, search: str = "") -> QuerySet:
    """Records the user could merge into `record`: those with the same name first, then those
    whose name matches the search. Without a search, only the same name is offered."""
    model = type(record)
    qs = visible_to(model.objects.exclude(pk=record.pk), user)
    terms = search_key(search).split()[:5]
    if terms:
        for term in terms:
            qs = qs.filter(search_name__contains=term)
    else:
        qs = qs.filter(search_name=record.search_name)
    same_name = Case(When(search_name=record.search_name, then=Value(0)), default=Value(1))
    if model is Person:
        qs = qs.select_related("company", "owner").prefetch_related("emails")
    else:
        qs = qs.select_related("owner")
    return qs.annotate(same_name=same_name).order_by("same_name", "search_name", "id")[
        :CANDIDATE_LIMIT
    ]


# --- Preview --------------------------------------------------------------------------------


def _is_empty(value: Any) -> bool:
    return value is None or value == ""


def _display(record: models.Model, name: str) -> str:
    field = record._meta.get_field(name)
    value = getattr(record, name)
    if _is_empty(value):
        return ""
    if isinstance(field, models.BooleanField):
        return "Yes" if value else "No"
    if field.choices:
        return str(getattr(record, f"get_{name}_display")())
    if isinstance(value, date):
        return formats.date_format(value, "DATE_FORMAT")
    return str(value)


def _comparable(record: models.Model, name: str) -> Any:
    return getattr(record, record._meta.get_field(name).attname)


def _field_choices(keep: models.Model, discard: models.Model, names: tuple[str, ...]):
    for name in names:
        keep_value = _comparable(keep, name)
        discard_value = _comparable(discard, name)
        winner: Side = (
            "discard" if _is_empty(keep_value) and not _is_empty(discard_value) else "keep"
        )
        yield FieldChoice(
            name=name,
            label=LABELS.get(name) or str(keep._meta.get_field(name).verbose_name).capitalize(),
            keep_display=_display(keep, name),
            discard_display=_display(discard, name),
            differs=keep_value != discard_value,
            winner=winner,
        )


def _tag_names(record: Person | Company) -> list[str]:
    return [t.name for t in record.tags.order_by("name")]


def _tag_union(keep: Person | Company, discard: Person | Company) -> tuple[list[str], list[str]]:
    kept = _tag_names(keep)
    known = {name.casefold() for name in kept}
    moving = [name for name in _tag_names(discard) if name.casefold() not in known]
    return kept + moving, moving


def person_merge_preview(*, actor: User, keep: Person, discard: Person) -> MergePreview:
    _check_pair(actor, keep, discard, Person)
    kept_phones = set(keep.phones.values_list("number", flat=True))
    tags_after, tags_moving = _tag_union(keep, discard)
    return MergePreview(
        keep=keep,
        discard=discard,
        fields=tuple(_field_choices(keep, discard, PERSON_MERGE_FIELDS)),
        emails_moving=tuple(
            discard.emails.order_by("-is_primary", "id").values_list("email", flat=True)
        ),
        phones_moving=tuple(
            n
            for n in discard.phones.order_by("-is_primary", "id").values_list("number", flat=True)
            if n not in kept_phones
        ),
        tags_after=tuple(tags_after),
        tags_moving=tuple(tags_moving),
    )


def company_merge_preview(*, actor: User, keep: Company, discard: Company) -> MergePreview:
    _check_pair(actor, keep, discard, Company)
    tags_after, tags_moving = _tag_union(keep, discard)
    return MergePreview(
        keep=keep,
        discard=discard,
        fields=tuple(_field_choices(keep, discard, COMPANY_MERGE_FIELDS)),
        tags_after=tuple(tags_after),
        tags_moving=tuple(tags_moving),
        persons_moving=Person.all_objects.filter(company=discard).count(),
    )


# --- Merge ----------------------------------------------------------------------------------


def _chosen_values(
    preview: MergePreview, choices: dict[str, str], names: tuple[str, ...]
) -> dict[str, Any]:
    """The duplicate's value for every field where it wins; the kept values stay as they are."""
    sides = {**preview.defaults, **choices}
    return {name: getattr(preview.discard, name) for name in names if sides[name] == "discard"}


def _save_moved(row: models.Model, actor: User, reason: str, fields: list[str]) -> None:
    row._history_user = actor
    row._change_reason = reason
    row.save(update_fields=fields)


def _move_contact_points(keep: Person, discard: Person, actor: User, reason: str) -> None:
    keep_has_email = keep.emails.exists()
    for row in EmailAddress.objects.filter(person=discard).order_by("-is_primary", "id"):
        row.person = keep
        row.is_primary = not keep_has_email
        keep_has_email = True
        _save_moved(row, actor, reason, ["person", "is_primary"])
    kept_numbers = set(keep.phones.values_list("number", flat=True))
    for row in PhoneNumber.objects.filter(person=discard).order_by("-is_primary", "id"):
        # A number both records have stays with the duplicate, in the trash.
        if row.number in kept_numbers:
            continue
        row.person = keep
        row.is_primary = not kept_numbers
        kept_numbers.add(row.number)
        _save_moved(row, actor, reason, ["person", "is_primary"])


def _repoint_related_rows(keep: models.Model, discard: models.Model, actor: User, reason: str):
    """Point every other row that refers to the duplicate (a company's persons, deals, notes of
    later apps) at the kept record, each saved so that its own history records the move."""
    for relation in discard._meta.related_objects:
        if relation.related_model in HANDLED_RELATIONS:
            continue
        if relation.one_to_many:
            field = relation.field
            rows = relation.related_model._base_manager.filter(**{field.name: discard})
            for row in rows:
                setattr(row, field.name, keep)
                fields = [field.name]
                if hasattr(row, "updated_by_id"):
                    row.updated_by = actor
                    fields += ["updated_by", "updated_at"]
                _save_moved(row, actor, reason, fields)
        elif relation.many_to_many and relation.through._meta.auto_created:
            # From the owning side: a relation declared with related_name="+" (an idea's
            # inspiring persons) has no accessor on this side to move it through.
            field = relation.field
            owners = relation.related_model._base_manager.filter(**{field.name: discard})
            for owner in owners:
                linked = getattr(owner, field.name)
                linked.add(keep)
                linked.remove(discard)


def _merge(
    *,
    actor: User,
    preview: MergePreview,
    choices: dict[str, str],
    names: tuple[str, ...],
    update,
    move_more,
) -> None:
    keep, discard = preview.keep, preview.discard
    _check_choices(choices, names)
    reason = f"Merged with #{discard.pk}"
    values = _chosen_values(preview, choices, names)
    # Both instances go back to their stored state if anything fails, like every service.
    with services.reload_on_failure(keep), services.reload_on_failure(discard):
        try:
            with transaction.atomic():
                update(tags=list(preview.tags_after), reason=reason, **values)
                move_more(keep, discard, actor, reason)
                _repoint_related_rows(keep, discard, actor, reason)
                discard.merged_into = keep
                services.move_to_trash(discard, actor, reason=f"Merged into #{keep.pk}")
        except IntegrityError as exc:
            raise ValidationError(f"These records could not be merged: {exc}") from exc
    keep.refresh_from_db()


def person_merge(
    *, actor: User, keep: Person, discard: Person, choices: dict[str, Side] | None = None
) -> Person:
    """Merge the duplicate `discard` into `keep`; return `keep` with the merged values."""
    preview = person_merge_preview(actor=actor, keep=keep, discard=discard)
    _merge(
        actor=actor,
        preview=preview,
        choices=dict(choices or {}),
        names=PERSON_MERGE_FIELDS,
        update=lambda **fields: services.person_update(actor=actor, person=keep, **fields),
        move_more=_move_contact_points,
    )
    return keep


def company_merge(
    *, actor: User, keep: Company, discard: Company, choices: dict[str, Side] | None = None
) -> Company:
    """Merge the duplicate `discard` into `keep`, its persons included; return `keep`."""
    preview = company_merge_preview(actor=actor, keep=keep, discard=discard)
    _merge(
        actor=actor,
        preview=preview,
        choices=dict(choices or {}),
        names=COMPANY_MERGE_FIELDS,
        update=lambda **fields: services.company_update(actor=actor, company=keep, **fields),
        # A company's persons are rows pointing at it: the generic repointing moves them.
        move_more=lambda *args: None,
    )
    return keep
