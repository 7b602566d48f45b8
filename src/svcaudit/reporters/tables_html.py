"""HTML renderer of `svcaudit report`: one self-contained page a QA lead can e-mail or print.

Reads the same `TablesReport` as the text renderer and shows the same tables (reusing its columns and
formatters), plus charts drawn here as inline SVG: compliance and SLA met per group with the previous
period as a marker, and the distribution of first-reply times. No script, no network, no clock: the
same report always gives the same bytes.
"""

from __future__ import annotations

import html
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from svcaudit import __version__
from svcaudit.audit.grouped import FIRST_REPLY_BUCKETS, TablesReport, first_reply_histogram
from svcaudit.reporters import common
from svcaudit.reporters.escaping import visible_controls
from svcaudit.reporters.tables import (
    BREACH_HEADER,
    DOWN,
    UP,
    Column,
    _breaches,
    _dimension_rows,
    _figure,
    _intro,
    _key_cells,
    _key_header,
    _rule_rows,
    _sections,
    _share,
    _title,
)
from svcaudit.results.periods import TIME_UNITS

# First-reply buckets, roughly logarithmic: (label, lower bound in seconds inclusive, upper exclusive).
# Chart geometry, in SVG user units (CSS pixels at 100%).
CHART_WIDTH = 760
PLOT_HEIGHT = 200
LEGEND_HEIGHT = 26
AXIS_FONT = 11
LABEL_FONT = 12
ROW_HEIGHT = 24  # one horizontal bar
BAR_THICKNESS = 14
MAX_COLUMN_WIDTH = 56
MIN_SLOT_FOR_VALUES = 40  # narrower columns keep their value in the tooltip only
MAX_LABEL_WIDTH = 260
CHAR_WIDTH = 0.56  # of the font size: a generous average for Latin and Cyrillic sans-serif
SHARE_TICKS = (0.0, 0.2, 0.4, 0.6, 0.8, 1.0)
COUNT_TICKS = 5

# Colours: presentation attributes on the SVG (not CSS) so a chart copied out of the page keeps them.
BAR_COLOUR = "#3b6ea5"
BELOW_TARGET_COLOUR = "#e08a2c"
HISTOGRAM_COLOUR = "#5b7f95"
MARKER_COLOUR = "#1f1f1f"
TARGET_COLOUR = "#b3261e"
GRID_COLOUR = "#e4e4e4"
AXIS_COLOUR = "#8a8a8a"
TEXT_COLOUR = "#333333"
MUTED_COLOUR = "#8a8a8a"

STYLE = """
:root { color-scheme: light; }
* { box-sizing: border-box; }
body { margin: 0; background: #ffffff; color: #1f1f1f;
  font: 14px/1.45 -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, "Noto Sans", "DejaVu Sans", sans-serif;
  -webkit-print-color-adjust: exact; print-color-adjust: exact; }
main { max-width: 1120px; margin: 0 auto; padding: 24px 28px 40px; }
h1 { font-size: 22px; margin: 0 0 8px; }
h2 { font-size: 17px; margin: 32px 0 10px; padding-bottom: 4px; border-bottom: 1px solid #d8d8d8; }
h3 { font-size: 14px; margin: 18px 0 6px; }
p.intro { margin: 2px 0; color: #555555; }
.warnings { margin: 14px 0; padding: 8px 12px; border-left: 4px solid #e0a800; background: #fff8e1; }
.warnings p { margin: 2px 0; }
figure { margin: 12px 0 18px; break-inside: avoid; page-break-inside: avoid; }
figcaption { font-size: 12px; color: #555555; margin-top: 2px; }
svg { display: block; max-width: 100%; height: auto; font-family: inherit; }
table { border-collapse: collapse; width: 100%; margin: 6px 0 12px; font-size: 13px; }
thead { display: table-header-group; }
tr { break-inside: avoid; page-break-inside: avoid; }
th, td { padding: 4px 8px; border-bottom: 1px solid #e6e6e6; text-align: left; vertical-align: top; }
th { background: #f3f5f7; font-weight: 600; border-bottom: 1px solid #c9ced3; white-space: nowrap; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
td.delta { white-space: nowrap; font-variant-numeric: tabular-nums; font-size: 12px; }
td.good { color: #1a7f37; }
td.bad { color: #c5221f; }
td.flat { color: #8a8a8a; }
td.finding { overflow-wrap: anywhere; }
td.who { font-size: 12px; }
td.nowrap { white-space: nowrap; }
td.where { white-space: nowrap; color: #555555; font-size: 12px; }
tbody tr:nth-child(even) td { background: #fafbfc; }
footer { margin-top: 32px; font-size: 12px; color: #777777; }
@page { margin: 14mm 12mm; }
@media print {
  body { font-size: 10pt; }
  main { max-width: none; padding: 0; }
  h2 { break-after: avoid; page-break-after: avoid; }
  table { font-size: 9pt; }
}
"""


