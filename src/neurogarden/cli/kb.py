"""`neurogarden kb`: check, explain and list the knowledge base."""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING

import typer

from neurogarden.cli.errors import fail_input

if TYPE_CHECKING:
    from pydantic import BaseModel

kb_app = typer.Typer(help="Check and browse the cited knowledge base.", no_args_is_help=True)


@kb_app.command("check")
def kb_check(
    warnings: bool = typer.Option(False, "--warnings", help="List warnings one by one."),
    data: Path | None = typer.Option(None, "--data", help="Check another data folder."),
) -> None:
    """Validate every record; list every problem with file and record id (exit 1 on any)."""
    from rich.console import Console

    from neurogarden.kb.compiled import compile_packaged
    from neurogarden.kb.load import load

    kb, problems = load(data) if data else load()
    errors = [p for p in problems if p.level == "error"]
    warns = [p for p in problems if p.level != "error"]
    out = Console(stderr=False, highlight=False)
    for p in errors:
        out.print(f"[red]error[/red] {p}")
    if warnings:
        for p in warns:
            out.print(f"[yellow]warning[/yellow] {p}")
    records = sum(1 for _ in kb.cited_records())
    out.print(
        f"{records} records, {len(kb.sources)} sources, {len(kb.claims)} claims: "
        f"{len(errors)} error(s), {len(warns)} warning(s)"
        + ("" if warnings or not warns else " (--warnings lists them)")
    )
    if errors:
        raise typer.Exit(1)
    if data is None:  # checked once, so later starts read the compiled copy
        compile_packaged(kb)


def _show(record: BaseModel) -> dict[str, object]:
    return record.model_dump(mode="json", exclude_none=True)


@kb_app.command("show")
def kb_show(
    name: str = typer.Argument(..., help="A record id or any name: 'doxycycline', 'glycinate'."),
    as_json: bool = typer.Option(False, "--json", help="Print JSON."),
) -> None:
    """Explain one record with its evidence grade and full sources."""
    from rich.console import Console

    from neurogarden.api import load_kb

    kb = load_kb()
    record = kb.find(name)
    if record is None:
        from rapidfuzz import process

        near = [
            hit for hit, _s, _i in process.extract(name, kb.all_ids(), limit=2, score_cutoff=70)
        ]
        hint = f"; did you mean {' or '.join(repr(n) for n in near)}?" if near else ""
        fail_input(f"NAME: no record called {name!r}{hint}")
    data = _show(record)
    source_ids = getattr(record, "sources", ())
    cited = [kb.sources[s] for s in source_ids if isinstance(s, str) and s in kb.sources]
    if as_json:
        data["sources_detail"] = [_show(s) for s in cited]
        print(json.dumps(data, indent=2, ensure_ascii=False))
        return
    out = Console(highlight=False)
    out.print(
        f"[bold]{data.get('name', data['id'])}[/bold]  "
        f"({data['id']}, {kb.files.get(str(data['id']), 'sources')})"
    )
    for key, value in data.items():
        if key in ("id", "name", "sources"):
            continue
        out.print(f"  [cyan]{key}[/cyan]: {value}")
    for s in cited:
        out.print(f"  [dim]source[/dim] {s.id}: {s.title}. {s.locator} [{s.verification.value}]")


@kb_app.command("claims")
def kb_claims(
    article: str | None = typer.Option(None, help="Only this article: 000 … 004."),
    as_json: bool = typer.Option(False, "--json", help="Print JSON."),
) -> None:
    """The articles' claims with their verdicts and evidence."""
    from rich.console import Console
    from rich.table import Table

    from neurogarden.api import load_kb

    claims = [c for c in load_kb().claims.values() if article in (None, c.article)]
    if as_json:
        print(json.dumps([_show(c) for c in claims], indent=2, ensure_ascii=False))
        return
    colour = {
        "supported": "green",
        "partly_supported": "yellow",
        "misframed": "magenta",
        "unsupported": "red",
        "contradicted": "bold red",
    }
    table = Table(title="What the articles claim, and what the evidence says", show_lines=True)
    for col in ("article", "claim", "verdict", "evidence", "sources"):
        table.add_column(col)
    for c in sorted(claims, key=lambda c: (c.article, c.id)):
        v = c.verdict.value
        table.add_row(
            c.article, c.text + (f"\n[bold]{c.label}[/bold]" if c.label else ""),
            f"[{colour[v]}]{v.replace('_', ' ')}[/]", c.evidence.value,
            ", ".join(c.sources),
        )  # fmt: skip
    Console().print(table)


def register(app: typer.Typer) -> None:
    app.add_typer(kb_app, name="kb")
