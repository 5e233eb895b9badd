"""Profit, not revenue: the arithmetic on a small known history, privacy, and filters."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from attract.people.models import Tag
from attract.reports.filters import ReportFilters, parse_filters
from attract.reports.profit import profit_report

PERIOD = {"start": date(2026, 3, 1), "end": date(2026, 4, 30)}


def _rows(figures, by):
    return {r["group"]: r for r in figures.rows if r["by"] == by}


def test_profit_by_month_owner_and_source_with_the_year_before(history, owner):
    figures = profit_report(user=owner, filters=ReportFilters(**PERIOD))
    months = _rows(figures, "month")
    assert months["Mar 2026"]["profit"] == Decimal("2500")  # 1000 + 1500
    assert months["Mar 2026"]["revenue"] == Decimal("12000")
    assert months["Mar 2026"]["profit_year_before"] == Decimal("800")
    assert months["Apr 2026"]["profit"] == Decimal("4000")  # the owner's own private deal
    owners = _rows(figures, "owner")
    assert owners["Olivia Owner"]["profit"] == Decimal("5000")
    assert owners["Olivia Owner"]["margin"] == Decimal("33.3")
    assert _rows(figures, "source")["Inbound"]["deals"] == 1
    assert _rows(figures, "fit band")["Not assessed"]["deals"] == 3
    # Ranked by profit, and the big-revenue, thin-margin customer is called out.
    assert any("little profit" in note and "10,000" in note for note in figures.notes)


def test_others_do_not_see_a_private_deal_in_the_figures(history, teammate):
    figures = profit_report(user=teammate, filters=ReportFilters(**PERIOD))
    assert _rows(figures, "month")["Apr 2026"]["deals"] == 0
    assert "Olivia Owner" in _rows(figures, "owner")  # her shared deal counts
    assert _rows(figures, "owner")["Olivia Owner"]["revenue"] == Decimal("10000")


def test_owner_and_tag_filters_narrow_the_deals(history, owner, teammate):
    tag = Tag.objects.get(name="Retail")
    figures = profit_report(user=owner, filters=ReportFilters(**PERIOD, tag=tag))
    assert list(_rows(figures, "owner")) == ["Tom Teammate"]
    figures = profit_report(user=owner, filters=ReportFilters(**PERIOD, owner=owner))
    assert list(_rows(figures, "owner")) == ["Olivia Owner"]


def test_an_empty_period_has_zero_rows_and_charts_still_draw(owner):
    figures = profit_report(user=owner, filters=ReportFilters(**PERIOD))
    assert all(r["deals"] == 0 for r in figures.rows)
    assert figures.charts[0].x_labels == ["Mar 2026", "Apr 2026"]


@pytest.mark.parametrize(
    ("data", "field", "words"),
    [
        ({"from": "2026-05-01", "to": "2026-04-01"}, "to", "ends before it starts"),
        ({"from": "1926-01-01", "to": "2026-01-01"}, "to", "at most ten years"),
        ({"from": "yesterday"}, "from", "not a date"),
        ({"from": "0001-01-01", "to": "0001-02-01"}, "from", "between 1900 and 2999"),
        ({"owner": "999999"}, "owner", "No user"),
        ({"owner": "nobody@example.com"}, "owner", "No user"),
        ({"tag": "Nope"}, "tag", "No tag named"),
    ],
)
def test_bad_filters_are_refused_with_a_message(db, data, field, words):
    with pytest.raises(ValidationError) as caught:
        parse_filters(data)
    assert words in " ".join(caught.value.message_dict[field])


def test_the_default_period_is_this_month_and_the_eleven_before(db):
    filters = parse_filters({}, today=date(2026, 12, 7))
    assert (filters.start, filters.end) == (date(2026, 1, 1), date(2026, 12, 7))
    assert len(filters.months()) == 12
