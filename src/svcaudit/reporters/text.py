"""Text: rich tables for a terminal: rules, why rules did not apply (grouped), KPIs, the worst
violations with their agent, rejected rows grouped by reason, warnings, and the verdict line."""

from __future__ import annotations

import io
from collections.abc import Collection

from rich.console import Console
from rich.table import Table
from rich.text import Text

from svcaudit.reporters import common
from svcaudit.reporters.escaping import terminal
from svcaudit.reporters.text_table import TableColumn, print_table
from svcaudit.results.model import AuditResult
from svcaudit.timecalc.durations import format_instant

DEFAULT_WIDTH = 120
# The violations table's columns: (name, share of the width left over, narrowest width). A column
# without a share is as wide as its content; the finding gets most of what is left.
VIOLATION_COLUMNS = (
    ("Rule", None, None),
    ("Ticket", None, None),
    ("Agent", 1, 16),
    ("Measured", None, None),
    ("Target", None, None),
    ("Finding", 2, 24),
    ("Where", None, None),
)


def _who(v) -> Text:
    """Who a violation is about, each line escaped for the terminal."""
    return Text("\n".join(map(terminal, common.who_lines(v).split("\n"))))


def _cells(row: list[str]) -> list[str]:
    """A table row whose text cells may come from the input, escaped for the terminal."""
    return [terminal(value) if isinstance(value, str) else value for value in row]


def console_for(buffer: io.StringIO, color: bool, width: int | None) -> Console:
    """The console every text report prints on. It reads no markup: a ticket text holding
    `[bold]` or `[link=…]` prints as written; styles come from `Text` objects only."""
    return Console(
        file=buffer,
        force_terminal=color,
        no_color=not color,
        highlight=False,
        width=width or DEFAULT_WIDTH,
        emoji=False,
        markup=False,
    )


def _print_table(
    console: Console,
    title: str,
    header: list[str],
    rows: list[list[str]],
    right: Collection[int] = frozenset(),
    fold: bool = False,
) -> None:
    """A titled table; nothing when there are no rows. `right` lists the right-aligned columns."""
    if not rows:
        return
    columns = [
        TableColumn(name, "right" if index in right else "left", "fold" if fold else "ellipsis")
        for index, name in enumerate(header)
    ]
    print_table(console, title, columns, [_cells(row) for row in rows])


def render(
    result: AuditResult,
    *,
    color: bool = False,
    limit: int = common.DEFAULT_VIOLATION_LIMIT,
    width: int | None = None,
    quiet: bool = False,
    **_: object,
) -> str:
    """The report for a terminal; with `quiet`, only its verdict line, without colour."""
    if quiet:
        return terminal(common.verdict(result)) + "\n"
    buffer = io.StringIO()
    console = console_for(buffer, color, width)
    console.print(
        Text.assemble(
            ("svcaudit ", "bold"),
            f"· standard {terminal(repr(result.standard_name))} "
            f"({terminal(result.standard_source)}) · as of {format_instant(result.as_of)}",
        )
    )
    for item in result.inputs:
        console.print(
            f"  {terminal(item.path)}: {item.shape.value} ({item.format}), {item.rows_read} "
            f"rows read, {item.rows_audited} audited, {item.rows_rejected} rejected"
            + common.input_accounting(item.rows_folded, item.fields_rejected, item.notes)
        )
        if item.path in result.input_presets:
            console.print(f"    {terminal(common.preset_line(result.input_presets[item.path]))}")
    grouping = f"; messages joined {result.message_grouping}" if result.message_grouping else ""
    console.print(f"  {result.tickets} tickets audited{grouping}\n")

    rules = Table(title="Rules", title_justify="left", show_lines=False)
    for name, justify in (
        ("Rule", "left"),
        ("Check", "left"),
        ("Severity", "left"),
        ("Passed", "right"),
        ("Failed", "right"),
        ("Pending", "right"),
        ("N/A", "right"),
        ("Compliance", "right"),
    ):
        rules.add_column(name, justify=justify)  # type: ignore[arg-type]
    for r in result.rules:
        style = "red" if r.failed and r.rule.counts else ("yellow" if r.failed else "")
        rules.add_row(
            *_cells(
                [
                    r.rule.id,
                    r.rule.check,
                    r.rule.severity.value,
                    str(r.passed),
                    str(r.failed),
                    str(r.pending),
                    str(r.not_applicable),
                    common.percent(r.compliance),
                ]
            ),
            style=style,
        )
    console.print(rules)

    _print_table(
        console,
        "Compliance per dimension",
        common.DIMENSION_HEADER,
        common.dimension_rows(result.rules),
        right={1, 2, 3},
    )
    _print_table(
        console, "Not applicable, and why", common.REASON_HEADER, common.reason_rows(result), right={2}, fold=True
    )
    _print_table(
        console,
        "Service metrics",
        ["Metric", "Value", "Basis"],
        [list(row) for row in common.metric_rows(result)],
        right={1},
    )
    _print_table(
        console,
        "Quality score per ticket (weighted rules passed)",
        common.QUALITY_HEADER,
        common.quality_rows(result),
        right={2, 3, 4},
    )

    if result.violations:
        total = len(result.violations)
        shown = common.worst_first(result.violations, limit)
        title = f"Violations (worst {len(shown)} of {total})" if len(shown) < total else f"Violations ({total})"
        table = Table(title=title, title_justify="left", expand=True)
        for name, share, narrowest in VIOLATION_COLUMNS:
            table.add_column(name, overflow="fold", ratio=share, min_width=narrowest)
        for v in shown:
            finding = Text(terminal(v.message))
            if v.evidence and v.evidence not in v.message:
                finding.append("\n" + terminal(v.evidence), style="dim")
            table.add_row(
                *_cells([v.rule, v.ticket_id or "(all)"]),
                _who(v),
                *_cells([common.measured(v), common.target(v)]),
                finding,
                terminal(common.location(v)),
            )
        console.print(table)

    _print_table(
        console,
        common.rejected_title(result, ";"),
        common.REJECTED_HEADER,
        [_cells(row) for row in common.rejected_rows(result)],
        right={2},
        fold=True,
    )
    for warning in result.all_warnings:
        console.print(Text("warning: " + terminal(warning), style="yellow"))
    # One line however long, as in every other format: scripts and people grep for it.
    console.print(Text(terminal(common.verdict(result)), style=common.VERDICT_STYLES[result.verdict]), soft_wrap=True)
    return buffer.getvalue()
