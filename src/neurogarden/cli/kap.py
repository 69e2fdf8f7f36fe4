"""`neurogarden omega3` (label maths) and `neurogarden calendar` (an .ics file)."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import typer

from neurogarden.cli.errors import day_option, fail_input, write_output

PROTOCOL_OPTION = typer.Option(
    None, "--protocol", help="A clinic's integration protocol file (default: the packaged one)."
)


def omega3_command(
    epa: str = typer.Option(..., "--epa", help="EPA per capsule with its unit, e.g. '650 mg'."),
    dha: str = typer.Option(..., "--dha", help="DHA per capsule with its unit, e.g. '450 mg'."),
    as_json: bool = typer.Option(False, "--json", help="Print exactly one JSON object."),
) -> None:
    """EPA share, EPA:DHA, the >60% and ISNPR tests, and capsules for 1 g EPA / 2 g EPA+DHA."""
    from neurogarden.kap.omega3 import maths
    from neurogarden.units import UnitError, mass_mg

    try:
        epa_mg, dha_mg = mass_mg(epa, field="--epa"), mass_mg(dha, field="--dha")
        result = maths(epa_mg, dha_mg)
    except UnitError as exc:
        fail_input(str(exc))
    except ValueError as exc:
        fail_input(f"--epa/--dha: {exc}")
    if as_json:
        print(json.dumps(result.model_dump(mode="json"), ensure_ascii=False, indent=2))
        return
    ratio = "∞ (pure EPA)" if result.epa_dha_ratio is None else f"{result.epa_dha_ratio:g}"
    yes = {True: "yes", False: "no"}
    print(f"EPA share: {result.epa_share:.1%}   EPA:DHA {ratio}")
    print(f"Meets the article's >60% EPA (Liao ≥60% cut-off): {yes[result.meets_epa_60]}")
    print(f"Meets ISNPR EPA:DHA ≥ 2: {yes[result.meets_isnpr_ratio]}")
    print(f"Capsules for 1 g EPA: {result.capsules_for_1g_epa}")
    print(f"Capsules for 2 g EPA+DHA: {result.capsules_for_2g_epa_dha}")
    for f in result.findings:
        print(f"{f.severity.upper()}: {f.message} [{', '.join(f.sources)}]")


def calendar_command(
    profile: Path = typer.Argument(..., help="Profile file, YAML or JSON."),
    output: Path = typer.Option(Path("-"), "-o", "--output", help="The .ics file ('-': stdout)."),
    protocol: Path | None = PROTOCOL_OPTION,
    start: str | None = typer.Option(
        None, "--start", help="First day of the daily doses (default: the first session's date)."
    ),
) -> None:
    """Write the plan as an RFC 5545 calendar (doses, sessions, windows, tasks, measures)."""
    from neurogarden.api import load_profile, plan
    from neurogarden.kb.protocol import ProtocolError
    from neurogarden.profile import ProfileError
    from neurogarden.render.calendar import to_ics

    first = None if start is None else day_option("--start", start)
    try:
        person = load_profile(profile)
        data = to_ics(plan(person, protocol=protocol), person, first)
    except (ProfileError, ProtocolError) as exc:
        fail_input(str(exc))
    if str(output) == "-":
        sys.stdout.buffer.write(data)
    else:
        write_output("--output", output, data)


def register(app: typer.Typer) -> None:
    app.command("omega3")(omega3_command)
    app.command("calendar")(calendar_command)
