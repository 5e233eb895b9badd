"""Every edit is made against the version the user saw.

Each record people edit carries a `version` (see TrackedModel) that every write raises by one.
An edit names the version it was made on (a form's hidden field, the API's `version`); the
write reloads the row, locked until its transaction ends, and when someone else's change
landed in between it is refused with `VersionConflict` instead of being written over it.

The lock is what makes the check hold with simultaneous writers: PostgreSQL locks the row
(SELECT … FOR UPDATE), and SQLite runs every transaction as BEGIN IMMEDIATE (settings.py), so
the second writer waits for the first one's commit and then reads its version.

An edit that names no version (an API client that does not send one, an import) is written
on the row as it is now: only the fields it names change, so it cannot undo a change to any
other field, but it is a blind write of the fields it names.
"""

from __future__ import annotations

from typing import Any

from django.db import models, transaction

from attract.core.history import FieldChange, changes_since_version


class VersionConflict(Exception):
    """The record changed since the caller read it: nothing was written."""

    def __init__(self, *, record: models.Model, expected: int) -> None:
        self.record = record
        self.expected = expected
        self.current: int = record.version  # type: ignore[attr-defined]
        super().__init__(
            f"Someone else changed “{record}” while you were looking at it (you saw version "
            f"{expected}, it is now version {self.current}). Nothing was changed: reload to "
            "see their change, then try again."
        )

    def changes(self) -> tuple[FieldChange, ...]:
        """What changed since the version the caller saw, from the record's history: read
        only when a conflict is shown, so the write itself never pays for it."""
        return changes_since_version(self.record, self.expected)

    def as_api_body(self) -> dict[str, Any]:
        return {
            "code": "version_conflict",
            "detail": str(self),
            "current_version": self.current,
            "changes": [
                {"field": c.field, "label": c.label, "seen": c.old, "now": c.new}
                for c in self.changes()
            ],
        }


def lock_for_edit(record: models.Model, expected_version: int | None) -> None:
    """Reload `record` from the database, locked until the transaction ends, and refuse the
    edit when its version is not the one the caller saw. Call it inside transaction.atomic,
    before applying the edit's fields to the record."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("lock_for_edit must run inside transaction.atomic().")
    manager = type(record)._base_manager
    record.refresh_from_db(from_queryset=manager.select_for_update())
    if expected_version is not None and record.version != expected_version:  # type: ignore[attr-defined]
        raise VersionConflict(record=record, expected=expected_version)


def next_version(record: models.Model) -> None:
    """Raise the version before a save, so that every edit made on the old one is refused."""
    record.version += 1  # type: ignore[attr-defined]
