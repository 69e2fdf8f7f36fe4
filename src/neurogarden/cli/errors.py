"""One way to fail on bad input: one line on stderr naming the field, exit code 2."""

from __future__ import annotations

import sys
from datetime import date
from pathlib import Path
from typing import NoReturn

import typer

EXIT_BAD_INPUT = 2


def fail_input(message: str) -> NoReturn:
    sys.stderr.write(f"error: {message}\n")
    raise typer.Exit(EXIT_BAD_INPUT)


EXIT_IO = 1


def fail_io(option: str, exc: OSError) -> NoReturn:
    """An input/output failure (a missing folder, no permission, a full disk): one line
    naming the option and the path, exit code 1."""
    where = f" {exc.filename}" if exc.filename else ""
    sys.stderr.write(f"error: {option}: cannot write{where} ({exc.strerror or exc})\n")
    raise typer.Exit(EXIT_IO)


def write_output(option: str, path: Path, data: bytes) -> None:
    try:
        path.write_bytes(data)
    except OSError as exc:
        fail_io(option, exc)


def day_option(option: str, value: str) -> date:
    """A date given on the command line: ISO, and within the years any record may name."""
    from neurogarden.profile.schema import plausible_year

    try:
        day = date.fromisoformat(value)
    except ValueError:
        fail_input(f"{option}: expected a date like 2026-11-23, got {value!r}")
    try:
        return plausible_year(day)
    except ValueError as exc:
        fail_input(f"{option}: {exc}")
