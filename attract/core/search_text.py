"""One normal form for searching names: case-folded, accents removed, spaces collapsed.

"José Müller" and "jose muller" both become "jose muller", so a search typed on any keyboard
finds the record. Scripts without accents (Chinese, Arabic, Cyrillic) pass through unchanged.
"""

from __future__ import annotations

import unicodedata


def search_key(*parts: str) -> str:
    text = " ".join(p for p in parts if p)
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(unicodedata.normalize("NFC", stripped).split())