Scale = Callable[[float], float]  # a share or count to an SVG coordinate


def _e(text: object) -> str:
    """Text for the page: HTML-escaped, and no control character raw (a parse error in HTML)."""
    return html.escape(visible_controls(str(text), keep="\t\n\r"), quote=True)


def _n(value: float) -> str:
    """A coordinate, rounded so the bytes do not depend on float noise."""
    text = f"{value + 0.0:.1f}"
    return text[:-2] if text.endswith(".0") else text


def _text_width(text: str, size: float) -> float:
    return len(text) * size * CHAR_WIDTH


@dataclass(frozen=True)
class ShareBar:
    """One group's share (compliance or SLA met) and the same figure in the period before it."""

    label: str
    value: float | None
    previous: float | None
    previous_label: str | None
    tickets: int


def _share_bars(report: TablesReport, key: str) -> list[ShareBar]:
    bars = []
    for row in report.rows:
        before = None if row.previous is None else row.previous.headline()[key]
        bars.append(
            ShareBar(
                " · ".join(_key_cells(report, row)),
                row.stats.headline()[key],
                before,
                row.previous_label,
                row.stats.tickets,
            )
        )
    return bars


def _is_time_series(report: TablesReport) -> bool:
    """Grouped by a time field alone: the groups read left to right as a trend."""
    fields = [name for name in report.by if name != "rule"]
    return len(fields) == 1 and fields[0] in TIME_UNITS


def _bar_tooltip(metric: str, bar: ShareBar) -> str:
    text = f"{bar.label} — {metric}: {_share(bar.value)} ({bar.tickets} tickets)"
    if bar.previous is not None:
        text += f"; {bar.previous_label}: {_share(bar.previous)}"
    return text


def _bar_colour(value: float | None, target: float | None) -> str:
    if target is not None and value is not None and value < target - 1e-12:
        return BELOW_TARGET_COLOUR
    return BAR_COLOUR


def _svg_open(chart_id: str, title: str, width: float, height: float, data: str = "") -> list[str]:
    return [
        f'<svg id="{_e(chart_id)}" class="chart"{data} '
        f'width="{_n(width)}" height="{_n(height)}" viewBox="0 0 {_n(width)} {_n(height)}" '
        f'role="img" aria-label="{_e(title)}" aria-labelledby="{_e(chart_id)}-title">',
        f'<title id="{_e(chart_id)}-title">{_e(title)}</title>',
        f'<rect x="0" y="0" width="{_n(width)}" height="{_n(height)}" fill="#ffffff"/>',
    ]


def _label(
    x: float,
    y: float,
    text: str,
    *,
    anchor: str = "start",
    size: int = AXIS_FONT,
    colour: str = TEXT_COLOUR,
    extra: str = "",
) -> str:
    return (
        f'<text x="{_n(x)}" y="{_n(y)}" font-size="{size}" fill="{colour}" '
        f'text-anchor="{anchor}"{extra}>{_e(text)}</text>'
    )


