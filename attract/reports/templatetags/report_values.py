"""{{ value|report_value:unit }}: a report's figure as the reader expects it."""

from __future__ import annotations

from decimal import Decimal

from django import template

register = template.Library()


@register.filter
def report_value(value, unit: str = "text") -> str:
    return format_value(value, unit)


@register.filter
def cell(row: dict, key: str):
    return row.get(key)


def format_value(value, unit: str = "text") -> str:
    if value is None or value == "":
        return "—"
    if unit in {"money", "count"} and isinstance(value, (int, float, Decimal)):
        return f"{value:,.0f}"
    if unit == "percent" and isinstance(value, (int, float, Decimal)):
        return f"{value:.0f}%"
    if unit == "days" and isinstance(value, (int, float, Decimal)):
        return f"{value:,.1f}"
    if unit == "hours" and isinstance(value, (int, float, Decimal)):
        return f"{value:,.1f}"
    if unit == "score" and isinstance(value, (int, float, Decimal)):
        return f"{value:.3f}"
    return str(value)


@register.simple_tag
def chart_table(chart) -> str:
    """The chart's own numbers as a table, for its "Data" (screen readers, copying, print)."""
    from django.template.loader import render_to_string

    rows = [
        (label, [format_value(s.values[i], chart.unit) for s in chart.series])
        for i, label in enumerate(chart.x_labels)
    ]
    return render_to_string("reports/partials/_chart_table.html", {"chart": chart, "rows": rows})


@register.filter
def chart_is_empty(chart) -> bool:
    from attract.reports.charts import is_empty

    return is_empty(chart)
