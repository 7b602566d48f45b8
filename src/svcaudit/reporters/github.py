"""GitHub Actions: workflow commands that turn findings into annotations on the run and its files.

Starts from `result.to_dict()`, with the violations streamed: only the capped worst of each rule
are kept, so a run with a million findings is annotated in bounded memory. The verdict comes first
as one `::notice` (PASSED) or `::error` (FAILED, NOT JUDGED) annotation, then the run's warnings, then
one `::group::` per rule with violations holding an `::error` or `::warning` per violation (file and
line of the row that shows it, the ticket and who it is about; aggregate rules have no file), worst
first and capped per rule with a closing `::notice` that counts the rest, then the rejected rows as
annotations on their rows, and last the verdict again as a plain log line.

The runner keeps only the first 10 error and the first 10 warning annotations of a step (the rest
stay in the log, counted), which is why the verdict leads: it must survive that cut.
The Markdown report for `$GITHUB_STEP_SUMMARY` is `reporters.markdown` (the CLI appends it).
"""

from __future__ import annotations

import os
from pathlib import Path, PurePath
from typing import Any

from svcaudit.reporters import common
from svcaudit.reporters.escaping import visible_controls
from svcaudit.results.model import AuditResult

DEFAULT_MAX_ANNOTATIONS = 20  # per rule, and for rejected rows; 0 means all
TITLE = "svcaudit"
REJECTED_TITLE = "rejected row"
REJECTED_GROUP = "rejected rows"
ROW_LEFT_OUT = "row not audited"
FIELD_LEFT_OUT = "field left out, row still audited"
ERROR, WARNING, NOTICE = "error", "warning", "notice"
MORE = "…"

# The runner's own escaping (actions/toolkit `command.ts`); `%` goes first so nothing is escaped twice.
_DATA_ESCAPES = (("%", "%25"), ("\r", "%0D"), ("\n", "%0A"))
_PROPERTY_ESCAPES = _DATA_ESCAPES + ((":", "%3A"), (",", "%2C"))
_LINE_BREAKS = "\r\n"  # kept for the runner's escapes: a message may span lines


def escape_data(value: object) -> str:
    """A command's message: `%`, CR and LF escaped, so that it stays one line of the log; any
    other control character (an ANSI sequence in a ticket text) shown escaped, never obeyed."""
    return _replace(visible_controls(value, keep=_LINE_BREAKS), _DATA_ESCAPES)


def escape_property(value: object) -> str:
    """A property value (file, title): also `:` and `,`, which end a property or the list."""
    return _replace(visible_controls(value, keep=_LINE_BREAKS), _PROPERTY_ESCAPES)


def command(name: str, message: object = "", **properties: object) -> str:
    """One workflow command line: `::name key=value,key=value::message`; None properties are left out."""
    given = ",".join(f"{key}={escape_property(value)}" for key, value in properties.items() if value is not None)
    return f"::{name}{' ' + given if given else ''}::{escape_data(message)}"


def render(
    result: AuditResult,
    *,
    max_annotations: int | None = None,
    limit: int | None = None,
    workspace: str | None = None,
    rejected_level: str = WARNING,
    **_: object,
) -> str:
    """Workflow commands for the whole audit.

    `max_annotations` caps the annotations per rule (and for rejected rows); without it the CLI's
    `limit` (`--limit`) does, and without either, DEFAULT_MAX_ANNOTATIONS; 0 shows all.
    `workspace` (`$GITHUB_WORKSPACE`) makes input paths relative to the repository, as GitHub needs
    them to place an annotation on a file. `rejected_level` is `warning` or `error`.
    """
    report = result.to_dict(lists=False)
    cap = _cap(max_annotations, limit)
    verdict = _verdict(result, report)
    lines = [command(NOTICE if report["summary"]["passed"] else ERROR, verdict, title=TITLE)]
    lines += [command(WARNING, warning, title=TITLE) for warning in report["warnings"]]
    by_rule: common.WorstByLane[str, dict[str, Any]] = common.WorstByLane(cap)
    for violation in result.findings("violations"):
        by_rule.add(violation["rule"], _overrun(violation), violation)
    for rule in report["rules"]:
        if rule["id"] in by_rule.counts:
            lines += _rule_group(rule["id"], by_rule.worst(rule["id"]), by_rule.counts[rule["id"]], workspace)
    rejected = list(result.findings("rejected"))
    if rejected:
        lines += _rejected_group(rejected, cap, workspace, rejected_level)
    lines.append(visible_controls(verdict))  # a plain log line, not a command
    return "\n".join(lines) + "\n"


