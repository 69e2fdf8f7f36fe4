"""Export a plan as an RFC 5545 calendar: daily doses (recurring), sessions, their
windows, checklist tasks and follow-up measures, with reminders, in the profile's zone.

Byte-stable on purpose: every UID is a hash of what the entry *is* (kind, name,
time), and DTSTAMP comes from the profile (the first session), never from now(), so
exporting twice gives the same file and re-importing updates instead of duplicating.
"""

from __future__ import annotations

import hashlib
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from icalendar import Alarm, Calendar, Event, Todo

from neurogarden.kb.base import KnowledgeBase
from neurogarden.kb.compiled import default_kb
from neurogarden.planning.result import Dose, Plan, Window
from neurogarden.profile import Profile

PRODID = "-//neurogarden//neurogarden integration plan 1.0//EN"
TITLES = {"phq9": "PHQ-9", "gad7": "GAD-7"}


def _param(kb: KnowledgeBase, pid: str) -> float:
    return kb.parameters[pid].value


def uid(*parts: str) -> str:
    """A UID from what the entry is, so the same entry always has the same UID."""
    digest = hashlib.sha1("|".join(parts).encode("utf-8")).hexdigest()
    return f"{digest}@neurogarden"


def _alarm(trigger: timedelta, text: str) -> Alarm:
    alarm = Alarm()
    alarm.add("action", "DISPLAY")
    alarm.add("description", text)
    alarm.add("trigger", trigger)
    return alarm


def _at(day: date, clock: str, zone: ZoneInfo) -> datetime:
    h, m = (int(x) for x in clock.split(":"))
    return datetime.combine(day, time(h, m)).replace(tzinfo=zone)


def _parse(iso: str, zone: ZoneInfo) -> datetime:
    """ISO text back to a datetime in the named zone (so entries carry TZID=zone)."""
    return datetime.fromisoformat(iso).astimezone(zone)


def _dose_text(d: Dose) -> str:
    if d.nutrient == "omega3":
        return f"{d.name}: {d.epa_mg or 0:g} mg EPA + {d.dha_mg or 0:g} mg DHA"
    per = d.per_dose_compound_mg
    amount = "" if per is None else f" {per:g} mg"
    mg = "" if d.elemental_mg is None else f" ({d.elemental_mg / max(1, len(d.times)):g} mg Mg)"
    return f"{d.name}{amount}{mg}"


def _event(kind: str, key: str, summary: str, start: datetime, stamp: datetime) -> Event:
    ev = Event()
    ev.add("uid", uid(kind, key))
    ev.add("dtstamp", stamp)
    ev.add("summary", summary)
    ev.add("dtstart", start)
    return ev


def _changed_on_window_days(windows: tuple[Window, ...]) -> dict[str, list[date]]:
    """Daily doses that windows change, and the window days they change on."""
    out: dict[str, list[date]] = {}
    for w in windows:
        for d in w.supplements:
            if "kap_integration" not in d.goals:
                out.setdefault(d.name, []).extend(date.fromisoformat(x.date) for x in w.days)
    return out


def _daily(
    cal: Calendar, plan: Plan, anchor: date, zone: ZoneInfo, stamp: datetime, kb: KnowledgeBase
) -> None:
    changed = _changed_on_window_days(tuple(plan.windows))
    doses = [("recommended", d) for d in plan.supplements if not d.as_needed]
    doses += [("current", d) for d in plan.current]
    for kind, d in doses:
        for clock in d.times:
            start = _at(anchor, clock, zone)
            ev = _event(f"dose-{kind}", f"{d.name}|{clock}", _dose_text(d), start, stamp)
            ev.add("duration", timedelta(minutes=_param(kb, "calendar-dose-minutes")))
            ev.add("rrule", {"freq": "daily"})
            ev.add("description", d.why or "Your current supplement.")
            for day in sorted(set(changed.get(d.name, []))) if kind == "recommended" else []:
                ev.add("exdate", _at(day, clock, zone))
            ev.add_component(_alarm(timedelta(0), _dose_text(d)))
            cal.add_component(ev)


