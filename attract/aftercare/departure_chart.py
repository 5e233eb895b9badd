"""The "why ours leave" chart as server-rendered SVG geometry: for each reason, our share of
departures beside the published share, as two horizontal bars under the reason's name (a
layout that stays readable on a phone). All the chart's arithmetic is here, so that it can
move onto a charting library later without touching the selectors or the page."""

from __future__ import annotations

from dataclasses import dataclass

from attract.aftercare.departure_selectors import WhyTheyLeave

WIDTH = 400
BAR_LEFT = 0
BAR_SPACE = 330  # the bars' width at the scale's top; the rest holds the value labels
ROW = 50
TOP = 30  # room for the legend


@dataclass(frozen=True)
class ChartRow:
    label: str
    y: int
    ours: float
    published: int | None
    ours_width: float
    published_width: float
    count: int

    @property
    def bars_y(self) -> int:
        return self.y + 6

    @property
    def published_y(self) -> int:
        return self.y + 21

    @property
    def ours_label_x(self) -> str:
        return f"{self.ours_width + 4:.1f}"

    @property
    def published_label_x(self) -> str:
        return f"{self.published_width + 4:.1f}"


@dataclass(frozen=True)
class ReasonChart:
    rows: list[ChartRow]
    height: int
    scale_top: int
    width: int = WIDTH


def reason_chart(figures: WhyTheyLeave) -> ReasonChart:
    highest = max([r.share for r in figures.rows] + [r.published or 0 for r in figures.rows])
    # The scale's top: the highest share rounded up to ten, so 68% fills most of it.
    scale_top = max(10, int(-(-highest // 10) * 10))
    rows = []
    for n, row in enumerate(figures.rows):
        rows.append(
            ChartRow(
                label=row.label,
                y=TOP + n * ROW + 12,
                ours=row.share,
                published=row.published,
                ours_width=round(BAR_SPACE * row.share / scale_top, 1),
                published_width=round(BAR_SPACE * (row.published or 0) / scale_top, 1),
                count=row.count,
            )
        )
    return ReasonChart(rows=rows, height=TOP + len(rows) * ROW + 8, scale_top=scale_top)