def _legend(x: float, y: float, items: Sequence[tuple[str, str]]) -> list[str]:
    """Swatches in a row: (kind, text) with kind 'bar:<colour>', 'marker' or 'target'."""
    out = ['<g class="legend">']
    for kind, text in items:
        if kind.startswith("bar:"):
            out.append(f'<rect x="{_n(x)}" y="{_n(y - 9)}" width="12" height="10" fill="{kind[4:]}"/>')
        elif kind == "marker":
            out.append(
                f'<line x1="{_n(x)}" y1="{_n(y - 4)}" x2="{_n(x + 12)}" y2="{_n(y - 4)}" '
                f'stroke="{MARKER_COLOUR}" stroke-width="3"/>'
            )
        else:
            out.append(
                f'<line x1="{_n(x)}" y1="{_n(y - 4)}" x2="{_n(x + 12)}" y2="{_n(y - 4)}" '
                f'stroke="{TARGET_COLOUR}" stroke-width="1.5" stroke-dasharray="4 3"/>'
            )
        out.append(_label(x + 17, y, text))
        x += 17 + _text_width(text, AXIS_FONT) + 18
    out.append("</g>")
    return out


def _legend_items(bars: Sequence[ShareBar], target: float | None) -> list[tuple[str, str]]:
    items = [(f"bar:{BAR_COLOUR}", "this period" if target is None else f"at or above {_share(target)}")]
    if target is not None:
        items += [(f"bar:{BELOW_TARGET_COLOUR}", "below target"), ("target", f"target {_share(target)}")]
    if any(bar.previous is not None for bar in bars):
        items.append(("marker", "previous period"))
    return items


def _column_chart(
    chart_id: str, title: str, metric: str, axis_x: str, bars: Sequence[ShareBar], target: float | None
) -> str:
    """Vertical columns left to right (a trend over weeks, days or months)."""
    left, right = 56, 16
    plot_width = CHART_WIDTH - left - right
    slot = plot_width / max(len(bars), 1)
    column = min(MAX_COLUMN_WIDTH, slot * 0.6)
    label_width = max((_text_width(bar.label, AXIS_FONT) for bar in bars), default=0)
    rotate = label_width > slot - 6
    # Values sit under the group labels, clear of the target line and the previous-period marks.
    show_values = not rotate and slot >= MIN_SLOT_FOR_VALUES
    top = LEGEND_HEIGHT + 14
    labels_height = (label_width * 0.72 + 10) if rotate else (34 if show_values else 18)
    height = top + PLOT_HEIGHT + labels_height + 22
    bottom = top + PLOT_HEIGHT

    def y(share: float) -> float:
        return bottom - PLOT_HEIGHT * max(0.0, min(1.0, share))

    out = _svg_open(chart_id, title, CHART_WIDTH, height)
    out += _legend(left, 16, _legend_items(bars, target))
    for tick in SHARE_TICKS:
        out.append(
            f'<line x1="{_n(left)}" y1="{_n(y(tick))}" x2="{_n(left + plot_width)}" '
            f'y2="{_n(y(tick))}" stroke="{GRID_COLOUR}" stroke-width="1"/>'
        )
        out.append(_label(left - 6, y(tick) + 4, f"{tick:.0%}", anchor="end"))
    out.append(
        _label(
            14,
            top + PLOT_HEIGHT / 2,
            metric,
            anchor="middle",
            size=LABEL_FONT,
            extra=f' transform="rotate(-90 14 {_n(top + PLOT_HEIGHT / 2)})"',
        )
    )
    for index, bar in enumerate(bars):
        centre = left + slot * (index + 0.5)
        out.append(f'<g class="bar" data-group="{_e(bar.label)}" data-value="{_e(_plain(bar.value))}">')
        out.append(f"<title>{_e(_bar_tooltip(metric, bar))}</title>")
        value = bar.value or 0.0
        out.append(
            f'<rect x="{_n(centre - column / 2)}" y="{_n(y(value))}" width="{_n(column)}" '
            f'height="{_n(bottom - y(value))}" fill="{_bar_colour(bar.value, target)}"/>'
        )
        if bar.previous is not None:
            out.append(
                f'<line class="previous" x1="{_n(centre - column / 2 - 4)}" y1="{_n(y(bar.previous))}" '
                f'x2="{_n(centre + column / 2 + 4)}" y2="{_n(y(bar.previous))}" '
                f'stroke="{MARKER_COLOUR}" stroke-width="3"/>'
            )
        if bar.value is None:
            gap = "no data" if slot >= MIN_SLOT_FOR_VALUES else "—"
            out.append(_label(centre, bottom - 6, gap, anchor="middle", colour=MUTED_COLOUR))
        if show_values:
            out.append(
                _label(
                    centre, bottom + 31, _share(bar.value), anchor="middle", size=LABEL_FONT, extra=' font-weight="600"'
                )
            )
        if rotate:
            out.append(
                _label(
                    centre + 4,
                    bottom + 14,
                    bar.label,
                    anchor="end",
                    extra=f' transform="rotate(-45 {_n(centre + 4)} {_n(bottom + 14)})"',
                )
            )
        else:
            out.append(_label(centre, bottom + 15, bar.label, anchor="middle"))
        out.append("</g>")
    out += _target_line(left, left + plot_width, y, target)
    out.append(
        f'<line x1="{_n(left)}" y1="{_n(bottom)}" x2="{_n(left + plot_width)}" y2="{_n(bottom)}" '
        f'stroke="{AXIS_COLOUR}" stroke-width="1"/>'
    )
    out.append(_label(left + plot_width / 2, height - 6, axis_x, anchor="middle", size=LABEL_FONT))
    out.append("</svg>")
    return "\n".join(out)


