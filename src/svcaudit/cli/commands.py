"""The command line: `svcaudit check`, `validate`, `schema`. The only place that prints or exits.

Options shared by the commands are declared once below. Every error below this layer is a value
(`SvcauditError`) that becomes one message on stderr and exit code 2; an unexpected exception becomes
one line too, with its traceback only under `--debug`.
"""

from __future__ import annotations

import enum
import json
import os
import shutil
import sys
import traceback
from collections.abc import Callable
from datetime import datetime, timezone
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, NoReturn, TypeVar
from zoneinfo import ZoneInfo

import typer

from svcaudit import __version__
from svcaudit.audit.run import run_audit
from svcaudit.errors import StandardError, SvcauditError, UsageError, WorkerError
from svcaudit.intake.timestamps import TimestampError, TimestampParser
from svcaudit.reporters import REPORTERS, TABLE_REPORTERS, Reporter, ReportOptions
from svcaudit.reporters.common import DEFAULT_VIOLATION_LIMIT
from svcaudit.reporters.escaping import json_text, terminal
from svcaudit.results.exitcodes import ExitCode, exit_code_for
from svcaudit.results.model import AuditResult, RejectedLimit, Verdict
from svcaudit.standard.loader import load_standard
from svcaudit.standard.model import Standard
from svcaudit.standard.schema import standard_schema
from svcaudit.standard.waivers import load_waivers

if TYPE_CHECKING:
    from rich.progress import Progress

    from svcaudit.initfrom.autopreset import Detection

app = typer.Typer(
    name="svcaudit",
    help="Audit helpdesk and chat logs against a service standard written in YAML.",
    no_args_is_help=True,
    add_completion=False,
    context_settings={"help_option_names": ["-h", "--help"]},
    pretty_exceptions_enable=False,
)


# The --format choices: the names of the registered reporters.
OutputFormat = enum.Enum("OutputFormat", {name: name for name in REPORTERS}, type=str)
TablesFormat = enum.Enum("TablesFormat", {name: name for name in TABLE_REPORTERS}, type=str)
TEXT_FORMAT, TEXT_TABLES = OutputFormat("text"), TablesFormat("text")


class ColorMode(str, enum.Enum):
    auto = "auto"
    always = "always"
    never = "never"


class SchemaName(str, enum.Enum):
    standard = "standard"
    report = "report"
    tables = "tables"


Files = Annotated[
    list[Path],
    typer.Argument(help="Ticket or message exports: CSV, JSON, JSON Lines, optionally .gz.", show_default=False),
]
StandardOption = Annotated[
    str | None,
    typer.Option(
        "--standard",
        "-s",
        metavar="PATH|builtin:NAME",
        help="The standard to audit against. Default: the nearest svcaudit.yaml from the working "
        "directory upwards, else the built-in default standard.",
    ),
]
FormatOption = Annotated[OutputFormat, typer.Option("--format", "-f", help="Report format.")]
OutputOption = Annotated[
    Path | None, typer.Option("--output", "-o", help="Write the report to this file instead of stdout.")
]
AsOfOption = Annotated[
    str | None,
    typer.Option(
        "--as-of",
        metavar="TIMESTAMP",
        help="'Now' for pending vs breached (ISO 8601; without an offset, in the standard's time zone). "
        "Default: the current time. Set it in CI for reproducible reports.",
    ),
]
EncodingOption = Annotated[str | None, typer.Option("--encoding", help="Encoding of the inputs (default: detected).")]
LimitOption = Annotated[
    int, typer.Option("--limit", help="Violations and rejected rows shown in text and Markdown (0: all).")
]
ColorOption = Annotated[ColorMode, typer.Option("--color", help="Colour in text output (NO_COLOR is honoured).")]
DebugOption = Annotated[bool, typer.Option("--debug", help="Show the traceback of an internal error.")]
WaiversOption = Annotated[
    Path | None,
    typer.Option("--waivers", metavar="PATH", help="A waiver file: known exceptions with a reason and an expiry date."),
]
QuietOption = Annotated[
    bool, typer.Option("--quiet", "-q", help="No progress or notes on stderr; text output is the verdict line only.")
]
MaxRejectedOption = Annotated[
    str | None,
    typer.Option(
        "--max-rejected",
        metavar="N|P%",
        help="Exit 2 when more input rows than this were rejected (a count, or a share of rows read).",
    ),
]
CsvFormulasOption = Annotated[
    bool,
    typer.Option(
        "--csv-formulas",
        help="In CSV, write text cells starting with = + - @ tab or CR as they are; by default they get "
        "a leading ' so a spreadsheet does not run them as formulas.",
    ),
]

