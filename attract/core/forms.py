from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.core.exceptions import ValidationError

from attract.core.versions import VersionConflict


def apply_errors_to_form(form: forms.Form, exc: ValidationError) -> None:
    """Show a service's ValidationError on the form: at the field when it names one the form
    has, otherwise at the top of the form."""
    if hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc)


def version_field() -> forms.IntegerField:
    """The hidden field an edit form carries: the version of the record it was opened on
    (see core.versions). Left empty by an old form, it makes no claim and is not checked."""
    return forms.IntegerField(
        required=False, min_value=1, max_value=2**31 - 1, widget=forms.HiddenInput
    )


def show_version_conflict(form: forms.Form, conflict: VersionConflict) -> None:
    """Re-render an edit refused as stale: the user's input stays in the form, the changes
    made since are listed above it (`form.version_conflict`) and taken into the texts the
    user did not touch, and the hidden version moves on to the current one, so that saving
    again is a choice made having seen the change."""
    form.add_error(
        None,
        f"Someone else changed “{conflict.record}” while you were editing it; nothing was "
        "saved. Your input is kept below: check what changed, then save again.",
    )
    changes = conflict.changes()
    form.version_conflict = changes  # type: ignore[attr-defined]
    data = form.data.copy()
    data[form.add_prefix("version")] = str(conflict.current)
    for change in changes:
        # A text the user left as it was takes their change in, so that saving again keeps
        # both edits; a text the user changed too keeps the user's input.
        name = form.add_prefix(change.field)
        current = getattr(conflict.record, change.field, None)
        untouched = (data.get(name) or "").strip() == change.old.strip()
        if change.field in form.fields and isinstance(current, str) and untouched:
            data[name] = current
    form.data = data


def saved_against_version(form: forms.Form, save: Callable[[dict[str, Any]], Any]) -> bool:
    """An edit form's save: when the form is valid, `save(cleaned_data)` calls the service
    with the version the form was opened on. A stale version is shown on the form (the input
    kept, the changes named), a refusal of the service at its fields. True when it saved."""
    if not form.is_valid():
        return False
    try:
        save(form.cleaned_data)
    except VersionConflict as conflict:
        show_version_conflict(form, conflict)
    except ValidationError as exc:
        apply_errors_to_form(form, exc)
    else:
        return True
    return False


def posted_version(data: Any) -> int | None:
    """The version a small inline form (a row's Save button) posted, or None if it sent none."""
    raw = str(data.get("version", "")).strip()
    return int(raw) if raw.isdigit() and 0 < int(raw) < 2**31 else None


def conflict_messages(conflict: VersionConflict) -> list[str]:
    """A refused stale edit in words, for a row that has no form to show it on."""
    changed = [
        f"{c.label}: {c.old or '(empty)'} → {c.new or '(empty)'}" for c in conflict.changes()
    ]
    return [
        "Someone else changed this while you were editing it; nothing was saved. Your input "
        "is kept: check what changed, then save again.",
        *(["Changed since: " + "; ".join(changed)] if changed else []),
    ]
