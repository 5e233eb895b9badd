"""What every report hands back, whatever asks (page, API, CLI): its charts' figures, one
table in long form (one row per figure, the same rows as the CSV), a few sentences worth
reading, and the building blocks the reports share (the deals a user may see under the
filters, month buckets counted by the database)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time
from decimal import Decimal

from django.db.models import Case, IntegerField, Q, QuerySet, Value, When
from django.utils import timezone

from attract.accounts.models import User
from attract.core.permissions import visible_to
from attract.pipeline.models import Deal
from attract.reports.charts import ChartSpec
from attract.reports.filters import ReportFilters, add_months

ZERO = Decimal("0")


@dataclass(frozen=True)
class Column:
    key: str
    label: str
    unit: str = "text"  # text, count, money, percent, days, score


@dataclass
class Figures:
    name: str
    title: str
    filters: ReportFilters
    columns: list[Column]
    rows: list[dict]
    charts: list[ChartSpec] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def as_dict(self) -> dict:
        return {
            "name": self.name,
            "title": self.title,
            "from": self.filters.start,
            "to": self.filters.end,
            "owner": self.filters.owner.pk if self.filters.owner else None,
            "tag": self.filters.tag.name if self.filters.tag else None,
            "columns": [{"key": c.key, "label": c.label, "unit": c.unit} for c in self.columns],
            "rows": [{c.key: _plain(row.get(c.key)) for c in self.columns} for row in self.rows],
            "charts": [chart.as_dict() for chart in self.charts],
            "notes": self.notes,
        }


def _plain(value):
    if isinstance(value, Decimal):
        return float(value)
    return value


def user_name(user: User | None) -> str:
    if user is None:
        return "Nobody"
    return user.full_name or user.email


def deals_for(user: User, filters: ReportFilters, *, owner_field: str = "owner_id") -> QuerySet:
    """The deals this user may see, narrowed to the filters' owner and tag."""
    qs = visible_to(Deal.objects.all(), user)
    if filters.owner:
        qs = qs.filter(**{owner_field: filters.owner.pk})
    if filters.tag:
        qs = qs.filter(tags=filters.tag)
    return qs


def local_midnight(day: date) -> datetime:
    return datetime.combine(day, time.min, timezone.get_current_timezone())


def month_bucket(field_name: str, months: list[date]) -> Case:
    """The index of the month (in `months`, consecutive) a datetime falls in, decided by the
    database with plain comparisons (no per-row date function, which SQLite runs in Python)."""
    whens = [
        When(**{f"{field_name}__lt": local_midnight(add_months(month, 1))}, then=Value(index))
        for index, month in enumerate(months)
    ]
    return Case(*whens, default=Value(len(months)), output_field=IntegerField())


def in_period(field_name: str, start: datetime, end_before: datetime) -> Q:
    return Q(**{f"{field_name}__gte": start, f"{field_name}__lt": end_before})


def month_label(month: date) -> str:
    return f"{month:%b %Y}"


def margin(revenue: Decimal, profit: Decimal) -> Decimal | None:
    return (profit * 100 / revenue).quantize(Decimal("0.1")) if revenue else None


def percent(part: int | float, whole: int | float) -> float | None:
    return round(100 * part / whole, 1) if whole else None
