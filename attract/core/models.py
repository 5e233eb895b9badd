"""Base models every business object shares: who made it, when, and a trash instead of delete."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.db.models.functions import Lower
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


class BulkAction(models.TextChoices):
    """Every action a list can apply to its selected rows; each kind of record offers the
    ones that make sense for it (core.bulk's registry)."""

    ASSIGN_OWNER = "assign_owner", "Assign an owner"
    ADD_TAG = "add_tag", "Add a tag"
    REMOVE_TAG = "remove_tag", "Remove a tag"
    TRASH = "trash", "Move to the trash"
    MOVE_STAGE = "move_stage", "Move to a stage"
    ASSIGN = "assign", "Assign to someone"
    MARK_DONE = "mark_done", "Mark as done"
    MOVE_DUE = "move_due", "Move the due date"


class BulkChange(models.Model):
    """One action applied to many records at once, from a list's selection, kept so that it
    can be undone as one: `before` holds, per record id, what the action changed (the owner
    it had, whether it had the tag, whether it was in the trash, its stage or due date).
    Each record's own change is in its history as usual; this row only ties them together.
    It lives in core (table kept from people, where it began) so that every app's list can
    use it without importing another app."""

    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    record_type = models.CharField(max_length=40)  # "people.person", "pipeline.deal"...
    action = models.CharField(max_length=20, choices=BulkAction.choices)
    argument = models.CharField(max_length=200, blank=True)  # the tag, owner id, stage, days
    record_ids = models.JSONField()
    before = models.JSONField(default=dict)
    created_at = models.DateTimeField(auto_now_add=True)
    undone_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        db_table = "people_bulkchange"
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(action__in=[a.value for a in BulkAction]),
                name="bulk_change_action_valid",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_action_display()} on {len(self.record_ids)} {self.record_type}"


class SavedList(models.TextChoices):
    """The lists whose filters and sort can be saved under a name."""

    PEOPLE = "people", "People"
    COMPANIES = "companies", "Companies"
    DEALS = "deals", "Open deals"
    CLOSED_DEALS = "closed_deals", "Closed deals"


class SavedView(models.Model):
    """A named set of a list's filters and sort (its query string), private to its user:
    picked from the list's Views menu, it opens the list as it was saved."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="saved_views"
    )
    list_name = models.CharField(max_length=20, choices=SavedList.choices)
    name = models.CharField(max_length=80)
    query = models.CharField(max_length=1000, blank=True)  # "stage=interest&sort=-revenue"
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["list_name", "name", "id"]
        constraints = [
            models.UniqueConstraint(
                "user", "list_name", Lower("name"), name="saved_view_name_unique"
            ),
            models.CheckConstraint(
                condition=models.Q(list_name__in=SavedList.values), name="saved_view_list_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.get_list_name_display()})"