JobsOption = Annotated[
    int | None,
    typer.Option(
        "--jobs",
        "-j",
        show_default=False,
        help="Worker processes (0: one per core). Default: one per core. Results are identical to one process.",
    ),
]

GITHUB_ACTIONS = "GITHUB_ACTIONS"
GITHUB_STEP_SUMMARY = "GITHUB_STEP_SUMMARY"
PROGRESS_EVERY = 500  # tickets between progress bar refreshes

T = TypeVar("T")
R = TypeVar("R")  # the result a reporter writes


def _fail(message: str, code: ExitCode = ExitCode.ERROR) -> NoReturn:
    typer.echo(f"svcaudit: {terminal(message)}", err=True)
    raise typer.Exit(int(code))


def _guard(debug: bool, action: Callable[[], T]) -> T:
    """Run a command body: user errors become one message and exit 2, never a traceback."""
    try:
        return action()
    except typer.Exit:
        raise
    except StandardError as exc:
        for problem in [exc, *exc.others]:
            typer.echo(f"svcaudit: {terminal(problem)}", err=True)
        raise typer.Exit(int(ExitCode.ERROR)) from None
    except SvcauditError as exc:
        _fail(str(exc))
    except KeyboardInterrupt:
        _fail("interrupted")
    except Exception as exc:  # noqa: BLE001 - the promise is: no traceback reaches the user
        if debug:
            traceback.print_exc()
        _fail(
            f"internal error: {type(exc).__name__}: {exc} "
            f"(this is a bug in svcaudit {__version__}; run with --debug for the traceback)"
        )


def _as_of(text: str | None, standard: Standard) -> datetime:
    if text is None:
        return datetime.now(timezone.utc).replace(microsecond=0)
    try:
        return TimestampParser(ZoneInfo(standard.timezone)).parse(text)
    except TimestampError as exc:
        raise UsageError(f"--as-of: {exc}") from None


def _use_color(mode: ColorMode, output: Path | None) -> bool:
    if mode is ColorMode.always:
        return True
    if mode is ColorMode.never or output is not None or os.environ.get("NO_COLOR"):
        return False
    return sys.stdout.isatty()


def _width(output: Path | None) -> int | None:
    """The terminal's width when the report goes to one; else the renderer's default."""
    if output is None and sys.stdout.isatty():
        return shutil.get_terminal_size().columns
    return None


def _default_format() -> OutputFormat:
    """Without --format: GitHub annotations on GitHub Actions, else text."""
    return OutputFormat("github" if os.environ.get(GITHUB_ACTIONS) else "text")


def _report_options(
    color: ColorMode,
    output: Path | None,
    limit: int,
    *,
    quiet: bool = False,
    jobs: int | None = 1,
    csv_formulas: bool = False,
) -> ReportOptions:
    """The options every format is given, read off the command line and the environment;
    `jobs` None is one process per core."""
    if jobs is None:
        from svcaudit.audit.workers import default_jobs

        jobs = default_jobs()
    return ReportOptions(
        limit=limit,
        color=_use_color(color, output),
        width=_width(output),
        workspace=os.environ.get("GITHUB_WORKSPACE"),
        csv_formulas=csv_formulas,
        jobs=jobs,
        quiet=quiet,
    )


