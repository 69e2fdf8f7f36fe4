"""The recovery timeline: use per day by substance, attendance, craving (0–10) and COWS
totals with the line where the withdrawal alert fires. Rendered like the other charts
(neurogarden.instruments.charts): deterministic SVG or PNG with <title>, <desc> and a
text alternative that says what the chart shows."""

from __future__ import annotations

import statistics
from collections.abc import Sequence
from datetime import date, timedelta
from typing import TYPE_CHECKING, Any

from neurogarden.kb.base import KnowledgeBase
from neurogarden.kb.recovery_rules import instrument_for, withdrawal_threshold
from neurogarden.recovery.alerts import amount_text, resolve_kb
from neurogarden.recovery.models import AttendanceKind, RecoveryLog
from neurogarden.render.charts import BAND_COLOURS, LINE, Chart, dates, day_x, finish, style

if TYPE_CHECKING:
    from matplotlib.axes import Axes

    from neurogarden.kb.instruments.models import InstrumentDefinition

# Colour-blind-safe (Okabe–Ito) colours for substances, in name order.
SUBSTANCE_COLOURS = ("#d55e00", "#0072b2", "#cc79a7", "#e69f00", "#009e73", "#56b4e9", "#000000")
ATTENDED, MISSED, THRESHOLD = "#1b7837", "#b2182b", "#b2182b"
ATTENDANCE_MARKERS = ((True, "o", ATTENDED, "attended"), (False, "X", MISSED, "missed"))
KIND_LABELS: dict[AttendanceKind, str] = {
    "counselling": "counselling",
    "support_group": "support group",
    "moud_visit": "MOUD visit",
}


def _daily_use(log: RecoveryLog) -> dict[str, dict[date, float | None]]:
    """Per substance id, per day: the total in mg, or None when an entry has no amount."""
    out: dict[str, dict[date, float | None]] = {}
    for use in sorted(log.uses, key=lambda u: (u.substance, u.day)):
        days = out.setdefault(use.substance, {})
        mg = use.mg
        before = days.get(use.day, 0.0)
        days[use.day] = None if before is None or mg is None else before + mg
    return out


def _name(kb: KnowledgeBase, sid: str) -> str:
    record = kb.substances.by_id.get(sid)
    return record.name if record is not None else sid


def _uses_panel(ax: Axes, daily: dict[str, dict[date, float | None]], kb: KnowledgeBase) -> None:
    ids = sorted(daily, key=lambda sid: _name(kb, sid))
    rows = list(reversed(ids))  # first name at the top
    for row, sid in enumerate(rows):
        record = kb.substances.by_id.get(sid)
        colour = SUBSTANCE_COLOURS[ids.index(sid) % len(SUBSTANCE_COLOURS)]
        days = sorted(daily[sid])
        ax.scatter(
            [day_x(d) for d in days], [row] * len(days), marker="s", s=60, color=colour, zorder=3
        )
        shown: str | None = None
        last: date | None = None
        below = False
        for day in days:
            mg = daily[sid][day]
            text = "use" if mg is None else amount_text(record, mg)
            if text == shown:
                continue  # label only where the daily amount changes
            # a label a day or two after the previous one goes on the other side
            below = not below if last is not None and (day - last).days <= 2 else False
            ax.annotate(
                text,
                (day_x(day), row),
                textcoords="offset points",
                xytext=(0, -14 if below else 7),
                ha="center",
                fontsize=8,
                color=colour,
            )
            shown, last = text, day
    ax.set_yticks(range(len(rows)), [_name(kb, sid) for sid in rows])
    ax.set_ylim(-0.7, max(len(rows), 1) - 0.35)
    ax.set_title("Use per day (amount shown where it changes)", loc="left", fontsize=10)
    if not rows:
        _empty(ax, "no use recorded")


def _empty(ax: Axes, text: str) -> None:
    ax.text(0.5, 0.5, text, transform=ax.transAxes, ha="center", va="center", color="#666666")
    ax.set_yticks([])