def _target_line(start: float, end: float, y: Scale, target: float | None) -> list[str]:
    if target is None:
        return []
    return [
        f'<line class="target" x1="{_n(start)}" y1="{_n(y(target))}" x2="{_n(end)}" '
        f'y2="{_n(y(target))}" stroke="{TARGET_COLOUR}" stroke-width="1.5" stroke-dasharray="4 3"/>'
    ]


def _row_chart(
    chart_id: str,
    title: str,
    metric: str,
    axis_y: str,
    bars: Sequence[ShareBar],
    target: float | None,
    blocks: Sequence[str],
) -> str:
    """Horizontal bars, one row per group (agents, teams, channels… where names can be long)."""
    label_width = min(MAX_LABEL_WIDTH, max((_text_width(bar.label, AXIS_FONT) for bar in bars), default=40))
    left = 24 + label_width + 10
    right = 72  # the column of values
    plot_width = CHART_WIDTH - left - right
    top = LEGEND_HEIGHT + 16
    plot_height = ROW_HEIGHT * max(len(bars), 1)
    bottom = top + plot_height
    height = bottom + 44

    def x(share: float) -> float:
        return left + plot_width * max(0.0, min(1.0, share))

    out = _svg_open(chart_id, title, CHART_WIDTH, height)
    out += _legend(left, 16, _legend_items(bars, target))
    for tick in SHARE_TICKS:
        out.append(
            f'<line x1="{_n(x(tick))}" y1="{_n(top)}" x2="{_n(x(tick))}" y2="{_n(bottom)}" '
            f'stroke="{GRID_COLOUR}" stroke-width="1"/>'
        )
        out.append(_label(x(tick), bottom + 15, f"{tick:.0%}", anchor="middle"))
    out.append(
        _label(
            12,
            top + plot_height / 2,
            axis_y,
            anchor="middle",
            size=LABEL_FONT,
            extra=f' transform="rotate(-90 12 {_n(top + plot_height / 2)})"',
        )
    )
    for index, bar in enumerate(bars):
        middle = top + ROW_HEIGHT * (index + 0.5)
        if index and blocks[index] != blocks[index - 1]:
            out.append(
                f'<line x1="24" y1="{_n(middle - ROW_HEIGHT / 2)}" x2="{_n(CHART_WIDTH)}" '
                f'y2="{_n(middle - ROW_HEIGHT / 2)}" stroke="{AXIS_COLOUR}" stroke-width="0.5"/>'
            )
        value = bar.value or 0.0
        out.append(f'<g class="bar" data-group="{_e(bar.label)}" data-value="{_e(_plain(bar.value))}">')
        out.append(f"<title>{_e(_bar_tooltip(metric, bar))}</title>")
        out.append(_label(left - 8, middle + 4, _clip(bar.label, label_width), anchor="end"))
        out.append(
            f'<rect x="{_n(left)}" y="{_n(middle - BAR_THICKNESS / 2)}" width="{_n(x(value) - left)}" '
            f'height="{BAR_THICKNESS}" fill="{_bar_colour(bar.value, target)}"/>'
        )
        if bar.previous is not None:
            out.append(
                f'<line class="previous" x1="{_n(x(bar.previous))}" y1="{_n(middle - BAR_THICKNESS / 2 - 3)}" '
                f'x2="{_n(x(bar.previous))}" y2="{_n(middle + BAR_THICKNESS / 2 + 3)}" '
                f'stroke="{MARKER_COLOUR}" stroke-width="3"/>'
            )
        if bar.value is None:
            out.append(_label(left + 4, middle + 4, "no data", colour=MUTED_COLOUR))
        # Values in a column of their own, clear of the target line and the previous-period marks.
        out.append(_label(CHART_WIDTH - 8, middle + 4, _share(bar.value), anchor="end", extra=' font-weight="600"'))
        out.append("</g>")
    out += _target_line_vertical(top, bottom, x, target)
    out.append(
        f'<line x1="{_n(left)}" y1="{_n(top)}" x2="{_n(left)}" y2="{_n(bottom)}" '
        f'stroke="{AXIS_COLOUR}" stroke-width="1"/>'
    )
    out.append(_label(left + plot_width / 2, height - 6, metric, anchor="middle", size=LABEL_FONT))
    out.append("</svg>")
    return "\n".join(out)


