"""Each report's figures: GET /api/v1/reports/{name}?from=…&to=…&owner=…&tag=… (the same
filters and the same refusals as the page: 422 with the field, 404 for an unknown report)."""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpRequest
from ninja import Field, Query, Router, Schema

from attract.reports.filters import parse_filters
from attract.reports.registry import REPORTS, report_named

router = Router(tags=["reports"])


class ReportSummaryOut(Schema):
    name: str
    title: str
    summary: str


class ReportOut(Schema):
    name: str
    title: str
    from_: Any = Field(..., alias="from")
    to: Any
    owner: int | None
    tag: str | None
    columns: list[dict[str, Any]]
    rows: list[dict[str, Any]]
    charts: list[dict[str, Any]]
    notes: list[str]


class ReportFiltersIn(Schema):
    from_: str = Field("", alias="from", max_length=40, description="First day, 2026-01-01")
    to: str = Field("", max_length=40, description="Last day, 2026-06-30")
    owner: str = Field("", max_length=254, description="A user's id or e-mail")
    tag: str = Field("", max_length=50, description="A tag's name")


@router.get("/reports", response=list[ReportSummaryOut], summary="The reports there are")
def report_list(request: HttpRequest) -> list[dict]:
    return [{"name": r.name, "title": r.title, "summary": r.summary} for r in REPORTS.values()]


@router.get(
    "/reports/{name}",
    response=ReportOut,
    by_alias=True,
    summary="A report's figures: one row per figure, and its charts' series",
)
def report_figures(
    request: HttpRequest,
    name: str,
    filters: Query[ReportFiltersIn],
) -> dict:
    report = report_named(name)
    if report is None:
        raise Http404("No such report.")
    data = {"from": filters.from_, "to": filters.to, "owner": filters.owner, "tag": filters.tag}
    return report.figures(user=request.auth, filters=parse_filters(data)).as_dict()
