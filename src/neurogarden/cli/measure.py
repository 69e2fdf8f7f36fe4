"""Measurement commands: score, outcome, instruments and chart.

A thin layer: parse the options, call neurogarden.instruments, render text or JSON.
Bad input exits with code 2 and one line on stderr naming the item or field.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import typer

from neurogarden.cli.errors import fail_input, write_output

DEFINITION_HELP = "Extra instrument definition file (YAML), e.g. a licensed scale; repeatable."


def _catalogue(definitions: list[Path] | None) -> Any:
    from neurogarden.kb.instruments.loader import default_catalogue, with_user_files

    if not definitions:
        return default_catalogue()
    catalogue, problems = with_user_files(definitions)
    if problems:
        fail_input(str(problems[0]))
    return catalogue


def _echo_json(payload: Any) -> None:
    typer.echo(json.dumps(payload, ensure_ascii=False, indent=2))


def _num(value: float | int | None) -> str:
    return "–" if value is None else f"{value:g}"


def score_command(
    instrument: str = typer.Argument(..., help="Instrument id or name, e.g. phq9 or PHQ-9."),
    answers: str = typer.Option(
        ...,
        "--answers",
        "-a",
        help="Answers in item order, comma-separated; leave blank for an optional item.",
    ),
    as_json: bool = typer.Option(False, "--json", help="Print JSON instead of text."),
    locale: str | None = typer.Option(
        None, "--locale", help="Crisis-resource locale, e.g. en-US (default), en-GB."
    ),
    definition: list[Path] | None = typer.Option(None, "--definition", help=DEFINITION_HELP),
) -> None:
    """Score one set of answers: total, severity band and safety flags."""
    from neurogarden.instruments.lookup import find_instrument
    from neurogarden.instruments.scoring import InputError, score

    catalogue = _catalogue(definition)
    crisis = catalogue.crisis.for_locale(locale)
    if crisis is None:
        known = ", ".join(catalogue.crisis.known)
        fail_input(f"--locale: no crisis resources for {locale!r} (known: {known})")
    try:
        found = find_instrument(catalogue.instruments, instrument)
        result = score(found, [a.strip() for a in answers.split(",")], crisis)
    except InputError as exc:
        fail_input(str(exc))
    if as_json:
        _echo_json({"title": found.title, **result.model_dump(mode="json")})
        return
    _print_score(found.title, result)


def _print_score(title: str, result: Any) -> None:
    from rich.console import Console

    console = Console(highlight=False)
    unit = f" {result.unit}" if result.unit else ""
    of = f" / {result.max_total}" if result.max_total is not None else ""
    severity = f" — {result.severity}" if result.severity else ""
    console.print(f"[bold]{title}[/bold]")
    console.print(f"{result.total_label}: [bold]{_num(result.total)}{of}{unit}[/bold]{severity}")
    for value in result.derived:
        console.print(
            f"  {value.label}: {_num(value.value)}{' ' + value.unit if value.unit else ''}"
        )
    for flag in result.flags:
        console.print(f"[bold red]SAFETY ({flag.level}):[/bold red] {flag.message}")
        console.print(f"  What to do: {flag.action}")
        if flag.resources is not None:
            for res in flag.resources.resources:
                console.print(f"  {res.name}: {res.contact}")
    for notice in result.notices:
        console.print(f"[yellow]Note:[/yellow] {notice}")


def outcome_command(
    instrument: str = typer.Argument(..., help="Instrument id or name, e.g. phq9."),
    baseline: int = typer.Option(..., "--baseline", help="Baseline total."),
    current: int = typer.Option(..., "--current", help="Current total."),
    as_json: bool = typer.Option(False, "--json", help="Print JSON instead of text."),
    definition: list[Path] | None = typer.Option(None, "--definition", help=DEFINITION_HELP),
) -> None:
    """Change from baseline, response (≥50% fall) and remission for two totals."""
    from neurogarden.instruments.lookup import find_instrument
    from neurogarden.instruments.outcomes import change_from_baseline
    from neurogarden.instruments.scoring import InputError

    catalogue = _catalogue(definition)
    try:
        found = find_instrument(catalogue.instruments, instrument)
        change = change_from_baseline(found, baseline, current)
    except InputError as exc:
        fail_input(str(exc))
    if as_json:
        _echo_json({"instrument": found.id, **change.model_dump(mode="json")})
        return
    pct = "undefined" if change.change_pct is None else f"{change.change_pct:+g}%"
    typer.echo(f"{found.short_title}: {baseline} → {current} (change {change.change:+g}, {pct})")
    typer.echo(f"Response: {'yes' if change.response else 'no'}")
    typer.echo(f"Remission: {'yes' if change.remission else 'no'}")
    if change.note:
        typer.echo(f"Note: {change.note}")


def instruments_command(
    as_json: bool = typer.Option(False, "--json", help="Print JSON instead of a table."),
    definition: list[Path] | None = typer.Option(None, "--definition", help=DEFINITION_HELP),
) -> None:
    """List the instruments with their source and licence."""
    catalogue = _catalogue(definition)
    rows = [
        {
            "id": d.id,
            "title": d.title,
            "version": d.version,
            "rater": d.rater,
            "origin": d.origin,
            "source": d.source.citation,
            "doi": d.source.doi,
            "pmid": d.source.pmid,
            "url": d.source.url,
            "licence": d.licence.name,
            "licence_terms": d.licence.terms,
            "evidence_status": d.evidence_status,
        }
        for d in sorted(catalogue.instruments.values(), key=lambda d: d.id)
    ]
    if as_json:
        _echo_json(rows)
        return
    from rich.console import Console
    from rich.table import Table

    table = Table(title="Instruments", show_lines=True)
    for column in ("id", "title", "source", "licence"):
        table.add_column(column, overflow="fold")
    for row in rows:
        locator = f"doi:{row['doi']}" if row["doi"] else (row["url"] or "")
        title = row["title"] + (" (user-supplied)" if row["origin"] == "user" else "")
        table.add_row(row["id"], title, f"{row['source']} {locator}".strip(), row["licence"])
    Console().print(table)


def chart_command(
    series: Path = typer.Argument(
        ..., help="Series file (YAML or JSON) with kind: patient, sleep or clinic."
    ),
    output: Path = typer.Option(
        ..., "--output", "-o", help="Where to write the chart (.svg or .png)."
    ),
    definition: list[Path] | None = typer.Option(None, "--definition", help=DEFINITION_HELP),
) -> None:
    """Render a chart from a series file; prints the chart's text alternative."""
    from neurogarden.instruments import series as s
    from neurogarden.instruments.scoring import InputError

    if output.suffix.lower() not in (".svg", ".png"):
        fail_input(f"--output: {output.name} must end in .svg or .png")
    catalogue = _catalogue(definition)
    try:
        doc = s.read_series(series)
        chart = _render(catalogue, doc, output.suffix.lower().lstrip("."))
    except InputError as exc:
        fail_input(str(exc))
    write_output("--output", output, chart.data)
    typer.echo(chart.alt)


def _render(catalogue: Any, doc: Any, fmt: str) -> Any:
    from neurogarden.instruments import series as s
    from neurogarden.render import score_charts as charts

    if isinstance(doc, s.PatientFile):
        definition = catalogue.instruments.get(doc.instrument)
        data = s.patient_from_file(catalogue, doc)
        return charts.patient_chart(
            definition, data, doc.sessions, doc.windows, title=doc.title, fmt=fmt
        )
    if isinstance(doc, s.SleepFile):
        nights = s.sleep_nights(catalogue.instruments["sleep_diary"], doc.nights)
        return charts.sleep_chart(doc.patient, nights, title=doc.title, fmt=fmt)
    summary = s.clinic_from_file(catalogue, doc)
    return charts.clinic_chart(
        catalogue.instruments[doc.instrument], summary, title=doc.title, fmt=fmt
    )


def register(app: typer.Typer) -> None:
    app.command("score")(score_command)
    app.command("outcome")(outcome_command)
    app.command("instruments")(instruments_command)
    app.command("chart")(chart_command)
