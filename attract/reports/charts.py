"""Charts as server-rendered SVG, drawn by pygal (a maintained Python library) and cleaned so
that they live inside our pages under our Content-Security-Policy.

Why pygal and not a JavaScript library: the page works with no internet connection and no
script at all, a chart costs a few kilobytes of markup inside the HTML (no library to
download), prints like the rest of the page, and is tested as plain HTML. pygal's own
stylesheet and script are left out (the policy forbids inline ones): our CSS
(reports/static/reports/reports.css) colours the classes pygal writes, and our small script
(reports.js) shows a point's label on hover and on keyboard focus.

Each point carries a <title> ("Profit, March 2026: 12,300") for the pointer and an aria-label
for screen readers; the numbers are also in the table under the chart's "Data".
"""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from collections import OrderedDict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal

import pygal
from django.utils.safestring import SafeString, mark_safe
from pygal.style import Style

SVG_NS = "http://www.w3.org/2000/svg"
XLINK_NS = "http://www.w3.org/1999/xlink"
ET.register_namespace("", SVG_NS)
ET.register_namespace("xlink", XLINK_NS)

# Drawn at a phone's width: on a 390 px screen the text keeps about its size; on a desktop
# the chart grows, up to the width the CSS allows.
WIDTH, HEIGHT = 480, 300


def _plain(value: float) -> str:
    return f"{value:,.0f}"


def _compact(value: float) -> str:
    """An axis label: 12k, 1.5M (the points and the table keep every digit)."""
    size = abs(value)
    if size >= 1_000_000:
        return f"{value / 1_000_000:,.1f}M".replace(".0M", "M")
    if size >= 10_000:
        return f"{value / 1000:,.0f}k"
    if size >= 1000:
        return f"{value / 1000:,.1f}k".replace(".0k", "k")
    return f"{value:,.0f}"


UNITS: dict[str, Callable[[float], str]] = {
    "money": _plain,
    "count": _plain,
    "percent": lambda v: f"{v:.0f}%",
    "days": lambda v: f"{v:,.1f} d" if v < 10 else f"{v:,.0f} d",
    "hours": lambda v: f"{v:,.1f} h",
    "score": lambda v: f"{v:.3f}",
}


@dataclass
class Series:
    name: str
    values: list[float | None]


@dataclass
class ChartSpec:
    """What to draw, free of pygal: the API hands out the same figures."""

    kind: str  # "bar", "line", "hbar" (horizontal bars), "stacked"
    title: str
    x_labels: list[str]
    series: list[Series]
    unit: str = "count"
    caption: str = ""
    link: str = ""  # where the chart leads (a dashboard card links to its report)
    extra: dict = field(default_factory=dict)

    def as_dict(self) -> dict:
        return {
            "kind": self.kind,
            "title": self.title,
            "unit": self.unit,
            "x_labels": self.x_labels,
            "series": [{"name": s.name, "values": s.values} for s in self.series],
        }


def _number(value) -> float | None:
    if value is None:
        return None
    return float(value) if isinstance(value, (Decimal, int, float)) else value


def _chart_class(kind: str):
    return {
        "bar": pygal.Bar,
        "line": pygal.Line,
        "hbar": pygal.HorizontalBar,
        "stacked": pygal.StackedBar,
    }[kind]


# The sizes pygal lays the chart out with; reports.css draws the text at the same sizes.
STYLE = Style(
    font_family="sans-serif",
    label_font_size=13,
    major_label_font_size=13,
    legend_font_size=13,
    title_font_size=15,
    no_data_font_size=16,
)


def is_empty(spec: ChartSpec) -> bool:
    """Nothing to draw: every value missing, or (amounts and counts) zero — pygal would draw
    an axis of zeros. A share of 0% is a figure, drawn."""
    values = [v for series in spec.series for v in series.values if v is not None]
    if spec.unit in {"money", "count"}:
        return not any(values)
    return not values


def _legend_columns(spec: ChartSpec) -> int:
    """One row when the names are short, one per line when they are long."""
    longest = max((len(s.name) for s in spec.series), default=0)
    if longest > 16:
        return 1
    return min(4 if longest <= 10 else 3, len(spec.series) or 1)


