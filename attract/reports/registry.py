"""Every report by its name: the page, the API and `attract report NAME` look them up here,
so a name unknown to one is unknown to all (a 404, a 404, a clear CLI error)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from attract.accounts.models import User
from attract.reports.cycle import cycle_report
from attract.reports.figures import Figures
from attract.reports.filters import ReportFilters
from attract.reports.fit import fit_report
from attract.reports.forecasts import forecasts_report
from attract.reports.lost import lost_report
from attract.reports.profit import profit_report
from attract.reports.pushpull import pushpull_report
from attract.reports.rhythm import rhythm_report


@dataclass(frozen=True)
class Report:
    name: str
    title: str
    summary: str
    build: Callable[..., Figures]

    def figures(self, *, user: User, filters: ReportFilters) -> Figures:
        return self.build(user=user, filters=filters)


REPORTS: dict[str, Report] = {
    report.name: report
    for report in (
        Report(
            "profit",
            "Profit, not revenue",
            "Won profit and revenue by month, owner, customer, source and fit band; margins.",
            profit_report,
        ),
        Report(
            "pushpull",
            "Push or Pull",
            "The share of Pull over time, by owner and source; win rate and days to close of "
            "Pull deals against Push deals.",
            pushpull_report,
        ),
        Report(
            "cycle",
            "The sales cycle",
            "For each stage: entered, moved on, fell back, lost, median days; conversion to won; "
            "what became of deals that fell back; fast no against long maybe.",
            cycle_report,
        ),
        Report(
            "forecasts",
            "Forecasts, checked",
            "The forecast at the start of each past month, with configured and learned chances "
            "known then, beside what was won; errors and Brier scores.",
            forecasts_report,
        ),
        Report(
            "lost",
            "Lost deals",
            "Why deals were lost, from the list the business edits, with counts and value over "
            "time.",
            lost_report,
        ),
        Report(
            "fit",
            "Fit that is proven",
            "For each quality on the plan, win rate, profit per deal and customers still with "
            "us, with and without it; suggestions when the data disagree with a weight.",
            fit_report,
        ),
        Report(
            "rhythm",
            "Response and rhythm",
            "Response times by user and by week against the target; conversations and quotes "
            "each week against the goals.",
            rhythm_report,
        ),
    )
}


def report_named(name: str) -> Report | None:
    return REPORTS.get(name)
