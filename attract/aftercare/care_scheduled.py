"""Care's daily work: steps reaching their date become tasks, repeating steps are written
ahead, and every customer's care signal is counted again (days pass with no one writing)."""

from __future__ import annotations

from attract.jobs.queue import background_task
from attract.jobs.schedule import every


@every(
    "30 2 * * *",
    name="care-daily",
    description="Care steps due become tasks; care signals counted again",
)
@background_task()
def care_daily() -> dict[str, int]:
    from attract.aftercare.care_plan_services import care_schedule_extend, care_steps_to_tasks
    from attract.aftercare.care_signal import care_signal_refresh

    written = care_schedule_extend()
    tasks = care_steps_to_tasks()
    customers = care_signal_refresh()
    from attract.aftercare.promise_services import kept_figures_recount

    kinds = kept_figures_recount()  # promises written in bulk (imports) counted too
    return {"steps": written, "tasks": tasks, "customers": customers, "promise kinds": kinds}
