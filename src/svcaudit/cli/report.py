"""`svcaudit report` (compliance tables by period, agent, team …) and `svcaudit explain` (one
ticket's timeline): views of an audit in detail, with no verdict to exit by."""

from __future__ import annotations

from typing import Annotated

import typer

from svcaudit.cli import values
from svcaudit.cli.guard import guarded
from svcaudit.cli.options import (
    DEFAULT_LIMIT,
    TEXT_FORMAT,
    TEXT_TABLES,
    AsOfOption,
    ColorMode,
    ColorOption,
    CsvFormulasOption,
    DebugOption,
    EncodingOption,
    Files,
    FormatOption,
    JobsOption,
    LimitOption,
    OutputOption,
    StandardOption,
    TablesFormatOption,
)
from svcaudit.cli.output import emit, report_options, write_report
from svcaudit.errors import UsageError


@guarded
def report(
    files: Files,
    by: Annotated[
        str,
        typer.Option(
            "--by",
            metavar="FIELDS",
            help="Group by any of week, day, month, agent, team, channel, priority, rule (comma-separated).",
        ),
    ] = "week",
    period: Annotated[
        str | None,
        typer.Option(
            "--period",
            metavar="PERIOD",
            help="An ISO week (2026-W47), month (2026-11) or day; compared with the one before.",
        ),
    ] = None,
    since: Annotated[
        str | None, typer.Option("--since", metavar="DATE|TIMESTAMP", help="Only tickets created at or after this.")
    ] = None,
    until: Annotated[
        str | None,
        typer.Option(
            "--until", metavar="DATE|TIMESTAMP", help="Only tickets created before this (a date: to its end)."
        ),
    ] = None,
    standard: StandardOption = None,
    format: TablesFormatOption = TEXT_TABLES,
    output: OutputOption = None,
    as_of: AsOfOption = None,
    encoding: EncodingOption = None,
    limit: LimitOption = DEFAULT_LIMIT,
    csv_formulas: CsvFormulasOption = False,
    jobs: JobsOption = None,
    color: ColorOption = ColorMode.auto,
    debug: DebugOption = False,
) -> None:
    """Compliance tables per week, agent, team, channel, priority or rule, with trends."""
    from zoneinfo import ZoneInfo

    from svcaudit.audit.grouped import build_report, parse_by, resolve_period

    loaded, detection = values.standard_for_inputs(standard, files, encoding)
    zone = ZoneInfo(loaded.timezone)
    moment = values.as_of(as_of, loaded)
    fields = parse_by(by)
    values.distinct(files)
    chosen, before = resolve_period(
        zone,
        period,
        values.bound(since, loaded, "--since", False),
        values.bound(until, loaded, "--until", True),
        (since, until),
    )
    workers = values.jobs(jobs)
    tables = build_report(loaded, files, moment, fields, chosen, before, encoding, workers)
    if detection is not None:
        tables.warnings[:0] = detection.warnings()
    from svcaudit.reporters import table_reporter

    options = report_options(color, output, limit, jobs=workers, csv_formulas=csv_formulas)
    write_report(table_reporter(format.value), tables, options, output)
    if tables.tickets == 0:
        raise UsageError("the inputs hold no ticket to audit")


@guarded
def explain(
    ticket_id: Annotated[str, typer.Argument(metavar="TICKET_ID", help="The ticket to explain.")],
    files: Files,
    standard: StandardOption = None,
    format: FormatOption = TEXT_FORMAT,
    output: OutputOption = None,
    as_of: AsOfOption = None,
    encoding: EncodingOption = None,
    debug: DebugOption = False,
) -> None:
    """Show one ticket's timeline under every rule: counted, paused and closed time, due, verdict."""
    from svcaudit.audit.explain import explain_ticket, find_ticket
    from svcaudit.reporters import explain as explain_reporter

    loaded, _ = values.standard_for_inputs(standard, files, encoding)
    moment = values.as_of(as_of, loaded)
    values.distinct(files)
    ticket = find_ticket(loaded, files, ticket_id, encoding, moment)
    emit(explain_reporter.render(explain_ticket(loaded, ticket, moment), format.value), output)
