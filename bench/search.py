"""The global search's part of `make bench`: the search page, the command palette and
/api/v1/search over the seeded people, companies and the pipeline section's deals.

Target (issue 14): under 50 ms median on SQLite with 1,000,000 persons, 100,000 companies
and 100,000 deals — `python -m bench --persons 1000000 --companies 100000 --only search`.
The deals come from the pipeline section's seed, kept between runs; when there are fewer
than `--deals` (100,000 by default) this section seeds them (without stage history). The figures say at which size
they were measured.
"""

from __future__ import annotations

from django.db import connection

from attract.accounts.models import User
from attract.people.models import Company, Person
from attract.pipeline.models import Deal
from bench import measuring, pipeline


def run(*, console, owner: User, runs: int, warmups: int, deals: int = 0) -> dict:
    if Deal.all_objects.count() < deals:
        console.print(f"Search: seeding {deals:,} open deals first (no stage history).")
        pipeline.seed(open_deals=deals, stage_changes=0)
    fragment = measuring.name_fragment()
    company_word = Company.objects.order_by("pk").values_list("name", flat=True).first() or "a"
    company_word = company_word.split()[0][:5]
    items = [
        measuring.Scenario(f"Search page “{fragment}”", lambda n: f"/search/?q={fragment}"),
        measuring.Scenario(
            f"Palette “{fragment[:3]}” (as typed)", lambda n: f"/search/palette/?q={fragment[:3]}"
        ),
        measuring.Scenario(
            f"Palette “{company_word}”", lambda n: f"/search/palette/?q={company_word}"
        ),
        measuring.Scenario("Palette, first screen", lambda n: "/search/palette/?q="),
        measuring.Scenario("Deal list, search “deal 4242”", lambda n: "/deals/?q=deal+4242"),
        measuring.Scenario(
            f"API search “{fragment}”", lambda n: f"/api/v1/search?q={fragment}", api=True
        ),
    ]
    results = measuring.measure(owner=owner, items=items, runs=runs, warmups=warmups)
    rows = {
        "persons": Person.objects.count(),
        "companies": Company.objects.count(),
        "deals": Deal.objects.count(),
    }
    sizes = ", ".join(f"{count:,} {name}" for name, count in rows.items())
    title = f"{connection.vendor}: global search over {sizes} (target < 50 ms at 1M persons)"
    console.print(measuring.results_table(title, results))
    return {"rows": rows, "results": measuring.as_dicts(results)}
