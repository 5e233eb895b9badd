"""`attract forecast_snapshots`: snapshot the months not snapshotted yet and count every month's
deals again (what the nightly job does), for Forecasts, checked; run it after a bulk import of
deals to see them there at once."""

from __future__ import annotations

from django.core.management.base import BaseCommand

from attract.reports.forecast_snapshots import forecast_snapshots_refresh


class Command(BaseCommand):
    help = "Write the monthly forecast snapshots that Forecasts, checked reads."

    def handle(self, *args, **options) -> None:
        done = forecast_snapshots_refresh()
        self.stdout.write(
            f"{done['months']} month(s) counted ({done['new_months']} new), "
            f"{done['cells']} cell(s) written."
        )
