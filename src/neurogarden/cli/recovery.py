"""`neurogarden recovery`: the timeline chart, clinician alerts and the options shown
to the clinician. A thin layer: read the log file, call neurogarden.recovery, render.

The log file (YAML or JSON) holds `uses`, `cravings`, `attendance` and `cows` lists and
an optional `title`; see examples/recovery-log.yaml.
"""

from __future__ import annotations

import json
from datetime import date, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

import typer

from neurogarden.cli.errors import day_option, fail_input, write_output

if TYPE_CHECKING:
    from neurogarden.kb.base import KnowledgeBase
    from neurogarden.recovery.models import RecoveryLog

recovery_app = typer.Typer(
    help="Supervised recovery support: timeline chart, clinician alerts, options.",
    no_args_is_help=True,
)
LOG_ARG = typer.Argument(..., help="Recovery log, YAML or JSON (uses, cravings, attendance, cows).")
FILE_KEYS = ("uses", "cravings", "attendance", "cows", "title")
TODAY_OPTION = typer.Option(None, "--today", help="The day to assess (default: today).")


def _read(path: Path, kb: KnowledgeBase, today: date) -> tuple[RecoveryLog, Any, str | None]:
    from neurogarden.kb.documents import DocumentError, read_document
    from neurogarden.profile import ProfileError
    from neurogarden.recovery import parse_cows, parse_log

    try:
        data = read_document(path)
    except DocumentError as exc:
        fail_input(str(exc))
    if not isinstance(data, dict):
        fail_input(f"{path}: expected a mapping with {', '.join(FILE_KEYS[:4])}")
    for key in data:
        if key not in FILE_KEYS:
            fail_input(f"{key}: is not a recovery log field ({', '.join(FILE_KEYS)})")
    title = data.get("title")
    if title is not None and not isinstance(title, str):
        fail_input(f"title: expected text, got {title!r}")
    try:
        log = parse_log({k: data[k] for k in FILE_KEYS[:3] if k in data}, kb, today=today)
        cows = parse_cows(data.get("cows") or [], today=today)
    except ProfileError as exc:
        fail_input(str(exc))
    return log, cows, title


def _today(value: str | None) -> date:
    if value is None:
        return date.today()
    return day_option("--today", value)


@recovery_app.command("chart")
def chart_command(
    log_file: Path = LOG_ARG,
    out: Path = typer.Option(..., "--out", "-o", help="Where to write the chart (.svg or .png)."),
    title: str | None = typer.Option(None, "--title", help="Chart title (default: the log's)."),
    today: str | None = TODAY_OPTION,
) -> None:
    """Render the recovery timeline; prints the chart's text alternative."""
    from neurogarden.api import load_kb
    from neurogarden.render.recovery_chart import timeline_chart

    fmt = out.suffix.lower().lstrip(".")
    if fmt not in ("svg", "png"):
        fail_input(f"--out: {out.name} must end in .svg or .png")
    kb = load_kb()
    log, cows, file_title = _read(log_file, kb, _today(today))
    try:
        chart = timeline_chart(
            log, cows, title=title or file_title or "Recovery timeline", fmt=fmt, kb=kb
        )
    except ValueError as exc:
        fail_input(f"{log_file}: {exc}")
    write_output("--out", out, chart.data)
    typer.echo(chart.alt)


@recovery_app.command("alerts")
def alerts_command(
    log_file: Path = LOG_ARG,
    profile: Path | None = typer.Option(
        None, "--profile", help="The person's profile: its medicines join the combination check."
    ),
    today: str | None = TODAY_OPTION,
    as_json: bool = typer.Option(False, "--json", help="Print the alerts as JSON."),
) -> None:
    """Clinician alerts: rising use, COWS in the moderate band or above, and a dangerous
    combination new in the last week. Exit code 1 when any alert is `block`."""
    from neurogarden.api import load_kb, load_profile
    from neurogarden.profile import ProfileError
    from neurogarden.recovery import log_findings, log_from_profile, recovery_alerts
    from neurogarden.recovery.models import RecoveryLog

    kb = load_kb()
    day = _today(today)
    log, cows, _title = _read(log_file, kb, day)
    person = None
    if profile is not None:
        try:
            person = load_profile(profile, kb=kb, today=day)
        except ProfileError as exc:
            fail_input(str(exc))
        extra = log_from_profile(person)
        log = RecoveryLog(
            uses=log.uses + extra.uses, cravings=log.cravings, attendance=log.attendance
        )
    n = kb.recovery_rules["new_combination"].window_days or 7
    start = day - timedelta(days=n - 1)
    before = log_findings(
        log, kb, start=start - timedelta(days=n), end=start - timedelta(days=1), profile=person
    )
    now = log_findings(log, kb, start=start, end=day, profile=person)
    alerts = recovery_alerts(log, cows, before, now, day, kb=kb)
    if as_json:
        typer.echo(
            json.dumps([a.model_dump(mode="json") for a in alerts], indent=2, ensure_ascii=False)
        )
    else:
        _print_alerts(alerts, kb)
    if any(a.severity == "block" for a in alerts):
        raise typer.Exit(1)


def _print_alerts(alerts: Any, kb: KnowledgeBase) -> None:
    from rich.console import Console

    from neurogarden.planning.builder import references
    from neurogarden.render.text import COLOURS, Footnotes

    out = Console(highlight=False)
    notes = Footnotes()
    if not alerts:
        out.print("No alerts.")
    for a in alerts:
        when = f" ({a.day})" if a.day else ""
        out.print(
            f"[{COLOURS[a.severity]}]{a.severity.upper():5}[/]{when} {a.message} "
            f"\\{notes.cite(a.sources)}"
        )
    _sources(out, notes, kb, references)


def _sources(out: Any, notes: Any, kb: KnowledgeBase, references: Any) -> None:
    refs = references(kb, set(notes.order))
    if notes.order:
        out.print("\n[bold]Sources[/bold]")
    for i, sid in enumerate(notes.order, start=1):
        ref = refs.get(sid)
        text = f"{ref.title}. {ref.locator} [{ref.verification}]" if ref else sid
        out.print(f"  [{i}] {text}", highlight=False)


@recovery_app.command("options")
def options_command(
    as_json: bool = typer.Option(False, "--json", help="Print JSON."),
) -> None:
    """Evidence-based options (medications for opioid use disorder, counselling, mutual
    support) with their sources: information for the clinician, who decides."""
    from rich.console import Console

    from neurogarden.api import load_kb
    from neurogarden.kb.text import one_line
    from neurogarden.planning.builder import references
    from neurogarden.recovery import options_note, recovery_options
    from neurogarden.render.text import Footnotes

    kb = load_kb()
    note = options_note(kb)
    options = recovery_options(kb)
    if as_json:
        payload = {
            "note": one_line(note.text),
            "options": [o.model_dump(mode="json") for o in options],
        }
        typer.echo(json.dumps(payload, indent=2, ensure_ascii=False))
        return
    out = Console(highlight=False)
    notes = Footnotes()
    out.print(f"[bold]{' '.join(note.text.split())}[/bold] \\{notes.cite(note.sources)}")
    for o in options:
        out.print(
            f"\n[bold]{o.name}[/bold] ({o.kind.replace('_', ' ')}; for "
            f"{', '.join(o.treats)}; evidence: {o.evidence.value.replace('_', ' ')})"
        )
        out.print(f"  {' '.join(o.summary.split())} \\{notes.cite(o.sources)}")
    _sources(out, notes, kb, references)


def register(app: typer.Typer) -> None:
    app.add_typer(recovery_app, name="recovery")
