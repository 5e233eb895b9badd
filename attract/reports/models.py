"""What a user pinned to their Reports dashboard, and the monthly forecast snapshots that
Forecasts, checked reads (written by a nightly job, reports/forecast_snapshots.py). The other
reports store nothing: they are counted from the deals, moves and interactions on each visit."""

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


class ForecastMonth(models.Model):
    """The forecast as it stood at the start of a month (Forecasts, checked): the chances known
    then, frozen when the snapshot is first written (configured: the stage settings then;
    learned: the won and reached counts of the deals closed before), and when the deals open
    then were last counted into its cells."""

    month = models.DateField(unique=True)  # its first day
    # {stage: [configured percent, won, reached]}, as known at the month's start.
    chances = models.JSONField()
    made_at = models.DateTimeField()
    counted_at = models.DateTimeField()

    class Meta:
        ordering = ["month"]

    def __str__(self) -> str:
        return f"Forecast at the start of {self.month:%b %Y}"


class ForecastCell(models.Model):
    """The deals open at the start of a month, counted by what readers filter and what the
    check needs: owner and privacy (who may see them), their stage then and their outcome
    now, with their revenue now. Recounted every night (reports/forecast_snapshots.py)."""

    snapshot = models.ForeignKey(ForecastMonth, on_delete=models.CASCADE, related_name="cells")
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    is_private = models.BooleanField(default=False)
    stage = models.CharField(max_length=12, blank=True)  # blank: still open, or no move before
    outcome = models.CharField(max_length=16)
    deals = models.PositiveIntegerField()
    revenue = models.DecimalField(max_digits=18, decimal_places=2)

    class Meta:
        indexes = [models.Index(fields=["snapshot", "owner"], name="forecastcell_owner_idx")]

    def __str__(self) -> str:
        return f"{self.snapshot_id}: {self.stage or '—'} {self.outcome} × {self.deals}"