def _attendance_panel(ax: Axes, log: RecoveryLog) -> None:
    kinds = [k for k in KIND_LABELS if any(a.kind == k for a in log.attendance)]
    for row, kind in enumerate(reversed(kinds)):
        for attended, marker, colour, label in ATTENDANCE_MARKERS:
            days = [a.day for a in log.attendance if a.kind == kind and a.attended is attended]
            if days:
                ax.scatter(
                    [day_x(d) for d in days],
                    [row] * len(days),
                    s=60,
                    zorder=3,
                    marker=marker,
                    color=colour,
                    label=label,
                )
    ax.set_yticks(range(len(kinds)), [KIND_LABELS[k] for k in reversed(kinds)])
    ax.set_ylim(-0.6, max(len(kinds), 1) - 0.4)
    ax.set_title("Attendance", loc="left", fontsize=10)
    if not kinds:
        _empty(ax, "no attendance recorded")
        return
    handles, labels = ax.get_legend_handles_labels()
    unique = dict(zip(labels, handles, strict=True))
    ax.legend(
        unique.values(),
        unique.keys(),
        loc="upper left",
        bbox_to_anchor=(1.01, 1.0),
        frameon=False,
        fontsize=8,
    )


def _craving_panel(ax: Axes, log: RecoveryLog) -> None:
    points = sorted((c.day, c.rating) for c in log.cravings)
    if points:
        ax.plot(
            [day_x(d) for d, _ in points],
            [r for _, r in points],
            color=LINE,
            lw=1.8,
            marker="o",
            ms=4,
            zorder=3,
        )
    else:
        _empty(ax, "no craving ratings recorded")
    ax.set_ylim(-0.5, 10.5)
    ax.set_yticks([0, 5, 10])
    ax.set_ylabel("0–10")
    ax.set_title("Craving (0 none – 10 strongest)", loc="left", fontsize=10)


def _cows_panel(
    ax: Axes, cows: Sequence[tuple[date, float]], definition: InstrumentDefinition, threshold: int
) -> None:
    name = definition.short_title
    highest = max([threshold, *(t for _, t in cows)])
    top_band = next((b for b in definition.scoring.bands if b.min <= highest <= b.max), None)
    top = (top_band.max if top_band else highest) + 0.5
    for band, colour in zip(definition.scoring.bands, BAND_COLOURS, strict=False):
        if band.min <= top:
            ax.axhspan(band.min - 0.5, min(band.max + 0.5, top), color=colour, alpha=0.5, lw=0)
            ax.text(
                1.01,
                (band.min + min(band.max, top)) / 2,
                band.label,
                fontsize=7.5,
                transform=ax.get_yaxis_transform(),
                va="center",
                color="#444444",
            )
    ax.axhline(threshold - 0.5, color=THRESHOLD, lw=1.3, ls="--", zorder=2)
    ax.text(
        0.005,
        threshold,
        f"alert at ≥ {threshold}",
        transform=ax.get_yaxis_transform(),
        fontsize=8,
        color=THRESHOLD,
        va="bottom",
    )
    if cows:
        xs, ys = [day_x(d) for d, _ in cows], [t for _, t in cows]
        ax.plot(xs, ys, color=LINE, lw=1.8, marker="o", ms=5, zorder=3)
        for x, y in zip(xs, ys, strict=True):
            ax.annotate(
                f"{y:g}",
                (x, y),
                textcoords="offset points",
                xytext=(0, 6),
                ha="center",
                fontsize=8,
                color=LINE,
            )
    else:
        ax.text(0.5, 0.5, f"no {name} recorded", transform=ax.transAxes, ha="center")
    ax.set_ylim(-0.5, top)
    ax.set_ylabel(f"{name} total")
    ax.set_title(f"{name} (clinician-rated withdrawal)", loc="left", fontsize=10)


def _day_axis(ax: Axes, span_days: int) -> None:
    """Day and month on every tick ("9 Nov"), the year once; ticks a day, or a week apart."""
    import matplotlib.dates as mdates

    if span_days <= 21:
        locator: Any = mdates.DayLocator(interval=1 if span_days <= 10 else 2)  # type: ignore[no-untyped-call]
    elif span_days <= 120:
        locator = mdates.WeekdayLocator(byweekday=mdates.MO)  # type: ignore[no-untyped-call]
    else:
        dates(ax)
        return
    ax.xaxis.set_major_locator(locator)
    ax.xaxis.set_major_formatter(mdates.DateFormatter("%d %b"))  # type: ignore[no-untyped-call]


