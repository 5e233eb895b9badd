"""The walk section's table names every persona and the totals; the walk itself is the test
suite's (attract/core/tests/test_persona_walk.py), not run a second time here."""

from rich.console import Console

from bench.walk import results_table


def test_the_table_shows_each_persona_and_the_total():
    row = {
        "requests": 400,
        "reads_seconds": 1.5,
        "refused_writes_seconds": 0.5,
        "allowed_writes_seconds": 1.0,
        "seconds": 3.0,
    }
    figures = {
        "vendor": "sqlite",
        "url_patterns": 120,
        "api_operations": 96,
        "world_seconds": 0.8,
        "personas": [{"persona": p, **row} for p in ("owner", "visitor")],
        "requests": 800,
        "total_seconds": 6.8,
        "failures": 0,
    }
    console = Console(record=True, width=140)
    console.print(results_table(figures))
    text = console.export_text()
    assert "120 URL patterns, 96 API operations" in text
    assert "owner" in text and "visitor" in text and "6.80" in text
