"""Who looks after a patient. A patient has an explicit care team (the clinician who
created the record, then whoever a team member adds); the clinic decides whether every
clinician of the clinic also sees every patient (on by default) or only the patients
whose team they are on. The web policy asks here; nothing else decides it. A clinic
admin hands one clinician's teams over to another without seeing the patients."""

from __future__ import annotations

from sqlalchemy.orm import Session

from neurogarden.clinic.rejected import FieldError, Rejected
from neurogarden.clinic.values import Account, ClinicInfo, PatientInfo
from neurogarden.clinic.visit import PatientVisit, SignedInVisit
from neurogarden.storage import care as care_store
from neurogarden.storage import clinic as store
from neurogarden.storage import panel


def may_see(s: Session, user: Account, clinic: ClinicInfo, patient: PatientInfo) -> bool:
    """Whether a clinician may open this patient's record."""
    if user.role != "clinician" or patient.clinic_id != user.clinic_id:
        return False
    return clinic.clinic_wide_care or care_store.on_team(s, patient.id, user.id)


def team_filter(user: Account, clinic: ClinicInfo) -> int | None:
    """Whose care teams limit what a clinician sees: none while the clinic lets every
    clinician see every patient, else their own."""
    return None if clinic.clinic_wide_care else user.id


def visible(s: Session, user: Account, clinic: ClinicInfo) -> list[PatientInfo]:
    """The clinic's patients this clinician sees, in the panel's order."""
    rows = panel.all_patients(s, clinic.id, team_filter(user, clinic))
    return [PatientInfo.of(p) for p in rows]


def team(visit: PatientVisit) -> list[Account]:
    return [Account.of(u) for u in care_store.team_of(visit.db, visit.patient.id)]


def clinicians_to_add(visit: PatientVisit) -> list[Account]:
    """The clinic's clinicians not yet on the team."""
    on = {a.id for a in team(visit)}
    return [
        Account.of(u)
        for u in store.users_of_clinic(visit.db, visit.clinic.id)
        if u.role == "clinician" and u.active and u.id not in on
    ]


def add_member(visit: PatientVisit, username: str) -> Account | Rejected:
    """A team member (or, clinic-wide, any clinician) adds a clinician of the clinic."""
    row = store.user_by_username(visit.db, username.strip().lower())
    if row is None or row.clinic_id != visit.clinic.id or row.role != "clinician":
        return visit.finish(Rejected.one("username", "expected a clinician of this clinic"))
    if not row.active:
        return visit.finish(Rejected.one("username", "that clinician's login is deactivated"))
    care_store.add_to_team(visit.db, visit.patient.id, row.id, visit.user.id)
    return visit.finish(Account.of(row))


def remove_member(visit: PatientVisit, username: str) -> Account | Rejected:
    """Take a clinician off the team; the last active member stays, so that someone
    who can still sign in is always responsible for the patient."""
    members = team(visit)
    leaving = [m for m in members if m.username == username.strip().lower()]
    if not leaving:
        return visit.finish(Rejected.one("username", "not on this patient's care team"))
    if not [m for m in members if m.active and m != leaving[0]]:
        return visit.finish(
            Rejected.one(
                "username", "the last active clinician on the team stays; add another first"
            )
        )
    care_store.remove_from_team(visit.db, visit.patient.id, leaving[0].id)
    return visit.finish(leaving[0])


def team_counts(visit: SignedInVisit) -> dict[int, int]:
    """How many care teams each clinician of the clinic is on (for the admin: numbers,
    never the patients)."""
    return care_store.team_counts(visit.db, visit.clinic.id)


def hand_over(visit: SignedInVisit, from_username: str, to_username: str) -> int | Rejected:
    """A clinic admin adds one clinician to every care team another is on (a clinician
    leaving, or going on leave), without seeing who the patients are. Each patient
    whose team changed gets its own audit row; returns how many teams changed."""
    clinicians = {
        u.username: u
        for u in store.users_of_clinic(visit.db, visit.clinic.id)
        if u.role == "clinician"
    }
    giver = clinicians.get(from_username.strip().lower())
    taker = clinicians.get(to_username.strip().lower())
    errors = []
    if giver is None:
        errors.append(FieldError("from_username", "expected a clinician of this clinic"))
    if taker is None or not taker.active:
        errors.append(FieldError("to_username", "expected an active clinician of this clinic"))
    elif giver is not None and giver.id == taker.id:
        errors.append(FieldError("to_username", "expected another clinician"))
    if errors or giver is None or taker is None:
        return visit.finish(Rejected(tuple(errors)))
    changed = 0
    for patient in care_store.patients_on_teams(visit.db, giver.id):
        if not care_store.on_team(visit.db, patient.id, taker.id):
            care_store.add_to_team(visit.db, patient.id, taker.id, visit.user.id)
            visit.audit("ok", action="care_team_hand_over", patient_id=patient.public_id)
            changed += 1
    return visit.finish(changed)