def _target_line_vertical(top: float, bottom: float, x: Scale, target: float | None) -> list[str]:
    if target is None:
        return []
    return [
        f'<line class="target" x1="{_n(x(target))}" y1="{_n(top - 4)}" x2="{_n(x(target))}" '
        f'y2="{_n(bottom)}" stroke="{TARGET_COLOUR}" stroke-width="1.5" stroke-dasharray="4 3"/>'
    ]


def _clip(text: str, width: float) -> str:
    """Shorten a label to fit `width`; the tooltip keeps it whole."""
    fits = int(width / (AXIS_FONT * CHAR_WIDTH))
    return text if len(text) <= fits else text[: max(1, fits - 1)] + "…"


def _share_chart(report: TablesReport, chart_id: str, key: str, metric: str, target: float | None) -> str:
    """`metric` is the figure's name as a label starts with it ("Compliance", "SLA met")."""
    bars = _share_bars(report, key)
    axis = " · ".join(_key_header(report))
    scope = f", {report.period.label}" if report.period else ""
    title = f"{metric} per {axis.lower()}{scope}"
    if _is_time_series(report):
        return _column_chart(chart_id, title, metric, axis, bars, target)
    # With two or more fields, a rule separates the blocks of the first one (each week's agents).
    blocks = [next(iter(row.key.values()), "") if len(row.key) > 1 else "" for row in report.rows]
    return _row_chart(chart_id, title, metric, axis, bars, target, blocks)


def _count_step(largest: int) -> int:
    """A round tick step (1, 2, 5 × 10^k) giving at most COUNT_TICKS ticks above zero."""
    magnitude = 1
    while True:
        for multiple in (1, 2, 5):
            step = multiple * magnitude
            if largest <= step * COUNT_TICKS:
                return step
        magnitude *= 10


