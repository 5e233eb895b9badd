"""The indexes the person and company name searches read on SQLite (see core.trigram_index).

Both index `search_name`, the normalised name (case-folded, accents removed), so they are
case-sensitive: matching stays exactly what `search_name LIKE '%word%'` matches.
"""

from __future__ import annotations

from attract.core.trigram_index import TrigramIndex

PERSON_NAMES = TrigramIndex(
    "people", "0005_person_name_trigram_index", "people_person", "search_name"
)
COMPANY_NAMES = TrigramIndex(
    "people", "0011_company_name_trigram_index", "people_company", "search_name"
)
