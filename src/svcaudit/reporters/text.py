"""Text: rich tables for a terminal: rules, KPIs, the worst violations, rejected rows, the verdict."""
from __future__ import annotations

import io

from rich.console import Console
from rich.table import Table
from rich.text import Text

from ..results import AuditResult
from . import common

DEFAULT_WIDTH = 120


def render(result: AuditResult, *, color: bool = False, limit: int = common.DEFAULT_VIOLATION_LIMIT,
           width: int | None = None, **_: object) -> str:
    buffer = io.StringIO()
    console = Console(file=buffer, force_terminal=color, no_color=not color, highlight=False,
                      width=width or DEFAULT_WIDTH, emoji=False)
    console.print(Text.assemble(
        ("svcaudit ", "bold"), f"· standard {result.standard_name!r} ({result.standard_source})"
        f" · as of {result.as_of.isoformat().replace('+00:00', 'Z')}",
    ))
    for item in result.inputs:
        console.print(f"  {item.path}: {item.shape.value} ({item.format}), {item.rows_read} rows read, "
                      f"{item.rows_audited} audited, {item.rows_rejected} rejected")
    grouping = f"; messages joined {result.message_grouping}" if result.message_grouping else ""
    console.print(f"  {result.tickets} tickets audited{grouping}\n")

    rules = Table(title="Rules", title_justify="left", show_lines=False)
    for name, justify in (("Rule", "left"), ("Check", "left"), ("Severity", "left"),
                          ("Passed", "right"), ("Failed", "right"), ("Pending", "right"),
                          ("N/A", "right"), ("Compliance", "right")):
        rules.add_column(name, justify=justify)  # type: ignore[arg-type]
    for r in result.rules:
        style = "red" if r.failed and r.rule.counts else ("yellow" if r.failed else "")
        rules.add_row(r.rule.id, r.rule.check, r.rule.severity.value, str(r.passed), str(r.failed),
                      str(r.pending), str(r.not_applicable), common.percent(r.compliance), style=style)
    console.print(rules)

    dimensions = common.dimension_rows(result.rules)
    if dimensions:
        table = Table(title="Compliance per dimension", title_justify="left")
        for name in common.DIMENSION_HEADER:
            table.add_column(name, justify="right" if name in ("Passed", "Failed", "Compliance") else "left")
        for row in dimensions:
            table.add_row(*row)
        console.print(table)

    reasons = [(r.rule.id, reason, count) for r in result.rules for reason, count in r.reasons.most_common()]
    if reasons:
        table = Table(title="Not applicable, and why", title_justify="left")
        table.add_column("Rule")
        table.add_column("Reason")
        table.add_column("Tickets", justify="right")
        for rule_id, reason, count in reasons:
            table.add_row(rule_id, reason, str(count))
        console.print(table)

    kpis = Table(title="Service metrics", title_justify="left")
    kpis.add_column("Metric")
    kpis.add_column("Value", justify="right")
    kpis.add_column("Basis")
    for row in common.metric_rows(result):
        kpis.add_row(*row)
    console.print(kpis)

    quality = common.quality_rows(result)
    if quality:
        table = Table(title="Quality score per ticket (weighted rules passed)", title_justify="left")
        for name in common.QUALITY_HEADER:
            table.add_column(name, justify="right" if name in ("Score", "Tickets", "Zeroed by critical") else "left")
        for row in quality:
            table.add_row(*row)
        console.print(table)

    if result.violations:
        ordered = common.worst_first(result.violations)
        shown = ordered if limit <= 0 else ordered[:limit]
        title = f"Violations (worst {len(shown)} of {len(ordered)})" if len(shown) < len(ordered) \
            else f"Violations ({len(ordered)})"
        table = Table(title=title, title_justify="left")
        for name in ("Rule", "Ticket", "Measured", "Target", "Finding", "Where"):
            table.add_column(name, overflow="fold")
        for v in shown:
            finding = Text(v.message)
            if v.evidence and v.evidence not in v.message:
                finding.append("\n" + v.evidence, style="dim")
            table.add_row(v.rule, v.ticket_id or "(all)", common.measured(v), common.target(v),
                          finding, common.location(v))
        console.print(table)

    if result.rejected:
        shown_rejected = result.rejected if limit <= 0 else result.rejected[:limit]
        table = Table(title=f"Rejected rows ({len(result.rejected)}; not audited)", title_justify="left")
        for name in ("File", "Row", "Field", "Error"):
            table.add_column(name, overflow="fold")
        for item in shown_rejected:
            table.add_row(item.path, str(item.row), item.field or "", item.error)
        console.print(table)
    for warning in result.warnings:
        console.print(Text("warning: " + warning, style="yellow"))
    console.print(Text(common.verdict(result), style="bold green" if result.standard_met else "bold red"))
    return buffer.getvalue()