def _write_report(
    reporter: Reporter[R], result: R, options: ReportOptions, output: Path | None, quiet: bool = False
) -> None:
    """The report written by its format to stdout or to `output`, as the format streams it."""
    from concurrent.futures.process import BrokenProcessPool

    try:
        if output is None:
            reporter.write(result, sys.stdout, options)
            sys.stdout.flush()
            return
        try:
            with output.open("w", encoding="utf-8") as stream:
                reporter.write(result, stream, options)
        except OSError as exc:
            raise UsageError(f"cannot write {output}: {exc.strerror}") from None
    except BrokenProcessPool:  # only the JSON report hands work to processes (options.jobs)
        raise WorkerError(
            "a worker process encoding the JSON report stopped before it finished "
            "(killed, or out of memory?); run again with --jobs 1"
        ) from None
    if not quiet:
        typer.echo(f"svcaudit: report written to {output}", err=True)


def _emit(text: str, output: Path | None, quiet: bool = False, what: str = "report") -> None:
    if output is None:
        sys.stdout.write(text)
        sys.stdout.flush()
        return
    try:
        output.write_text(text, encoding="utf-8")
    except OSError as exc:
        raise UsageError(f"cannot write {output}: {exc.strerror}") from None
    if not quiet:
        typer.echo(f"svcaudit: {what} written to {output}", err=True)


@app.command()
def check(
    files: Files,
    standard: StandardOption = None,
    format: Annotated[
        OutputFormat | None,
        typer.Option(
            "--format", "-f", help="Report format (default text; github annotations when GITHUB_ACTIONS is set)."
        ),
    ] = None,
    output: OutputOption = None,
    as_of: AsOfOption = None,
    encoding: EncodingOption = None,
    limit: LimitOption = DEFAULT_VIOLATION_LIMIT,
    waivers: WaiversOption = None,
    max_rejected: MaxRejectedOption = None,
    exit_zero: Annotated[
        bool,
        typer.Option(
            "--exit-zero", help="Exit 0 even when the standard is not met (for rollout); errors still exit 2."
        ),
    ] = False,
    jobs: JobsOption = None,
    partial: Annotated[
        Path | None,
        typer.Option(
            "--partial",
            metavar="PATH",
            help="Write this shard's partial result for `svcaudit merge` instead of a report.",
        ),
    ] = None,
    color: ColorOption = ColorMode.auto,
    quiet: QuietOption = False,
    debug: DebugOption = False,
) -> None:
    """Audit exports against the standard. Exit 0: met; 1: not met; 2: usage or input error."""

    def body() -> ExitCode:
        loaded, detection = _standard_for_inputs(standard, files, encoding, quiet)
        moment = _as_of(as_of, loaded)
        _distinct(files)
        limit_rejected = _parse_max_rejected(max_rejected)
        waiver_file = load_waivers(waivers, moment, loaded.timezone) if waivers else None
        chosen = format or _default_format()
        if partial is not None:
            return _write_partial(loaded, files, moment, encoding, jobs, waiver_file, partial, quiet, detection)
        with _progress(quiet) as progress:
            result = run_audit(
                loaded, files, moment, encoding=encoding, progress=progress, waivers=waiver_file, jobs=_jobs(jobs)
            )
        if detection is not None:
            result.input_presets = detection.inputs()
            result.warnings[:0] = detection.warnings()
        result.max_rejected = limit_rejected  # part of the verdict, so every format shows it
        options = _report_options(color, output, limit, quiet=quiet, jobs=_jobs(jobs))
        _write_report(REPORTERS[chosen.value], result, options, output, quiet)
        _append_step_summary(result)
        return _exit_code(result, exit_zero, quiet)

    raise typer.Exit(int(_guard(debug, body)))


