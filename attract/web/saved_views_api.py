"""Saved views through the API: the token's user's own named filters of the people,
companies and deals lists (core/saved_views.py); another user's view answers 404."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from django.http import Http404, HttpRequest
from ninja import Field, Query, Router, Schema, Status

from attract.core.models import SavedView
from attract.core.saved_views import saved_view_create, saved_view_delete, saved_views_for

router = Router(tags=["saved views"])

ListName = Literal["people", "companies", "deals", "closed_deals"]


class SavedViewIn(Schema):
    list_name: ListName
    name: str = Field(..., min_length=1, max_length=80)
    query: str = Field("", max_length=1000, description="The list's query string: stage=interest")


class SavedViewOut(Schema):
    id: int
    list_name: str
    name: str
    query: str
    created_at: datetime


class SavedViewFilter(Schema):
    list_name: ListName | None = Field(None, description="Only this list's views")


@router.get("/saved-views", response=list[SavedViewOut], summary="Your saved views")
def list_saved_views(request: HttpRequest, filters: Query[SavedViewFilter]) -> list[SavedView]:
    return list(saved_views_for(user=request.auth, list_name=filters.list_name))


@router.post("/saved-views", response={201: SavedViewOut}, summary="Save a list's filters")
def create_saved_view(request: HttpRequest, payload: SavedViewIn) -> SavedView:
    return saved_view_create(
        actor=request.auth, list_name=payload.list_name, name=payload.name, query=payload.query
    )


@router.delete("/saved-views/{view_id}", response={204: None}, summary="Delete a saved view")
def delete_saved_view(request: HttpRequest, view_id: int) -> Status:
    view = saved_views_for(user=request.auth).filter(pk=view_id).first()
    if view is None:
        raise Http404
    saved_view_delete(actor=request.auth, view=view)
    return Status(204, None)
