"""Clinician alerts over a recovery log: rising use, withdrawal (COWS) and a new
dangerous combination. Each is cited; each threshold is a knowledge-base rule
(kb/data/recovery.yaml, `recovery_rules`) with its stated basis, not a number in code.

Rising use, per substance: the last `window_days` days (today included) against the
`window_days` before them. It is rising when the days with use went up, or when every
entry in both windows has an amount and the total amount went up. A day without an
entry is a day without use. The log needs an entry (of any kind) before the last
window; otherwise there is no baseline and rising use is not assessed.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import TYPE_CHECKING

from neurogarden.kb import models as m
from neurogarden.kb.base import KnowledgeBase
from neurogarden.kb.compiled import default_kb
from neurogarden.kb.recovery_records import combination_codes
from neurogarden.kb.recovery_rules import instrument_for, withdrawal_threshold
from neurogarden.kb.text import one_line
from neurogarden.planning.result import Finding
from neurogarden.planning.safety import SEVERITY_ORDER, effect_findings, sort_findings
from neurogarden.profile import Medication, Profile, SubstanceUse
from neurogarden.recovery.models import RecoveryAlert, RecoveryLog, UseEntry
from neurogarden.units import format_mg, registry

if TYPE_CHECKING:
    from neurogarden.kb.instruments.models import InstrumentDefinition

COMBINATION_TARGETS = ("plan", "kratom")  # effect-rule targets that concern substances


def resolve_kb(kb: KnowledgeBase | None) -> KnowledgeBase:
    return kb if kb is not None else default_kb()


def _sources(*groups: Iterable[str]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(s for group in groups for s in group))


@dataclass(frozen=True)
class UseWindow:
    """Use of one substance over a window: days with use and the total, when known."""

    days: int
    mg: float | None  # None when an entry has no amount

    @classmethod
    def of(cls, entries: Sequence[UseEntry]) -> UseWindow:
        amounts = [e.mg for e in entries]
        known = None if any(a is None for a in amounts) else sum(a or 0.0 for a in amounts)
        return cls(days=len({e.day for e in entries}), mg=known)

    def rose_from(self, before: UseWindow) -> bool:
        if self.days > before.days:
            return True
        return self.mg is not None and before.mg is not None and self.mg > before.mg


def amount_text(record: m.Substance | None, mg: float) -> str:
    """An amount for people: alcohol in standard drinks (units.txt), the rest by mass."""
    if record is not None and record.category == "alcohol":
        drinks = float(registry().Quantity(mg, "mg").to("drink").magnitude)
        return f"{drinks:.3g} drink{'' if drinks == 1 else 's'}"
    return format_mg(mg)


def _amount(record: m.Substance | None, mg: float | None) -> str:
    return f" ({amount_text(record, mg)} in all)" if mg else ""


def rising_use(log: RecoveryLog, today: date, kb: KnowledgeBase) -> list[RecoveryAlert]:
    rule = kb.recovery_rules["rising_use"]
    n = rule.window_days or 0
    start = today - timedelta(days=n - 1)
    before_start = start - timedelta(days=n)
    first = log.first_day
    if first is None or first >= start:
        return []  # no baseline before the window
    alerts = []
    for sid in sorted({u.substance for u in log.uses}):
        uses = [u for u in log.uses if u.substance == sid]
        now = UseWindow.of([u for u in uses if start <= u.day <= today])
        before = UseWindow.of([u for u in uses if before_start <= u.day < start])
        if not now.rose_from(before):
            continue
        record = kb.substances.by_id.get(sid)
        name = record.name if record is not None else sid
        detail = (
            f"{name}: used on {now.days} of the last {n} days{_amount(record, now.mg)}, "
            f"against {before.days} of the {n} days before{_amount(record, before.mg)}."
        )
        alerts.append(
            RecoveryAlert(
                code=rule.id,
                severity=rule.severity.value,
                message=f"{detail} {' '.join(rule.message.split())}",
                sources=rule.sources,
                day=today,
            )
        )
    return alerts


def withdrawal(
    cows: Sequence[tuple[date, float]],
    today: date,
    kb: KnowledgeBase,
    definition: InstrumentDefinition | None = None,
) -> list[RecoveryAlert]:
    """The latest total (the highest when several share the latest day) at or above the
    lower bound of the rule's band; totals dated after `today` are not yet counted."""
    rule = kb.recovery_rules["withdrawal"]
    definition = definition or instrument_for(rule)
    threshold = withdrawal_threshold(rule, definition)
    usable = [(day, total) for day, total in cows if day <= today]
    if not usable:
        return []
    latest = max(day for day, _ in usable)
    total = max(t for day, t in usable if day == latest)
    if total < threshold:
        return []
    band = definition.band_for(int(total)) or "no band"
    detail = (
        f"{definition.short_title} {total:g} on {latest} ({band}); the alert is at "
        f"{threshold} or more, the lower bound of the {rule.from_band!r} band."
    )
    return [
        RecoveryAlert(
            code=rule.id,
            severity=rule.severity.value,
            message=f"{detail} {' '.join(rule.message.split())}",
            sources=rule.sources,
            day=latest,
        )
    ]


