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
    "care",
    "reports",
    "departures",
    "mail",
    "walk",
    "mail_sending",
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
    "care": lambda a: {
        "customers": a.care_customers,
        "steps": a.care_steps,
        "promises": a.promises,
    },
    "reports": lambda a: {"closed_deals": a.report_closed_deals},
    "mail_sending": lambda a: {"messages": a.mail_messages},
    "mail": lambda a: {"messages": a.mail_messages},
    "departures": lambda a: {
        "customers": a.customers,
        "departures": a.departures,
        "won_deals": a.won_deals,
    },
}


# Named sizes: "100k" (the default, what a CI-sized machine seeds in minutes) and "1m", the
# size of issue 20 (1,000,000 persons, 200,000 companies, 10,000,000 interactions). A flag
# given beside --size wins over the size's own figure. Each size keeps its own database.
SIZES = {
    "100k": {"persons": 100_000, "companies": 20_000, "deals": 100_000,
             "stage_changes": 1_000_000, "interactions": 1_000_000},
    "1m": {"persons": 1_000_000, "companies": 200_000, "deals": 100_000,
           "stage_changes": 1_000_000, "interactions": 10_000_000},
}  # fmt: skip
DEFAULT_SIZE = "100k"


def _arguments(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__.split("\n")[0])
    parser.add_argument(
        "--size",
        choices=tuple(SIZES),
        default=DEFAULT_SIZE,
        help="Named data size (default 100k); 1m is issue 20's million persons. Each size keeps "
        "its own seeded database; when both were measured the ratio is printed.",
    )
    parser.add_argument("--persons", type=int, default=None)
    parser.add_argument("--companies", type=int, default=None)
    parser.add_argument("--runs", type=int, default=30, help="Timed requests per scenario.")
    parser.add_argument("--warmups", type=int, default=3, help="Untimed requests first.")
    parser.add_argument("--deals", type=int, default=None, help="Open deals (pipeline).")
    parser.add_argument("--stage-changes", type=int, default=None)
    parser.add_argument("--interactions", type=int, default=None, help="(engagement)")
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
    parser.add_argument("--care-customers", type=int, default=100_000, help="(care)")
    parser.add_argument("--care-steps", type=int, default=1_000_000, help="(care)")
    parser.add_argument("--promises", type=int, default=200_000, help="(care)")
    parser.add_argument(
        "--report-closed-deals",
        type=int,
        default=400_000,
        help="(reports) Closed deals over five years, added to the pipeline's.",
    )
    parser.add_argument("--customers", type=int, default=100_000, help="(departures)")
    parser.add_argument("--departures", type=int, default=30_000, help="(departures)")
    parser.add_argument("--won-deals", type=int, default=300_000, help="(departures)")
    parser.add_argument(
        "--mail-messages",
        type=int,
        default=10_000,
        help="(mail, mail_sending) Messages synced from a local Dovecot into as many persons; "
        "messages sent to a local SMTP server.",
    )
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
    args = parser.parse_args(argv)
    for name, value in SIZES[args.size].items():
        if getattr(args, name) is None:
            setattr(args, name, value)
    return args


def _size_key(vendor: str, size: str) -> str:
    return vendor if size == DEFAULT_SIZE else f"{vendor}-{size}"


def ratio_table(report: dict, vendor: str):
    """Each request measured at both sizes: median and CPU at 100k and 1m, and 1m ÷ 100k
    (the issue's "flat as data grows": at most 1.5)."""
    from rich.table import Table

    small, large = report.get(_size_key(vendor, "100k")), report.get(_size_key(vendor, "1m"))
    if not small or not large:
        return None

    def requests(entry: dict) -> dict[str, dict]:
        rows = {r["name"]: r for r in entry.get("results", [])}
        for section in SECTIONS:
            for r in (
                (entry.get(section) or {}).get("results", [])
                if isinstance(entry.get(section), dict)
                else []
            ):
                rows.setdefault(r["name"], r)
        return rows

    a, b = requests(small), requests(large)
    table = Table(title=f"{vendor}: 100k → 1m", title_justify="left")
    for column in ("Request", "100k ms", "1m ms", "100k CPU", "1m CPU", "×", "queries"):
        table.add_column(column, justify="left" if column == "Request" else "right")
    for name in a:
        if name not in b:
            continue
        x, y = a[name], b[name]
        ratio = y["median_ms"] / x["median_ms"] if x["median_ms"] else 0
        table.add_row(
            name,
            f"{x['median_ms']:.1f}",
            f"{y['median_ms']:.1f}",
            str(x.get("cpu_median_ms") or "—"),
            str(y.get("cpu_median_ms") or "—"),
            f"{ratio:.2f}",
            f"{x['queries']} / {y['queries']}",
        )
    return table


def main(argv: list[str] | None = None) -> None:
    args = _arguments(argv)
    from bench import settings_env

    settings_env.configure("" if args.size == DEFAULT_SIZE else args.size)
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

    wanted = set(args.only or SECTIONS)
    # Every row a page reads is in before the first page is timed: the board, the person page
    # and Today read the deals and interactions, which the pipeline and engagement sections
    # insert (timing the board before the interactions went in reported 49 ms for 71).
    if "pipeline" in wanted or "engagement" in wanted:
        from bench import engagement, pipeline

        closed = args.deals // pipeline.CLOSED_SHARE
        if not pipeline._is_seeded(args.deals, closed, args.stage_changes):
            engagement.forget_interactions()  # they name the deals about to be replaced
        with console.status("Inserting deals and stage changes"):
            pipeline.seed(open_deals=args.deals, stage_changes=args.stage_changes)
        if "engagement" in wanted:
            engagement._seeded = engagement.seed_and_refresh(
                console=console, interactions=args.interactions
            )

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
    key = _size_key(connection.vendor, args.size)
    database_mb = round(settings_env.database_bytes() / 1_000_000, 1)
    peak_mb = round(settings_env.peak_memory_bytes() / 1_000_000, 1)
    console.print(
        f"Database size: {database_mb:,} MB. Peak memory of the process that served every "
        f"request (as one server process would): {peak_mb:,} MB."
    )
    report[key] = {
        **report.get(key, {}),
        "size": args.size,
        "database_mb": database_mb,
        "peak_memory_mb": peak_mb,
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
    ratios = ratio_table(report, connection.vendor)
    if ratios is not None:
        console.print(ratios)


if __name__ == "__main__":
    main(sys.argv[1:])
