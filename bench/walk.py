"""The persona walk's run time (attract/core/tests/test_persona_walk.py), for `make bench`.

The walk is a test: it runs against the small world of walk_world.py, not the seeded
benchmark data (a walk over 100,000 persons would time the exports, not the walk). So this
section walks in a child process on a database of its own, empty but migrated:
var/bench/walk.sqlite3, or `<bench database>_walk` on PostgreSQL. The world is built in a
transaction that is rolled back; each persona's walk (the reads, the writes refused, the
writes allowed) runs in a savepoint rolled back after it, as in the test. Reported: the
time to build the world, each persona's time and requests, the total, and how many URL
patterns and API operations the registry walks. A failure the walk finds is reported too.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time

from rich.table import Table

from bench import settings_env


def run(*, console, owner=None, runs: int = 0, warmups: int = 0) -> dict:
    """Run the walk in a child process and print its figures."""
    completed = subprocess.run(
        [sys.executable, "-m", "bench.walk"],
        capture_output=True,
        text=True,
        cwd=settings_env.REPO,
        env={**os.environ, "PYTHONPATH": str(settings_env.REPO)},
        check=False,
    )
    if completed.returncode != 0:
        console.print(f"[red]The persona walk did not run:[/]\n{completed.stderr[-2000:]}")
        return {"walk": {"error": completed.stderr[-500:]}}
    figures = json.loads(completed.stdout.strip().splitlines()[-1])
    console.print(results_table(figures))
    return {"walk": figures}


def results_table(figures: dict) -> Table:
    table = Table(
        title=f"Persona walk ({figures['vendor']}): {figures['url_patterns']} URL patterns, "
        f"{figures['api_operations']} API operations; world built in "
        f"{figures['world_seconds']:.2f} s"
    )
    for column in ("persona", "requests", "reads s", "refused writes s", "allowed writes s"):
        table.add_column(column, justify="left" if column == "persona" else "right")
    table.add_column("total s", justify="right")
    for row in figures["personas"]:
        table.add_row(
            row["persona"],
            f"{row['requests']:,}",
            f"{row['reads_seconds']:.2f}",
            f"{row['refused_writes_seconds']:.2f}",
            f"{row['allowed_writes_seconds']:.2f}",
            f"{row['seconds']:.2f}",
        )
    table.add_row(
        "all",
        f"{figures['requests']:,}",
        "",
        "",
        "",
        f"{figures['total_seconds']:.2f}",
        style="bold",
    )
    table.caption = f"CPU time of the walks: {figures.get('walk_cpu_seconds', 0):.2f} s"
    if figures["failures"]:
        table.caption += f"; {figures['failures']} failures: run the test to see them"
    return table


def walk() -> dict:
    """The walk itself; Django is set up on the walk's own database."""
    from django.db import connection, transaction

    from attract.core.tests.persona_walk import Walker, api_operations, url_patterns
    from attract.core.tests.walk_world import PERSONAS, VISITOR, build_world

    personas = []
    failures = 0
    with transaction.atomic():
        started = time.perf_counter()
        world = build_world()
        world_seconds = time.perf_counter() - started
        cpu_started = time.process_time()
        for persona in PERSONAS:
            row = {"persona": persona, "requests": 0}
            parts = [("reads", "reads")]
            parts.append(("refused_writes", "refused_writes"))
            if persona != VISITOR:
                parts.append(("allowed_writes", "allowed_writes"))
            row["allowed_writes_seconds"] = 0.0
            for label, method in parts:
                walker = Walker(world, persona)
                with transaction.atomic():
                    started = time.perf_counter()
                    getattr(walker, method)()
                    row[f"{label}_seconds"] = round(time.perf_counter() - started, 3)
                    transaction.set_rollback(True)
                row["requests"] += walker.count
                failures += len(walker.failures)
            row["seconds"] = round(
                row["reads_seconds"]
                + row["refused_writes_seconds"]
                + row["allowed_writes_seconds"],
                3,
            )
            personas.append(row)
        walk_cpu = time.process_time() - cpu_started
        transaction.set_rollback(True)
    return {
        "vendor": connection.vendor,
        "url_patterns": sum(1 for _ in url_patterns()),
        "api_operations": sum(1 for _ in api_operations()),
        "world_seconds": round(world_seconds, 3),
        "personas": personas,
        "requests": sum(row["requests"] for row in personas),
        "total_seconds": round(world_seconds + sum(row["seconds"] for row in personas), 3),
        # This process's CPU time for the personas' walks: steadier than the clock on a
        # shared machine, and close to the quiet machine's time on SQLite (the database
        # works in this process there).
        "walk_cpu_seconds": round(walk_cpu, 3),
        "failures": failures,
    }


def _child() -> None:
    settings_env.configure()
    from django.conf import settings

    database = settings.DATABASES["default"]
    if database["ENGINE"].endswith("sqlite3"):
        database["NAME"] = settings_env.BENCH_DIR / "walk.sqlite3"
    else:
        database["NAME"] = f"{database['NAME']}_walk"
        settings_env._create_postgres_database(database)
    # The walk's test client asks for pages as the test suite does.
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=0)
    # The pages name their assets through the manifest, as in production.
    call_command("collectstatic", interactive=False, verbosity=0)
    print(json.dumps(walk()))


if __name__ == "__main__":
    _child()
