"""`init --from` audits the export with the standard it just wrote, so a bogus mapping shows at once.

Per rule: how many tickets it would judge and, when some are not applicable, the most common
reason ("first-reply: 0 of 1,183 judged: needs created_at"); then the verdict `svcaudit check`
would give. The audit is the engine's own (`run_audit`), the path `check` takes.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from svcaudit.audit.run import run_audit
from svcaudit.checks.base import AggregateCheck
from svcaudit.reporters.common import verdict
from svcaudit.results.model import AuditResult, RuleResult
from svcaudit.standard.loader import load_standard


def dry_run(standard_path: Path, export: Path, as_of: datetime) -> AuditResult:
    """The audit `check` would make of the export (a folder: its tables) with the standard."""
    standard = load_standard(str(standard_path))
    return run_audit(standard, [export], as_of, jobs=1)


def _rule_line(result: RuleResult, tickets: int, aggregate: bool) -> str:
    rule_id = result.rule.id
    groups = result.reason_groups
    top = groups[0].reason if groups else None
    if aggregate:
        return (
            f"{rule_id}: judged over the audited tickets"
            if result.judged
            else f"{rule_id}: not judged: {top or 'no answers'}"
        )
    line = f"{rule_id}: {result.judged:,} of {tickets:,} judged"
    if result.pending:
        line += f", {result.pending:,} pending"
    if result.not_applicable:
        if result.judged or result.pending:
            line += f"; {result.not_applicable:,} not applicable"
        line += f": {top}"
    return line


def summary_lines(result: AuditResult, standard_path: Path, export: Path) -> list[str]:
    """What stderr says after writing: the inputs' accounting, a line per rule, the verdict."""
    folded = sum(i.rows_folded for i in result.inputs)
    lines = [
        f"dry run of {standard_path} on {export}: {result.rows_read:,} rows read, "
        f"{result.tickets:,} tickets, {result.rows_rejected:,} rejected"
        + (f", {folded:,} folded into their ticket's latest row" if folded else "")
    ]
    lines.extend("  " + _rule_line(r, result.tickets, _aggregate(r)) for r in result.rules)
    for group in result.rejected_groups:
        lines.append(f"  rejected: {group.count:,} rows, {group.field}: {group.reason}")
    lines.append(f"svcaudit check would say: {verdict(result)}")
    return lines


def _aggregate(result: RuleResult) -> bool:
    """Whether the rule is judged once over all tickets (a score), not ticket by ticket."""
    from svcaudit.checks.registry import CHECK_KINDS

    return issubclass(CHECK_KINDS[result.rule.check], AggregateCheck)
