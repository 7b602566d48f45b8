"""Renderers of `svcaudit explain`: the ticket's conversation, then each rule's verdict and clock."""
from __future__ import annotations

import json

from ..explain import RuleExplanation, TicketExplanation
from ..timecalc.durations import format_instant, format_seconds
from .markdown import cell, table

TEXT_PREVIEW = 70


def _when(moment) -> str:
    return "—" if moment is None else format_instant(moment)


def _verdict(item: RuleExplanation) -> str:
    if item.outcome is None:
        return f"not judged: {item.note}"
    outcome = item.outcome
    text = outcome.status.value.replace("_", " ").upper()
    return f"{text}: {outcome.reason}" if outcome.reason else text


def _lines(explanation: TicketExplanation, markdown: bool) -> list[str]:
    ticket = explanation.ticket
    out: list[str] = []
    head = f"Ticket {ticket.ticket_id}"
    out += [f"# {head}" if markdown else head, ""]
    out.append(f"Standard {explanation.standard_name!r} ({explanation.standard_source}), "
               f"as of {_when(explanation.as_of)}; ticket row {ticket.ref.path}:{ticket.ref.row}.")
    details = ", ".join(f"{k}={v}" for k, v in ticket.fields.items() if k != "ticket_id")
    if details:
        out.append(f"Fields: {details}")
    out.append("")
    for name, error in ticket.rejected_fields.items():
        out.append(f"Rejected field {name}: {error}")
    if ticket.messages or ticket.notes:
        # Internal notes stand in time order among the messages, unnumbered: they are no replies.
        shown = sorted([(m.created_at, m.index + 1, m) for m in ticket.messages]
                       + [(m.created_at, "note", m) for m in ticket.notes],
                       key=lambda item: item[0])
        rows = [[number, _when(m.created_at), m.role.value if m.public else f"{m.role.value} (internal note)",
                 m.status or "", " ".join(m.text.split())[:TEXT_PREVIEW]] for _, number, m in shown]
        out += (["## Conversation", ""] if markdown else ["Conversation"])
        out += _table(["#", "Time", "Role", "Status", "Text"], rows, markdown)
    for item in explanation.rules:
        title = f"{item.rule.id} ({item.rule.check})"
        out += ([f"## {title}", ""] if markdown else [title])
        out.append(_verdict(item))
        if item.outcome is not None and item.outcome.evidence:
            out.append(f"Evidence: {item.outcome.evidence}")
        for span in item.spans:
            out.append("")
            status = "still running" if span.end is None else f"ended {_when(span.end)}"
            line = (f"{span.label}: from {_when(span.start)}, {status}; counted "
                    f"{format_seconds(span.measured_seconds)} on calendar {item.calendar}")
            if span.target_seconds is not None:
                line += f" of {format_seconds(span.target_seconds)}, due {_when(span.due)}"
            out.append(line)
            rows = [[g.kind, _when(g.start), _when(g.end), format_seconds(g.seconds)]
                    for g in span.segments]
            out += _table(["Segment", "From", "To", "Seconds"], rows, markdown)
        out.append("")
    return out


def _table(header: list[str], rows: list[list[object]], markdown: bool) -> list[str]:
    if markdown:
        return table(header, rows)
    widths = [max(len(str(x)) for x in column) for column in zip(header, *rows)]
    lines = ["  " + "  ".join(str(h).ljust(w) for h, w in zip(header, widths)).rstrip()]
    lines += ["  " + "  ".join(str(v).ljust(w) for v, w in zip(row, widths)).rstrip() for row in rows]
    return lines + [""]


def render(explanation: TicketExplanation, format: str) -> str:
    if format == "json":
        return json.dumps(explanation.to_dict(), ensure_ascii=False, indent=2) + "\n"
    lines = _lines(explanation, markdown=format == "markdown")
    if format == "markdown":
        lines = [line if line.startswith(("|", "#")) or not line else cell(line) for line in lines]
    return "\n".join(lines).rstrip() + "\n"
