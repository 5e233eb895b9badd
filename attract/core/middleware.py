from __future__ import annotations

import zoneinfo
from collections.abc import Callable

from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest
from django.utils import timezone


class UserTimezoneMiddleware:
    """Times are stored in UTC and shown in the signed-in user's own zone."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        zone = getattr(getattr(request, "user", None), "time_zone", "") or ""
        if zone:
            try:
                timezone.activate(zoneinfo.ZoneInfo(zone))
            except (zoneinfo.ZoneInfoNotFoundError, ValueError):
                timezone.deactivate()
        else:
            timezone.deactivate()
        return self.get_response(request)


class RefuseNulCharactersMiddleware:
    """A page request whose parameters hold a NUL character answers 400, before any view.

    PostgreSQL cannot take a NUL in a query or a row, and pages read some parameters straight
    from the request (a search box, a filter). Forms refuse NUL themselves; this covers every
    other reader at once. The API answers the same input with a 422 naming the field
    (attract.api.input_checks), so its paths are left to it.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not request.path.startswith("/api/"):
            query = request.GET
            # Only a plain form body: an upload is parsed by its view, with its own limits.
            plain = request.content_type == "application/x-www-form-urlencoded"
            form = request.POST if request.method == "POST" and plain else {}
            for data in (query, form):
                for key, values in getattr(data, "lists", lambda: [])():
                    if "\x00" in key or any("\x00" in value for value in values):
                        return HttpResponseBadRequest(
                            "A NUL character (\\u0000) cannot be part of a request.",
                            content_type="text/plain; charset=utf-8",
                        )
        return self.get_response(request)