def _histogram(report: TablesReport) -> str:
    values = [v for row in report.rows for v in row.stats.first_reply_values]
    counts = first_reply_histogram(values)
    total = len(values)
    step = _count_step(max(counts, default=0))
    ceiling = max(step, math.ceil(max(counts, default=0) / step) * step)
    left, right = 56, 16
    plot_width = CHART_WIDTH - left - right
    slot = plot_width / len(FIRST_REPLY_BUCKETS)
    column = slot * 0.78
    top = 22
    bottom = top + PLOT_HEIGHT
    height = bottom + 44
    scope = f", {report.period.label}" if report.period else ""
    title = f"First reply time: {total} first replies by duration{scope}"

    def y(count: float) -> float:
        return bottom - PLOT_HEIGHT * count / ceiling

    out = _svg_open("chart-first-reply", title, CHART_WIDTH, height, f' data-total="{total}"')
    for tick in range(0, ceiling + 1, step):
        out.append(
            f'<line x1="{_n(left)}" y1="{_n(y(tick))}" x2="{_n(left + plot_width)}" y2="{_n(y(tick))}" '
            f'stroke="{GRID_COLOUR}" stroke-width="1"/>'
        )
        out.append(_label(left - 6, y(tick) + 4, str(tick), anchor="end"))
    out.append(
        _label(
            14,
            top + PLOT_HEIGHT / 2,
            "First replies",
            anchor="middle",
            size=LABEL_FONT,
            extra=f' transform="rotate(-90 14 {_n(top + PLOT_HEIGHT / 2)})"',
        )
    )
    for index, ((label, _, _), count) in enumerate(zip(FIRST_REPLY_BUCKETS, counts, strict=False)):
        centre = left + slot * (index + 0.5)
        share = f" ({count / total:.1%})" if total else ""
        out.append(f'<g class="bar bucket" data-bucket="{_e(label)}" data-count="{count}">')
        out.append(f"<title>{_e(f'{label}: {count} first replies{share}')}</title>")
        out.append(
            f'<rect x="{_n(centre - column / 2)}" y="{_n(y(count))}" width="{_n(column)}" '
            f'height="{_n(bottom - y(count))}" fill="{HISTOGRAM_COLOUR}"/>'
        )
        out.append(_label(centre, y(count) - 5, str(count), anchor="middle"))
        out.append(_label(centre, bottom + 15, label, anchor="middle"))
        out.append("</g>")
    out.append(
        f'<line x1="{_n(left)}" y1="{_n(bottom)}" x2="{_n(left + plot_width)}" y2="{_n(bottom)}" '
        f'stroke="{AXIS_COLOUR}" stroke-width="1"/>'
    )
    out.append(_label(left + plot_width / 2, height - 6, "Time to first reply", anchor="middle", size=LABEL_FONT))
    out.append("</svg>")
    return "\n".join(out)


def _plain(value: float | None) -> str:
    return "" if value is None else f"{value:.4f}"


def _figure_html(svg: str, caption: str) -> str:
    return f"<figure>\n{svg}\n<figcaption>{_e(caption)}</figcaption>\n</figure>"


# A table cell: its text and its CSS classes.
Cell = tuple[str, str]


def _table(table_class: str, header: Sequence[Cell], rows: Sequence[Sequence[Cell]]) -> str:
    out = [f'<table class="{_e(table_class)}">', "<thead><tr>"]
    out += [f'<th class="{_e(css)}">{_e(text)}</th>' if css else f"<th>{_e(text)}</th>" for text, css in header]
    out.append("</tr></thead>")
    out.append("<tbody>")
    for cells in rows:
        out.append(
            "<tr>"
            + "".join(
                f'<td class="{_e(css)}">{_e(text)}</td>' if css else f"<td>{_e(text)}</td>" for text, css in cells
            )
            + "</tr>"
        )
    out.append("</tbody>")
    out.append("</table>")
    return "\n".join(out)


def _figures_table(report: TablesReport, title: str, columns: list[Column]) -> str:
    keys = [(name, "") for name in _key_header(report)]
    header = keys + [("Tickets", "num")]
    for column in columns:
        header += [(column[0], "num"), ("Δ", "delta")]
    rows = []
    for row in report.rows:
        cells: list[Cell] = [(text, "") for text in _key_cells(report, row)]
        cells.append((str(row.stats.tickets), "num"))
        for column in columns:
            value, change, direction = _figure(row, column)
            cells += [(value, "num"), (change, f"delta {direction}")]
        rows.append(cells)
    return _table(f"figures {_slug(title)}", header, rows)


def _rule_direction(change: str) -> str:
    """A rule's compliance rising is good: read the direction back from the arrow's mark."""
    if change.startswith(UP):
        return "good"
    if change.startswith(DOWN):
        return "bad"
    return "flat"


def _rules_table(report: TablesReport) -> str:
    keys = _key_header(report)
    header = [(name, "") for name in keys] + [
        ("Rule", ""),
        ("Passed", "num"),
        ("Failed", "num"),
        ("Pending", "num"),
        ("Compliance", "num"),
        ("Δ", "delta"),
    ]
    rows = []
    for cells in _rule_rows(report):
        *front, passed, failed, pending, compliance, change = cells
        rows.append(
            [(text, "") for text in front]
            + [
                (passed, "num"),
                (failed, "num"),
                (pending, "num"),
                (compliance, "num"),
                (change, f"delta {_rule_direction(change)}"),
            ]
        )
    return _table("rules", header, rows)


