"""Page weight in `make bench`: every page's first load (HTML + the CSS and JS it links),
raw and compressed, as the bench owner sees it. Issue 14's budget: under 150 KB compressed."""

from __future__ import annotations

from django.test import Client
from rich.table import Table

from attract.accounts.models import User
from attract.web.page_list import every_page_url
from attract.web.page_weight import FIRST_LOAD_BUDGET, over_budget, weigh


def run(*, console, owner: User, runs: int, warmups: int) -> dict:
    client = Client()
    client.force_login(owner)
    weights = [weigh(client, url) for url in every_page_url()]
    table = Table(title="Page weight, first load (HTML + CSS + JS)", title_justify="left")
    for column in ("Page", "HTML KB", "Assets KB", "Total KB", "Compressed KB"):
        table.add_column(column, justify="left" if column == "Page" else "right")
    for w in weights:
        table.add_row(
            w.url,
            f"{w.html.raw / 1024:.1f}",
            f"{sum(a.raw for a in w.assets) / 1024:.1f}",
            f"{w.raw / 1024:.1f}",
            f"{w.compressed / 1024:.1f}",
        )
    console.print(table)
    heaviest = max(weights, key=lambda w: w.compressed)
    console.print(
        f"Heaviest first load: {heaviest.url} at {heaviest.compressed / 1024:.1f} KB compressed "
        f"(budget {FIRST_LOAD_BUDGET // 1024} KB); over budget: {len(over_budget(weights))}."
    )
    return {
        "pages": [
            {"url": w.url, "raw_bytes": w.raw, "compressed_bytes": w.compressed} for w in weights
        ],
        "over_budget": over_budget(weights),
    }
