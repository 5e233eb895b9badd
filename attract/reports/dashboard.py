"""The dashboard: the few charts that matter this month, each leading to its report, then the
reports the user pinned (each pinned report's first chart)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import SafeString

from attract.accounts.models import User
from attract.engagement.pushpull import weekly_pull_share
from attract.engagement.responses import response_stats, target_hours
from attract.pipeline.forecasting import forecast_by_month
from attract.reports.charts import ChartSpec, Series
from attract.reports.figures import month_label
from attract.reports.filters import ReportFilters, add_months, default_period, month_start
from attract.reports.pins import pinned_names
from attract.reports.registry import REPORTS

FORECAST_MONTHS = 3


@dataclass
class Card:
    title: str
    chart: ChartSpec
    link: str
    link_label: str
    pinned: bool = False
    svg: SafeString | None = None


def _report_link(name: str) -> str:
    return reverse("reports:report", args=[name])


def profit_card(user: User, today: date) -> Card:
    start, end = default_period(today)
    figures = REPORTS["profit"].figures(user=user, filters=ReportFilters(start=start, end=end))
    chart = figures.charts[0]
    return Card("Won profit", chart, _report_link("profit"), "Profit, not revenue")


def pull_card(user: User) -> Card:
    weeks = weekly_pull_share(user=user, weeks=8)
    chart = ChartSpec(
        kind="line",
        title="Share of Pull, week by week",
        x_labels=[w.label for w in weeks],
        series=[Series("Pull share", [w.percent if w.total else None for w in weeks])],
        unit="percent",
        caption="Of the deals open at the end of each week, the share whose prospect was "
        "reaching out to us.",
    )
    name = "pushpull" if "pushpull" in REPORTS else ""
    link = _report_link(name) if name else reverse("engagement:review")
    return Card("Share of Pull", chart, link, "Push or Pull")


def forecast_card(user: User, today: date) -> Card:
    forecast = forecast_by_month(user=user)
    months = [add_months(month_start(today), i) for i in range(FORECAST_MONTHS)]
    by_month = {m.month: m for m in forecast.months}
    rows = [by_month.get(m) for m in months]
    chart = ChartSpec(
        kind="bar",
        title=f"Forecast for the next {FORECAST_MONTHS} months",
        x_labels=[month_label(m) for m in months],
        series=[
            Series("Configured chances", [r.weighted_configured if r else 0 for r in rows]),
            Series("Learned chances", [r.weighted_learned if r else 0 for r in rows]),
            Series("Open revenue", [r.revenue if r else 0 for r in rows]),
        ],
        unit="money",
        caption="Open deals' revenue by expected close month, weighted by each stage's chance "
        "(as configured, and as learned from your closed deals).",
    )
    name = "forecasts" if "forecasts" in REPORTS else ""
    link = _report_link(name) if name else reverse("pipeline:forecast")
    return Card("Forecast", chart, link, "Forecasts, checked")


def response_card() -> Card:
    stats = sorted(response_stats(days=30), key=lambda s: s.user_label)
    chart = ChartSpec(
        kind="hbar",
        title="Response time, last 30 days",
        x_labels=[s.user_label for s in stats],
        series=[
            Series("Median working hours", [s.median_hours for s in stats]),
            Series("Target", [target_hours() for _ in stats]),
        ],
        unit="hours",
        caption="How long an inbound message waited for our answer, in working hours, "
        "against the target.",
    )
    name = "rhythm" if "rhythm" in REPORTS else ""
    link = _report_link(name) if name else reverse("engagement:goals")
    return Card("Response time", chart, link, "Response and rhythm")


def dashboard_for(*, user: User) -> list[Card]:
    today = timezone.localdate()
    cards = [profit_card(user, today), pull_card(user), forecast_card(user, today), response_card()]
    start, end = default_period(today)
    for name in pinned_names(user=user):
        report = REPORTS.get(name)
        if report is None:  # a report that no longer exists
            continue
        figures = report.figures(user=user, filters=ReportFilters(start=start, end=end))
        if figures.charts:
            cards.append(
                Card(report.title, figures.charts[0], _report_link(name), report.title, True)
            )
    return cards
