"""Reports' nightly work: the monthly forecast snapshots (a new month's on its first night,
and every month's deals counted again so that what was decided, edited or trashed shows)."""

from __future__ import annotations

from attract.jobs.queue import background_task
from attract.jobs.schedule import every
from attract.reports.forecast_snapshots import forecast_snapshots_refresh


@every(
    "45 2 * * *",
    name="forecast-snapshots",
    description="Snapshot the month's forecast and count every month's deals again",
)
@background_task()
def forecast_snapshots_nightly() -> dict[str, int]:
    return forecast_snapshots_refresh()
