"""Timing real requests: Django's test client sends each one through the whole middleware
stack (sessions, authentication, CSRF, history, throttling) into the view and template, and
the SQL it runs is counted."""

from __future__ import annotations

import statistics
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import asdict, dataclass

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from rich.table import Table

from attract.accounts.models import User
from attract.accounts.services import api_token_create, api_token_revoke
from attract.core.search_text import search_key
from attract.people.models import Person


@dataclass
class Scenario:
    name: str
    url_for: Callable[[int], str]  # the URL of the n-th request
    api: bool = False


@dataclass
class Measurement:
    name: str
    example_url: str
    median_ms: float
    p95_ms: float
    queries: int  # the most any request made
    status: int  # the first status that was not 200, or 200
    # The median CPU time of this process per request: on a machine busy with other work
    # the wall time stretches, this does not (the database's work in SQLite is included).
    cpu_median_ms: float | None = None


def name_fragment() -> str:
    """Four letters of a common surname in the data, as a person would start typing it."""
    last_names = Person.objects.order_by("pk").values_list("last_name", flat=True)[:5000]
    common = Counter(
        key for key in (search_key(n) for n in last_names) if key.isascii() and len(key) >= 5
    ).most_common(1)
    return common[0][0][:4] if common else "a"


def scenarios(*, search_param: str, detail_url: Callable[[int], str]) -> list[Scenario]:
    fragment = name_fragment()
    pks = list(Person.objects.order_by("pk").values_list("pk", flat=True))
    step = max(1, len(pks) // 97)
    sample = pks[::step] or [0]
    return [
        Scenario("Person list, first page", lambda n: "/people/"),
        Scenario(
            f"Person list, search “{fragment}”", lambda n: f"/people/?{search_param}={fragment}"
        ),
        Scenario("Person detail", lambda n: detail_url(sample[n % len(sample)])),
        Scenario("API person list", lambda n: "/api/v1/persons", api=True),
        Scenario(
            f"API search “{fragment}”", lambda n: f"/api/v1/persons?search={fragment}", api=True
        ),
        # The lists issue 20 found counting most of their rows: the company list and the API
        # lists, deep pages by position included.
        Scenario("Company list, first page", lambda n: "/companies/"),
        Scenario("API company list", lambda n: "/api/v1/companies", api=True),
        Scenario("API deal list", lambda n: "/api/v1/deals", api=True),
    ]


def _percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(share * (len(ordered) - 1))))
    return ordered[index]


def measure(*, owner: User, items: list[Scenario], runs: int, warmups: int) -> list[Measurement]:
    client = Client()
    client.force_login(owner)
    token, secret = api_token_create(user=owner, name="make bench")
    api_headers = {"HTTP_AUTHORIZATION": f"Bearer {secret}"}
    results = []
    for scenario in items:
        headers = api_headers if scenario.api else {}
        for n in range(warmups):
            client.get(scenario.url_for(n), **headers)
        timings: list[float] = []
        cpu: list[float] = []
        most_queries = 0
        status = 200
        for n in range(runs):
            url = scenario.url_for(warmups + n)
            with CaptureQueriesContext(connection) as queries:
                started, cpu_started = time.perf_counter(), time.process_time()
                response = client.get(url, **headers)
                timings.append((time.perf_counter() - started) * 1000)
                cpu.append((time.process_time() - cpu_started) * 1000)
            most_queries = max(most_queries, len(queries))
            if response.status_code != 200 and status == 200:
                status = response.status_code
        results.append(
            Measurement(
                name=scenario.name,
                example_url=scenario.url_for(0),
                median_ms=round(statistics.median(timings), 1),
                p95_ms=round(_percentile(timings, 0.95), 1),
                queries=most_queries,
                status=status,
                cpu_median_ms=round(statistics.median(cpu), 1),
            )
        )
    api_token_revoke(user=owner, token=token)  # one run, one token: none is left usable
    return results


def as_dicts(results: list[Measurement]) -> list[dict]:
    return [asdict(r) for r in results]


def results_table(title: str, results: list) -> Table:
    """The table every benchmark part prints: one row a scenario, its URL dimmed below."""
    table = Table(title=title, title_justify="left")
    for column in ("Request", "Median ms", "p95 ms", "CPU ms", "SQL queries", "Status"):
        table.add_column(column, justify="left" if column == "Request" else "right")
    for r in results:
        cpu = getattr(r, "cpu_median_ms", None)
        table.add_row(
            f"{r.name}\n[dim]{r.example_url}[/]",
            f"{r.median_ms:.1f}",
            f"{r.p95_ms:.1f}",
            "—" if cpu is None else f"{cpu:.1f}",
            str(r.queries),
            str(r.status),
        )
    return table