def _standard_for_inputs(
    option: str | None, files: list[Path], encoding: str | None, quiet: bool = False
) -> tuple[Standard, Detection | None]:
    """The standard to audit `files` with; without one given, the default reading them with their
    detected preset, which stderr names (and warns about missing columns of)."""
    from svcaudit.initfrom.autopreset import standard_for

    loaded, detection = standard_for(option, files, encoding)
    if detection is not None and not quiet:
        for note in detection.notes(loaded):
            typer.echo(f"svcaudit: {note}", err=True)
        for warning in detection.warnings():
            typer.echo(f"svcaudit: warning: {warning}", err=True)
    return loaded, detection


def _jobs(jobs: int | None) -> int | None:
    """None: decided by the inputs (workers pay off where they type and judge ticket rows)."""
    if jobs is None:
        return None
    if jobs < 0:
        raise UsageError("--jobs takes 0 (one per core) or a positive number")
    if jobs == 0:
        from svcaudit.audit.workers import default_jobs

        return default_jobs()
    return jobs


def _write_partial(
    loaded: Standard,
    files: list[Path],
    moment: datetime,
    encoding: str | None,
    jobs: int | None,
    waiver_file,
    target: Path,
    quiet: bool,
    detection: Detection | None = None,
) -> ExitCode:
    """`check --partial`: audit this shard, keep the sums, judge nothing over all tickets yet."""
    from svcaudit.audit.engine import make_intake
    from svcaudit.audit.partial import partial_dict
    from svcaudit.audit.run import Audit

    intake = make_intake(loaded, files, encoding, moment)
    audit = Audit(loaded, moment, waivers=waiver_file)
    with _progress(quiet) as progress:
        from svcaudit.audit.workers import default_jobs

        workers = _jobs(jobs)
        audit.feed(intake.tickets(), progress, default_jobs() if workers is None else workers)
    data = partial_dict(audit, intake)
    if detection is not None:
        presets = detection.inputs()
        for item in data["inputs"]:
            if item["path"] in presets:
                item["preset"] = presets[item["path"]]
        data["warnings"][:0] = detection.warnings()
    _emit(json_text(json.dumps(data, ensure_ascii=False)) + "\n", target, quiet, "partial result")
    return ExitCode.MET


@app.command()
def merge(
    partials: Annotated[list[Path], typer.Argument(metavar="PARTIAL...", help="Partial results of `check --partial`.")],
    standard: StandardOption = None,
    format: Annotated[OutputFormat | None, typer.Option("--format", "-f", help="Report format.")] = None,
    output: OutputOption = None,
    limit: LimitOption = DEFAULT_VIOLATION_LIMIT,
    waivers: WaiversOption = None,
    exit_zero: Annotated[bool, typer.Option("--exit-zero", help="Exit 0 even when the standard is not met.")] = False,
    color: ColorOption = ColorMode.auto,
    quiet: QuietOption = False,
    debug: DebugOption = False,
) -> None:
    """Combine partial results of shards into the report one run over all of them would give."""
    from svcaudit.audit.partial import merge_partials, read_partial

    def body() -> ExitCode:
        loaded_partials = [(path, read_partial(path)) for path in partials]
        source = standard or loaded_partials[0][1]["standard"]["source"]
        loaded = load_standard(source)
        as_of = datetime.fromisoformat(loaded_partials[0][1]["as_of"])
        waiver_file = load_waivers(waivers, as_of, loaded.timezone) if waivers else None
        result = merge_partials(loaded, loaded_partials, waiver_file)
        chosen = format or _default_format()
        _write_report(REPORTERS[chosen.value], result, _report_options(color, output, limit), output, quiet)
        _append_step_summary(result)
        return _exit_code(result, exit_zero, quiet)

    raise typer.Exit(int(_guard(debug, body)))