def new_combinations(
    before: Sequence[Finding], now: Sequence[Finding], today: date, kb: KnowledgeBase
) -> list[RecoveryAlert]:
    """One alert per watched block-level combination code in `now` and not in `before`."""
    rule = kb.recovery_rules["new_combination"]
    watched = combination_codes(kb, rule)
    severity = rule.finding_severity.value if rule.finding_severity else "block"
    old = {f.code for f in before}
    fresh: dict[str, list[Finding]] = {}
    for f in now:
        if f.code in watched and f.severity == severity and f.code not in old:
            fresh.setdefault(f.code, []).append(f)
    alerts = []
    for _code, found in sorted(fresh.items()):
        subjects = ", ".join(dict.fromkeys(f.subject for f in found if f.subject))
        text = one_line(rule.message)
        alerts.append(
            RecoveryAlert(
                code=rule.id,
                severity=rule.severity.value,
                message=f"{subjects + ': ' if subjects else ''}{found[0].message} {text}",
                sources=_sources(rule.sources, *(f.sources for f in found)),
                day=today,
            )
        )
    return alerts


def recovery_alerts(
    log: RecoveryLog,
    cows: Sequence[tuple[date, float]],
    findings_before: Sequence[Finding],
    findings_now: Sequence[Finding],
    today: date,
    *,
    kb: KnowledgeBase | None = None,
    cows_definition: InstrumentDefinition | None = None,
) -> tuple[RecoveryAlert, ...]:
    """Every alert for the clinician, most severe first; deterministic."""
    base = resolve_kb(kb)
    alerts = [
        *new_combinations(findings_before, findings_now, today, base),
        *withdrawal(cows, today, base, cows_definition),
        *rising_use(log, today, base),
    ]
    return tuple(sorted(alerts, key=lambda a: (SEVERITY_ORDER[a.severity], a.code, a.message)))


@dataclass(frozen=True)
class LogExposure:
    """The substances used over a stretch of a log, with the person's medicines: what
    the knowledge base's effect rules are matched against (safety.Exposure)."""

    medications: tuple[Medication, ...] = ()
    conditions: tuple[m.Condition, ...] = ()
    substances: tuple[SubstanceUse, ...] = ()
    egfr: float | None = None


def log_findings(
    log: RecoveryLog,
    kb: KnowledgeBase,
    *,
    start: date,
    end: date,
    profile: Profile | None = None,
) -> tuple[Finding, ...]:
    """Substance findings (kratom, 7-OH, dangerous combinations) for the substances used
    from `start` to `end` inclusive, with the profile's medicines and its substances
    that carry no dated entries (those are taken as ongoing)."""
    used = {u.substance for u in log.uses if start <= u.day <= end}
    substances = []
    if profile is not None:
        for s in profile.substances:
            if not s.entries:
                substances.append(s)
            elif any(start <= e.day <= end for e in s.entries):
                used.add(s.record.id)
    substances += [SubstanceUse(kb.substances.by_id[sid], None, None) for sid in sorted(used)]
    exposure = LogExposure(
        medications=profile.medications if profile else (),
        conditions=profile.conditions if profile else (),
        substances=tuple(substances),
        egfr=profile.egfr if profile else None,
    )
    return sort_findings(effect_findings(kb, exposure, COMBINATION_TARGETS))
