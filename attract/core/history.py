"""Change history read from django-simple-history: who changed what, when, old → new.

A record's own history rows are diffed pairwise with `diff_against`. Rows that belong to the
record (a person's email addresses and phone numbers) have their own history tables; those
are read too and shown as changes of the record. Saves that one person makes within a few
seconds (a form save touches the record, its tags and its emails in one request) read as one
entry rather than as the several rows simple-history writes for them.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from django.db.models import ForeignKey, Model
from django.utils import formats
from django.utils.text import capfirst

# Rows written by one save (the record, then its tags, then its emails) land within
# milliseconds; a few seconds keeps them together without merging two separate edits.
SAME_SAVE_WINDOW = timedelta(seconds=3)


@dataclass(frozen=True)
class FieldChange:
    label: str
    old: str
    new: str
    field: str = ""  # the field's name, for API clients; the label is for people


@dataclass(frozen=True)
class HistoryEntry:
    when: datetime
    who: str  # the user's display name; empty when a change was made without a user
    action: str  # "Created", "Changed", "Deleted", or the change reason ("Moved to the trash")
    changes: tuple[FieldChange, ...]


@dataclass(frozen=True)
class RelatedHistory:
    """Rows owned by the record whose additions and removals read as changes of the record."""

    model: type[Model]  # the tracked model, e.g. EmailAddress
    fk_name: str  # its foreign key to the record, e.g. "person"
    value_field: str  # the field that names a row, e.g. "email"
    label: str  # how a change is labelled, e.g. "Email"
    display: Callable[[Any], str] = str


@dataclass
class _Group:
    user_id: int | None
    who: str
    first: datetime
    last: datetime
    records: list[Any] = field(default_factory=list)  # the record's own history rows
    related: list[FieldChange] = field(default_factory=list)


def _who(history_row: Any) -> str:
    user = history_row.history_user
    if user is None:
        return ""
    return getattr(user, "display_name", None) or str(user)


def _label(model_field: Any) -> str:
    name = str(model_field.verbose_name)
    if name.startswith("is "):
        name = name[3:]
    return capfirst(name)


def _display(model_field: Any, value: Any, objects: dict[tuple[type, Any], Model]) -> str:
    if value is None or value == "":
        return ""
    if isinstance(model_field, ForeignKey):
        related = objects.get((model_field.related_model, value))
        return str(related) if related is not None else "(deleted)"
    if model_field.choices:
        return str(dict(model_field.flatchoices).get(value, value))
    if isinstance(value, bool):
        return "Yes" if value else "No"
    return str(formats.localize(value))


def _m2m_names(history_model: Any, m2m_fields: Sequence[Any], rows: list[Any]) -> dict:
    """{(field name, history id): sorted names} for every fetched history row, one query a field."""
    names: dict[tuple[str, int], list[str]] = {}
    ids = [row.history_id for row in rows]
    for m2m_field in m2m_fields:
        target = m2m_field.m2m_reverse_field_name()
        through = getattr(history_model, m2m_field.name).model
        for link in through.objects.filter(history_id__in=ids).select_related(target):
            related = getattr(link, target, None)
            label = str(related) if related is not None else "(deleted)"
            names.setdefault((m2m_field.name, link.history_id), []).append(label)
    for values in names.values():
        values.sort(key=str.casefold)
    return names


def _own_changes(new: Any, old: Any, m2m_fields: Sequence[Any], m2m_names: dict) -> list:
    """Raw field changes (model field, old, new, still holding ids) plus finished m2m changes."""
    # The version is bookkeeping for concurrent edits (core.versions), not a change to tell.
    excluded = [f.name for f in m2m_fields] + ["version"]
    delta = new.diff_against(old, excluded_fields=excluded)
    changes: list[tuple[Any, Any, Any] | FieldChange] = [
        (new._meta.get_field(c.field), c.old, c.new) for c in delta.changes
    ]
    for m2m_field in m2m_fields:
        before = m2m_names.get((m2m_field.name, old.history_id), [])
        after = m2m_names.get((m2m_field.name, new.history_id), [])
        if before != after:
            changes.append(
                FieldChange(_label(m2m_field), ", ".join(before), ", ".join(after), m2m_field.name)
            )
    return changes


def _related_events(record: Model, related: Iterable[RelatedHistory], limit: int) -> list[tuple]:
    events = []
    for spec in related:
        rows = (
            spec.model.history.filter(**{f"{spec.fk_name}_id": record.pk})
            .exclude(history_type="~")  # primary-flag updates; the address itself is unchanged
            .select_related("history_user")
            .order_by("-history_date", "-history_id")[:limit]
        )
        for row in rows:
            value = spec.display(getattr(row, spec.value_field))
            change = (
                FieldChange(spec.label, "", value)
                if row.history_type == "+"
                else FieldChange(spec.label, value, "")
            )
            events.append((row.history_date, 1, row, change))
    return events


def history_entries(
    record: Model, *, limit: int = 50, related: Iterable[RelatedHistory] = ()
) -> list[HistoryEntry]:
    """The record's change history, newest first, at most `limit` entries."""
    history_model = record.history.model
    m2m_fields = list(getattr(history_model, "_history_m2m_fields", []))
    newest_first = list(
        record.history.select_related("history_user").order_by("-history_date", "-history_id")[
            : limit + 1
        ]
    )
    own = list(reversed(newest_first))
    # The oldest row fetched beyond the limit only serves as the base of the next diff.
    base_only = own[0] if len(own) > limit and own[0].history_type != "+" else None

    events = [(row.history_date, 0, row, None) for row in own if row is not base_only]
    events += _related_events(record, related, limit)
    events.sort(key=lambda e: (e[0], e[1]))

    groups: list[_Group] = []
    for when, _kind, row, change in events:
        group = groups[-1] if groups else None
        if (
            group is None
            or group.user_id != row.history_user_id
            or when - group.last > SAME_SAVE_WINDOW
        ):
            group = _Group(row.history_user_id, _who(row), when, when)
            groups.append(group)
        group.last = when
        if change is None:
            group.records.append(row)
        else:
            group.related.append(change)

    m2m_names = _m2m_names(history_model, m2m_fields, own)
    entries = [_entry(group, own, m2m_fields, m2m_names) for group in groups]
    objects = _related_objects(entries)
    finished = [e for e in (_finish(entry, objects) for entry in entries) if e is not None]
    return list(reversed(finished))[:limit]