def _append_step_summary(result: AuditResult) -> None:
    """On GitHub Actions, the Markdown report goes to the job's summary page too."""
    summary = os.environ.get(GITHUB_STEP_SUMMARY)
    if not summary:
        return
    from svcaudit.reporters import markdown

    try:
        with open(summary, "a", encoding="utf-8") as handle:
            handle.write(markdown.render(result) + "\n")
    except OSError as exc:
        typer.echo(f"svcaudit: cannot write {GITHUB_STEP_SUMMARY} ({summary}): {exc.strerror}", err=True)


def _parse_max_rejected(text: str | None) -> RejectedLimit | None:
    """The limit from "25" or "0.5%"."""
    if text is None:
        return None
    value = text.strip()
    try:
        if value.endswith("%"):
            share = float(value[:-1]) / 100
            if not 0 <= share <= 1:
                raise ValueError
            return RejectedLimit(share, True)
        count = int(value)
        if count < 0:
            raise ValueError
        return RejectedLimit(float(count), False)
    except ValueError:
        raise UsageError(f"--max-rejected {text!r}: give a count (25) or a share of rows read (0.5%)") from None


class _progress:
    """A progress line on stderr for long inputs: only on a terminal, never in CI or with --quiet."""

    def __init__(self, quiet: bool) -> None:
        self.enabled = (
            not quiet and sys.stderr.isatty() and not os.environ.get("CI") and not os.environ.get(GITHUB_ACTIONS)
        )
        self._progress: Progress | None = None

    def __enter__(self) -> Callable[[int], None] | None:
        if not self.enabled:
            return None
        from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

        self._progress = Progress(
            SpinnerColumn(),
            TextColumn("auditing: {task.completed} tickets"),
            TimeElapsedColumn(),
            transient=True,
            console=__import__("rich.console").console.Console(stderr=True),
        )
        self._progress.start()
        task = self._progress.add_task("audit", total=None)

        shown = 0

        def advance(count: int) -> None:
            # Called per ticket in one process, per few thousand from workers: refresh sparingly.
            nonlocal shown
            if abs(count - shown) >= PROGRESS_EVERY:
                shown = count
                self._progress.update(task, completed=count)

        return advance

    def __exit__(self, *exc: object) -> None:
        if self._progress is not None:
            self._progress.stop()


def _distinct(files: list[Path]) -> None:
    seen: set[Path] = set()
    for path in files:
        resolved = path.resolve()
        if resolved in seen:
            raise UsageError(f"{path} is given twice")
        seen.add(resolved)


def _exit_code(result: AuditResult, exit_zero: bool, quiet: bool) -> ExitCode:
    """The result's verdict as the exit code. NOT JUDGED is also said on stderr (the report may
    have gone to a file), and `--exit-zero` never hides it."""
    verdict = result.verdict
    if verdict is Verdict.NOT_JUDGED:
        typer.echo(f"svcaudit: {verdict.label}: {result.not_judged_because}", err=True)
    elif verdict is Verdict.FAILED and exit_zero and not quiet:
        typer.echo("svcaudit: the standard is not met; exit 0 because of --exit-zero", err=True)
    return exit_code_for(verdict, exit_zero)


@app.command()
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
    format: Annotated[TablesFormat, typer.Option("--format", "-f", help="Report format.")] = TEXT_TABLES,
    output: OutputOption = None,
    as_of: AsOfOption = None,
    encoding: EncodingOption = None,
    limit: LimitOption = DEFAULT_VIOLATION_LIMIT,
    csv_formulas: CsvFormulasOption = False,
    color: ColorOption = ColorMode.auto,
    debug: DebugOption = False,
) -> None:
    """Compliance tables per week, agent, team, channel, priority or rule, with trends."""
    from svcaudit.audit.grouped import build_report, parse_by, resolve_period

    def body() -> None:
        loaded, detection = _standard_for_inputs(standard, files, encoding)
        zone = ZoneInfo(loaded.timezone)
        moment = _as_of(as_of, loaded)
        fields = parse_by(by)
        _distinct(files)
        chosen, before = resolve_period(
            zone,
            period,
            _bound(since, loaded, "--since", False),
            _bound(until, loaded, "--until", True),
            (since, until),
        )
        tables = build_report(loaded, files, moment, fields, chosen, before, encoding)
        if detection is not None:
            tables.warnings[:0] = detection.warnings()
        options = _report_options(color, output, limit, csv_formulas=csv_formulas)
        _write_report(TABLE_REPORTERS[format.value], tables, options, output)
        if tables.tickets == 0:
            _fail("the inputs hold no ticket to audit")

    _guard(debug, body)


