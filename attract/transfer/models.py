"""An import as a row written in the request and processed in committed batches (an outbox),
with one row per line of the file saying what became of it, so it can be resumed, undone or
rolled back without duplicates."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone


class ImportStatus(models.TextChoices):
    DRAFT = "draft", "Being set up"
    QUEUED = "queued", "Waiting to run"
    RUNNING = "running", "Running"
    DONE = "done", "Done"
    FAILED = "failed", "Failed"
    UNDOING = "undoing", "Being undone"
    UNDONE = "undone", "Undone"


class OnDuplicate(models.TextChoices):
    UPDATE = "update", "Update the existing record"
    SKIP = "skip", "Skip the row"
    CREATE = "create", "Create a new record anyway"


class RowOutcome(models.TextChoices):
    CREATED = "created", "Created"
    UPDATED = "updated", "Updated"
    SKIPPED = "skipped", "Skipped"
    REJECTED = "rejected", "Rejected"


class ImportJob(models.Model):
    kind = models.CharField(max_length=20)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    file_name = models.CharField(max_length=255)
    # Where the uploaded file waits under VAR_DIR/imports until processed.
    stored_path = models.CharField(max_length=500)
    encoding = models.CharField(max_length=30, blank=True)
    delimiter = models.CharField(max_length=2, blank=True)
    headers = models.JSONField(default=list)
    mapping = models.JSONField(default=dict, blank=True)
    stage_mapping = models.JSONField(default=dict, blank=True)
    day_first = models.BooleanField(default=False)
    # The region a phone number without country code is read in, when the row has no
    # country column (blank: the installation's ATTRACT_PHONE_REGION).
    phone_region = models.CharField(max_length=2, blank=True)
    # A value that cannot be read (a phone number, an address) is kept as written on the
    # person, marked; False drops it. Either way the report lists it, and the person stays.
    keep_unreadable = models.BooleanField(default=True)
    # An owner named in the file → the team member (id, as text) or "me" the user chose.
    owner_mapping = models.JSONField(default=dict, blank=True)
    # The other CRM's users, from its users file (Salesforce's User.csv): their id → [name,
    # email], so that an "OwnerId" column names a person rather than an id.
    owner_users = models.JSONField(default=dict, blank=True)
    on_duplicate = models.CharField(
        max_length=10, choices=OnDuplicate.choices, default=OnDuplicate.SKIP
    )
    # Line number (as text, JSON keys) → update/skip/create for rows the user decided alone.
    overrides = models.JSONField(default=dict, blank=True)
    status = models.CharField(max_length=10, choices=ImportStatus.choices, default="draft")
    # The last line committed: a resumed import starts after it.
    processed_line = models.PositiveIntegerField(default=0)
    total_rows = models.PositiveIntegerField(default=0)
    created_count = models.PositiveIntegerField(default=0)
    updated_count = models.PositiveIntegerField(default=0)
    skipped_count = models.PositiveIntegerField(default=0)
    rejected_count = models.PositiveIntegerField(default=0)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    error = models.TextField(blank=True)
    # Set when the import is put on the background queue: the user's queued imports run in
    # this order, one at a time (an import run inline by the CLI has none).
    queued_at = models.DateTimeField(null=True, blank=True)
    # The queue's task that holds this import's turn now ("" when none): another task of the
    # same user waits while it is running, and takes over when that task is gone.
    runner = models.CharField(max_length=64, blank=True)
    # The last background task queued for it (to run it, or to undo it), for the API to name.
    task_id = models.UUIDField(null=True, blank=True)
    # What the report says of the file besides its rows: a vCard that could not be read
    # (with its position), one cut off.
    warnings = models.JSONField(default=list, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["status", "created_at"], name="import_status_idx"),
            models.Index(fields=["created_by", "status", "queued_at"], name="import_turn_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(kind__in=["persons", "companies", "deals"]),
                name="import_kind_valid",
            ),
            models.CheckConstraint(
                condition=models.Q(status__in=ImportStatus.values), name="import_status_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"Import of {self.file_name}"

    @property
    def done_rows(self) -> int:
        return self.created_count + self.updated_count + self.skipped_count + self.rejected_count

    @property
    def percent(self) -> int:
        if not self.total_rows:
            return 100 if self.status == ImportStatus.DONE else 0
        return min(100, round(self.done_rows * 100 / self.total_rows))


class ImportRow(models.Model):
    job = models.ForeignKey(ImportJob, on_delete=models.CASCADE, related_name="rows")
    line = models.PositiveIntegerField()
    outcome = models.CharField(max_length=10, choices=RowOutcome.choices)
    reason = models.TextField(blank=True)
    # What became of a value of a row that was imported (kept as written, dropped), one a line.
    notes = models.TextField(blank=True)
    cells = models.JSONField(default=list)
    # Values an update replaced, so that undoing the import puts them back.
    before = models.JSONField(default=dict, blank=True)
    person = models.ForeignKey(
        "people.Person", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    company = models.ForeignKey(
        "people.Company", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    deal = models.ForeignKey(
        "pipeline.Deal", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["line"]
        constraints = [
            # A resumed batch can never record a line twice.
            models.UniqueConstraint(fields=["job", "line"], name="import_row_once"),
        ]

    def __str__(self) -> str:
        return f"Line {self.line}: {self.outcome}"


class SavedMapping(models.Model):
    """The mapping last used for a set of headers, offered again for the next such file."""

    kind = models.CharField(max_length=20)
    header_key = models.CharField(max_length=64)
    mapping = models.JSONField(default=dict)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["kind", "header_key"], name="saved_mapping_once")
        ]

    def __str__(self) -> str:
        return f"Mapping for {self.kind}"


class TransferSettings(models.Model):
    """The installation's one row of import settings, which the owner sets."""

    # Days an uploaded file is kept after its import was uploaded; then it is removed (the
    # import's records, report and undo stay).
    upload_retention_days = models.PositiveSmallIntegerField(default=30)

    class Meta:
        verbose_name_plural = "transfer settings"
        constraints = [
            models.CheckConstraint(
                condition=models.Q(upload_retention_days__gte=1, upload_retention_days__lte=3650),
                name="upload_retention_days_range",
            )
        ]

    def __str__(self) -> str:
        return f"Uploads kept {self.upload_retention_days} days"

    @classmethod
    def current(cls) -> TransferSettings:
        return cls.objects.filter(pk=1).first() or cls(pk=1)
