"""The `neurogarden` command line: a thin layer that parses, calls the core and renders.

Each command group lives in its own module with a `register(app)` function; the
web stack is never imported from here, to keep the cold start short.
"""

from __future__ import annotations

import importlib
import os
import sys

# The command line uses no pydantic plugin; looking for them scans the metadata of
# every installed package on each start.
os.environ.setdefault("PYDANTIC_DISABLE_PLUGINS", "__all__")

import typer

COMMAND_MODULES = (
    "neurogarden.cli.kb",
    "neurogarden.cli.plan",
    "neurogarden.cli.measure",
    "neurogarden.cli.kap",
    "neurogarden.cli.foods",
    "neurogarden.cli.recovery",
    "neurogarden.cli.web",
)

app = typer.Typer(
    name="neurogarden",
    help=(
        "Evidence-graded supplement plans, safety checks and integration windows. "
        "Supports clinicians and informed people; it does not diagnose and is not medical advice."
    ),
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)

for _module in COMMAND_MODULES:
    importlib.import_module(_module).register(app)


def main() -> None:
    """Run the command. Bad input is one line on stderr and exit 2, whether a command
    finds it or Click does while reading the options; an I/O failure no command
    foresaw is one line and exit 1; never a traceback."""
    try:
        code = app(standalone_mode=False)
    except typer.Abort:
        sys.stderr.write("error: aborted\n")
        raise SystemExit(1) from None
    except typer.Exit as exc:
        raise SystemExit(exc.exit_code) from None
    except typer.TyperException as exc:  # a missing argument, an option of the wrong type
        message = exc.format_message() if hasattr(exc, "format_message") else str(exc)
        if str(message).strip():  # no arguments at all: the help was the answer
            sys.stderr.write(f"error: {' '.join(str(message).split())}\n")
        raise SystemExit(getattr(exc, "exit_code", 2)) from None
    except OSError as exc:
        where = f"{exc.filename}: " if exc.filename else ""
        sys.stderr.write(f"error: {where}{exc.strerror or exc}\n")
        raise SystemExit(1) from None
    raise SystemExit(code if isinstance(code, int) else 0)
