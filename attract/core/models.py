"""Base models every business object shares: who made it, when, and a trash instead of delete."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.utils import timezone


class TrackedModel(models.Model):
    """Records who created and last changed a row, and when."""

    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(auto_now=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )
    # Raised by every edit, so that an edit made on an older version is refused instead of
    # overwriting the change made since (see core.versions). The database default starts
    # rows written by bulk and raw inserts (imports, the benchmark) at 1 too.
    version = models.PositiveIntegerField(default=1, db_default=1, editable=False)

    class Meta:
        abstract = True


class AliveManager(models.Manager):
    """The default manager: rows not in the trash."""

    def get_queryset(self) -> models.QuerySet:
        return super().get_queryset().filter(deleted_at__isnull=True)


def trash_index(name: str) -> models.Index:
    """The index the trash page reads: only rows in the trash, so it stays tiny."""
    return models.Index(
        fields=["-deleted_at"], condition=models.Q(deleted_at__isnull=False), name=name
    )


class TrashableModel(TrackedModel):
    """A row that is moved to the trash rather than deleted, so it can be restored.

    `objects` hides trashed rows; `all_objects` sees them (the trash page and restore use it).
    Foreign keys still reach a trashed row, because Django follows them with the base manager.
    """

    # Not indexed here: a plain index on a column that is NULL for nearly every row leads
    # SQLite's planner to scan it instead of the list's sort index. Each concrete model adds
    # a partial index on the trashed rows (see `trash_index`).
    deleted_at = models.DateTimeField(null=True, blank=True, editable=False)
    deleted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )

    objects = AliveManager()
    all_objects = models.Manager()

    class Meta:
        abstract = True
        base_manager_name = "all_objects"

    @property
    def in_trash(self) -> bool:
        return self.deleted_at is not None


def blank_for_null(model: type[models.Model], name: str, value: Any) -> Any:
    """`None` for a text field stored without NULL means "empty" (an API client clearing an
    optional field with `null`); a required text field then says it cannot be blank. Other
    values pass unchanged."""
    if value is None:
        field = model._meta.get_field(name)
        if isinstance(field, models.CharField | models.TextField) and not field.null:
            return ""
    return value
