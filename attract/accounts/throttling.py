"""Log-in throttling with django-axes: how the account is named, and the two limits.

Failures are counted twice over the cool-off period: per account, from whatever addresses
(guesses spread over many addresses gain nothing), and per client address, over whatever
accounts (one address trying a common password on every account is stopped too). Each count
has its own limit: an office behind one address makes more honest typos than one person.
The client address is found by attract/accounts/client_address.py.
"""

from __future__ import annotations

from axes.handlers.database import AxesDatabaseHandler
from django.conf import settings
from django.db.models import Sum
from django.http import HttpRequest


def axes_username(request: HttpRequest, credentials: dict | None) -> str:
    """Log-in is by email, case-insensitively, so "Ann@Example.com" and "ann@example.com" are
    the same account: counting them apart would let an attacker multiply the allowed guesses
    by changing the capitalisation."""
    field = settings.AXES_USERNAME_FORM_FIELD
    if credentials and credentials.get(field):
        raw = credentials[field]
    else:
        raw = getattr(request, "POST", {}).get(field, "")
    return (raw or "").strip().lower()


class LoginLockoutHandler(AxesDatabaseHandler):
    """django-axes' database handler, with one limit per count.

    django-axes compares a single number with AXES_FAILURE_LIMIT: the largest count over
    AXES_LOCKOUT_PARAMETERS. Here each count is first scaled to that limit by its own, so the
    number reaches AXES_FAILURE_LIMIT exactly when some count reaches its own limit
    (floor(count * L / own) >= L  ⇔  count >= own). Which count did is left on the request
    for the lock-out page.
    """

    def get_failures(self, request, credentials: dict | None = None) -> int:
        limit = settings.AXES_FAILURE_LIMIT
        scaled = 0
        for parameter, attempts in zip(
            settings.AXES_LOCKOUT_PARAMETERS,
            self.get_user_attempts(request, credentials),
            strict=True,
        ):
            count = attempts.aggregate(total=Sum("failures_since_start"))["total"] or 0
            own = settings.ATTRACT_LOGIN_LIMITS[parameter]
            value = count * limit // own
            if value >= limit and not hasattr(request, "attract_locked_by"):
                request.attract_locked_by = parameter
            scaled = max(scaled, value)
        return scaled