def _bound(text: str | None, standard: Standard, option: str, end_of_day: bool) -> datetime | None:
    """--since/--until: a date (local midnight; --until: the end of that day) or a timestamp."""
    if text is None:
        return None
    from datetime import date, timedelta

    zone = ZoneInfo(standard.timezone)
    try:
        day = date.fromisoformat(text.strip())
    except ValueError:
        day = None
    if day is not None:
        day = day + timedelta(days=1) if end_of_day else day
        return datetime(day.year, day.month, day.day, tzinfo=zone)
    try:
        return TimestampParser(zone).parse(text)
    except TimestampError as exc:
        raise UsageError(f"{option}: {exc}") from None


@app.command()
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

    def body() -> None:
        loaded, _ = _standard_for_inputs(standard, files, encoding)
        moment = _as_of(as_of, loaded)
        _distinct(files)
        ticket = find_ticket(loaded, files, ticket_id, encoding, moment)
        _emit(explain_reporter.render(explain_ticket(loaded, ticket, moment), format.value), output)

    _guard(debug, body)


@app.command()
def validate(
    standards: Annotated[list[str], typer.Argument(metavar="STANDARD...", help="Standard files, or builtin:NAME.")],
    debug: DebugOption = False,
) -> None:
    """Check standards without auditing anything. Exit 0: all valid; 2: not."""

    def body() -> int:
        failures = 0
        for spec in standards:
            try:
                loaded = load_standard(spec)
            except StandardError as exc:
                failures += 1
                for problem in [exc, *exc.others]:
                    typer.echo(f"svcaudit: {terminal(problem)}", err=True)
                continue
            typer.echo(
                f"{spec}: valid standard {loaded.name!r}, {len(loaded.rules)} rules, "
                f"calendars: {', '.join(loaded.calendars)}"
            )
        return ExitCode.ERROR if failures else ExitCode.MET

    raise typer.Exit(int(_guard(debug, body)))


@app.command()
def schema(
    name: Annotated[SchemaName, typer.Argument(help="standard, report (check's JSON) or tables (report's JSON).")],
) -> None:
    """Print a JSON Schema (draft 2020-12): `standard` for editors; `report` (check) and `tables`
    (report) for programs reading the JSON output."""
    if name is SchemaName.standard:
        document = standard_schema()
    else:
        from importlib import resources

        file = "report-v1.json" if name is SchemaName.report else "tables-v1.json"
        document = json.loads(resources.files("svcaudit").joinpath(f"schema/{file}").read_text("utf-8"))
    sys.stdout.write(json.dumps(document, ensure_ascii=False, indent=2) + "\n")


@app.command()
def standards() -> None:
    """List the built-in standards (use one with --standard builtin:NAME)."""
    from svcaudit.standard.loader import builtin_names

    for name in builtin_names():
        loaded = load_standard(f"builtin:{name}")
        dimensions = sorted({r.dimension for r in loaded.rules if r.dimension})
        typer.echo(
            f"builtin:{name}\t{loaded.name} ({len(loaded.rules)} rules"
            + (f"; dimensions: {', '.join(dimensions)}" if dimensions else "")
            + ")"
        )
        if loaded.description:
            typer.echo("    " + " ".join(loaded.description.split()))


