"""Renderers of `svcaudit report` (compliance tables): text, Markdown and CSV (JSON: `tables_json`).

All read one `TablesReport`. Text and Markdown show four tables (compliance, response times,
satisfaction, rules) with the change against the previous period as arrows, then the breaches;
CSV has one row per group and rule, ready for a spreadsheet.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Collection
from typing import Any

from rich.text import Text

from svcaudit.audit.grouped import (
    FIRST_REPLY_BUCKETS,
    LOWER_IS_BETTER,
    GroupRow,
    TablesReport,
    first_reply_histogram,
)
from svcaudit.reporters import common
from svcaudit.reporters.escaping import csv_cell, terminal
from svcaudit.reporters.markdown import cell
from svcaudit.reporters.markdown import table as md_table
from svcaudit.reporters.text import console_for
from svcaudit.reporters.text_table import TableColumn, print_table, print_table_in_parts
from svcaudit.timecalc.durations import format_instant, format_seconds

UP, DOWN, FLAT = "▲", "▼", "="
PERCENT_POINT = "pp"


def _share(value: float | None) -> str:
    return "—" if value is None else f"{value:.1%}"


COMPACT_UNITS = 2  # "1d 2h", "6m 38s": the exact seconds are in JSON and CSV


def _seconds(value: float | None) -> str:
    return "—" if value is None else format_seconds(int(value), COMPACT_UNITS)


def _number(value: float | None, digits: int = 1) -> str:
    return "—" if value is None else f"{value:.{digits}f}"


def _nps(value: float | None) -> str:
    return "—" if value is None else f"{value:+.1f}"


def arrow(key: str, delta: float | None, kind: str) -> tuple[str, str]:
    """(text, 'good'|'bad'|'flat') for a change: ▲ +3.1 pp, ▼ −30m, = 0."""
    if delta is None:
        return "", "flat"
    if abs(delta) < 1e-9:
        return FLAT, "flat"
    mark = UP if delta > 0 else DOWN
    if kind == "share":
        amount = f"{delta * 100:+.1f} {PERCENT_POINT}"
    elif kind == "seconds":
        amount = ("+" if delta > 0 else "-") + format_seconds(abs(int(delta)), COMPACT_UNITS)
    else:
        amount = f"{delta:+.1f}" if kind != "ces" else f"{delta:+.2f}"
    better = (delta < 0) if key in LOWER_IS_BETTER else (delta > 0)
    return f"{mark} {amount}", "good" if better else "bad"


# (column title, headline key, formatter, change kind)
Column = tuple[str, str, Callable[[Any], str], str]
COMPLIANCE_COLUMNS: list[Column] = [
    ("Compliance", "compliance", _share, "share"),
    ("SLA met", "sla", _share, "share"),
    ("QA score", "quality", _share, "share"),
]
TIME_COLUMNS: list[Column] = [
    ("1st reply median", "first_reply_median", _seconds, "seconds"),
    ("1st reply p90", "first_reply_p90", _seconds, "seconds"),
    ("Resolution median", "resolution_median", _seconds, "seconds"),
    ("Resolution p90", "resolution_p90", _seconds, "seconds"),
]
SATISFACTION_COLUMNS: list[Column] = [
    ("NPS", "nps", _nps, "number"),
    ("CSAT", "csat", _share, "share"),
    ("CES", "ces", lambda v: _number(v, 2), "ces"),
    ("FCR", "fcr", _share, "share"),
    ("Reopen rate", "reopen_rate", _share, "share"),
]


def _key_header(report: TablesReport) -> list[str]:
    return [name.capitalize() for name in report.by if name != "rule"] or ["All tickets"]


def _key_cells(report: TablesReport, row: GroupRow) -> list[str]:
    return list(row.key.values()) or ["all"]


def _figure(row: GroupRow, column: Column) -> tuple[str, str, str]:
    title, key, formatter, kind = column
    value = row.stats.headline()[key]
    change, direction = arrow(key, row.change.get(key), kind)
    return formatter(value), change, direction


def _sections(report: TablesReport) -> list[tuple[str, list[Column]]]:
    sections = [
        ("Compliance", COMPLIANCE_COLUMNS),
        ("Response times", TIME_COLUMNS),
        ("Satisfaction and resolution", SATISFACTION_COLUMNS),
    ]
    if not report.standard.quality:
        sections[0] = ("Compliance", COMPLIANCE_COLUMNS[:2])
    return sections


def _title(report: TablesReport) -> str:
    period = f", {report.period.label}" if report.period else ""
    compared = f" (compared with {report.previous_period.label})" if report.previous_period else ""
    by = ", ".join(report.by) or "all tickets"
    return f"Compliance by {by}{period}{compared}"


def _intro(report: TablesReport) -> list[str]:
    lines = [
        f"Standard {report.standard.name!r} ({report.standard.source}), as of "
        f"{format_instant(report.as_of)}. Weeks are ISO weeks in {report.standard.timezone}."
    ]
    lines.append(
        f"{report.tickets} tickets audited, {report.tickets_in_period} in the period"
        + (f", {report.tickets_without_time} without a creation time" if report.tickets_without_time else "")
        + "."
    )
    for item in report.inputs:
        lines.append(
            f"{item.path}: {item.rows_read} rows read, {item.rows_audited} audited, {item.rows_rejected} rejected"
        )
    return lines


def _rule_rows(report: TablesReport) -> list[list[str]]:
    rows = []
    for row, index in report.rule_rows:
        result = row.stats.rules[index]
        if result.passed + result.failed + result.pending == 0 and "rule" not in report.by:
            continue
        change, _ = arrow("compliance", row.rule_change(index), "share")
        rows.append(
            _key_cells(report, row)
            + [
                result.rule.id,
                str(result.passed),
                str(result.failed),
                str(result.pending),
                _share(result.compliance),
                change,
            ]
        )
    return rows


def _dimension_rows(report: TablesReport) -> list[list[str]]:
    from svcaudit.results.model import dimension_table

    rows = []
    for row in report.rows:
        now = dimension_table(row.stats.rules)
        before = dimension_table(row.previous.rules) if row.previous else {}
        for name, figures in now.items():
            then = before.get(name, {}).get("compliance")
            delta = None if then is None or figures["compliance"] is None else figures["compliance"] - then
            rows.append(
                _key_cells(report, row)
                + [
                    name,
                    str(figures["passed"]),
                    str(figures["failed"]),
                    _share(figures["compliance"]),
                    arrow("compliance", delta, "share")[0],
                ]
            )
    return rows


def _distribution_rows(report: TablesReport) -> list[list[str]]:
    """The first-reply distribution over every group shown (empty without first-reply times)."""
    values = [v for row in report.rows for v in row.stats.first_reply_values]
    if not values:
        return []
    counts = first_reply_histogram(values)
    total = len(values)
    cumulative = 0
    rows = []
    for (label, _, _), count in zip(FIRST_REPLY_BUCKETS, counts, strict=False):
        cumulative += count
        rows.append([label, str(count), _share(count / total), _share(cumulative / total)])
    return rows


DISTRIBUTION_HEADER = ["First reply", "Tickets", "Share", "Cumulative"]


BREACH_HEADER = ["Rule", "Ticket", "Who", "Finding", "Where"]


def _breaches(report: TablesReport, limit: int) -> tuple[list[list[str]], int]:
    """The first `limit` breaches (all when `limit` <= 0), group by group, each worst first; and
    how many there are in all."""
    rows: list[list[str]] = []
    total = 0
    for row in report.rows:
        violations = row.stats.violations
        total += len(violations)
        room = limit - len(rows)
        if limit > 0 and room <= 0:
            continue
        for v in common.worst_first(violations, room if limit > 0 else 0):
            rows.append(
                _key_cells(report, row) + [v.rule, v.ticket_id or "(all)", common.who(v), v.message, common.location(v)]
            )
    return rows, total


def _text_cells(cells: list[Any]) -> list[Any]:
    """A row of a text table; its text cells (group names, ids, findings) escaped for the terminal."""
    return [terminal(value) if isinstance(value, str) else value for value in cells]


def _justified(names: list[str], right: Collection[str]) -> list[TableColumn]:
    return [TableColumn(name, "right" if name in right else "left") for name in names]


def render_text(
    report: TablesReport,
    *,
    color: bool = False,
    limit: int = common.DEFAULT_VIOLATION_LIMIT,
    width: int | None = None,
    **_: object,
) -> str:
    buffer = io.StringIO()
    console = console_for(buffer, color, width)
    console.print(Text(terminal(_title(report)), style="bold"))
    for line in _intro(report):
        console.print("  " + terminal(line))
    keys = _key_header(report)
    styles = {"good": "green", "bad": "red", "flat": "dim"}
    for title, columns in _sections(report):
        header = [TableColumn(name) for name in keys] + [TableColumn("Tickets", "right")]
        for column in columns:
            header += [TableColumn(column[0], "right"), TableColumn("Δ")]
        rows = []
        for row in report.rows:
            cells: list[Any] = _key_cells(report, row) + [str(row.stats.tickets)]
            for column in columns:
                value, change, direction = _figure(row, column)
                cells += [value, Text(change, style=styles[direction])]
            rows.append(_text_cells(cells))
        # Too wide for the console, it is printed in parts, each with the row's names and tickets.
        print_table_in_parts(console, title, header, rows, naming=len(keys) + 1, group=2)
    dimensions = _dimension_rows(report)
    if dimensions:
        names = keys + ["Dimension", "Passed", "Failed", "Compliance", "Δ"]
        header = _justified(names, ("Passed", "Failed", "Compliance"))
        print_table(console, "Compliance per dimension", header, [_text_cells(cells) for cells in dimensions])
    distribution = _distribution_rows(report)
    if distribution:
        header = _justified(DISTRIBUTION_HEADER, set(DISTRIBUTION_HEADER) - {"First reply"})
        print_table(console, "First-reply distribution", header, [_text_cells(cells) for cells in distribution])
    names = keys + ["Rule", "Passed", "Failed", "Pending", "Compliance", "Δ"]
    header = _justified(names, ("Passed", "Failed", "Pending", "Compliance"))
    print_table(console, "Rules", header, [_text_cells(cells) for cells in _rule_rows(report)])
    breaches, total = _breaches(report, limit)
    if breaches:
        header = [TableColumn(name, overflow="fold") for name in keys + BREACH_HEADER]
        title = f"Breaches ({len(breaches)} of {total})"
        print_table(console, title, header, [_text_cells(cells) for cells in breaches])
    for warning in report.warnings:
        console.print(Text("warning: " + terminal(warning), style="yellow"))
    return buffer.getvalue()


def render_markdown(report: TablesReport, *, limit: int = common.DEFAULT_VIOLATION_LIMIT, **_: object) -> str:
    out = [f"# {cell(_title(report))}", ""]
    out += [cell(line) + "  " for line in _intro(report)] + [""]
    keys = _key_header(report)
    for title, columns in _sections(report):
        header = keys + ["Tickets"]
        for column in columns:
            header += [column[0], "Δ"]
        rows = []
        for row in report.rows:
            cells = _key_cells(report, row) + [str(row.stats.tickets)]
            for column in columns:
                value, change, _direction = _figure(row, column)
                cells += [value, change]
            rows.append(cells)
        out += [f"## {title}", ""]
        out += md_table(header, rows, right={len(keys)} | {len(keys) + 1 + 2 * i for i in range(len(columns))})
    distribution = _distribution_rows(report)
    if distribution:
        out += ["## First-reply distribution", ""]
        out += md_table(DISTRIBUTION_HEADER, distribution, right={1, 2, 3})
    dimensions = _dimension_rows(report)
    if dimensions:
        out += ["## Compliance per dimension", ""]
        out += md_table(
            keys + ["Dimension", "Passed", "Failed", "Compliance", "Δ"],
            dimensions,
            right={len(keys) + i for i in (1, 2, 3)},
        )
    out += ["## Rules", ""]
    out += md_table(
        keys + ["Rule", "Passed", "Failed", "Pending", "Compliance", "Δ"],
        _rule_rows(report),
        right={len(keys) + i for i in (1, 2, 3, 4)},
    )
    breaches, total = _breaches(report, limit)
    if breaches:
        out += [f"## Breaches ({len(breaches)} of {total})", ""]
        out += md_table(keys + BREACH_HEADER, breaches)
    for warning in report.warnings:
        out += [f"> ⚠️ {cell(warning)}", ""]
    return "\n".join(out).rstrip() + "\n"


CSV_HEADLINE = [
    "compliance",
    "sla",
    "first_reply_median",
    "first_reply_p90",
    "resolution_median",
    "resolution_p90",
    "nps",
    "csat",
    "ces",
    "fcr",
    "reopen_rate",
    "quality",
]


def render_csv(report: TablesReport, *, csv_formulas: bool = False, **_: object) -> str:
    """One row per group and rule. Text from the input (group keys, rule ids, dimensions,
    warnings) goes through `csv_cell`, so a spreadsheet does not run it as a formula unless
    `csv_formulas`; the figures are svcaudit's own and pass as they are (a change of -0.05)."""

    def text(value: Any) -> Any:
        return csv_cell(value, formulas=csv_formulas)

    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    key_names = [name for name in report.by if name != "rule"]
    writer.writerow(
        key_names
        + [
            "rule",
            "dimension",
            "rule_passed",
            "rule_failed",
            "rule_pending",
            "rule_not_applicable",
            "rule_compliance",
            "rule_compliance_change",
            "group_tickets",
        ]
        + CSV_HEADLINE
        + [f"{k}_change" for k in CSV_HEADLINE]
        + ["warning"]
    )
    for row, index in report.rule_rows:
        result = row.stats.rules[index]
        headline = row.stats.headline()
        change = row.change
        writer.writerow(
            [text(row.key[name]) for name in key_names]
            + [
                text(result.rule.id),
                text(result.rule.dimension or ""),
                result.passed,
                result.failed,
                result.pending,
                result.not_applicable,
                _plain(result.compliance),
                _plain(row.rule_change(index)),
                row.stats.tickets,
            ]
            + [_plain(headline[k]) for k in CSV_HEADLINE]
            + [_plain(change.get(k)) for k in CSV_HEADLINE]
            + [""]
        )
    width = len(key_names) + 9 + 2 * len(CSV_HEADLINE)
    for warning in report.warnings:  # rejected rows must show in a spreadsheet too
        writer.writerow([""] * width + [text(warning)])
    return buffer.getvalue()


def _plain(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        return f"{value:.4f}".rstrip("0").rstrip(".") if value != int(value) else str(int(value))
    return str(value)
