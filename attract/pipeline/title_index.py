"""The index the deal search reads on SQLite (see core.trigram_index): the deals' titles, as
typed, matched without regard to case like `title__icontains`."""

from __future__ import annotations

from attract.core.trigram_index import TrigramIndex

DEAL_TITLES = TrigramIndex(
    "pipeline", "0008_deal_title_trigram_index", "pipeline_deal", "title", case_sensitive=False
)
