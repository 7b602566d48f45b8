"""The command line: the Typer app and its entry point (`svcaudit`)."""

from svcaudit.cli.commands import app, main

__all__ = ["app", "main"]
