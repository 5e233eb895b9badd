"""Email addresses validated and normalised with the email-validator library."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from email_validator import EmailNotValidError, validate_email


def normalise_email(raw: str) -> str:
    """Return the address in a canonical, lower-cased form, or raise ValidationError.

    No DNS look-up: the CRM must work offline and must not stall on a slow resolver.
    """
    text = (raw or "").strip()
    if not text:
        raise ValidationError("Enter an email address.")
    try:
        result = validate_email(text, check_deliverability=False)
    except EmailNotValidError as exc:
        raise ValidationError(f"“{text[:100]}” is not a valid email address: {exc}") from exc
    return result.normalized.lower()
