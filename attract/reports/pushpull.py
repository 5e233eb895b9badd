"""Push or Pull: the share of Pull among the deals closed in the period, by month, owner and
source; the win rate and the days to close of Pull deals against Push deals; and the share of
Pull among open deals week by week (the review's own stored weeks).

A closed deal counts as Pull when its prospect ever reached out to us or replied quickly: it
has a stored pull signal (engagement.DealSignal, kept in step with every interaction), so no
interaction is read here. Won against lost decides the win rate; a referral out is neither.

Queries: three grouped counts (month, owner, source), two medians (count and middle row each),
the owners' names, and the stored weeks: fixed, whatever the history."""

from __future__ import annotations

from collections import defaultdict

from django.db.models import BooleanField, Case, Count, F, Value, When

from attract.accounts.models import User
from attract.engagement.pushpull import weekly_pull_share
from attract.pipeline.forecasting import _median_duration
from attract.pipeline.models import Outcome, Source
from attract.reports.charts import ChartSpec, Series
from attract.reports.figures import (
    Column,
    Figures,
    deals_for,
    in_period,
    month_bucket,
    month_label,
    percent,
    user_name,
)
from attract.reports.filters import ReportFilters

COLUMNS = [
    Column("by", "By"),
    Column("group", "Group"),
    Column("closed", "Deals closed", "count"),
    Column("pull", "Pull deals", "count"),
    Column("pull_share", "Pull share %", "percent"),
    Column("pull_win_rate", "Pull win rate %", "percent"),
    Column("push_win_rate", "Push win rate %", "percent"),
    Column("median_days", "Median days to close", "days"),
]
WEEKS = 12


def _is_pull() -> Case:
    return Case(
        When(engagement_signal__isnull=False, then=Value(True)),
        default=Value(False),
        output_field=BooleanField(),
    )


class _Tally:
    def __init__(self) -> None:
        self.counts: dict[tuple[bool, str], int] = defaultdict(int)

    def add(self, pull: bool, outcome: str, n: int) -> None:
        self.counts[(bool(pull), outcome)] += n

    def closed(self, pull: bool | None = None) -> int:
        return sum(n for (p, _), n in self.counts.items() if pull is None or p == pull)

    def win_rate(self, pull: bool) -> float | None:
        won = self.counts[(pull, Outcome.WON)]
        return percent(won, won + self.counts[(pull, Outcome.LOST)])

    def row(self, by: str, group: str) -> dict:
        return {
            "by": by,
            "group": group,
            "closed": self.closed(),
            "pull": self.closed(True),
            "pull_share": percent(self.closed(True), self.closed()),
            "pull_win_rate": self.win_rate(True),
            "push_win_rate": self.win_rate(False),
            "median_days": None,
        }


def _tallies(qs, key) -> dict:
    tallies: dict = defaultdict(_Tally)
    rows = (
        qs.annotate(key=key, is_pull=_is_pull())
        .values("key", "is_pull", "outcome")
        .annotate(n=Count("id"))
        .order_by()
        .values_list("key", "is_pull", "outcome", "n")
    )
    for key, pull, outcome, n in rows:
        tallies[key].add(pull, outcome, n)
    return tallies


def pushpull_report(*, user: User, filters: ReportFilters) -> Figures:
    closed = (
        deals_for(user, filters)
        .exclude(outcome=Outcome.OPEN)
        .filter(in_period("closed_at", filters.start_at, filters.end_before))
    )
    months = filters.months()
    by_month = _tallies(closed, month_bucket("closed_at", months))
    month_rows = [by_month[i].row("month", month_label(m)) for i, m in enumerate(months)]

    by_owner = _tallies(closed, F("owner_id"))
    owners = User.objects.in_bulk([k for k in by_owner if k])
    owner_rows = sorted(
        (t.row("owner", user_name(owners.get(k))) for k, t in by_owner.items()),
        key=lambda r: r["group"],
    )
    by_source = _tallies(closed, F("source"))
    source_rows = [by_source[value].row("source", label) for value, label in Source.choices]

    everyone = _Tally()
    for tally in by_month.values():
        for (pull, outcome), n in tally.counts.items():
            everyone.add(pull, outcome, n)
    kind_rows = []
    for pull, label in ((True, "Pull"), (False, "Push")):
        row = everyone.row("kind", label)
        # The Pull row holds the Pull deals only, the Push row the Push deals.
        row["closed"] = everyone.closed(pull)
        row["pull"] = everyone.closed(True) if pull else 0
        row["pull_share"] = None
        row["pull_win_rate" if not pull else "push_win_rate"] = None
        won = closed.filter(outcome=Outcome.WON).annotate(is_pull=_is_pull())
        days, _ = _median_duration(won.filter(is_pull=pull))
        row["median_days"] = round(days.total_seconds() / 86400, 1) if days else None
        kind_rows.append(row)

    weeks = weekly_pull_share(user=user, weeks=WEEKS)
    charts = [
        ChartSpec(
            kind="line",
            title="Pull share of the deals closed, by month",
            x_labels=[r["group"] for r in month_rows],
            series=[Series("Pull share", [r["pull_share"] for r in month_rows])],
            unit="percent",
            caption="Of the deals closed each month (won, lost or referred out), the share whose "
            "prospect had reached out to us or replied quickly.",
        ),
        ChartSpec(
            kind="bar",
            title="Win rate, Pull against Push",
            x_labels=[r["group"] for r in owner_rows] + ["Everyone"],
            series=[
                Series(
                    "Pull deals",
                    [r["pull_win_rate"] for r in owner_rows] + [everyone.win_rate(True)],
                ),
                Series(
                    "Push deals",
                    [r["push_win_rate"] for r in owner_rows] + [everyone.win_rate(False)],
                ),
            ],
            unit="percent",
            caption="Of the Pull deals (and of the Push deals) won or lost, the share won, per "
            "owner and for everyone.",
        ),
        ChartSpec(
            kind="bar",
            title="Median days to a yes, Pull against Push",
            x_labels=["Pull deals", "Push deals"],
            series=[Series("Median days to close", [r["median_days"] for r in kind_rows])],
            unit="days",
            caption="Days from a won deal's creation to its close.",
        ),
        ChartSpec(
            kind="hbar",
            title="Pull share by source",
            x_labels=[r["group"] for r in source_rows],
            series=[Series("Pull share", [r["pull_share"] for r in source_rows])],
            unit="percent",
            caption="Of the deals closed in the period from each source, the share that pulled.",
        ),
        ChartSpec(
            kind="line",
            title="Pull share of open deals, week by week",
            x_labels=[w.label for w in weeks],
            series=[Series("Pull share", [w.percent if w.total else None for w in weeks])],
            unit="percent",
            caption="The whole team's open deals at the end of each week (not narrowed by the "
            "filters), judged on what was known then.",
        ),
    ]
    notes = []
    pull_rate, push_rate = kind_rows[0]["pull_win_rate"], kind_rows[1]["push_win_rate"]
    if pull_rate is not None and push_rate is not None:
        notes.append(
            f"Pull deals were won {pull_rate:.0f}% of the time, Push deals {push_rate:.0f}% "
            f"({kind_rows[0]['closed']} and {kind_rows[1]['closed']} deals closed)."
        )
    return Figures(
        name="pushpull",
        title="Push or Pull",
        filters=filters,
        columns=COLUMNS,
        rows=month_rows + owner_rows + source_rows + kind_rows,
        charts=charts,
        notes=notes,
    )
