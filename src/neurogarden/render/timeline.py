"""The integration windows as a short day-by-day timeline for the terminal."""

from __future__ import annotations

from collections.abc import Callable

from rich.console import Console

from neurogarden.planning.result import Plan, Window


def window_lines(w: Window, cite: Callable[[tuple[str, ...]], str] | None = None) -> list[str]:
    """Plain lines (no markup), so tests and other renderers can reuse them."""
    mark = cite or (lambda ids: "")
    lines = [
        f"Integration window {w.start[:16].replace('T', ' ')} → {w.end[:16].replace('T', ' ')}"
    ]
    if w.note:
        lines.append(f"  ({w.note})")
    for day in w.days:
        lines.append(f"  {day.label}")
        lines += [f"    • {item}" for item in day.items]
    for d in w.supplements:
        lines.append(f"  Window days: {d.name} — {d.why} {mark(d.sources)}".rstrip())
    for name, total in w.totals.items():
        limit = "" if total.ul_supplemental_mg is None else f" of {total.ul_supplemental_mg:g} mg"
        lines.append(f"  {name} a window day: {total.supplemental_mg:g} mg{limit} from supplements")
    return lines


def render_windows(
    plan: Plan, console: Console, cite: Callable[[tuple[str, ...]], str] | None = None
) -> None:
    """Print each window; nothing when the profile has no session."""
    for w in plan.windows:
        console.print()
        for line in window_lines(w, cite):
            console.print(line, markup=False, highlight=False)
    for e in plan.events:
        console.print(
            f"Measure {e.instrument} {e.label}: due {e.due[:16].replace('T', ' ')}",
            markup=False,
            highlight=False,
        )
