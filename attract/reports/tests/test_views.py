"""The Reports pages, their CSV, pinning, the API and the CLI, with a fixed number of queries
and clear refusals of bad input. Every report in the registry is walked the same way."""

from __future__ import annotations

import csv
import io

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from attract.people.tests.test_api import ApiClient
from attract.pipeline.tests.factories import DealFactory
from attract.reports.registry import REPORTS

PERIOD = {"from": "2026-03-01", "to": "2026-04-30"}


def test_the_dashboard_shows_its_charts_each_linking_to_its_report(owner_client, history):
    response = owner_client.get("/reports/")
    assert response.status_code == 200
    html = response.content.decode()
    assert html.count('class="pygal-chart report-chart"') >= 1 and "Nothing to draw" in html
    assert "Won profit by month" in html and "/reports/profit/" in html
    assert "<style" not in html.split("<main", 1)[1]  # no inline style: the CSP forbids it
    assert "<script type" not in html.split("<main", 1)[1]


@pytest.mark.parametrize("name", list(REPORTS))
def test_each_report_leads_with_a_chart_then_its_table_and_csv(owner_client, history, name):
    owner_client.get(f"/reports/{name}/", PERIOD)  # warm the caches a first visit fills
    with CaptureQueriesContext(connection) as first:
        response = owner_client.get(f"/reports/{name}/", PERIOD)
    assert response.status_code == 200
    html = response.content.decode()
    assert html.index("pygal-chart") < html.index('id="report-table"')
    assert "<title>" in html.split("pygal-chart", 1)[1]  # points say what they are
    # More history must not mean more queries.
    DealFactory.create_batch(3, owner=history["march_big"].owner, outcome="won")
    with CaptureQueriesContext(connection) as second:
        owner_client.get(f"/reports/{name}/", PERIOD)
    assert len(second) == len(first)
    response = owner_client.get(f"/reports/{name}/csv/", PERIOD)
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert len(rows) > 1


def test_an_unknown_report_is_404_everywhere(owner_client, owner):
    assert owner_client.get("/reports/nope/").status_code == 404
    assert owner_client.get("/reports/nope/csv/").status_code == 404
    assert ApiClient(owner).get("/reports/nope").status_code == 404
    with pytest.raises(CommandError, match="No report named “nope”"):
        call_command("report", "nope")


def test_bad_filters_are_refused_on_the_page_in_the_csv_in_the_api_and_the_cli(owner_client, owner):
    bad = {"from": "2026-05-01", "to": "2026-04-01"}
    response = owner_client.get("/reports/profit/", bad)
    assert response.status_code == 400
    assert "ends before it starts" in response.content.decode()
    assert owner_client.get("/reports/profit/csv/", {"tag": "nope"}).status_code == 400
    response = ApiClient(owner).get("/reports/profit", **{"from": "1900-01-01"})
    assert response.status_code == 422
    assert response.json()["detail"][0]["field"] == "to"
    response = ApiClient(owner).get("/reports/profit", owner="12345")
    assert response.status_code == 422 and "No user" in response.content.decode()
    with pytest.raises(CommandError, match="ten years"):
        call_command("report", "profit", "--from", "1900-01-01", "--to", "2026-01-01")


def test_the_api_gives_the_figures_and_hides_private_deals(history, owner, teammate):
    body = ApiClient(teammate).get("/reports/profit", **PERIOD).json()
    months = {r["group"]: r for r in body["rows"] if r["by"] == "month"}
    assert months["Apr 2026"]["deals"] == 0
    assert body["charts"][0]["title"] == "Won profit by month"
    body = ApiClient(owner).get("/reports/profit", **PERIOD).json()
    months = {r["group"]: r for r in body["rows"] if r["by"] == "month"}
    assert months["Apr 2026"]["profit"] == 4000
    assert [r["name"] for r in ApiClient(owner).get("/reports").json()] == list(REPORTS)


def test_the_cli_prints_a_table_or_writes_csv(history, owner, tmp_path, capsys):
    call_command("report", "profit", "--from", "2026-03-01", "--to", "2026-04-30")
    out = capsys.readouterr().out
    assert "Profit, not revenue" in out and "Mar 2026" in out and "2,500" in out
    target = tmp_path / "profit.csv"
    call_command(
        "report",
        "profit",
        "--from",
        "2026-03-01",
        "--to",
        "2026-04-30",
        "--csv",
        "--output",
        str(target),
    )
    rows = list(csv.DictReader(target.open()))
    assert {"By", "Group", "Profit"} <= set(rows[0])


def test_a_report_pinned_shows_on_the_dashboard_and_unpins(owner_client, teammate_client, history):
    response = owner_client.post("/reports/profit/pin/", {"next": "/reports/"})
    assert response.status_code == 302 and response["Location"] == "/reports/"
    assert "Pinned" in owner_client.get("/reports/").content.decode()
    assert "Pinned" not in teammate_client.get("/reports/").content.decode()
    owner_client.post("/reports/profit/pin/")
    assert "Pinned" not in owner_client.get("/reports/").content.decode()
    assert owner_client.post("/reports/nope/pin/").status_code == 404
    response = owner_client.post("/reports/profit/pin/", {"next": "https://evil.example/"})
    assert response["Location"].startswith("/reports/profit/")


def test_a_report_page_weighs_little(owner_client, history):
    """Five charts drawn inline: the whole first load (HTML, CSS, JS) stays well under the
    150 KB budget, the HTML itself under 25 KB compressed."""
    from attract.web.page_weight import FIRST_LOAD_BUDGET, weigh

    weight = weigh(owner_client, "/reports/profit/?from=2025-01-01&to=2026-12-31")
    assert weight.compressed < FIRST_LOAD_BUDGET
    assert weight.html.compressed < 25 * 1024, (weight.html.raw, weight.html.compressed)
    print(
        f"profit report: HTML {weight.html.raw} B ({weight.html.compressed} B gzip), "
        f"first load {weight.compressed} B gzip"
    )
