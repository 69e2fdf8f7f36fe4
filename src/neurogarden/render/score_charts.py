"""Questionnaire charts: a patient's scores over time with bands, sessions and windows;
the sleep diary; the clinic's response and remission rates."""

from __future__ import annotations

import statistics
from collections.abc import Sequence
from datetime import date, timedelta
from typing import TYPE_CHECKING

from neurogarden.instruments.outcomes import ClinicSummary, PatientSeries
from neurogarden.instruments.scoring import Score
from neurogarden.instruments.series import Session, Window
from neurogarden.kb.instruments.models import InstrumentDefinition

if TYPE_CHECKING:
    pass

from neurogarden.render.charts import (
    BAND_COLOURS,
    LINE,
    SESSION,
    WINDOW,
    Chart,
    dates,
    day_x,
    figure,
    finish,
    legend,
    style,
)


def patient_chart(
    definition: InstrumentDefinition,
    series: PatientSeries,
    sessions: Sequence[Session] = (),
    windows: Sequence[Window] = (),
    *,
    title: str | None = None,
    fmt: str = "svg",
) -> Chart:
    """Totals over time with severity bands, session markers and integration windows."""
    from matplotlib.patches import Patch

    name = definition.short_title
    title = title or f"{name} over time — patient {series.patient_id}"
    low, high = definition.total_range
    top = high if high is not None else max(p.total for p in series.points)
    with style():
        fig, ax = figure(8.0, 4.6)
        band_handles = []
        for band, colour in zip(definition.scoring.bands, BAND_COLOURS, strict=False):
            ax.axhspan(band.min - 0.5, band.max + 0.5, color=colour, alpha=0.55, lw=0, zorder=0)
            band_handles.append(
                Patch(color=colour, alpha=0.8, label=f"{band.label} ({band.min}–{band.max})")
            )
        for window in windows:
            ax.axvspan(
                day_x(window.start),
                day_x(window.end + timedelta(days=1)),
                facecolor=WINDOW,
                alpha=0.35,
                hatch="//",
                edgecolor="#6baed6",
                lw=0,
                zorder=1,
                label="integration window",
            )
        for session in sessions:
            ax.axvline(
                day_x(session.day), color=SESSION, lw=1.2, ls="--", zorder=2, label="session"
            )
        rules = definition.outcomes
        baseline = series.baseline
        if rules is not None and baseline is not None and baseline.total > 0:
            level = baseline.total * (100 - rules.response_reduction_pct) / 100
            ax.axhline(
                level,
                color="#238b45",
                lw=1.2,
                ls=":",
                zorder=2,
                label=f"response threshold (≤ {level:g}, −{rules.response_reduction_pct}%)",
            )
        if rules is not None:
            ax.axhline(
                rules.remission_below - 0.5,
                color="#006d2c",
                lw=1.4,
                zorder=2,
                label=f"remission (below {rules.remission_below})",
            )
        days = [p.day for p in series.points]
        totals = [p.total for p in series.points]
        xs = [day_x(d) for d in days]
        ax.plot(xs, totals, color=LINE, lw=2, marker="o", ms=6, zorder=4, label=f"{name} total")
        for x, total in zip(xs, totals, strict=True):
            ax.annotate(
                f"{total:g}",
                (x, total),
                textcoords="offset points",
                xytext=(0, 7),
                ha="center",
                fontsize=9,
                color=LINE,
                zorder=5,
            )
        for session in sessions:
            ax.plot(
                [day_x(session.day)],
                [top + 0.5],
                marker="v",
                color=SESSION,
                ms=7,
                clip_on=False,
                zorder=5,
            )
        ax.set_ylim(low - 0.5, top + 0.5)
        first = min([*days, *(s.day for s in sessions), *(w.start for w in windows)])
        last = max([*days, *(s.day for s in sessions), *(w.end for w in windows)])
        ax.set_xlim(day_x(first - timedelta(days=1)), day_x(last + timedelta(days=2)))
        ax.set_ylabel(f"{name} total ({low}–{top})")
        ax.set_title(title, pad=14)  # room for the session markers above the plot
        dates(ax)
        for band in definition.scoring.bands:
            ax.text(
                1.01,
                (band.min + band.max) / 2,
                band.label,
                transform=ax.get_yaxis_transform(),
                va="center",
                fontsize=8.5,
                color="#444444",
            )
        handles, _labels = ax.get_legend_handles_labels()
        unique = {h.get_label(): h for h in handles}
        legend(ax, list(unique.values()), ncol=3)
        alt = _patient_alt(definition, series, sessions, windows)
        return finish(fig, title, alt, fmt)


