"""helpdesk_agreement: does the helpdesk's own figure agree with svcaudit's recomputation?

Exports carry the helpdesk's metrics (Zendesk's "First reply time in minutes", Freshdesk's
"Resolution time (in hrs)"). When a dashboard and an audit disagree, someone has to find out which
is right. This check recomputes the metric from the timestamps, on the rule's calendar, exactly as a
`response_time` rule would, and compares it with the exported figure.

Options:
  metric: first_reply | resolution | requester_wait   (required) what to recompute
  field: zendesk_first_reply_minutes   (required) the ticket field holding the helpdesk's figure
  unit: minutes            seconds | minutes | hours: the unit of a bare number in that field
                           (default: what the field's name ends in, `_minutes`, `_hours`, `_hrs`,
                           `_seconds`; else minutes)
  tolerance: 1m            how far apart the two may be (default 1m: helpdesks round to minutes)
  calendar, pause_statuses, resolved_statuses, resolution, bots_are_agents: as for response_time

The figure is read as helpdesks write it: `90` or `2.5` in the field's unit, `2:05:11`, `27:31:07`
(hours past a day), `0:45`, `1d 2h 3m`, `2h 5m 11s`, `PT2H5M`. A ticket without the field, whose
figure cannot be read (negative, garbage: the reason names the field and the value), or whose span
has not ended (no reply yet), is not applicable.

Passes:  Zendesk says 32 minutes; svcaudit measures 32m 22s (tolerance 1m).
Fails:   Zendesk says 95 minutes; svcaudit measures 1h 42m 10s ("helpdesk says 1h 35m, svcaudit
         measures 1h 42m 10s: 7m 10s apart").
"""

from __future__ import annotations

from svcaudit import reasons
from svcaudit.checks.base import Check, CheckEnv, Outcome, TicketContext, failed, not_applicable, passed
from svcaudit.checks.metrics import CLOCK_OPTIONS, METRICS, Measurement
from svcaudit.checks.options import seconds_option
from svcaudit.checks.schema_parts import DURATION
from svcaudit.intake.model import Ticket
from svcaudit.timecalc.durations import Seconds, format_seconds
from svcaudit.timecalc.export_durations import (
    UNIT_SECONDS,
    ExportDurationError,
    parse_export_duration,
    unit_of_field,
)

DEFAULT_UNIT = "minutes"  # Zendesk's figures, the common case, are whole minutes
DEFAULT_TOLERANCE = Seconds(60)


class HelpdeskAgreementCheck(Check):
    KIND = "helpdesk_agreement"
    SUMMARY = "the helpdesk's own metric agrees with svcaudit's recomputation"
    EXAMPLES = (
        {"metric": "first_reply", "field": "zendesk_first_reply_minutes"},
        {"metric": "resolution", "field": "resolution_hours", "tolerance": "30m", "calendar": "office"},
        {"metric": "requester_wait", "field": "wait_time", "unit": "seconds"},
    )
    REQUIRED = ("metric", "field")
    OPTIONS = {
        "metric": {"enum": [name for name, metric in METRICS.items() if metric.ONE_FIGURE]},
        "field": {"type": "string", "minLength": 1},
        "unit": {"enum": list(UNIT_SECONDS)},
        "tolerance": DURATION,
        **CLOCK_OPTIONS,
    }

    def __init__(self, rule, env: CheckEnv) -> None:
        super().__init__(rule, env)
        options = rule.options
        self.field: str = options["field"]
        unit = options.get("unit") or unit_of_field(self.field) or DEFAULT_UNIT
        self.unit_seconds = UNIT_SECONDS[unit]
        self.tolerance = seconds_option(options, "tolerance", DEFAULT_TOLERANCE.seconds)
        self.measure = Measurement(options, env)

    @property
    def reads_roles(self) -> bool:
        return self.measure.metric.READS_ROLES

    def evaluate(self, ticket: Ticket, ctx: TicketContext) -> Outcome:
        raw = ticket.fields.get(self.field)
        if raw is None:
            return not_applicable(reasons.NEEDS_FIELDS.text(fields=self.field))
        try:
            reported = parse_export_duration(raw, self.unit_seconds)
        except ExportDurationError as exc:
            return not_applicable(exc.describe(self.field, raw))
        spans = self.measure.spans(ticket, ctx)
        if isinstance(spans, Outcome):
            return spans
        if any(span.end is None for span in spans):
            return not_applicable(reasons.SPAN_NOT_ENDED.text())
        clock = self.measure.clock(ticket, ctx)
        measured = sum(clock.elapsed(span.start, span.end) for span in spans if span.end is not None)  # all ended
        apart = abs(measured - reported)
        text = f"helpdesk says {format_seconds(reported)}, svcaudit measures {format_seconds(measured)}"
        if apart <= self.tolerance:
            return passed(measured_seconds=measured, evidence=text)
        return failed(
            f"{text}: {format_seconds(apart)} apart (tolerance {format_seconds(self.tolerance)})",
            measured_seconds=measured,
            target_seconds=reported,
            field=self.field,
            evidence=f"{self.field}={raw}",
        )
