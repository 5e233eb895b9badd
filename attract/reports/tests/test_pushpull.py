"""Push or Pull on a small known history: a closed deal whose prospect pulled counts as Pull."""

from __future__ import annotations

from datetime import date

from attract.engagement.models import DealSignal
from attract.reports.filters import ReportFilters
from attract.reports.pushpull import pushpull_report

PERIOD = ReportFilters(start=date(2026, 3, 1), end=date(2026, 4, 30))


def _rows(figures, by):
    return {r["group"]: r for r in figures.rows if r["by"] == by}


def test_pull_share_and_win_rates_of_pull_against_push(history, owner):
    # The big March win and the April loss had prospects who reached out.
    for key in ("march_big", "april_lost"):
        deal = history[key]
        DealSignal.objects.create(
            deal=deal, last_pull_at=deal.closed_at, owner=deal.owner, is_open=False
        )
    figures = pushpull_report(user=owner, filters=PERIOD)
    months = _rows(figures, "month")
    assert (months["Mar 2026"]["closed"], months["Mar 2026"]["pull"]) == (2, 1)
    assert months["Mar 2026"]["pull_share"] == 50.0
    assert (months["Apr 2026"]["closed"], months["Apr 2026"]["pull"]) == (2, 1)
    kinds = _rows(figures, "kind")
    assert kinds["Pull"]["pull_win_rate"] == 50.0  # one won, one lost
    assert kinds["Push"]["push_win_rate"] == 100.0  # two won
    assert kinds["Pull"]["median_days"] is not None
    assert (kinds["Pull"]["closed"], kinds["Push"]["closed"]) == (2, 2)
    assert _rows(figures, "owner")["Tom Teammate"]["pull_share"] == 50.0
    assert "Pull deals were won 50%" in figures.notes[0]


def test_someone_elses_private_deal_is_not_counted(history, teammate):
    figures = pushpull_report(user=teammate, filters=PERIOD)
    assert _rows(figures, "month")["Apr 2026"]["closed"] == 1  # only the shared loss
