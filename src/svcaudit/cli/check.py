"""`svcaudit check` and `svcaudit merge`: an audit's report, and its verdict as the exit code.

The verdict is the result's (`AuditResult.verdict`) and the exit code a pure function of it
(`exit_code_for`); this module only reads the options, hands the work to `audit/`, writes the
report and says on stderr what the exit code alone would not.
"""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from svcaudit.cli import values
from svcaudit.cli.guard import guarded, say
from svcaudit.cli.options import (
    DEFAULT_LIMIT,
    AsOfOption,
    ColorMode,
    ColorOption,
    DebugOption,
    EncodingOption,
    ExitZeroOption,
    Files,
    JobsOption,
    LimitOption,
    MaxRejectedOption,
    OutputFormat,
    OutputOption,
    PartialOption,
    PartialsArgument,
    QuietOption,
    ReportFormatOption,
    StandardOption,
    WaiversOption,
)
from svcaudit.cli.output import append_step_summary, emit, on_github, report_options, write_report
from svcaudit.cli.progress import progress
from svcaudit.results.exitcodes import ExitCode, exit_code_for

if TYPE_CHECKING:
    from svcaudit.results.model import AuditResult


@guarded
def check(
    files: Files,
    standard: StandardOption = None,
    format: ReportFormatOption = None,
    output: OutputOption = None,
    as_of: AsOfOption = None,
    encoding: EncodingOption = None,
    limit: LimitOption = DEFAULT_LIMIT,
    waivers: WaiversOption = None,
    max_rejected: MaxRejectedOption = None,
    exit_zero: ExitZeroOption = False,
    jobs: JobsOption = None,
    partial: PartialOption = None,
    color: ColorOption = ColorMode.auto,
    quiet: QuietOption = False,
    debug: DebugOption = False,
) -> ExitCode:
    """Audit exports against the standard. Exit 0: met; 1: not met; 2: usage or input error."""
    from svcaudit.audit import run
    from svcaudit.standard.waivers import load_waivers

    loaded, detection = values.standard_for_inputs(standard, files, encoding, quiet)
    moment = values.as_of(as_of, loaded)
    values.distinct(files)
    limit_rejected = values.max_rejected(max_rejected)
    waiver_file = load_waivers(waivers, moment, loaded.timezone) if waivers else None
    workers = values.jobs(jobs)
    if partial is not None:
        from svcaudit.audit.partial import audit_partial
        from svcaudit.reporters.escaping import json_text

        with progress(quiet) as advance:
            data = audit_partial(
                loaded,
                files,
                moment,
                encoding,
                advance,
                waiver_file,
                workers,
                presets=None if detection is None else detection.inputs(),
                warnings=() if detection is None else detection.warnings(),
            )
        emit(json_text(json.dumps(data, ensure_ascii=False)) + "\n", partial, quiet, "partial result")
        return ExitCode.MET
    with progress(quiet) as advance:
        result = run.run_audit(
            loaded, files, moment, encoding=encoding, progress=advance, waivers=waiver_file, jobs=workers
        )
    if detection is not None:
        result.input_presets = detection.inputs()
        result.warnings[:0] = detection.warnings()
    result.max_rejected = limit_rejected  # part of the verdict, so every format shows it
    return _publish(result, format, output, limit, color, quiet, exit_zero, workers)


@guarded
def merge(
    partials: PartialsArgument,
    standard: StandardOption = None,
    format: ReportFormatOption = None,
    output: OutputOption = None,
    limit: LimitOption = DEFAULT_LIMIT,
    waivers: WaiversOption = None,
    exit_zero: ExitZeroOption = False,
    color: ColorOption = ColorMode.auto,
    quiet: QuietOption = False,
    debug: DebugOption = False,
) -> ExitCode:
    """Combine partial results of shards into the report one run over all of them would give."""
    from svcaudit.audit.partial import merge_partials, read_partial
    from svcaudit.standard.loader import load_standard
    from svcaudit.standard.waivers import load_waivers

    loaded_partials = [(path, read_partial(path)) for path in partials]
    source = standard or loaded_partials[0][1]["standard"]["source"]
    loaded = load_standard(source)
    as_of = datetime.fromisoformat(loaded_partials[0][1]["as_of"])
    waiver_file = load_waivers(waivers, as_of, loaded.timezone) if waivers else None
    result = merge_partials(loaded, loaded_partials, waiver_file)
    return _publish(result, format, output, limit, color, quiet, exit_zero)


def _publish(
    result: AuditResult,
    format: OutputFormat | None,
    output: Path | None,
    limit: int,
    color: ColorMode,
    quiet: bool,
    exit_zero: bool,
    jobs: int | None = 1,
) -> ExitCode:
    """The report in the chosen format (default text; GitHub annotations on GitHub Actions), the job
    summary, and the exit code, with what stderr says about it."""
    from svcaudit.reporters import reporter

    chosen = format or OutputFormat("github" if on_github() else "text")
    options = report_options(color, output, limit, quiet=quiet, jobs=jobs)
    write_report(reporter(chosen.value), result, options, output, quiet)
    append_step_summary(result)
    code = exit_code_for(result.verdict, exit_zero)
    for note in verdict_notes(result, code, quiet):
        say(note)
    return code


def verdict_notes(result: AuditResult, code: ExitCode, quiet: bool) -> list[str]:
    """What stderr says besides the exit code: NOT JUDGED and why, always (the report may have gone
    to a file); that `--exit-zero` turned a failed standard into exit 0, unless `quiet`."""
    from svcaudit.results.model import Verdict

    verdict = result.verdict
    if verdict is Verdict.NOT_JUDGED:
        return [f"{verdict.label}: {result.not_judged_because}"]
    if code is not exit_code_for(verdict) and not quiet:
        return ["the standard is not met; exit 0 because of --exit-zero"]
    return []
