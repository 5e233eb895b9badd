"""The queue's state over the API, for owners and admins: list tasks by state, retry one."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from django.http import Http404, HttpRequest
from django_tasks_db.models import DBTaskResult
from ninja import Field, Query, Router, Schema

from attract.jobs import selectors
from attract.jobs.services import job_retry, require_job_manager

router = Router(tags=["background work"])


class JobOut(Schema):
    id: str
    name: str
    state: str
    attempts: int
    enqueued_at: datetime
    started_at: datetime | None
    finished_at: datetime | None
    run_after: datetime | None
    error: str


class JobPage(Schema):
    counts: dict[str, int]
    count: int
    items: list[JobOut]


class JobQuery(Schema):
    state: Literal["queued", "running", "failed", "done"] = Field(
        "failed", description="queued, running, or failed/done in the last day."
    )
    limit: int = Field(50, ge=1, le=200)
    offset: int = Field(0, ge=0, le=1_000_000)


@router.get("/jobs", response=JobPage, summary="Background tasks in one state (owner and admins)")
def job_list(request: HttpRequest, filters: Query[JobQuery]) -> dict:
    require_job_manager(request.auth)
    rows = selectors.job_list(state=filters.state)
    page = rows[filters.offset : filters.offset + filters.limit]
    return {
        "counts": selectors.job_counts(),
        "count": rows.count(),
        "items": [selectors.JobView.of(row) for row in page],
    }


@router.post("/jobs/{job_id}/retry", response=JobOut, summary="Run a failed task again now")
def job_retry_endpoint(request: HttpRequest, job_id: str) -> selectors.JobView:
    try:
        row = job_retry(actor=request.auth, job_id=job_id)
    except DBTaskResult.DoesNotExist as exc:
        raise Http404 from exc
    return selectors.JobView.of(row)