def _patient_alt(
    definition: InstrumentDefinition,
    series: PatientSeries,
    sessions: Sequence[Session],
    windows: Sequence[Window],
) -> str:
    points = series.points
    first, last = points[0], points[-1]
    parts = [
        f"Line chart of {definition.short_title} totals for patient {series.patient_id}, "
        f"{len(points)} measurements from {first.day} to {last.day}.",
        f"Baseline {first.total:g} ({first.severity or 'no band'}); "
        f"latest {last.total:g} ({last.severity or 'no band'})",
    ]
    if last.change.change_pct is not None and len(points) > 1:
        parts[-1] += f", a change of {last.change.change_pct:+g}% from baseline."
    else:
        parts[-1] += "."
    if definition.outcomes is not None:
        parts.append(
            f"Response first reached {series.response_date or 'not yet'}; "
            f"remission first reached {series.remission_date or 'not yet'}."
        )
    if sessions:
        parts.append(f"{len(sessions)} sessions marked ({sessions[0].day} to {sessions[-1].day}).")
    if windows:
        parts.append(f"{len(windows)} integration windows shaded.")
    bands = ", ".join(f"{b.label} {b.min}–{b.max}" for b in definition.scoring.bands)
    if bands:
        parts.append(f"Severity bands shaded: {bands}.")
    return " ".join(parts)


def _derived(score: Score, key: str) -> float | None:
    return next(
        (float(d.value) for d in score.derived if d.id == key and d.value is not None), None
    )


def sleep_chart(
    patient: str,
    nights: Sequence[tuple[date, Score]],
    *,
    title: str | None = None,
    fmt: str = "svg",
) -> Chart:
    """Time in bed and total sleep time as bars, sleep efficiency as a line."""
    title = title or f"Sleep diary — patient {patient}"
    days = [d for d, _ in nights]
    tib = [(_derived(s, "time_in_bed") or 0) / 60 for _, s in nights]
    tst = [(_derived(s, "total_sleep_time") or 0) / 60 for _, s in nights]
    eff = [_derived(s, "sleep_efficiency") for _, s in nights]
    with style():
        fig, ax = figure(8.0, 4.4)
        xs = [day_x(d) for d in days]
        ax.bar(xs, tib, width=0.8, color="#d9d9d9", edgecolor="#969696", label="time in bed (h)")
        ax.bar(xs, tst, width=0.5, color=LINE, label="total sleep time (h)")
        ax.set_ylabel("hours")
        ax.set_ylim(0, max([*tib, 8.0]) + 1)
        ax2 = ax.twinx()
        ax2.spines["right"].set_visible(True)
        ax2.plot(
            xs,
            [e if e is not None else float("nan") for e in eff],
            color="#d94801",
            marker="s",
            lw=1.8,
            label="sleep efficiency (%)",
        )
        ax2.set_ylim(0, 105)
        ax2.set_ylabel("sleep efficiency (%)")
        ax.set_title(title)
        dates(ax)
        handles = ax.get_legend_handles_labels()[0] + ax2.get_legend_handles_labels()[0]
        legend(ax, handles, ncol=3)
        alt = _sleep_alt(patient, days, tst, eff)
        return finish(fig, title, alt, fmt)


