"""The Typer app: every command registered under its name, `--version`, and the entry point.

Each command lives in the module of its kind (`check`, `report`, `library`, `starter`) and imports
the pipeline only when it runs, so `svcaudit --help` and `svcaudit validate` start without the audit
engine, the intake readers or the reporters.
"""

from __future__ import annotations

import sys
from typing import Annotated

import typer

from svcaudit import __version__
from svcaudit.cli import check, library, report, starter
from svcaudit.runtime import prepare_process, stop_on_signals

app = typer.Typer(
    name="svcaudit",
    help="Audit helpdesk and chat logs against a service standard written in YAML.",
    no_args_is_help=True,
    add_completion=False,
    context_settings={"help_option_names": ["-h", "--help"]},
    pretty_exceptions_enable=False,
)

# In the order `svcaudit --help` lists them.
for command in (
    check.check,
    check.merge,
    report.report,
    report.explain,
    library.validate,
    library.schema,
    library.standards,
    library.presets,
    library.rules,
    starter.init,
):
    app.command()(command)


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
    prepare_process()  # before any command runs, and before any of them imports pyarrow
    utf8_stdout()
    stop_on_signals()
    app()


def utf8_stdout() -> None:
    """Reports are UTF-8 on stdout as in files, whatever the locale: a pipe or file under a legacy
    code page (Windows' cp1252 or cp1251, a latin-1 locale) could not take the Russian text and box
    lines of a report."""
    stream = sys.stdout
    encoding = (getattr(stream, "encoding", None) or "").replace("_", "-").lower()
    if encoding not in ("utf-8", "utf8") and hasattr(stream, "reconfigure"):
        stream.reconfigure(encoding="utf-8")