@app.command()
def presets() -> None:
    """List the input presets (use one with `input: {preset: NAME}`): the tables and columns each reads."""
    from svcaudit.intake.presets import PRESETS, describe_preset

    for preset in PRESETS.values():
        for line in describe_preset(preset):
            typer.echo(line)


@app.command()
def rules(
    kind: Annotated[str | None, typer.Argument(metavar="[CHECK]", help="One check kind to show.")] = None,
) -> None:
    """The check kinds, their options and examples (from the check modules' own documentation)."""
    from svcaudit.checks.registry import CHECK_KINDS
    from svcaudit.standard.rulesdoc import describe

    if kind is not None and kind not in CHECK_KINDS:
        from svcaudit.errors import closest

        hint = closest(kind, CHECK_KINDS)
        _fail(
            f"no check kind {kind!r} (kinds: {', '.join(sorted(CHECK_KINDS))})"
            + (f"; did you mean {hint!r}?" if hint else "")
        )
    chosen = [kind] if kind else sorted(CHECK_KINDS)
    sys.stdout.write("\n\n".join(describe(CHECK_KINDS[name]) for name in chosen) + "\n")


@app.command()
def init(
    standard: Annotated[
        str, typer.Option("--standard", "-s", metavar="NAME", help="The built-in standard to start from.")
    ] = "default",
    from_export: Annotated[
        Path | None,
        typer.Option(
            "--from",
            metavar="EXPORT",
            help="An export to read: pick the matching preset or propose a column mapping from its "
            "values, then audit it with the written standard (a dry run on stderr). A folder of "
            "synced tables gets a `tables:` block with the joins between them.",
        ),
    ] = None,
    output: Annotated[Path, typer.Option("--output", "-o", help="Where to write it.")] = Path("svcaudit.yaml"),
    force: Annotated[bool, typer.Option("--force", help="Overwrite an existing file.")] = False,
    as_of: AsOfOption = None,
    debug: DebugOption = False,
) -> None:
    """Write a starter svcaudit.yaml from a built-in standard (and, with --from, for an export)."""
    from svcaudit.standard.loader import builtin_text, parse_standard

    def body() -> None:
        name = standard.removeprefix("builtin:")
        if output.exists() and not force:
            raise UsageError(f"{output} exists; pass --force to overwrite it")
        notes: list[str] = []
        if from_export is None:
            text = builtin_text(name)
        elif from_export.is_dir():
            from svcaudit.initfrom.folder import folder_notes, folder_standard

            text, proposal = folder_standard(from_export, name)
            notes = folder_notes(proposal)
        else:
            from svcaudit.initfrom import notes as proposal_notes
            from svcaudit.initfrom import starter_standard

            text, proposal = starter_standard(from_export, name)
            notes = proposal_notes(proposal, from_export)
        parse_standard(text, str(output))  # the written standard must load as it is
        try:
            output.write_text(text, encoding="utf-8")
        except OSError as exc:
            raise UsageError(f"cannot write {output}: {exc.strerror}") from None
        for note in notes:
            typer.echo(f"svcaudit: {terminal(note)}", err=True)
        typer.echo(
            f"svcaudit: wrote {output} from builtin:{name}; edit it, then run `svcaudit validate {output}`", err=True
        )
        if from_export is not None:
            from svcaudit.initfrom import dry_run, summary_lines

            try:
                result = dry_run(output, from_export, _as_of(as_of, load_standard(str(output))))
            except SvcauditError as exc:
                _fail(f"dry run of {output} on {from_export}: {exc}")
            for line in summary_lines(result, output, from_export):
                typer.echo(f"svcaudit: {terminal(line)}", err=True)

    _guard(debug, body)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"svcaudit {__version__}")
        raise typer.Exit()


@app.callback()
def main_options(
    version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True, help="Print the version and exit.")
    ] = False,
) -> None:
    """Audit helpdesk and chat logs against a service standard written in YAML."""


def main() -> None:
    app()
