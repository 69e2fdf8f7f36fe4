"""Render a plan for the terminal: a table of doses by time, coloured findings,
and sources as numbered footnotes."""

from __future__ import annotations

from rich.console import Console
from rich.table import Table

from neurogarden.planning.result import Plan

COLOURS = {"block": "bold red", "warn": "yellow", "info": "cyan"}


class Footnotes:
    """Number sources in order of first use, so every line can cite [n]."""

    def __init__(self) -> None:
        self.order: list[str] = []

    def cite(self, ids: tuple[str, ...]) -> str:
        marks = []
        for sid in ids:
            if sid not in self.order:
                self.order.append(sid)
            marks.append(str(self.order.index(sid) + 1))
        return f"[{','.join(marks)}]" if marks else ""


def _mg(value: float | None) -> str:
    return "–" if value is None else f"{value:g} mg"


def render_findings(
    plan: Plan, console: Console | None = None, notes: Footnotes | None = None
) -> Footnotes:
    out = console or Console(highlight=False)
    notes = notes or Footnotes()
    if not plan.findings:
        out.print("No findings.")
    for f in plan.findings:
        style = COLOURS[f.severity]
        line = f"[{style}]{f.severity.upper():5}[/] {f.message} \\{notes.cite(f.sources)}"
        if f.overridden is not None:
            line += f" [dim](overridden by {f.overridden.by}: {f.overridden.reason})[/dim]"
        out.print(line)
    if console is None:
        _footnotes(plan, out, notes)
    return notes


def _footnotes(plan: Plan, out: Console, notes: Footnotes) -> None:
    if not notes.order:
        return
    out.print("\n[bold]Sources[/bold]")
    for i, sid in enumerate(notes.order, start=1):
        ref = plan.references.get(sid)
        text = f"{ref.title}. {ref.locator} [{ref.verification}]" if ref else sid
        out.print(f"  [{i}] {text}", highlight=False)


def render_plan(plan: Plan, console: Console | None = None) -> None:
    out = console or Console(highlight=False)
    notes = Footnotes()
    table = Table(title="Your plan: supplements by time of day", title_justify="left")
    for col in ("time", "supplement", "compound", "magnesium", "for", "evidence", "sources"):
        table.add_column(col, overflow="fold")
    rows = [(d.times[0] if d.times else "as needed", "recommended", d) for d in plan.supplements]
    rows += [(t, "current", d) for d in plan.current for t in (d.times or ("–",))]
    for when, kind, d in sorted(rows, key=lambda r: (r[0] == "as needed", r[0])):
        doses = max(1, len(d.times))
        elemental = None if d.elemental_mg is None else round(d.elemental_mg / doses, 1)
        table.add_row(
            when,
            d.name + (" (yours)" if kind == "current" else ""),
            _mg(d.per_dose_compound_mg),
            _mg(elemental),
            ", ".join(d.goals),
            d.evidence or "",
            notes.cite(d.sources),
        )
    if rows:
        out.print(table)
    else:
        out.print("[bold]No supplements are recommended.[/bold]")
    for d in plan.supplements:
        if d.why:
            out.print(f"[bold]Why {d.name}[/bold]: {d.why} \\{notes.cite(d.sources)}")
    for d in plan.supplements:
        if d.titration:
            out.print(f"Start slow ({d.name}): {d.titration}")
    for name, total in plan.totals.items():
        out.print(
            f"\n[bold]{name.capitalize()} per day[/bold]: supplements {_mg(total.supplemental_mg)} "
            f"of an upper limit of {_mg(total.ul_supplemental_mg)} (food does not count); "
            f"diet {_mg(total.dietary_mg) if total.dietary_mg is not None else 'not logged'}; "
            f"RDA {_mg(total.rda_mg)} from food and supplements together."
        )
    from neurogarden.render.timeline import render_windows

    render_windows(plan, out, notes.cite)
    if plan.food_suggestions:
        out.print(
            "\n[bold]Foods that would help close the gap[/bold] (magnesium per usual serving)"
        )
        for food in plan.food_suggestions:
            weight = f" ({food.grams:g} g)" if food.grams is not None else ""
            out.print(
                f"  • {food.name}: {food.magnesium_mg:g} mg per {food.serving}{weight} "
                f"\\{notes.cite(food.sources)}"
            )
    out.print("\n[bold]Findings[/bold]")
    render_findings(plan, out, notes)
    if plan.notes:
        out.print("\n[bold]Notes[/bold]")
        for n in plan.notes:
            out.print(f"  • {n.text} (evidence: {n.evidence}) \\{notes.cite(n.sources)}")
    _footnotes(plan, out, notes)
