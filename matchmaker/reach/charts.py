"""Charts drawn on the server as SVG: no JavaScript, nothing fetched, each beside its data table.

A bar whose count is hidden ("fewer than 5") is drawn as an outline of the smallest shown size, so
its length never tells the number.
"""

from __future__ import annotations

from dataclasses import dataclass
from html import escape

from markupsafe import Markup

WIDTH = 640
LABEL_WIDTH = 280
BAR_HEIGHT = 22
GAP = 10
TOP = 8
BLUE = "#1d70b8"
BLACK = "#0b0c0c"
GREY = "#505a5f"


@dataclass(frozen=True)
class Bar:
    """One bar: its label, its count (None: hidden), and the text written at its end."""

    label: str
    value: int | None
    text: str


def _short(label: str, limit: int = 32) -> str:
    """A label short enough for the chart (the table beside it has the whole one)."""
    return label if len(label) <= limit else label[: limit - 1].rstrip() + "…"


def bar_chart(chart_id: str, title: str, summary: str, bars: list[Bar]) -> Markup:
    """A horizontal bar chart, labelled by its title and described by its one-sentence summary."""
    largest = max([bar.value or 0 for bar in bars] + [5])
    room = WIDTH - LABEL_WIDTH - 110
    height = TOP * 2 + len(bars) * (BAR_HEIGHT + GAP)
    parts = [
        f'<svg class="app-chart" id="{chart_id}" role="img" aria-labelledby="{chart_id}-title {chart_id}-desc" '
        f'viewBox="0 0 {WIDTH} {height}" width="100%" preserveAspectRatio="xMinYMin meet" '
        f'xmlns="http://www.w3.org/2000/svg" focusable="false">',
        f'<title id="{chart_id}-title">{escape(title)}</title>',
        f'<desc id="{chart_id}-desc">{escape(summary)}</desc>',
    ]
    for index, bar in enumerate(bars):
        y = TOP + index * (BAR_HEIGHT + GAP)
        middle = y + BAR_HEIGHT / 2 + 5
        parts.append(
            f'<text x="{LABEL_WIDTH - 8}" y="{middle:.0f}" text-anchor="end" font-size="14" fill="{BLACK}" '
            f'font-family="Arial, sans-serif">{escape(_short(bar.label))}</text>'
        )
        if bar.value is None:
            width = room * 5 / largest
            parts.append(
                f'<rect x="{LABEL_WIDTH}" y="{y}" width="{width:.1f}" height="{BAR_HEIGHT}" fill="none" '
                f'stroke="{GREY}" stroke-width="2" stroke-dasharray="4 3"/>'
            )
        else:
            width = room * bar.value / largest
            parts.append(f'<rect x="{LABEL_WIDTH}" y="{y}" width="{width:.1f}" height="{BAR_HEIGHT}" fill="{BLUE}"/>')
        parts.append(
            f'<text x="{LABEL_WIDTH + width + 6:.1f}" y="{middle:.0f}" font-size="14" fill="{BLACK}" '
            f'font-family="Arial, sans-serif">{escape(bar.text)}</text>'
        )
    parts.append("</svg>")
    return Markup("".join(parts))  # noqa: S704  (every text in it went through escape())
