"""What a user pinned to their Reports dashboard. The reports themselves store nothing: they
are counted from the deals, moves and interactions on each visit."""

from __future__ import annotations

from django.conf import settings
from django.db import models


class ReportPin(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="report_pins"
    )
    report = models.CharField(max_length=40)
    pinned_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["pinned_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["user", "report"], name="reportpin_user_report_unique")
        ]

    def __str__(self) -> str:
        return f"{self.report} pinned by {self.user_id}"
