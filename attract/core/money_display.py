"""Money as a person reads it: the installation's currency, written the way the reader's
locale writes it ("$10,250", "10.250 €", "10 250 zł"). Babel holds the CLDR's rules for
every locale, so no format is guessed here."""

from __future__ import annotations

import copy
from decimal import Decimal
from functools import lru_cache

from babel import Locale, UnknownLocaleError
from django.conf import settings
from django.utils.translation.trans_real import parse_accept_lang_header

DEFAULT_LOCALE = "en_US"


@lru_cache(maxsize=256)
def _locale(tag: str) -> Locale | None:
    try:
        return Locale.parse(tag.replace("-", "_"))
    except (UnknownLocaleError, ValueError, TypeError):
        return None


def locale_from_accept_language(header: str | None) -> Locale:
    """The first locale the browser asks for that the CLDR knows; else en_US."""
    for tag, _quality in parse_accept_lang_header(header or "")[:8]:
        if tag != "*" and (found := _locale(tag)) is not None:
            # "en" alone has no territory; its numbers read as en_US's.
            return found
    return _locale(DEFAULT_LOCALE)


@lru_cache(maxsize=512)
def _patterns(locale: Locale):
    whole = copy.copy(locale.currency_formats["standard"])
    whole.frac_prec = (0, 0)
    cents = copy.copy(locale.currency_formats["standard"])
    cents.frac_prec = (2, 2)
    return whole, cents


def money_format(
    amount: Decimal | int | float | None, *, locale: Locale, currency: str = ""
) -> str:
    """`amount` in the installation's currency for `locale`; whole amounts without cents.
    None is shown as an empty string: an unknown amount is not zero."""
    if amount is None or amount == "":
        return ""
    return _formatted(str(amount), locale, currency or settings.ATTRACT_CURRENCY)


# A list page shows the same few amounts again and again (zero above all), and Babel's
# pattern.apply costs tens of microseconds a call: the text of each is kept.
@lru_cache(maxsize=4096)
def _formatted(amount: str, locale: Locale, currency: str) -> str:
    value = Decimal(amount)
    whole, cents = _patterns(locale)
    pattern = whole if value == value.to_integral_value() else cents
    return pattern.apply(value, locale, currency=currency, currency_digits=False)
