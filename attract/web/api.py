"""GET /api/v1/search: the global search through the API, the same selector as the search
page and the command palette, so a token sees exactly what its user sees on the web."""

from __future__ import annotations

from decimal import Decimal
from typing import Literal

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema

from attract.web.search import search_everything

router = Router(tags=["search"])

Kind = Literal["person", "company", "deal", "partner", "plan"]


class SearchQuery(Schema):
    q: str = Field("", max_length=200, description="Words of a name, an e-mail address, a deal")
    kind: list[Kind] = Field(default_factory=list, description="Only these kinds (repeatable)")
    limit: int = Field(5, ge=1, le=50, description="Matches per kind")


class HitOut(Schema):
    kind: str
    label: str
    detail: str
    url: str = Field(description="The record's page in the web app")
    amount: Decimal | None = Field(None, description="A deal's revenue")


class GroupOut(Schema):
    kind: str
    title: str
    hits: list[HitOut]
    more_url: str = Field(description="The full list filtered by the same words, when longer")


class SearchOut(Schema):
    query: str
    groups: list[GroupOut]


@router.get("/search", response=SearchOut, summary="Find people, companies, deals, plan lines")
def search(request: HttpRequest, filters: Query[SearchQuery]) -> dict:
    results = search_everything(
        user=request.auth, query=filters.q, limit=filters.limit, kinds=tuple(filters.kind) or None
    )
    return {"query": results.query, "groups": results.groups}
