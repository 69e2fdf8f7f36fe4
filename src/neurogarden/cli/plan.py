"""`neurogarden plan` and `neurogarden check`: a profile in, a cited plan out."""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

import typer

from neurogarden.cli.errors import fail_input

if TYPE_CHECKING:
    from neurogarden.kb.base import KnowledgeBase
    from neurogarden.planning.result import Plan

PROFILE_ARG = typer.Argument(..., help="Profile file, YAML or JSON (see README).")


PROTOCOL_OPTION = typer.Option(
    None, "--protocol", help="A clinic's integration protocol file (default: the packaged one)."
)


def _with_stored_foods(data: Mapping[str, Any], kb: KnowledgeBase) -> KnowledgeBase:
    """Foods imported with `neurogarden foods import` join the packaged table, but only
    when the diet names a food the packaged table lacks: most plans never touch the
    database, which keeps SQLAlchemy out of their start-up."""
    diet = data.get("diet")
    if not isinstance(diet, list):
        return kb
    names = [n for n in (d.get("food") for d in diet if isinstance(d, dict)) if isinstance(n, str)]
    if all(kb.foods.get(n) is not None for n in names):
        return kb
    from neurogarden.clinic.foods import stored_foods

    return kb.with_foods(stored_foods(portions_for=names))


def _load(path: Path, protocol: Path | None = None) -> Plan:
    from neurogarden.api import load_kb, load_profile, plan
    from neurogarden.kb.protocol import ProtocolError
    from neurogarden.profile import ProfileError, read_profile_file

    try:
        data = read_profile_file(path)
        kb = _with_stored_foods(data, load_kb())
        return plan(load_profile(data, kb=kb), kb=kb, protocol=protocol)
    except (ProfileError, ProtocolError) as exc:
        fail_input(str(exc))


def plan_command(
    profile: Path = PROFILE_ARG,
    as_json: bool = typer.Option(False, "--json", help="Print exactly one JSON object."),
    protocol: Path | None = PROTOCOL_OPTION,
) -> None:
    """Build the personal plan: doses by time of day, totals, findings and sources."""
    result = _load(profile, protocol)
    if as_json:
        print(json.dumps(result.model_dump(mode="json"), ensure_ascii=False, indent=2))
        return
    from neurogarden.render.text import render_plan

    render_plan(result)


def check_command(
    profile: Path = PROFILE_ARG,
    as_json: bool = typer.Option(False, "--json", help="Print the findings as JSON."),
    protocol: Path | None = PROTOCOL_OPTION,
) -> None:
    """Only the findings; exit code 1 when any is `block` (and not overridden)."""
    result = _load(profile, protocol)
    if as_json:
        print(json.dumps([f.model_dump(mode="json") for f in result.findings], indent=2))
    else:
        from neurogarden.render.text import render_findings

        render_findings(result)
    if result.has_block():
        raise typer.Exit(1)


def register(app: typer.Typer) -> None:
    app.command("plan")(plan_command)
    app.command("check")(check_command)
