"""One normal form for searching names: case-folded, accents removed, spaces collapsed.

"José Müller" and "jose muller" both become "jose muller", so a search typed on any keyboard
finds the record. Scripts without accents (Chinese, Arabic, Cyrillic) pass through unchanged.
"""

from __future__ import annotations

import unicodedata


def search_key(*parts: str) -> str:
    text = " ".join(p for p in parts if p)
    if text.isascii():
        # Nothing to decompose or strip: ASCII letters casefold as they lower (an import
        # keys every name; most are ASCII).
        return " ".join(text.lower().split())
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(unicodedata.normalize("NFC", stripped).split())


# Longer searches are cut: nobody types more to find a record, and it bounds the work.
MAX_SEARCH_LENGTH = 200


def clean_search(text: str | None) -> str:
    """What a user typed in a search box, as the lists and the global search read it: NUL
    characters dropped (PostgreSQL refuses them), spaces collapsed, at most 200 characters."""
    return " ".join((text or "").replace("\x00", "").split())[:MAX_SEARCH_LENGTH]
