"""A person's own dates: a birthday, a date they asked us to remember. Shown on Today and in
the calendar feed in good time, with customer-since anniversaries."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from attract.core.models import TrackedModel


class PersonDate(TrackedModel):
    person = models.ForeignKey("people.Person", on_delete=models.CASCADE, related_name="+")
    label = models.CharField(max_length=100, help_text="Birthday, the day they opened the shop…")
    month = models.PositiveSmallIntegerField()
    day = models.PositiveSmallIntegerField()
    year = models.PositiveSmallIntegerField(null=True, blank=True)
    note = models.CharField(max_length=300, blank=True)

    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        ordering = ["month", "day", "id"]
        indexes = [models.Index(fields=["month", "day"], name="persondate_day_idx")]
        constraints = [
            models.CheckConstraint(
                condition=Q(month__gte=1, month__lte=12, day__gte=1, day__lte=31),
                name="persondate_real_day",
            )
        ]

    def __str__(self) -> str:
        return self.label
