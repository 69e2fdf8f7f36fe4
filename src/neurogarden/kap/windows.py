"""The integration window after each session: when it starts and ends, what is on
the checklist, what changes in the supplements, and a day-by-day timeline.

Window arithmetic is done on absolute time: end = start + `window_hours` in UTC,
then shown in the profile's zone, so a window across a daylight-saving change is
still exactly 48 elapsed hours (its wall-clock end shifts by the hour that changed).
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from neurogarden.kap.supplements import WindowDay
from neurogarden.kb.base import KnowledgeBase
from neurogarden.kb.memo import by_identity
from neurogarden.kb.models import Claim
from neurogarden.kb.protocol import ChecklistItem, Protocol
from neurogarden.kb.text import one_line
from neurogarden.planning.result import (
    ChecklistOut,
    ClaimOut,
    Dose,
    InstructionOut,
    SessionOut,
    TimelineDay,
    Window,
)
from neurogarden.profile import Profile, Session


def window_end(start: datetime, hours: float, zone: ZoneInfo) -> datetime:
    """`hours` of elapsed time after an aware `start`, shown in `zone`."""
    return (start.astimezone(UTC) + timedelta(hours=hours)).astimezone(zone)


def local_days(start: datetime, end: datetime) -> list[date]:
    """Calendar dates the window touches; an end at exactly midnight adds no day."""
    last = end.date() if end.timetz().replace(tzinfo=None) != time(0) else end.date() - timedelta(1)
    return [start.date() + timedelta(n) for n in range((last - start.date()).days + 1)]


def next_morning(start: datetime, wake: str, zone: ZoneInfo) -> datetime:
    """The person's wake time on the day after the session (after a night's sleep)."""
    h, m = (int(x) for x in wake.split(":"))
    naive = datetime.combine(start.date() + timedelta(1), time(h, m))
    return naive.replace(tzinfo=zone).astimezone(UTC).astimezone(zone)


def _checklist_item(c: ChecklistItem, claim: Claim | None) -> ChecklistOut:
    return ChecklistOut(
        id=c.id,
        text=one_line(c.text),
        evidence=c.evidence.value,
        sources=c.sources,
        when=c.when,
        claim=c.claim,
        claim_verdict=None if claim is None else claim.verdict.value,
    )


@by_identity
def _checklist(kb: KnowledgeBase, items: tuple[ChecklistItem, ...]) -> tuple[ChecklistOut, ...]:
    """The checklist as a plan shows it: the same for every plan, so built once."""
    return tuple(_checklist_item(c, kb.claims.get(c.claim) if c.claim else None) for c in items)


def _claim_out(claim: Claim) -> ClaimOut:
    return ClaimOut(id=claim.id, verdict=claim.verdict.value, text=one_line(claim.explanation))


@by_identity
def _claims(kb: KnowledgeBase, protocol: Protocol) -> tuple[ClaimOut, ...]:
    ids = [protocol.window_claim, *(c for s in protocol.supplements for c in s.claims)]
    found = (kb.claims.get(cid) for cid in dict.fromkeys(i for i in ids if i))
    return tuple(_claim_out(claim) for claim in found if claim is not None)


def _timeline(
    session: Session,
    end: datetime,
    days: list[date],
    checklist: tuple[ChecklistOut, ...],
    supplements: tuple[Dose, ...],
    until: datetime,
) -> tuple[TimelineDay, ...]:
    out = []
    for n, day in enumerate(days):
        items: list[str] = []
        if n == 0:
            items.append(f"{session.start:%H:%M} session ({session.route}); stay until stable")
            items.append(f"no driving until {until:%a %H:%M}, after a night's sleep")
        for d in supplements:
            if d.nutrient == "magnesium" and d.goals != ("kap_integration",):
                continue  # changes to the daily doses are listed with the supplements
            when = d.times[0] if d.times else "–"
            if n == 0 and when < f"{session.start:%H:%M}":
                continue
            if n == len(days) - 1 and when >= f"{end:%H:%M}":
                continue
            items.append(f"{when} {d.name}")
        for c in checklist:
            if (
                (c.when == "session_day" and n == 0)
                or c.when == "each_day"
                or (c.when == "evening" and day < end.date())
                or (c.when == "after_session_day" and n > 0)
                or (c.when == "window" and n == 0)
            ):
                items.append(f"{c.text} [evidence: {c.evidence.replace('_', ' ')}]")
        if n == len(days) - 1:
            items.append(f"{end:%H:%M} window ends")
        label = f"Day {n + 1}, {day:%a %d %b}"
        out.append(TimelineDay(date=day.isoformat(), label=label, items=tuple(items)))
    return tuple(out)


def build_window(
    kb: KnowledgeBase,
    profile: Profile,
    protocol: Protocol,
    index: int,
    session: Session,
    day: WindowDay,
) -> Window:
    zone = ZoneInfo(profile.timezone)
    start = session.start.astimezone(zone)
    end = window_end(start, protocol.window_hours, zone)
    until = next_morning(start, profile.wake, zone)
    instructions = tuple(
        InstructionOut(
            id=i.id,
            text=one_line(i.text),
            evidence=i.evidence.value,
            sources=i.sources,
            until=until.isoformat() if i.id == "no-driving" else None,
        )
        for i in protocol.instructions
    )
    checklist = _checklist(kb, protocol.checklist)
    supplements = tuple(day.doses)
    return Window(
        session=SessionOut(
            index=index,
            id=session.id,
            start=start.isoformat(),
            route=session.route,
            dose=session.dose,
            setting=session.setting,
        ),
        start=start.isoformat(),
        end=end.isoformat(),
        hours=protocol.window_hours,
        monitoring_hours=protocol.monitoring_hours,
        protocol=protocol.id,
        note=None if protocol.window_note is None else one_line(protocol.window_note),
        checklist=checklist,
        instructions=instructions,
        supplements=supplements,
        totals=day.totals,
        findings=tuple(day.findings),
        claims=_claims(kb, protocol),
        days=_timeline(session, end, local_days(start, end), checklist, supplements, until),
    )