def _sleep_alt(patient: str, days: list[date], tst: list[float], eff: list[float | None]) -> str:
    mean_tst = statistics.fmean(tst)
    known = [(e, d) for e, d in zip(eff, days, strict=True) if e is not None]
    text = (
        f"Sleep diary for patient {patient}: {len(days)} nights from {days[0]} to {days[-1]}. "
        f"Bars show time in bed and total sleep time; the line shows sleep efficiency. "
        f"Mean total sleep time {int(mean_tst)} h {round(mean_tst % 1 * 60):d} min"
    )
    if known:
        worst = min(known)
        text += (
            f"; mean sleep efficiency {statistics.fmean(e for e, _ in known):.0f}%, "
            f"lowest {worst[0]:.0f}% on the night of {worst[1]}"
        )
    return text + "."


def clinic_chart(
    definition: InstrumentDefinition,
    summary: ClinicSummary,
    *,
    title: str | None = None,
    fmt: str = "svg",
) -> Chart:
    """Response and remission rates by protocol with counts, beside published references."""
    title = title or f"Clinic outcomes on {definition.short_title}: response and remission"
    rows = [summary.overall, *summary.by_protocol]
    remission_below = definition.outcomes.remission_below if definition.outcomes else "?"
    with style():
        fig, ax = figure(8.0, 1.6 + 0.75 * len(rows) + 0.4 * len(summary.references))
        ys = list(range(len(rows)))[::-1]
        height = 0.36
        for y, row in zip(ys, rows, strict=True):
            for offset, rate, k, n, colour, label in (
                (
                    height / 2,
                    row.response_rate_pct,
                    row.responders,
                    row.response_eligible,
                    LINE,
                    "response (≥50% fall)",
                ),
                (
                    -height / 2,
                    row.remission_rate_pct,
                    row.remitters,
                    row.remission_eligible,
                    "#41ab5d",
                    f"remission (below {remission_below})",
                ),
            ):
                ax.barh(y + offset, rate or 0, height=height, color=colour, label=label)
                text = f"{rate:g}% ({k}/{n})" if rate is not None else f"n/a (0/{n})"
                ax.text((rate or 0) + 1, y + offset, text, va="center", fontsize=9)
        for ref in summary.references:
            ax.axvline(
                ref.response_rate_pct,
                color="#cb181d",
                ls="--",
                lw=1.4,
                label=f"{ref.label}: {ref.response_rate_pct:g}% response on {ref.measure}"
                " (different measure)",
            )
        ax.set_yticks(ys, [f"{r.group}\n(n={r.patients})" for r in rows])
        ax.set_xlim(0, 110)
        ax.set_xticks(range(0, 101, 20), [f"{x}%" for x in range(0, 101, 20)])
        ax.set_xlabel("patients at latest measurement (%)")
        ax.set_title(title)
        handles, _labels = ax.get_legend_handles_labels()
        unique = {h.get_label(): h for h in handles}
        legend(ax, list(unique.values()), ncol=1)
        alt = _clinic_alt(definition, summary)
        return finish(fig, title, alt, fmt)


def _clinic_alt(definition: InstrumentDefinition, summary: ClinicSummary) -> str:
    def rate(row_rate: float | None, k: int, n: int) -> str:
        return (
            f"{row_rate:g}% ({k} of {n})" if row_rate is not None else f"not available (0 of {n})"
        )

    parts = [f"Bar chart of {definition.short_title} response and remission rates by protocol."]
    for row in (summary.overall, *summary.by_protocol):
        parts.append(
            f"{row.group}, {row.patients} patients: response "
            f"{rate(row.response_rate_pct, row.responders, row.response_eligible)}, remission "
            f"{rate(row.remission_rate_pct, row.remitters, row.remission_eligible)}."
        )
    for ref in summary.references:
        parts.append(
            f"Reference line: {ref.label}, {ref.response_rate_pct:g}% response on the "
            f"{ref.measure}, a different measure ({ref.protocol})."
        )
    if summary.without_follow_up:
        parts.append(f"{summary.without_follow_up} patients without a follow-up are not counted.")
    return " ".join(parts)
