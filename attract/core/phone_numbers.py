"""Phone numbers validated and normalised to E.164 with Google's libphonenumber rules.

A number with an extension ("x4601", "ext. 12") is stored as E.164 with the extension in
RFC 3966's form (+14155550100;ext=4601): two people behind one switchboard keep numbers of
their own. A number written without its country code is read in a region: the caller's
(a row's country, an import's choice), else the installation's ATTRACT_PHONE_REGION. The
reason a number is refused says which region it was read in, so it never asks for a country
code the number did not lack.
"""

from __future__ import annotations

import re

import phonenumbers
from babel import Locale
from django.conf import settings
from django.core.exceptions import ValidationError

EXTENSION = ";ext="
_INTERNATIONAL_00 = re.compile(r"^\s*00\s*(?=[1-9])")


def region_name(region: str) -> str:
    """US → the United States' English name, as Babel's CLDR data spells it."""
    return Locale("en").territories.get(region.upper(), region.upper())


def default_region() -> str:
    return (settings.ATTRACT_PHONE_REGION or "US").upper()


def _parse(text: str, region: str) -> phonenumbers.PhoneNumber:
    """`region` "ZZ" reads only numbers written with their country code."""
    try:
        parsed = phonenumbers.parse(text, region)
    except phonenumbers.NumberParseException:
        if not _INTERNATIONAL_00.match(text):
            raise
        parsed = None
    # The prefix first: is_valid_number is the costly part of reading a number, and the
    # caller asks it again of the number returned.
    if _INTERNATIONAL_00.match(text) and (
        parsed is None or not phonenumbers.is_valid_number(parsed)
    ):
        # "0049 30 …" read in a region whose international prefix is not 00 (the US dials
        # 011): the 00 is the international prefix most of the world writes.
        alternative = phonenumbers.parse(_INTERNATIONAL_00.sub("+", text), None)
        if parsed is None or phonenumbers.is_valid_number(alternative):
            return alternative
    return parsed


def normalise_phone(raw: str, *, region: str | None = None) -> str:
    """Return the number in E.164 form (with ;ext=… when it has an extension), or raise
    ValidationError with the true reason it cannot be read."""
    text = (raw or "").strip()
    if not text:
        raise ValidationError("Enter a phone number.")
    if len(text) > 60:
        raise ValidationError("That is too long to be a phone number.")
    region = (region or default_region()).upper()
    try:
        parsed = _parse(text, region)
    except phonenumbers.NumberParseException as exc:
        if exc.error_type == phonenumbers.NumberParseException.INVALID_COUNTRY_CODE:
            if region == "ZZ":  # no region to read it in: the caller says why
                raise ValidationError(f"“{text}” has no country code.") from exc
            raise ValidationError(
                f"“{text}” does not start with a country code that exists; "
                "write it with + and its country code, e.g. +44 20 7946 0958."
            ) from exc
        raise ValidationError(f"“{text}” is not a phone number.") from exc
    if not phonenumbers.is_valid_number(parsed):
        raise ValidationError(_invalid_reason(text, parsed, region))
    number = phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164)
    if parsed.extension:
        number = f"{number}{EXTENSION}{parsed.extension[:10]}"
    return number


def _invalid_reason(text: str, parsed: phonenumbers.PhoneNumber, region: str) -> str:
    written_international = text.lstrip().startswith("+") or _INTERNATIONAL_00.match(text)
    if written_international:
        where = phonenumbers.region_code_for_country_code(parsed.country_code)
        country = region_name(where) if where and where != "ZZ" else f"+{parsed.country_code}"
        return f"“{text}” is not a valid number in {country} (+{parsed.country_code})."
    return f"“{text}” is not a valid number in {region_name(region)}, where it was read."


def display_phone(number: str) -> str:
    """The international format a person reads: +44 20 7946 0958 (ext. 12)."""
    try:
        parsed = phonenumbers.parse(number, None)
    except phonenumbers.NumberParseException:
        return number
    return phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.INTERNATIONAL)
