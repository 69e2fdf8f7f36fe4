"""Who looks after a patient. A patient has an explicit care team (the clinician who
created the record, then whoever a team member adds); the clinic decides whether every
clinician of the clinic also sees every patient (on by default) or only the patients
whose team they are on. The web policy asks here; nothing else decides it."""

from __future__ import annotations

from sqlalchemy.orm import Session

from neurogarden.clinic.rejected import Rejected
from neurogarden.clinic.values import Account, ClinicInfo, PatientInfo
from neurogarden.clinic.visit import PatientVisit
from neurogarden.storage import care as care_store
from neurogarden.storage import clinic as store


def may_see(s: Session, user: Account, clinic: ClinicInfo, patient: PatientInfo) -> bool:
    """Whether a clinician may open this patient's record."""
    if user.role != "clinician" or patient.clinic_id != user.clinic_id:
        return False
    return clinic.clinic_wide_care or care_store.on_team(s, patient.id, user.id)


def visible(s: Session, user: Account, clinic: ClinicInfo) -> list[PatientInfo]:
    """The clinic's patients this clinician sees, in the panel's order."""
    patients = [PatientInfo.of(p) for p in store.patients_of_clinic(s, clinic.id)]
    if clinic.clinic_wide_care:
        return patients
    mine = care_store.patients_on_teams_of(s, user.id)
    return [p for p in patients if p.id in mine]


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
    row = store.user_by_username(visit.db, username)
    if row is None or row.clinic_id != visit.clinic.id or row.role != "clinician":
        return visit.finish(Rejected.one("username", "expected a clinician of this clinic"))
    care_store.add_to_team(visit.db, visit.patient.id, row.id, visit.user.id)
    return visit.finish(Account.of(row))


def remove_member(visit: PatientVisit, username: str) -> Account | Rejected:
    """Take a clinician off the team; the last member stays, so that someone is
    always responsible for the patient."""
    members = team(visit)
    leaving = [m for m in members if m.username == username.strip().lower()]
    if not leaving:
        return visit.finish(Rejected.one("username", "not on this patient's care team"))
    if len(members) == 1:
        return visit.finish(
            Rejected.one("username", "the last clinician on the team stays; add another first")
        )
    care_store.remove_from_team(visit.db, visit.patient.id, leaving[0].id)
    return visit.finish(leaving[0])
