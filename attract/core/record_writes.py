"""The two steps every service's create and update share: apply the named fields (refusing
names the service does not offer) and save with who did it and why, for the history."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError

from attract.core.models import blank_for_null


def fields_apply(record: Any, fields: dict[str, Any], allowed: tuple[str, ...]) -> None:
    """Set only the fields the caller named (a PATCH writes nothing else), trimmed, with an
    API's null for a text field read as empty."""
    unknown = set(fields) - set(allowed)
    if unknown:
        raise ValidationError(f"Unknown field(s): {', '.join(sorted(unknown))}.")
    for name, value in fields.items():
        value = blank_for_null(type(record), name, value)
        if isinstance(value, str):
            value = value.strip()
        setattr(record, name, value)


def record_save(record: Any, actor: Any, *, creating: bool, reason: str | None = None) -> None:
    """Validate and save, recording the actor and the reason in the record's history."""
    record._history_user = actor
    record._change_reason = reason
    if creating:
        record.created_by = actor
    record.updated_by = actor
    record.full_clean(validate_constraints=False)
    record.save()
