"""Follow-up measures anchored to each session (PHQ-9 before, +1 day, +7 days by
default; the protocol file may change them). Days are calendar days in the
profile's zone: "+1 day" keeps the wall-clock time even across a DST change."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from neurogarden.instruments.schedule import local_days_later
from neurogarden.kb.protocol import Protocol
from neurogarden.planning.result import Event
from neurogarden.profile import Profile


def follow_up_events(profile: Profile, protocol: Protocol) -> tuple[Event, ...]:
    zone = ZoneInfo(profile.timezone)
    out = []
    for index, session in enumerate(profile.sessions):
        for f in protocol.follow_up:
            out.append(
                Event(
                    instrument=f.instrument,
                    due=local_days_later(session.start, f.offset_days, zone).isoformat(),
                    session=session.start.astimezone(zone).isoformat(),
                    session_index=index,
                    session_id=session.id,
                    offset_days=f.offset_days,
                    label=f.label,
                    evidence=f.evidence.value,
                    sources=f.sources,
                )
            )
    return tuple(sorted(out, key=lambda e: (e.due, e.session_index, e.instrument)))