def _window(cal: Calendar, w: Window, zone: ZoneInfo, stamp: datetime, kb: KnowledgeBase) -> None:
    start = _parse(w.start, zone)
    key = w.session.start
    session = _event("session", key, f"Ketamine session ({w.session.route})", start, stamp)
    session.add("dtend", start + timedelta(hours=w.monitoring_hours))
    session.add("description", "\n".join(i.text for i in w.instructions))
    days_before = _param(kb, "reminder-session-day-before")
    hours_before = _param(kb, "reminder-session-hours-before")
    session.add_component(
        _alarm(timedelta(days=-days_before), "Session tomorrow: arrange transport home.")
    )
    session.add_component(
        _alarm(timedelta(hours=-hours_before), f"Session in {hours_before:g} hours.")
    )
    cal.add_component(session)
    window = _event("window", key, f"Integration window ({w.hours:g} h)", start, stamp)
    window.add("dtend", _parse(w.end, zone))
    lines = [w.note or ""] + [f"- {c.text} (evidence: {c.evidence})" for c in w.checklist]
    window.add("description", "\n".join(lines).strip())
    window.add("transp", "TRANSPARENT")
    cal.add_component(window)
    for i in w.instructions:
        if i.until is None:
            continue
        ev = _event("instruction", f"{key}|{i.id}", "No driving or machinery", start, stamp)
        ev.add("dtend", _parse(i.until, zone))
        ev.add("description", i.text)
        ev.add("transp", "TRANSPARENT")
        cal.add_component(ev)
    end = _parse(w.end, zone)
    for d in w.supplements:
        for day in w.days:
            for clock in d.times:
                at = _at(date.fromisoformat(day.date), clock, zone)
                if not start <= at < end:
                    continue
                ev = _event("window-dose", f"{key}|{d.name}|{at.isoformat()}", "", at, stamp)
                ev["summary"] = _dose_text(d) if d.compound_mg != 0 else f"Skip {d.name} today"
                ev.add("duration", timedelta(minutes=_param(kb, "calendar-dose-minutes")))
                ev.add("description", d.why or "")
                ev.add_component(_alarm(timedelta(0), str(ev["summary"])))
                cal.add_component(ev)
    for c in w.checklist:
        todo = Todo()
        todo.add("uid", uid("todo", key, c.id))
        todo.add("dtstamp", stamp)
        todo.add("summary", c.text)
        todo.add("dtstart", start)
        todo.add("due", end)
        todo.add("description", f"Evidence: {c.evidence}. Sources: {', '.join(c.sources)}")
        cal.add_component(todo)


def build_calendar(
    plan: Plan, profile: Profile, start: date | None = None, kb: KnowledgeBase | None = None
) -> Calendar:
    """The calendar; daily doses start on `start` or the first session's date. Entry
    lengths and reminder offsets are knowledge-base parameters (product choices)."""
    kb = kb or default_kb()
    zone = ZoneInfo(profile.timezone)
    first = profile.sessions[0].start.astimezone(zone) if profile.sessions else None
    anchor = start or (first.date() if first else date.today())
    stamp = (first or datetime.combine(anchor, time(0)).replace(tzinfo=zone)).astimezone(UTC)
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("x-wr-calname", "neurogarden plan")
    cal.add("x-wr-timezone", profile.timezone)
    _daily(cal, plan, anchor, zone, stamp, kb)
    for w in plan.windows:
        _window(cal, w, zone, stamp, kb)
    for e in plan.events:
        due = _parse(e.due, zone)
        title = f"{TITLES.get(e.instrument, e.instrument.upper())} ({e.label})"
        ev = _event("measure", f"{e.instrument}|{e.session}|{e.offset_days}", title, due, stamp)
        ev.add("duration", timedelta(minutes=_param(kb, "calendar-measure-minutes")))
        before = _param(kb, "reminder-measure-hours-before")
        ev.add_component(
            _alarm(
                timedelta(hours=-before),
                f"{title} due in {before:g} hour{'' if before == 1 else 's'}.",
            )
        )
        cal.add_component(ev)
    cal.add_missing_timezones()
    return cal


def to_ics(plan: Plan, profile: Profile, start: date | None = None) -> bytes:
    data: bytes = build_calendar(plan, profile, start).to_ical()
    return data
