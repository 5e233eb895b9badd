"""A country as people write it ("Germany", "Deutschland", "DE", "U.S.A.") → its ISO 3166
region code, from the CLDR names Babel ships, in the languages of the exports we meet."""

from __future__ import annotations

import re
from functools import cache, lru_cache

from babel import Locale

from attract.core.search_text import search_key

LANGUAGES = ("en", "de", "fr", "es", "it", "nl", "pt", "sv", "da", "nb", "fi", "pl", "ja", "zh",
             "ko", "ru")  # fmt: skip
# What CLDR does not list: common short forms and the nations of the United Kingdom.
_ALIASES = {
    "usa": "US", "u s a": "US", "u s": "US", "united states of america": "US", "america": "US",
    "uk": "GB", "u k": "GB", "great britain": "GB", "britain": "GB", "england": "GB",
    "scotland": "GB", "wales": "GB", "northern ireland": "GB", "holland": "NL",
    "the netherlands": "NL", "uae": "AE", "south korea": "KR", "korea": "KR",
    "russia": "RU", "czech republic": "CZ", "deutschland": "DE", "brasil": "BR",
}  # fmt: skip


def _key(text: str) -> str:
    return " ".join(re.sub(r"[^\w]", " ", search_key(text)).split())


@cache
def _names() -> dict[str, str]:
    names: dict[str, str] = {}
    for language in LANGUAGES:
        for code, name in Locale(language).territories.items():
            if len(code) == 2 and code.isalpha():
                names.setdefault(_key(name), code)
    names.update(_ALIASES)
    return names


@cache
def _codes() -> frozenset[str]:
    return frozenset(code for code in Locale("en").territories if len(code) == 2)


@lru_cache(maxsize=4096)  # an import asks it of every row, in a few countries
def region_for_country(text: str) -> str | None:
    """The region code, or None when the text names no country we know."""
    raw = (text or "").strip()
    if not raw:
        return None
    if len(raw) == 2 and raw.isalpha() and raw.upper() in _codes():
        return "GB" if raw.upper() == "UK" else raw.upper()
    return _names().get(_key(raw))


@cache
def phone_region_choices() -> list[tuple[str, str]]:
    """Every region phone numbers can be read in, as (code, English name), by name."""
    import phonenumbers

    names = Locale("en").territories
    regions = [(code, names.get(code, code)) for code in phonenumbers.SUPPORTED_REGIONS]
    return sorted(regions, key=lambda pair: pair[1])
