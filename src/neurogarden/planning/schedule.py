"""Where each recommended dose goes in the day.

One `Schedule` per plan places every dose the plan recommends (daily, titration,
as-needed and each integration-window supplement) against the same separation
windows, built once from the person's medicines. A dose goes at a preferred time for
its purpose, else at the nearest waking time outside every window, else nowhere: it
is left out with a `block` that names the medicines. There is no fallback time, and
the supplement moves, never the medicine.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from neurogarden.kb import models as m
from neurogarden.kb.base import KnowledgeBase
from neurogarden.planning import timing as t
from neurogarden.planning.dosing import dose_step_mg
from neurogarden.planning.result import Dose, Finding
from neurogarden.planning.safety import cite
from neurogarden.profile import Profile

Timing = str  # "before_bed" | "before_study" | "morning" | "evening_meal"


@dataclass(frozen=True)
class Placement:
    """A chosen clock time, and the windows that pushed it off its preferred time."""

    minute: int
    label: str  # where the preferred time comes from, e.g. "30–90 minutes before bed"
    moved_from: tuple[t.Window, ...] = ()

    @property
    def clock(self) -> str:
        return t.clock(self.minute)


def preferred_times(kb: KnowledgeBase, timing: Timing, profile: Profile) -> tuple[list[int], str]:
    """Candidate clock times for a purpose, best first, and how to say where they come
    from; the offsets are the knowledge base's timing rules. Without a study block,
    "before study" falls back to the morning."""
    if timing == "before_study" and not profile.study:
        timing = "morning"
    rule = kb.timings[timing]
    bed = t.minutes(profile.bed)
    anchor = {"bed": bed, "wake": t.minutes(profile.wake)}.get(rule.anchor)
    if rule.anchor == "study":
        anchor = t.minutes(profile.study[0][0])
    elif rule.anchor == "evening_meal":
        meals = [x for x in profile.meals if t.awake(profile.wake, profile.bed, t.minutes(x))]
        gap = rule.meal_min_before_bed_minutes or 0
        evening = [x for x in meals if (bed - t.minutes(x)) % t.DAY >= gap]
        fallback = bed - (rule.fallback_before_bed_minutes or 0)
        anchor = t.minutes(evening[-1]) if evening else fallback
    assert anchor is not None  # every anchor kind is handled above
    return t.around(anchor, rule.offsets_minutes), rule.label


def _rule_hits(rule: m.SeparationRule, med_id: str, classes: Iterable[str]) -> bool:
    keys = rule.applies_to.keys
    return ("medication", med_id) in keys or any(("class", c) in keys for c in classes)


class Schedule:
    """The separation windows of one profile and the one placement every dose uses."""

    def __init__(self, kb: KnowledgeBase, profile: Profile) -> None:
        self.kb = kb
        self.profile = profile
        self.findings: list[Finding] = []  # rules that could not be turned into windows
        self.windows: list[t.Window] = []
        self.rules = {r.id: r for r in kb.separations}
        self.step_mg = dose_step_mg(kb)
        self._step = int(kb.parameters["placement-step"].value)
        self._margin = int(kb.parameters["waking-margin"].value)
        for med in profile.medications:
            for rule in kb.separations:
                if _rule_hits(rule, med.record.id, med.record.classes):
                    self._add(rule, med.record.name, med.times)

    def _add(self, rule: m.SeparationRule, drug: str, times: tuple[str, ...]) -> None:
        if rule.never:
            self.findings.append(
                cite(
                    rule,
                    "block",
                    f"{rule.id}-never",
                    f"{drug}: {rule.label_text} Magnesium is left out of the plan.",
                    drug,
                )
            )
            self.windows.append(t.Window(rule.id, drug, "00:00", 0, 0, True, rule.nutrient))
            return
        if not times:
            self.findings.append(
                cite(
                    rule,
                    "warn",
                    "separation-times-unknown",
                    f"{drug} has no times in the profile, so magnesium cannot be placed "
                    f"around it. {rule.label_text}",
                    drug,
                )
            )
        for when in times:
            self.windows.append(
                t.Window(
                    rule.id,
                    drug,
                    when,
                    rule.supplement_after_drug_hours,
                    rule.supplement_before_drug_hours,
                    nutrient=rule.nutrient,
                )
            )

    def windows_for(self, nutrient: str) -> list[t.Window]:
        return [w for w in self.windows if w.nutrient == nutrient]

    def never(self, nutrient: str = "magnesium") -> bool:
        """A rule says no spacing is enough: nothing of this nutrient may be planned."""
        return any(w.never for w in self.windows_for(nutrient))

    def place(self, timing: Timing, nutrient: str = "magnesium") -> Placement | None:
        """The first allowed preferred waking time; else the nearest allowed waking time;
        else None (the caller leaves the dose out with `unplaceable`)."""
        windows = self.windows_for(nutrient)
        candidates, label = preferred_times(self.kb, timing, self.profile)
        wake, bed = self.profile.wake, self.profile.bed
        awake = [c for c in candidates if t.awake(wake, bed, c)]
        chosen = t.first_allowed(awake, windows)
        if chosen is not None:
            return Placement(chosen, label)
        preferred = awake[0] if awake else candidates[0]
        nearest = t.first_allowed(self._waking_day(preferred), windows)
        if nearest is None:
            return None
        return Placement(nearest, label, tuple(t.blocking(preferred, windows)))

    def _waking_day(self, preferred: int) -> list[int]:
        p = self.profile
        return t.whole_day_by_closeness(p.wake, p.bed, preferred, self._step, self._margin)

    def any_waking_time(self, nutrient: str = "magnesium") -> bool:
        """Whether an as-needed dose could be taken at some waking time."""
        return t.first_allowed(self._waking_day(0), self.windows_for(nutrient)) is not None

    def drugs(self, nutrient: str = "magnesium") -> str:
        return ", ".join(sorted({w.drug for w in self.windows_for(nutrient)}))

    def unplaceable(self, what: str, subject: str, nutrient: str = "magnesium") -> Finding:
        """The `block` for a dose that no waking time keeps apart from the medicines,
        cited to the separation rules whose windows cover the waking day."""
        rules = [
            self.rules[r] for r in dict.fromkeys(w.rule_id for w in self.windows_for(nutrient))
        ]
        return Finding(
            severity="block",
            code="separation-no-time",
            message=(
                f"No waking time keeps {what} apart from {self.drugs(nutrient)}; it is left "
                "out of the plan. Ask the prescriber or pharmacist before taking it with these."
            ),
            sources=tuple(dict.fromkeys(s for r in rules for s in r.sources)),
            evidence=rules[0].evidence.value if rules else None,
            subject=subject,
        )

    def moved(self, name: str, placed: Placement) -> Finding | None:
        """Say why a dose is not at its preferred time (cited to the rule that moved it)."""
        if not placed.moved_from:
            return None
        w = placed.moved_from[0]
        rule = self.rules[w.rule_id]
        return cite(
            rule,
            "info",
            "separation-moved",
            f"{name} moved to {placed.clock} (preferred {placed.label}) to keep it apart "
            f"from {w.drug} at {w.drug_time}. {rule.label_text}",
            name,
        )

    def kept_apart(self, doses: Iterable[Dose]) -> list[Finding]:
        """For each dose, which medicine it is kept apart from and by how much, so the plan
        shows why its time was chosen; an as-needed dose gets the same rule as advice."""
        out: list[Finding] = []
        unique = {(w.rule_id, w.drug): w for w in self.windows if not w.never}
        for dose in doses:
            for w in unique.values():
                if w.nutrient != dose.nutrient:
                    continue
                rule = self.rules[w.rule_id]
                times = ", ".join(x.drug_time for x in self.windows if x.drug == w.drug)
                gap = f"at least {w.after_h:g} h after it or {w.before_h:g} h before it"
                if dose.as_needed:
                    code, lead = "separation-as-needed", f"When you take {dose.name} as needed,"
                    lead += f" keep it apart from {w.drug} ({times}): {gap}."
                else:
                    code = "separation-kept"
                    lead = (
                        f"{dose.name} at {', '.join(dose.times)} is kept apart from "
                        f"{w.drug} ({times}): {gap}."
                    )
                out.append(cite(rule, "info", code, f"{lead} {rule.label_text}", dose.name))
        return out

    def current_time_findings(self) -> list[Finding]:
        """The person's own magnesium taken too close to a medicine: move the supplement."""
        out = []
        windows = self.windows_for("magnesium")
        for s in self.profile.supplements:
            if s.nutrient != "magnesium":
                continue
            for when in s.times:
                for w in t.blocking(t.minutes(when), windows):
                    if w.never:
                        continue
                    rule = self.rules[w.rule_id]
                    out.append(
                        cite(
                            rule,
                            "warn",
                            "separation-current",
                            f"Your {s.name} at {when} is too close to {w.drug} at "
                            f"{w.drug_time}. {rule.label_text} Move the supplement, not the "
                            "medicine.",
                            s.name,
                        )
                    )
        return out
