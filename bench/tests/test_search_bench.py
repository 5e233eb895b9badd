"""The search benchmark runs on a tiny seed: every request answers 200 with a fixed number
of queries, and the figures name the size they were measured at."""

import pytest
from rich.console import Console

from bench import pipeline, search, seeding

pytestmark = pytest.mark.django_db


def test_every_search_request_answers_and_the_figures_say_the_size():
    seeded = seeding.seed(persons=30, companies=5)
    pipeline.seed(open_deals=10, stage_changes=20)
    figures = search.run(console=Console(quiet=True), owner=seeded.owner, runs=2, warmups=1)
    assert figures["rows"]["persons"] == 30 and figures["rows"]["deals"] >= 10
    assert all(r["status"] == 200 for r in figures["results"])
    assert all(0 < r["queries"] < 20 for r in figures["results"])
