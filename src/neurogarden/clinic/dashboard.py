"""The clinician's dashboard at any clinic size: the alerts to work (stored records,
read in one query), today's sessions and windows (from the session records by date),
one page of patients with their plans, and the clinic's outcome rates. Only the
patients on the page are planned; nothing here grows with the clinic but the rates'
single pass over the totals."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import UTC, datetime, time, timedelta
from functools import cache
from zoneinfo import ZoneInfo

from neurogarden.clinic import alerts, care_team, outcomes, panel_lines, patient_state, records
from neurogarden.clinic.panel_lines import PanelLine
from neurogarden.clinic.rejected import Rejected
from neurogarden.clinic.values import PatientInfo
from neurogarden.clinic.visit import SignedInVisit
from neurogarden.instruments.outcomes import ClinicSummary
from neurogarden.kb.protocol import default_protocol
from neurogarden.storage import panel
from neurogarden.storage import panel_lines as panel_store
from neurogarden.storage.clinic import aware
from neurogarden.storage.page_facts import PageFacts, page_facts

PAGE_SIZE = 50  # patients per page of the table (display)
SEARCH_SHOWN = 50  # names a search lists (display)
SEARCH_LETTERS = (2, 200)  # a search's shortest and longest text


@dataclass(frozen=True)
class TodayItem:
    patient: PatientInfo
    kind: str  # session or window
    text: str


@dataclass(frozen=True)
class DashboardView:
    alerts: list[alerts.AlertView]  # open ones, and crisis alerts until resolved
    acknowledged: int  # the others, awaiting resolution
    today: list[TodayItem]
    lines: list[PanelLine]  # this page of the table
    patients: dict[int, PatientInfo]  # everyone named on the page
    overdue: dict[int, tuple[str, ...]]  # questionnaires with an unresolved missed alert
    facts: dict[int, PageFacts]  # last PHQ-9 date, change from baseline, next session
    summary: ClinicSummary
    page_number: int
    pages: int


@cache
def _window_hours() -> float:
    return default_protocol().window_hours


def _today(visit: SignedInVisit, team_of: int | None) -> list[tuple[int, str, str]]:
    """(patient id, kind, text) for each session today and each window still open."""
    zone = visit.zone
    midnight = datetime.combine(visit.today, time(0), tzinfo=zone)
    hours = timedelta(hours=_window_hours())
    out = []
    for k in panel.sessions_between(
        visit.db, visit.clinic.id, team_of, midnight - hours, midnight + timedelta(days=1)
    ):
        start = aware(k.start).astimezone(zone)
        if start.date() == visit.today:
            out.append((k.patient_id, "session", f"KAP session today at {start:%H:%M}"))
        elif start + hours > datetime.now(zone):
            end = start + hours
            out.append(
                (k.patient_id, "window", f"In an integration window until {end:%a %d %b %H:%M}")
            )
    return out


def current_lines(visit: SignedInVisit, page: list[PatientInfo]) -> list[PanelLine]:
    """The stored line of each patient on the page; a line missing, from another day
    or from other knowledge is computed now, by running the patient's rules (which
    store it, with any alert the patient now calls for)."""
    s, clinic = visit.db, visit.clinic
    today = records.clinic_today(clinic)
    stored = panel_store.lines_of(s, [p.id for p in page])
    lines = []
    for patient in page:
        row = stored.get(patient.id)
        if row is not None and panel_lines.is_current(row, today):
            lines.append(PanelLine.of(patient, row))
            continue
        state = patient_state.load_state(s, patient, clinic)
        alerts.raise_for(s, patient, clinic, state)  # stores the line, and any alert
        lines.append(PanelLine.of_state(state, today))
    return lines


def _in_zone(facts: dict[int, PageFacts], zone: ZoneInfo) -> dict[int, PageFacts]:
    """The facts' times in the clinic's zone, as the page shows every time."""
    return {
        pid: replace(
            f,
            last_phq9_at=f.last_phq9_at.astimezone(zone) if f.last_phq9_at else None,
            next_session=f.next_session.astimezone(zone) if f.next_session else None,
        )
        for pid, f in facts.items()
    }


def _overdue(work: list[alerts.AlertView]) -> dict[int, tuple[str, ...]]:
    """Each patient's questionnaires with a missed window not yet resolved, by title."""
    out: dict[int, list[str]] = {}
    for a in work:
        if a.kind == "missed":
            definition = records.instrument(a.rule.removeprefix("missed:"))
            out.setdefault(a.patient_id, []).append(
                definition.short_title if definition else a.rule
            )
    return {pid: tuple(sorted(titles)) for pid, titles in out.items()}


def dashboard(visit: SignedInVisit, page_number: int) -> DashboardView:
    s, clinic = visit.db, visit.clinic
    team_of = care_team.team_filter(visit.user, clinic)
    stored = panel.unresolved_alerts(s, clinic.id, team_of)
    work = alerts.of_patients(s, sorted({a.patient_id for a in stored}), unresolved=True)
    listed = [a for a in work if a.state == "open" or a.kind == "crisis"]
    today = _today(visit, team_of)
    first = list(dict.fromkeys([a.patient_id for a in listed] + [pid for pid, _, _ in today]))
    total = panel.count_patients(s, clinic.id, team_of)
    start = (page_number - 1) * PAGE_SIZE
    head = first[start : start + PAGE_SIZE]
    rest = panel.patient_page(
        s, clinic.id, team_of, first, max(0, start - len(first)), PAGE_SIZE - len(head)
    )
    named = {p.id: PatientInfo.of(p) for p in panel.patients_by_id(s, first)}
    page = [named[pid] for pid in head] + [PatientInfo.of(p) for p in rest]
    lines = current_lines(visit, page)
    summary = outcomes.clinic_outcomes(visit)
    return DashboardView(
        alerts=listed,
        acknowledged=len(work) - len(listed),
        today=[TodayItem(named[pid], kind, text) for pid, kind, text in today],
        lines=lines,
        patients={**named, **{p.id: p for p in page}},
        overdue=_overdue(work),
        facts=_in_zone(page_facts(s, [p.id for p in page], datetime.now(UTC)), visit.zone),
        summary=summary,
        page_number=page_number,
        pages=max(1, -(-total // PAGE_SIZE)),
    )


@dataclass(frozen=True)
class PatientSearch:
    text: str
    found: int  # how many match; at most SEARCH_SHOWN are listed
    patients: list[PatientInfo]


def search_patients(visit: SignedInVisit, text: str) -> PatientSearch | Rejected:
    """Patients the clinician sees whose name contains the text, by name; each one
    listed is audited as shown."""
    wanted = " ".join(text.split())
    shortest, longest = SEARCH_LETTERS
    if not shortest <= len(wanted) <= longest:
        return Rejected.one("name", f"enter {shortest} to {longest} letters of the patient's name")
    team_of = care_team.team_filter(visit.user, visit.clinic)
    found, rows = panel.find_patients(visit.db, visit.clinic.id, team_of, wanted, SEARCH_SHOWN)
    patients = [PatientInfo.of(r) for r in rows]
    visit.shown([p.public_id for p in patients])
    return PatientSearch(wanted, found, patients)
