"""How django-axes names the account a failed log-in was for.

Log-in is by email, case-insensitively, so "Ann@Example.com" and "ann@example.com" are the
same account: counting them apart would let an attacker multiply the allowed guesses by
changing the capitalisation.
"""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest


def axes_username(request: HttpRequest, credentials: dict | None) -> str:
    field = settings.AXES_USERNAME_FORM_FIELD
    if credentials and credentials.get(field):
        raw = credentials[field]
    else:
        raw = getattr(request, "POST", {}).get(field, "")
    return (raw or "").strip().lower()