def timeline_chart(
    log: RecoveryLog,
    cows: Sequence[tuple[date, float]],
    *,
    title: str,
    fmt: str = "svg",
    kb: KnowledgeBase | None = None,
    cows_definition: InstrumentDefinition | None = None,
) -> Chart:
    """Four panels on one date axis; raises ValueError when there is nothing to draw."""
    base = resolve_kb(kb)
    rule = base.recovery_rules["withdrawal"]
    definition = cows_definition or instrument_for(rule)
    threshold = withdrawal_threshold(rule, definition)
    cows = sorted(cows, key=lambda pair: pair[0])
    days = [*log.days(), *(d for d, _ in cows)]
    if not days:
        raise ValueError("the log has no entries and no COWS totals: nothing to chart")
    daily = _daily_use(log)
    from matplotlib.figure import Figure

    with style():
        use_rows = max(1, len(daily))
        att_rows = max(1, len({a.kind for a in log.attendance}))
        fig = Figure(
            figsize=(9.0, 2.6 + 0.38 * (use_rows + att_rows) + 3.6), dpi=100, layout="constrained"
        )
        uses_ax, att_ax, crave_ax, cows_ax = fig.subplots(
            4,
            1,
            sharex=True,
            gridspec_kw={"height_ratios": [0.5 + 0.4 * use_rows, 0.4 + 0.35 * att_rows, 1.4, 1.8]},
        )
        _uses_panel(uses_ax, daily, base)
        _attendance_panel(att_ax, log)
        _craving_panel(crave_ax, log)
        _cows_panel(cows_ax, cows, definition, threshold)
        cows_ax.set_xlim(day_x(min(days) - timedelta(days=1)), day_x(max(days) + timedelta(days=1)))
        _day_axis(cows_ax, (max(days) - min(days)).days)
        years = sorted({min(days).year, max(days).year})
        cows_ax.set_xlabel("–".join(str(y) for y in years))
        for ax in (uses_ax, att_ax, crave_ax, cows_ax):
            ax.grid(axis="x", color="#e0e0e0", lw=0.6, zorder=0)
        for ax in (uses_ax, att_ax, crave_ax):
            ax.tick_params(axis="x", labelbottom=False)
        fig.suptitle(title, fontweight="bold", fontsize=12)
        alt = timeline_alt(log, cows, base, definition, threshold, min(days), max(days))
        return finish(fig, title, alt, fmt)


def timeline_alt(
    log: RecoveryLog,
    cows: Sequence[tuple[date, float]],
    kb: KnowledgeBase,
    definition: InstrumentDefinition,
    threshold: int,
    first: date,
    last: date,
) -> str:
    """The chart in words: what a screen-reader user needs to read the same story."""
    parts = [f"Recovery timeline from {first} to {last}."]
    daily = _daily_use(log)
    uses = []
    for sid in sorted(daily, key=lambda s: _name(kb, s)):
        record = kb.substances.by_id.get(sid)
        by_day = daily[sid]
        text = f"{_name(kb, sid)} on {len(by_day)} day{'s' if len(by_day) != 1 else ''}"
        known = [mg for mg in by_day.values() if mg is not None]
        if known:
            low, high = amount_text(record, min(known)), amount_text(record, max(known))
            text += f" ({low} a day)" if low == high else f" ({low} to {high} a day)"
        uses.append(text)
    parts.append(f"Use: {'; '.join(uses)}." if uses else "No use recorded.")
    ratings = sorted((c.day, c.rating) for c in log.cravings)
    if ratings:
        parts.append(
            f"Craving: {len(ratings)} ratings, mean {statistics.fmean(r for _, r in ratings):.1f}, "
            f"highest {max(r for _, r in ratings)}, latest {ratings[-1][1]} on {ratings[-1][0]}."
        )
    name = definition.short_title
    if cows:
        day, total = cows[-1]
        over = sum(1 for _, t in cows if t >= threshold)
        parts.append(
            f"{name}: {len(cows)} totals, latest {total:g} on {day} "
            f"({definition.band_for(int(total)) or 'no band'}); {over} at or above {threshold}, "
            f"the dashed line where moderate withdrawal begins."
        )
    else:
        parts.append(f"No {name} totals recorded.")
    attendance = []
    for kind, label in KIND_LABELS.items():
        entries = [a for a in log.attendance if a.kind == kind]
        if entries:
            went = sum(1 for a in entries if a.attended)
            attendance.append(f"{label} {went} of {len(entries)} attended")
    if attendance:
        parts.append(f"Attendance: {'; '.join(attendance)}.")
    return " ".join(parts)
