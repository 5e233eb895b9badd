from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse

from attract.accounts.selectors import installation_has_owner

# Paths an empty installation must still answer: the set-up page itself, static files, the
# API (which answers 401 on its own) and health checks.
_OPEN_PREFIXES = ("/setup/", "/static/", "/api/", "/healthz")


class FirstRunMiddleware:
    """Send every visitor of an installation with no owner yet to the set-up page."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        # A signed-in user proves the installation is set up, so only anonymous requests
        # pay for the check.
        if (
            not request.path.startswith(_OPEN_PREFIXES)
            and not request.user.is_authenticated
            and not installation_has_owner()
        ):
            return redirect(reverse("web:setup"))
        return self.get_response(request)