def _config(spec: ChartSpec) -> dict:
    long_labels = len(spec.x_labels) > 6 or max((len(x) for x in spec.x_labels), default=0) > 9
    return {
        "js": [],
        "css": [],
        "no_prefix": True,
        "disable_xml_declaration": True,
        "width": WIDTH,
        "height": HEIGHT + (40 if long_labels and spec.kind != "hbar" else 0),
        "legend_at_bottom": True,
        "legend_at_bottom_columns": _legend_columns(spec),
        "style": STYLE,
        "legend_box_size": 12,
        "x_label_rotation": 40 if long_labels and spec.kind != "hbar" else 0,
        "truncate_label": 18,
        "truncate_legend": 30,
        "show_legend": True,
        "include_x_axis": True,
        # Axis labels compact, each point's own value in full.
        "value_formatter": _compact if spec.unit in {"money", "count"} else UNITS[spec.unit],
        "formatter": UNITS[spec.unit],
        "max_scale": 6,
        "min_scale": 3,
        "margin": 8,
        "spacing": 8,
        "print_values": False,
        "dots_size": 3,
        "no_data_text": "No data in this period",
        "tooltip_fancy_mode": False,
        # Weeks over a year: every label would overlap; a few, evenly spread, still say when.
        "x_labels_major_count": 8 if len(spec.x_labels) > 14 else None,
        "show_minor_x_labels": len(spec.x_labels) <= 14,
    }


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _clean(root: ET.Element) -> None:
    """Leave out what our Content-Security-Policy refuses (inline <style>, <script> and style
    attributes) and pygal's own tooltip layer, which needs its script."""
    for parent in list(root.iter()):
        for child in list(parent):
            name = _local(child.tag) if isinstance(child.tag, str) else ""
            if (
                name in {"style", "script"}
                or (name == "g" and "tooltip-overlay" in child.get("class", ""))
                or not isinstance(child.tag, str)
            ):
                parent.remove(child)
        parent.attrib.pop("style", None)
        # pygal writes coordinates with fifteen digits: a tenth of a pixel is plenty, and the
        # page is a third lighter for it.
        for name in _GEOMETRY.intersection(parent.attrib):
            parent.set(name, _DIGITS.sub(r"\1", parent.get(name)))


_GEOMETRY = {"x", "y", "width", "height", "d", "transform", "x1", "x2", "y1", "y2", "cx", "cy"}
_DIGITS = re.compile(r"(\d+\.\d)\d+")


def _label_points(root: ET.Element, spec: ChartSpec) -> None:
    """Give each bar or dot a <title> and an aria-label saying what it is, and make it
    reachable by keyboard (reports.js shows the same words on focus)."""
    names = [s.name for s in spec.series]
    for series in root.iter():
        if not isinstance(series.tag, str) or _local(series.tag) != "g":
            continue
        classes = series.get("class", "").split()
        if "series" not in classes:
            continue
        index = next((int(c[6:]) for c in classes if c.startswith("serie-")), None)
        if index is None or index >= len(names):
            continue
        for point in series.iter():
            if _local(point.tag) != "g":
                continue
            descs = {}
            for desc in [c for c in point if _local(c.tag) == "desc"]:
                kind = (desc.get("class") or " ").split()[0]
                if kind in {"x", "y"}:  # the tooltip's position, for pygal's script
                    point.remove(desc)
                else:
                    descs[kind] = desc.text or ""
            if "value" not in descs:
                continue
            where = descs.get("x_label", "")
            text = (
                f"{names[index]}, {where}: {descs['value']}"
                if where
                else (f"{names[index]}: {descs['value']}")
            )
            title = ET.Element("title" if point.tag == "g" else f"{{{SVG_NS}}}title")
            title.text = text
            point.insert(0, title)
            point.set("tabindex", "0")
            point.set("role", "img")
            point.set("aria-label", text)
            point.set("data-point", text)


# Rendered charts by their figures: the same figures draw the same SVG, so a page shown
# again (or by another user with the same view) skips pygal's ~15 ms per chart.
_RENDERED: OrderedDict[str, SafeString] = OrderedDict()
_CACHE_SIZE = 256


def render_chart(spec: ChartSpec) -> SafeString:
    key = json.dumps(spec.as_dict(), default=str, sort_keys=True)
    if key in _RENDERED:
        _RENDERED.move_to_end(key)
        return _RENDERED[key]
    svg = _render(spec)
    _RENDERED[key] = svg
    if len(_RENDERED) > _CACHE_SIZE:
        _RENDERED.popitem(last=False)
    return svg


def _render(spec: ChartSpec) -> SafeString:
    chart = _chart_class(spec.kind)(**_config(spec))
    # The page shows the title as a heading; inside the SVG it is its <title> only.
    chart.x_labels = spec.x_labels
    for series in spec.series:
        chart.add(series.name, [_number(v) for v in series.values])
    root = chart.render_tree()
    _clean(root)
    _label_points(root, spec)
    root.attrib.pop("id", None)
    title = ET.Element("title")
    title.text = spec.title
    root.insert(0, title)
    root.set("class", "pygal-chart report-chart")
    root.set("role", "group")
    root.set("aria-label", f"{spec.title}. The numbers are in the table under Data.")
    svg = ET.tostring(root, encoding="unicode")
    return mark_safe(svg)  # noqa: S308 - pygal's markup, our labels escaped by ElementTree


def table_values(rows: Sequence[dict], key: str) -> list:
    return [row.get(key) for row in rows]
