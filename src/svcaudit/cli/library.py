"""The commands about standards rather than exports: `validate`, `schema`, `standards`, `presets`,
`rules`. None of them reads an export, so none loads the audit engine or the intake readers."""

from __future__ import annotations

import json
import sys
from typing import Annotated

import typer

from svcaudit.cli.guard import guarded, say_error
from svcaudit.cli.options import DebugOption, SchemaName
from svcaudit.errors import StandardError, UsageError, closest
from svcaudit.results.exitcodes import ExitCode


@guarded
def validate(
    standards: Annotated[list[str], typer.Argument(metavar="STANDARD...", help="Standard files, or builtin:NAME.")],
    debug: DebugOption = False,
) -> ExitCode:
    """Check standards without auditing anything. Exit 0: all valid; 2: not."""
    from svcaudit.standard.loader import load_standard

    failures = 0
    for spec in standards:
        try:
            loaded = load_standard(spec)
        except StandardError as exc:
            failures += 1
            say_error(exc)
            continue
        typer.echo(
            f"{spec}: valid standard {loaded.name!r}, {len(loaded.rules)} rules, "
            f"calendars: {', '.join(loaded.calendars)}"
        )
    return ExitCode.ERROR if failures else ExitCode.MET


@guarded
def schema(
    name: Annotated[SchemaName, typer.Argument(help="standard, report (check's JSON) or tables (report's JSON).")],
) -> None:
    """Print a JSON Schema (draft 2020-12): `standard` for editors; `report` (check) and `tables`
    (report) for programs reading the JSON output."""
    if name is SchemaName.standard:
        from svcaudit.standard.schema import standard_schema

        document = standard_schema()
    else:
        from importlib import resources

        file = "report-v1.json" if name is SchemaName.report else "tables-v1.json"
        document = json.loads(resources.files("svcaudit").joinpath(f"schema/{file}").read_text("utf-8"))
    sys.stdout.write(json.dumps(document, ensure_ascii=False, indent=2) + "\n")


@guarded
def standards() -> None:
    """List the built-in standards (use one with --standard builtin:NAME)."""
    from svcaudit.standard.loader import builtin_names, load_standard

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


@guarded
def presets() -> None:
    """List the input presets (use one with `input: {preset: NAME}`): the tables and columns each reads."""
    from svcaudit.intake.presets import PRESETS, describe_preset

    for preset in PRESETS.values():
        for line in describe_preset(preset):
            typer.echo(line)


@guarded
def rules(
    kind: Annotated[str | None, typer.Argument(metavar="[CHECK]", help="One check kind to show.")] = None,
) -> None:
    """The check kinds, their options and examples (from the check modules' own documentation)."""
    from svcaudit.checks.registry import CHECK_KINDS
    from svcaudit.standard.rulesdoc import describe

    if kind is not None and kind not in CHECK_KINDS:
        hint = closest(kind, CHECK_KINDS)
        raise UsageError(
            f"no check kind {kind!r} (kinds: {', '.join(sorted(CHECK_KINDS))})"
            + (f"; did you mean {hint!r}?" if hint else "")
        )
    chosen = [kind] if kind else sorted(CHECK_KINDS)
    sys.stdout.write("\n\n".join(describe(CHECK_KINDS[name]) for name in chosen) + "\n")
