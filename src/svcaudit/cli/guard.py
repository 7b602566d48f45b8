"""The error guard every command runs under: the one place an error becomes a message and an exit code.

Below the CLI an error is a value (`SvcauditError`); here it becomes `svcaudit: <message>` on stderr
and exit code 2. A standard's error lists every problem found in the same pass, one a line. Anything
else is a bug: one line naming it, the traceback only under `--debug`. A command's return value is
its exit code (None: 0).
"""

from __future__ import annotations

import functools
import os
import sys
import traceback
from collections.abc import Callable
from typing import ParamSpec

import typer

from svcaudit import __version__
from svcaudit.errors import StandardError, SvcauditError
from svcaudit.results.exitcodes import ExitCode
from svcaudit.runtime import stop_requested

P = ParamSpec("P")


def say(message: object) -> None:
    """One line on stderr, in the voice of every svcaudit message, made safe for a terminal."""
    # Here, not at the top: importing the `reporters` package loads every renderer, which `--help`
    # and a valid `validate` must not pay for.
    from svcaudit.reporters.escaping import terminal

    typer.echo(f"svcaudit: {terminal(message)}", err=True)


def say_error(error: SvcauditError) -> None:
    """An error as the user reads it: a standard's error with every further problem it carries."""
    for problem in [error, *error.others] if isinstance(error, StandardError) else [error]:
        say(problem)


def reader_gone() -> None:
    """The reader of stdout stopped reading (`svcaudit … | head`): what is left of the output goes
    nowhere, so that neither the rest of the command nor the interpreter's last flush fails on it.
    Nothing is wrong with the run: the command goes on to its exit code."""
    devnull = os.open(os.devnull, os.O_WRONLY)
    try:
        os.dup2(devnull, sys.stdout.fileno())
    finally:
        os.close(devnull)


def guarded(command: Callable[P, int | None]) -> Callable[P, None]:
    """`command` run as a CLI command: its return value is the exit code, an error is one message on
    stderr and exit 2, never a traceback unless its `debug` argument (`--debug`) asks for one."""

    @functools.wraps(command)
    def run(*args: P.args, **kwargs: P.kwargs) -> None:
        try:
            code = command(*args, **kwargs)
            if stop_requested():  # its KeyboardInterrupt fell where Python ignores exceptions
                raise KeyboardInterrupt
        except typer.Exit:
            raise
        except SvcauditError as exc:
            say_error(exc)
            raise typer.Exit(int(ExitCode.ERROR)) from None
        except KeyboardInterrupt:
            say("interrupted")
            raise typer.Exit(int(ExitCode.ERROR)) from None
        except BrokenPipeError:  # a listing cut short by its reader; a report's writer handles its own
            reader_gone()
            raise typer.Exit(0) from None
        except Exception as exc:  # noqa: BLE001 - the promise is: no traceback reaches the user
            if kwargs.get("debug"):
                traceback.print_exc()
            say(
                f"internal error: {type(exc).__name__}: {exc} "
                f"(this is a bug in svcaudit {__version__}; run with --debug for the traceback)"
            )
            raise typer.Exit(int(ExitCode.ERROR)) from None
        raise typer.Exit(int(code or 0))

    return run
