"""`neurogarden foods`: import USDA FoodData Central and search foods for magnesium.

SQLAlchemy is imported only inside the commands, so other commands start fast.
"""

from __future__ import annotations

import json
import time
from pathlib import Path

import typer

from neurogarden.cli.errors import fail_input

foods_app = typer.Typer(
    help="Import USDA FoodData Central and search foods by magnesium.", no_args_is_help=True
)


@foods_app.command("import")
def foods_import(
    path: Path = typer.Argument(
        ..., help="A FoodData Central CSV folder or .zip (food.csv, nutrient.csv, …)."
    ),
) -> None:
    """Import foods with their magnesium per 100 g and portions; importing again updates."""
    from rich.console import Console
    from rich.progress import (
        BarColumn,
        DownloadColumn,
        Progress,
        TaskID,
        TextColumn,
        TimeElapsedColumn,
    )

    from neurogarden.clinic.foods import import_foods
    from neurogarden.clinic.rejected import Rejected

    started = time.perf_counter()
    bar = Progress(
        TextColumn("{task.description:<18}"), BarColumn(), DownloadColumn(), TimeElapsedColumn(),
        console=Console(stderr=True), transient=True,
    )  # fmt: skip
    tasks: dict[str, TaskID] = {}

    def report(name: str, done: int, total: int) -> None:
        if name not in tasks:
            tasks[name] = bar.add_task(name, total=total)
        bar.update(tasks[name], completed=done)

    with bar:
        counts = import_foods(path, report)
    if isinstance(counts, Rejected):
        fail_input(counts.text())
    elapsed = time.perf_counter() - started
    typer.echo(
        f"imported {counts.foods} foods with magnesium and {counts.portions} portions "
        f"({counts.skipped} foods without a magnesium value skipped) in {elapsed:.1f} s"
    )


@foods_app.command("search")
def foods_search(
    text: str = typer.Argument(..., help="Part of a food name, misspellings allowed."),
    limit: int = typer.Option(10, "--limit", min=1, max=200, help="How many foods to list."),
    as_json: bool = typer.Option(False, "--json", help="Print JSON."),
) -> None:
    """Find foods (imported and packaged) with their magnesium per 100 g or per serving."""
    from neurogarden.clinic.foods import search_foods
    from neurogarden.clinic.rejected import Rejected

    if len(text.strip()) < 2:
        fail_input(f"TEXT: enter at least 2 letters of a food's name, got {text!r}")
    hits = search_foods(text, limit)
    if isinstance(hits, Rejected):
        fail_input(hits.text())
    if as_json:
        typer.echo(json.dumps([h.as_dict() for h in hits], indent=2, ensure_ascii=False))
        return
    if not hits:
        typer.echo(f"no food matches {text!r}")
        return
    from rich.console import Console
    from rich.table import Table

    table = Table("food", "magnesium", "per", "FDC id", "source")
    for h in hits:
        fdc = "" if h.fdc_id is None else str(h.fdc_id)
        table.add_row(h.name, f"{h.magnesium_mg:g} mg", h.per, fdc, h.source)
    Console(highlight=False).print(table)


def register(app: typer.Typer) -> None:
    app.add_typer(foods_app, name="foods")
