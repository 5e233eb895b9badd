"""Partners' nightly work: every initiative's and every partner's figures counted again,
catching what bypassed the receivers (bulk imports, queryset updates)."""

from __future__ import annotations

from attract.jobs.queue import background_task
from attract.jobs.schedule import every
from attract.partners import partner_figures
from attract.partners.figures import recount_all


@every(
    "15 2 * * *",
    name="initiative-figures",
    description="Count what each joint initiative brought again",
)
@background_task()
def initiative_figures_refresh() -> dict[str, int]:
    return {"initiatives": recount_all(), "partners": partner_figures.recount_all()}
