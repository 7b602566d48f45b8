"""Renderers of `svcaudit explain`: the ticket's conversation, then each rule's verdict and clock."""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence

from svcaudit.audit.explain import RuleExplanation, TicketExplanation
from svcaudit.reporters.escaping import json_text, markdown, terminal
from svcaudit.reporters.markdown import table
from svcaudit.timecalc.durations import format_instant, format_seconds

TEXT_PREVIEW = 70


def _when(moment) -> str:
    return "—" if moment is None else format_instant(moment)


def _verdict(item: RuleExplanation) -> str:
    if item.outcome is None:
        return f"not judged: {item.note}"
    outcome = item.outcome
    text = outcome.status.value.replace("_", " ").upper()
    return f"{text}: {outcome.reason}" if outcome.reason else text


def _lines(explanation: TicketExplanation, markdown_format: bool) -> list[str]:
    """The report's lines. Every line but a table's passes through the format's escaping once
    (`escape`); table cells are escaped by the table."""
    escape: Callable[[object], str] = markdown if markdown_format else terminal
    ticket = explanation.ticket
    out: list[str] = []

    def heading(text: str) -> list[str]:
        return [f"## {escape(text)}", ""] if markdown_format else [escape(text)]

    head = escape(f"Ticket {ticket.ticket_id}")
    out += [f"# {head}" if markdown_format else head, ""]
    out.append(
        escape(
            f"Standard {explanation.standard_name!r} ({explanation.standard_source}), "
            f"as of {_when(explanation.as_of)}; ticket row {ticket.ref.path}:{ticket.ref.row}."
        )
    )
    details = ", ".join(f"{k}={v}" for k, v in ticket.fields.items() if k != "ticket_id")
    if details:
        out.append(escape(f"Fields: {details}"))
    out.append("")
    for name, error in ticket.rejected_fields.items():
        out.append(escape(f"Rejected field {name}: {error}"))
    if ticket.messages or ticket.notes:
        # Internal notes stand in time order among the messages, unnumbered: they are no replies.
        shown = sorted(
            [(m.created_at, m.index + 1, m) for m in ticket.messages]
            + [(m.created_at, "note", m) for m in ticket.notes],
            key=lambda item: item[0],
        )
        rows = [
            [
                number,
                _when(m.created_at),
                m.role.value if m.public else f"{m.role.value} (internal note)",
                m.status or "",
                " ".join(m.text.split())[:TEXT_PREVIEW],
            ]
            for _, number, m in shown
        ]
        out += heading("Conversation")
        out += _table(["#", "Time", "Role", "Status", "Text"], rows, markdown_format)
    for item in explanation.rules:
        out += heading(f"{item.rule.id} ({item.rule.check})")
        out.append(escape(_verdict(item)))
        if item.outcome is not None and item.outcome.evidence:
            out.append(escape(f"Evidence: {item.outcome.evidence}"))
        for span in item.spans:
            out.append("")
            status = "still running" if span.end is None else f"ended {_when(span.end)}"
            line = (
                f"{span.label}: from {_when(span.start)}, {status}; counted "
                f"{format_seconds(span.measured_seconds)} on calendar {item.calendar}"
            )
            if span.target_seconds is not None:
                line += f" of {format_seconds(span.target_seconds)}, due {_when(span.due)}"
            out.append(escape(line))
            rows = [[g.kind, _when(g.start), _when(g.end), format_seconds(g.seconds)] for g in span.segments]
            out += _table(["Segment", "From", "To", "Seconds"], rows, markdown_format)
        out.append("")
    return out


def _table(header: list[str], rows: Sequence[Sequence[object]], markdown_format: bool) -> list[str]:
    if markdown_format:
        return table(header, rows)
    shown = [[terminal(value) for value in row] for row in rows]  # widths of what is printed
    widths = [max(len(str(x)) for x in column) for column in zip(header, *shown, strict=False)]
    lines = ["  " + "  ".join(str(h).ljust(w) for h, w in zip(header, widths, strict=False)).rstrip()]
    lines += ["  " + "  ".join(v.ljust(w) for v, w in zip(row, widths, strict=False)).rstrip() for row in shown]
    return lines + [""]


def render(explanation: TicketExplanation, format: str) -> str:
    if format == "json":
        return json_text(json.dumps(explanation.to_dict(), ensure_ascii=False, indent=2)) + "\n"
    lines = _lines(explanation, markdown_format=format == "markdown")
    return "\n".join(lines).rstrip() + "\n"
