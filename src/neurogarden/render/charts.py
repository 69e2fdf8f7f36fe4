"""What every chart shares: matplotlib figures rendered to SVG (or PNG) with a text
alternative, one style, one date axis and one legend.

matplotlib is imported inside the functions so the CLI starts fast. No pyplot: each
chart builds its own Figure under an rc_context, so nothing leaks between calls, and a
fixed hash salt and no date make the SVG byte-identical run to run (snapshot tests).
The title and text alternative are embedded as <title>/<desc> for screen readers.
"""

from __future__ import annotations

import io
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any
from xml.sax.saxutils import escape

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

# Light, print-safe band fills from low (good) to high (bad), after ColorBrewer YlOrRd.
BAND_COLOURS = ("#f7fcf5", "#ffffcc", "#fed976", "#fd8d3c", "#f03b20", "#bd0026")
LINE = "#08306b"
SESSION = "#54278f"
WINDOW = "#9ecae1"
RC: Any = {
    "svg.hashsalt": "neurogarden",
    "svg.fonttype": "none",  # real <text>: selectable, searchable and smaller
    "font.family": "DejaVu Sans",
    "font.size": 10,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.titleweight": "bold",
    "axes.titlesize": 12,
}


@dataclass(frozen=True)
class Chart:
    """A rendered chart: bytes in `fmt`, its title and a text alternative."""

    data: bytes
    fmt: str
    title: str
    alt: str

    @property
    def svg(self) -> str:
        return self.data.decode("utf-8")


@contextmanager
def style() -> Iterator[None]:
    import matplotlib

    with matplotlib.rc_context(RC):
        yield


def figure(width: float, height: float) -> tuple[Figure, Axes]:
    from matplotlib.figure import Figure

    fig = Figure(figsize=(width, height), dpi=100, layout="constrained")
    return fig, fig.add_subplot()


def finish(fig: Figure, title: str, alt: str, fmt: str) -> Chart:
    buffer = io.BytesIO()
    if fmt == "svg":
        fig.savefig(buffer, format="svg", metadata={"Date": None})  # no timestamp
        data = accessible_svg(buffer.getvalue().decode("utf-8"), title, alt).encode("utf-8")
    else:
        fig.savefig(buffer, format="png", dpi=150, metadata={"Title": title})
        data = buffer.getvalue()
    return Chart(data=data, fmt=fmt, title=title, alt=alt)


def accessible_svg(svg: str, title: str, alt: str) -> str:
    """Add role, <title> and <desc> right after the root tag, where assistive tech looks."""
    start = svg.index("<svg")
    end = svg.index(">", start)
    head = svg[start:end].replace(
        "<svg", '<svg role="img" aria-labelledby="chart-title chart-desc"', 1
    )
    inserted = (
        f'<title id="chart-title">{escape(title)}</title><desc id="chart-desc">{escape(alt)}</desc>'
    )
    return svg[:start] + head + ">\n" + inserted + svg[end + 1 :]


def dates(ax: Axes) -> None:
    import matplotlib.dates as mdates

    locator = mdates.AutoDateLocator(minticks=3, maxticks=8)  # type: ignore[no-untyped-call]
    ax.xaxis.set_major_locator(locator)
    formatter = mdates.ConciseDateFormatter(locator)  # type: ignore[no-untyped-call]
    formatter.offset_formats = [
        "",
        "%Y",
        "%Y",
        "%Y",
        "%Y-%m-%d",
        "%Y-%m-%d",
    ]  # year, not "2025-Mar"
    ax.xaxis.set_major_formatter(formatter)


def day_x(day: date) -> float:
    """Dates as matplotlib's float days, so the calls stay typed."""
    import matplotlib.dates as mdates

    return float(mdates.date2num(day))  # type: ignore[no-untyped-call]


def legend(ax: Axes, handles: Sequence[Any] | None = None, ncol: int = 4) -> None:
    ax.legend(
        handles=handles,
        loc="upper center",
        bbox_to_anchor=(0.5, -0.12),
        ncol=ncol,
        frameon=False,
        fontsize=9,
    )
