"""The unsubscribe link every bulk letter carries: a signed token naming the address, so the
public page needs no login and a guessed or altered link does nothing."""

from __future__ import annotations

from django.core import signing
from django.urls import reverse
from django.utils import timezone

from attract.mail.message_log import normalise_address
from attract.mail.models import Unsubscribe

SALT = "attract.mail.unsubscribe"


def unsubscribe_token(address: str) -> str:
    return signing.dumps(normalise_address(address), salt=SALT, compress=True)


def unsubscribe_address(token: str) -> str | None:
    """The address a token was made for; None when it is not one of ours."""
    try:
        address = signing.loads(token, salt=SALT)
    except (signing.BadSignature, ValueError, TypeError, UnicodeError):
        return None
    return address if isinstance(address, str) and "@" in address else None


def unsubscribe_url(base_url: str, address: str) -> str:
    return base_url.rstrip("/") + reverse("mail:unsubscribe", args=[unsubscribe_token(address)])


def unsubscribe_record(address: str) -> Unsubscribe:
    """Idempotent: unsubscribing twice keeps the first date."""
    row, _ = Unsubscribe.objects.get_or_create(
        address=normalise_address(address), defaults={"at": timezone.now()}
    )
    return row


def unsubscribed(addresses: list[str]) -> set[str]:
    wanted = {normalise_address(a) for a in addresses if a}
    if not wanted:
        return set()
    found: set[str] = set()
    items = sorted(wanted)
    for start in range(0, len(items), 500):  # SQLite's parameter limit, comfortably
        found.update(
            Unsubscribe.objects.filter(address__in=items[start : start + 500]).values_list(
                "address", flat=True
            )
        )
    return found