def _rule_group(rule_id: str, shown: list[dict[str, Any]], total: int, workspace: str | None) -> list[str]:
    """The rule's group: its `shown` worst violations (of `total`), then a notice counting the rest."""
    lines = [f"::group::{escape_data(rule_id)} ({_count(total, 'violation')})"]
    for v in shown:
        level = ERROR if v["severity"] == ERROR else WARNING
        lines.append(command(level, _violation_message(v), **_place(v["path"], v["row"], workspace), title=rule_id))
    rest = total - len(shown)
    if rest:
        more = f"{MORE} and {_count(rest, 'more violation')} of {rule_id}"
        lines.append(command(NOTICE, more, title=rule_id))
    lines.append("::endgroup::")
    return lines


def _rejected_group(rejected: list[dict[str, Any]], cap: int, workspace: str | None, level: str) -> list[str]:
    shown = rejected if cap <= 0 else rejected[:cap]
    fields = sum(1 for r in rejected if r["row_kept"])
    title = f"{REJECTED_GROUP} ({len(rejected) - fields}, not audited)"
    if fields:
        title += f" and fields ({fields}, {FIELD_LEFT_OUT.split(', ')[1]})"
    lines = [f"::group::{title}"]
    for r in shown:
        reason = f"{r['field']}: {r['error']}" if r["field"] else r["error"]
        kept = FIELD_LEFT_OUT if r["row_kept"] else ROW_LEFT_OUT
        lines.append(
            command(level, f"{reason} ({kept})", **_place(r["path"], r["row"], workspace), title=REJECTED_TITLE)
        )
    rest = len(rejected) - len(shown)
    if rest:
        lines.append(command(NOTICE, f"{MORE} and {_count(rest, 'more rejected row')}", title=REJECTED_TITLE))
    lines.append("::endgroup::")
    return lines


def _violation_message(v: dict[str, Any]) -> str:
    about = common.who_of(v)
    ticket = f"{v['ticket_id']} ({about})" if v["ticket_id"] and about else (v["ticket_id"] or about)
    message = f"{ticket}: {v['message']}" if ticket else v["message"]
    if v["evidence"] and v["evidence"] not in v["message"]:
        message += "\n" + v["evidence"]
    return message


def _verdict(result: AuditResult, report: dict[str, Any]) -> str:
    summary = report["summary"]
    parts = [_count(summary["tickets"], "ticket"), _count(summary["violations"], "violation")]
    if summary.get("waived"):
        parts.append(f"{summary['waived']} waived")
    if summary["rows_rejected"]:
        parts.append(f"{summary['rows_rejected']} of {summary['rows_read']} rows rejected")
    return f"{common.verdict(result)} ({', '.join(parts)})"


def _place(path: str | None, row: int | None, workspace: str | None) -> dict[str, object]:
    """`file` and `line` properties; none for aggregate findings, `line` only with a real row."""
    if not path:
        return {}
    place: dict[str, object] = {"file": _repo_path(path, workspace)}
    if row is not None and row >= 1:
        place["line"] = row
    return place


def _repo_path(path: str, workspace: str | None) -> str:
    """The path relative to the workspace when it lies inside it; otherwise as the audit read it."""
    if not workspace:
        return path
    absolute = PurePath(os.path.abspath(path))
    try:
        return absolute.relative_to(Path(os.path.abspath(workspace))).as_posix()
    except ValueError:
        return path


def _overrun(v: dict[str, Any]) -> int:
    return v["overrun_seconds"] if v.get("overrun_seconds") is not None else -1


def _cap(max_annotations: int | None, limit: int | None) -> int:
    for value in (max_annotations, limit):
        if value is not None:
            return max(value, 0)
    return DEFAULT_MAX_ANNOTATIONS


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}" + ("" if n == 1 else "s")


def _replace(text: str, escapes: tuple[tuple[str, str], ...]) -> str:
    for plain, escaped in escapes:
        text = text.replace(plain, escaped)
    return text
