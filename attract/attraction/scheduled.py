"""The attraction plan's scheduled work: stored fit scores recomputed every night, so a score
never stays behind a change that reached them some other way (a bulk import, a restore)."""

from __future__ import annotations

from attract.attraction.services import fit_scores_rebuild
from attract.jobs.queue import background_task
from attract.jobs.schedule import every


@every("30 2 * * *", name="fit-scores-refresh", description="Recompute the stored fit scores")
@background_task()
def fit_scores_refresh() -> int:
    return fit_scores_rebuild()