def _dimensions_table(report: TablesReport) -> str | None:
    rows_data = _dimension_rows(report)
    if not rows_data:
        return None
    keys = _key_header(report)
    header = [(name, "") for name in keys] + [
        ("Dimension", ""),
        ("Passed", "num"),
        ("Failed", "num"),
        ("Compliance", "num"),
        ("Δ", "delta"),
    ]
    rows = []
    for cells in rows_data:
        *front, passed, failed, compliance, change = cells
        rows.append(
            [(text, "") for text in front]
            + [(passed, "num"), (failed, "num"), (compliance, "num"), (change, f"delta {_rule_direction(change)}")]
        )
    return _table("dimensions", header, rows)


def _breaches_table(report: TablesReport, limit: int) -> tuple[str, int, int]:
    breaches, total = _breaches(report, limit)
    keys = _key_header(report)
    header = [(name, "") for name in keys + BREACH_HEADER]
    rows = []
    for cells in breaches:
        *front, about, finding, where = cells
        rows.append([(text, "nowrap") for text in front] + [(about, "who"), (finding, "finding"), (where, "where")])
    return _table("breaches", header, rows), len(breaches), total


def _slug(title: str) -> str:
    """`Satisfaction and resolution` -> `satisfaction-and-resolution` (ids and CSS classes)."""
    return "-".join("".join(c if c.isalnum() else " " for c in title.lower()).split())


def _section(title: str, body: Sequence[str], section_id: str | None = None) -> str:
    return "\n".join([f'<section id="{_slug(section_id or title)}">', f"<h2>{_e(title)}</h2>", *body, "</section>"])


def render_html(report: TablesReport, *, limit: int = common.DEFAULT_VIOLATION_LIMIT, **_: object) -> str:
    """The whole page as one string (UTF-8 when written)."""
    title = _title(report)
    sections = _sections(report)
    target = report.standard.pass_threshold
    compared = (
        f"; the black mark is the previous period ({report.previous_period.label})"
        if report.previous_period
        else "; the black mark is the group's previous period"
    )
    body = [f"<h1>{_e(title)}</h1>"]
    body += [f'<p class="intro">{_e(line)}</p>' for line in _intro(report)]
    if report.warnings:
        body.append('<div class="warnings">')
        body += [f"<p>Warning: {_e(warning)}</p>" for warning in report.warnings]
        body.append("</div>")

    first_title, first_columns = sections[0]
    body.append(
        _section(
            first_title,
            [
                _figure_html(
                    _share_chart(report, "chart-compliance", "compliance", "Compliance", target),
                    f"Share of judged checks passed per group; the dashed line is the standard's pass "
                    f"threshold ({_share(target)}){compared}.",
                ),
                _figure_html(
                    _share_chart(report, "chart-sla", "sla", "SLA met", None),
                    f"Share of response-time checks met per group{compared}.",
                ),
                _figures_table(report, first_title, first_columns),
            ],
        )
    )
    for index, (section_title, columns) in enumerate(sections[1:]):
        parts = []
        if index == 0:
            parts.append(
                _figure_html(
                    _histogram(report),
                    "First replies of all groups shown, by time to first reply "
                    "(measured as the standard's first-reply rule measures it).",
                )
            )
        parts.append(_figures_table(report, section_title, columns))
        body.append(_section(section_title, parts))
    dimensions = _dimensions_table(report)
    if dimensions:
        body.append(_section("Compliance per dimension", [dimensions]))
    body.append(_section("Rules", [_rules_table(report)]))
    breaches, shown, total = _breaches_table(report, limit)
    if shown:
        body.append(_section(f"Breaches ({shown} of {total})", [breaches], "breaches"))
    body.append(
        f"<footer>svcaudit {_e(__version__)} · Δ is the change against the previous period: "
        f"green is better, red is worse.</footer>"
    )

    page = [
        "<!DOCTYPE html>",
        '<html lang="en">',
        "<head>",
        '<meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f'<meta name="generator" content="svcaudit {_e(__version__)}">',
        f"<title>{_e(title)}</title>",
        f"<style>{STYLE}</style>",
        "</head>",
        "<body>",
        "<main>",
        *body,
        "</main>",
        "</body>",
        "</html>",
    ]
    return "\n".join(page) + "\n"
