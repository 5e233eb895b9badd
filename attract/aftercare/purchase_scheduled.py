"""The nightly recount of every customer's purchase summary, catching what bypassed the
receivers (imports, queryset updates) and a change of the installation's time zone."""

from __future__ import annotations

from attract.jobs.queue import background_task
from attract.jobs.schedule import every


@every(
    "45 2 * * *",
    name="purchase-summaries",
    description="Count what each customer bought again (who buys again)",
)
@background_task()
def purchase_summaries_refresh() -> dict[str, int]:
    from attract.aftercare.purchase_summary import departures_copied, recount_all

    return {"rows": recount_all(), "departures": departures_copied()}
