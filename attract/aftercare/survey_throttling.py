"""Rate limits of the public exit-survey page, per client address (accounts/client_address.py):
a guesser of tokens meets a 429 long before any guess could matter, an honest customer never.

Counted in the database, so every app process sees the same counts."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.http import HttpRequest
from django.utils import timezone

from attract.accounts.client_address import client_ip_address
from attract.aftercare.models import SurveyVisit

WINDOW = timedelta(minutes=15)


def _limits() -> tuple[int, int]:
    """(requests, failed requests) allowed per address in the window."""
    return (
        getattr(settings, "ATTRACT_SURVEY_REQUESTS_LIMIT", 60),
        getattr(settings, "ATTRACT_SURVEY_FAILURES_LIMIT", 10),
    )


def survey_request_allowed(request: HttpRequest) -> bool:
    address = client_ip_address(request) or "unknown"
    since = timezone.now() - WINDOW
    visits = SurveyVisit.objects.filter(address=address, at__gte=since)
    total, failures = _limits()
    seen = list(visits.values_list("failed", flat=True)[: total + 1])
    return len(seen) < total and sum(seen) < failures


def survey_request_count(request: HttpRequest, *, failed: bool) -> None:
    now = timezone.now()
    address = client_ip_address(request) or "unknown"
    # Counts older than the window mean nothing: each address's are dropped as it comes back.
    SurveyVisit.objects.filter(address=address, at__lt=now - WINDOW).delete()
    SurveyVisit.objects.create(address=address, at=now, failed=failed)
