"""Phone numbers validated and normalised to E.164 with Google's libphonenumber rules."""

from __future__ import annotations

import phonenumbers
from django.conf import settings
from django.core.exceptions import ValidationError


def normalise_phone(raw: str, *, region: str | None = None) -> str:
    """Return the number in E.164 form, or raise ValidationError with a readable reason."""
    text = (raw or "").strip()
    if not text:
        raise ValidationError("Enter a phone number.")
    if len(text) > 40:
        raise ValidationError("That is too long to be a phone number.")
    try:
        parsed = phonenumbers.parse(text, region or settings.ATTRACT_PHONE_REGION)
    except phonenumbers.NumberParseException as exc:
        raise ValidationError(f"“{text}” is not a phone number.") from exc
    if not phonenumbers.is_valid_number(parsed):
        raise ValidationError(
            f"“{text}” is not a valid phone number; include the country code, e.g. +44 20 7946 0958."
        )
    return phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164)


def display_phone(e164: str) -> str:
    """The international format a person reads: +44 20 7946 0958."""
    try:
        parsed = phonenumbers.parse(e164, None)
    except phonenumbers.NumberParseException:
        return e164
    return phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.INTERNATIONAL)