def _entry(
    group: _Group, own: list[Any], m2m_fields: Sequence[Any], m2m_names: dict
) -> dict[str, Any]:
    action, raw = "Changed", []
    if group.records:
        first, last = group.records[0], group.records[-1]
        index = own.index(first)
        before = own[index - 1] if index > 0 else None
        if first.history_type == "+":
            action = "Created"
            raw = _own_changes(last, first, m2m_fields, m2m_names) if last is not first else []
        elif first.history_type == "-":
            action = "Deleted"
        else:
            action = first.history_change_reason or "Changed"
            raw = _own_changes(last, before, m2m_fields, m2m_names) if before is not None else []
    return {"group": group, "action": action, "raw": raw + group.related}


def _related_objects(entries: list[dict[str, Any]]) -> dict[tuple[type, Any], Model]:
    """Fetch every record a changed foreign key points at, one query per model."""
    wanted: dict[type, set] = {}
    for entry in entries:
        for item in entry["raw"]:
            if isinstance(item, tuple) and isinstance(item[0], ForeignKey):
                ids = wanted.setdefault(item[0].related_model, set())
                ids.update(v for v in item[1:] if v is not None)
    objects: dict[tuple[type, Any], Model] = {}
    for model, ids in wanted.items():
        for pk, obj in model._base_manager.in_bulk(list(ids)).items():
            objects[(model, pk)] = obj
    return objects


def _finish(entry: dict[str, Any], objects: dict) -> HistoryEntry | None:
    changes = []
    for item in entry["raw"]:
        if isinstance(item, FieldChange):
            changes.append(item)
        else:
            model_field, old, new = item
            changes.append(
                FieldChange(
                    _label(model_field),
                    _display(model_field, old, objects),
                    _display(model_field, new, objects),
                    model_field.name,
                )
            )
    if entry["action"] == "Changed" and not changes:
        return None  # a save that changed nothing worth telling
    group = entry["group"]
    return HistoryEntry(
        when=group.last, who=group.who, action=entry["action"], changes=tuple(changes)
    )


def changes_since_version(record: Model, version: int) -> tuple[FieldChange, ...]:
    """What changed in `record` between its stored `version` and now: shown when an edit made
    on that version is refused (see core.versions). Empty when that version is not in the
    history (history trimmed, or a change only to rows the record owns, like its emails)."""
    history_model = record.history.model
    m2m_fields = list(getattr(history_model, "_history_m2m_fields", []))
    newest_first = record.history.order_by("-history_date", "-history_id")
    newest = newest_first.first()
    seen = newest_first.filter(version=version).first()
    if newest is None or seen is None or newest.pk == seen.pk:
        return ()
    m2m_names = _m2m_names(history_model, m2m_fields, [seen, newest])
    raw = _own_changes(newest, seen, m2m_fields, m2m_names)
    group = _Group(None, "", newest.history_date, newest.history_date)
    entry = {"group": group, "action": "Changed", "raw": raw}
    finished = _finish(entry, _related_objects([entry]))
    return finished.changes if finished is not None else ()
