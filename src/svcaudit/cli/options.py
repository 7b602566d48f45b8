"""The command line's options and arguments, each declared once and shared by the commands.

Declaring an option here names its flags, metavar and help in one place, so `check` and `merge`
(or `report` and `explain`) can never describe the same flag two ways.
"""

from __future__ import annotations

import enum
from pathlib import Path
from typing import Annotated

import typer

from svcaudit.reporters import REPORTERS, TABLE_REPORTERS

# --limit's default. The renderers' own default (`reporters.common.DEFAULT_VIOLATION_LIMIT`, for
# callers other than the CLI) is the same number, held equal by a test: importing it from there
# would load every renderer (the `reporters` package imports them all) for `--help`.
DEFAULT_LIMIT = 20


# The --format choices: the names of the registered formats (the registries import no format).
OutputFormat = enum.Enum("OutputFormat", [(name, name) for name in REPORTERS], type=str)  # type: ignore[misc]
TablesFormat = enum.Enum("TablesFormat", [(name, name) for name in TABLE_REPORTERS], type=str)  # type: ignore[misc]
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
ReportFormatOption = Annotated[
    OutputFormat | None,
    typer.Option("--format", "-f", help="Report format (default text; github annotations when GITHUB_ACTIONS is set)."),
]
FormatOption = Annotated[OutputFormat, typer.Option("--format", "-f", help="Report format.")]
TablesFormatOption = Annotated[TablesFormat, typer.Option("--format", "-f", help="Report format.")]
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
    int, typer.Option("--limit", min=0, help="Violations and rejected rows shown in text and Markdown (0: all).")
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
ExitZeroOption = Annotated[
    bool,
    typer.Option("--exit-zero", help="Exit 0 even when the standard is not met (for rollout); errors still exit 2."),
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
PartialOption = Annotated[
    Path | None,
    typer.Option(
        "--partial", metavar="PATH", help="Write this shard's partial result for `svcaudit merge` instead of a report."
    ),
]
PartialsArgument = Annotated[
    list[Path], typer.Argument(metavar="PARTIAL...", help="Partial results of `check --partial`.")
]
