"""`svcaudit init`: a starter svcaudit.yaml from a built-in standard, fitted to an export with
`--from` (its preset or a proposed column mapping) and tried on it as a dry run."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from svcaudit.cli import values
from svcaudit.cli.guard import guarded, say
from svcaudit.cli.options import AsOfOption, DebugOption
from svcaudit.errors import SvcauditError, UsageError


@guarded
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
    from svcaudit.standard.loader import builtin_text, load_standard, parse_standard

    name = standard.removeprefix("builtin:")
    if output.exists() and not force:
        raise UsageError(f"{output} exists; pass --force to overwrite it")
    notes: list[str] = []
    if from_export is None:
        text = builtin_text(name)
    elif from_export.is_dir():
        from svcaudit.initfrom.folder import folder_notes, folder_standard

        text, folder = folder_standard(from_export, name)
        notes = folder_notes(folder)
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
        say(note)
    say(f"wrote {output} from builtin:{name}; edit it, then run `svcaudit validate {output}`")
    if from_export is None:
        return
    from svcaudit.initfrom import dry_run, summary_lines

    try:
        result = dry_run(output, from_export, values.as_of(as_of, load_standard(str(output))))
    except SvcauditError as exc:
        raise UsageError(f"dry run of {output} on {from_export}: {exc}") from None
    for line in summary_lines(result, output, from_export):
        say(line)
