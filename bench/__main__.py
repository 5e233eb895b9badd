"""`make bench` (or `python -m bench --persons 5000 --companies 1000` for a quick check).

Seeds the benchmark database once, then reports median and p95 server time and the SQL
queries per request for the pages and endpoints a busy team uses most. It reports; it never
fails on time. Results also go to var/bench/results.json, one entry per database vendor.
"""

from __future__ import annotations

import argparse
import importlib
import json
import platform
import sys
import time

SECTIONS = (
    "pipeline",
    "engagement",
    "attraction",
    "transfer",
    "deal_import",
    "background",
    "versions",
    "search",
    "weight",
    "partners",
    "departures",
    "walk",
)
# Each section's own size arguments (bench/<section>.py's run() takes them with the common ones).
_SECTION_SIZES = {
    "pipeline": lambda a: {"open_deals": a.deals, "stage_changes": a.stage_changes},
    "engagement": lambda a: {"interactions": a.interactions},
    "attraction": lambda a: {"companies": a.fit_companies},
    "transfer": lambda a: {"rows": a.import_rows},
    "background": lambda a: {"jobs": a.jobs, "webhook_deliveries": a.webhook_deliveries},
    "versions": lambda a: {},
    "walk": lambda a: {},
    "deal_import": lambda a: {"rows": a.import_deals},
    "search": lambda a: {"deals": a.deals},
    "weight": lambda a: {},
    "partners": lambda a: {
        "partners": a.partners,
        "referrals": a.referrals,
        "initiatives": a.initiatives,
    },
    "departures": lambda a: {
        "customers": a.customers,
        "departures": a.departures,
        "won_deals": a.won_deals,
    },
}


def _arguments(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__.split("\n")[0])
    parser.add_argument("--persons", type=int, default=100_000)
    parser.add_argument("--companies", type=int, default=20_000)
    parser.add_argument("--runs", type=int, default=30, help="Timed requests per scenario.")
    parser.add_argument("--warmups", type=int, default=3, help="Untimed requests first.")
    parser.add_argument("--deals", type=int, default=100_000, help="Open deals (pipeline).")
    parser.add_argument("--stage-changes", type=int, default=1_000_000)
    parser.add_argument("--interactions", type=int, default=1_000_000, help="(engagement)")
    parser.add_argument("--import-rows", type=int, default=100_000, help="(CSV import)")
    parser.add_argument(
        "--import-deals", type=int, default=100_000, help="(deal import) Closed deals."
    )
    parser.add_argument(
        "--fit-companies",
        type=int,
        default=100_000,
        help="(attraction) Companies assessed and sorted by fit: the section adds copies of "
        "the seeded companies up to this many, and removes them afterwards.",
    )
    parser.add_argument("--partners", type=int, default=2_000, help="(partners)")
    parser.add_argument("--referrals", type=int, default=100_000, help="(partners)")
    parser.add_argument("--initiatives", type=int, default=20_000, help="(partners)")
    parser.add_argument("--customers", type=int, default=100_000, help="(departures)")
    parser.add_argument("--departures", type=int, default=30_000, help="(departures)")
    parser.add_argument("--won-deals", type=int, default=300_000, help="(departures)")
    parser.add_argument("--jobs", type=int, default=10_000, help="(background) Queued tasks.")
    parser.add_argument(
        "--webhook-deliveries",
        type=int,
        default=100_000,
        help="(background) Webhook events delivered to a local receiver.",
    )
    parser.add_argument(
        "--only",
        action="append",
        choices=SECTIONS,
        help="Measure only these sections after the people pages (repeat for several); "
        "the others keep their last figures in results.json.",
    )
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> None:
    args = _arguments(argv)
    from bench import settings_env

    settings_env.configure()
    import django

    django.setup()

    from django.core.management import call_command
    from django.db import connection
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeElapsedColumn

    from attract.people.models import Company, Person
    from bench import measuring, seeding
    from bench.attraction import extra_companies_remove
    from bench.urls_under_test import detail_url, person_search_param

    console = Console()
    console.print(f"Database: [bold]{connection.vendor}[/] {connection.settings_dict['NAME']}")
    call_command("migrate", interactive=False, verbosity=0)
    call_command("collectstatic", interactive=False, verbosity=0)
    # Left behind by a run stopped inside the attraction section: not part of the seed.
    extra_companies_remove()

    with Progress(
        "[progress.description]{task.description}",
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=console,
        transient=True,
    ) as progress:
        task = progress.add_task("Generating rows", total=None)
        try:
            seeded = seeding.seed(
                persons=args.persons,
                companies=args.companies,
                on_start=lambda total: progress.update(task, description="Inserting", total=total),
                on_progress=lambda rows: progress.advance(task, rows),
            )
        except seeding.ForeignDataError as exc:
            raise SystemExit(f"make bench: {exc}") from exc
    if seeded.reused:
        console.print("Seeding: reused the existing data (same size).")
    else:
        console.print(
            f"Seeding: {args.persons:,} persons and {args.companies:,} companies "
            f"in {seeded.seconds:.1f} s."
        )
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")

    items = measuring.scenarios(search_param=person_search_param(), detail_url=detail_url)
    results = measuring.measure(
        owner=seeded.owner, items=items, runs=args.runs, warmups=args.warmups
    )

    console.print(
        measuring.results_table(
            f"{connection.vendor}: {args.runs} requests each after {args.warmups} warm-ups", results
        )
    )
    rows = {"persons": Person.all_objects.count(), "companies": Company.all_objects.count()}
    console.print(
        f"Rows in the database: {rows['persons']:,} persons, {rows['companies']:,} companies."
    )

    wanted = set(args.only or SECTIONS)
    figures = {}
    for section in SECTIONS:
        if section in wanted:
            module = importlib.import_module(f"bench.{section}")
            figures[section] = module.run(
                console=console,
                owner=seeded.owner,
                runs=args.runs,
                warmups=args.warmups,
                **_SECTION_SIZES[section](args),
            )

    path = settings_env.BENCH_DIR / "results.json"
    report = json.loads(path.read_text()) if path.exists() else {}
    report[connection.vendor] = {
        **report.get(connection.vendor, {}),
        "when": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        "python": platform.python_version(),
        "django": django.get_version(),
        "rows": rows,
        "seeding_seconds": None if seeded.reused else round(seeded.seconds, 1),
        "runs": args.runs,
        "warmups": args.warmups,
        "results": measuring.as_dicts(results),
        **figures,
    }
    path.write_text(json.dumps(report, indent=2, ensure_ascii=False) + "\n")
    console.print(f"Written to {path}.")


if __name__ == "__main__":
    main(sys.argv[1:])
