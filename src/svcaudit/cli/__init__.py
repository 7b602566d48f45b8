"""The command line: the Typer app and its entry point (`svcaudit`). The edge of the pipeline: the
only place that prints or exits; `app` lists the modules that hold the commands."""

from svcaudit.cli.app import app, main

__all__ = ["app", "main"]
