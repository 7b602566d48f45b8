"""Markdown: GitHub-flavoured tables to paste into a wiki page, a pull request or a job summary."""

from __future__ import annotations

from collections.abc import Collection, Sequence

from svcaudit.reporters import common
from svcaudit.reporters.escaping import markdown as cell  # every value from the input, in a cell or a line
from svcaudit.results.model import AuditResult, Verdict
from svcaudit.timecalc.durations import format_instant

VERDICT_MARKS = {Verdict.PASSED: "✅", Verdict.FAILED: "❌", Verdict.NOT_JUDGED: "⚠️"}


def table(header: list[str], rows: Sequence[Sequence[object]], right: Collection[int] = frozenset()) -> list[str]:
    lines = [
        "| " + " | ".join(header) + " |",
        "|" + "|".join("---:" if i in right else "---" for i in range(len(header))) + "|",
    ]
    lines += ["| " + " | ".join(cell(v) for v in row) + " |" for row in rows]
    return lines + [""]


def render(result: AuditResult, *, limit: int = common.DEFAULT_VIOLATION_LIMIT, **_: object) -> str:
    mark = VERDICT_MARKS[result.verdict]
    out = [
        f"# svcaudit: {cell(result.standard_name)}",
        "",
        f"{mark} **{cell(common.verdict(result))}**",
        "",
        f"Standard {cell(result.standard_source)}, as of {format_instant(result.as_of)}; "
        f"{result.tickets} tickets audited"
        + (f"; messages joined {result.message_grouping}." if result.message_grouping else "."),
        "",
    ]
    out += ["## Inputs", ""]
    out += table(
        ["File", "Shape", "Rows read", "Audited", "Rejected"],
        [
            [
                i.path,
                i.shape.value,
                i.rows_read,
                i.rows_audited,
                f"{i.rows_rejected}" + common.input_accounting(i.rows_folded, i.fields_rejected, i.notes),
            ]
            for i in result.inputs
        ],
        right={2, 3, 4},
    )
    for path, preset in result.input_presets.items():
        out += [f"`{path}` {common.preset_line(preset)}.", ""]
    out += ["## Rules", ""]
    out += table(
        ["Rule", "Check", "Severity", "Passed", "Failed", "Pending", "N/A", "Compliance"],
        [
            [
                r.rule.id,
                r.rule.check,
                r.rule.severity.value,
                r.passed,
                r.failed,
                r.pending,
                r.not_applicable,
                common.percent(r.compliance),
            ]
            for r in result.rules
        ],
        right={3, 4, 5, 6, 7},
    )
    dimensions = common.dimension_rows(result.rules)
    if dimensions:
        out += ["## Compliance per dimension", ""]
        out += table(common.DIMENSION_HEADER, dimensions, right={1, 2, 3})
    reasons = common.reason_rows(result)
    if reasons:
        out += ["## Not applicable, and why", ""]
        out += table(common.REASON_HEADER, reasons, right={2})
    out += ["## Service metrics", ""]
    out += table(["Metric", "Value", "Basis"], [list(row) for row in common.metric_rows(result)], right={1})
    quality = common.quality_rows(result)
    if quality:
        out += ["## Quality score", ""]
        out += table(common.QUALITY_HEADER, quality, right={2, 3, 4})
    if result.violations:
        total = len(result.violations)
        shown = common.worst_first(result.violations, limit)
        more = f" (worst {len(shown)} of {total})" if len(shown) < total else f" ({total})"
        out += ["## Violations" + more, ""]
        out += table(
            ["Rule", "Ticket", "Who", "Measured", "Target", "Finding", "Evidence", "Where"],
            [
                [
                    v.rule,
                    v.ticket_id or "(all)",
                    common.who(v),
                    common.measured(v),
                    common.target(v),
                    v.message,
                    v.evidence or "",
                    common.location(v),
                ]
                for v in shown
            ],
        )
    if result.rejected:
        out += [f"## {common.rejected_title(result, ',')}", ""]
        out += table(common.REJECTED_HEADER, common.rejected_rows(result), right={2})
    for warning in result.all_warnings:
        out += [f"> ⚠️ {cell(warning)}", ""]
    return "\n".join(out).rstrip() + "\n"
