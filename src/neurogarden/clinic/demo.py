"""The demo clinic: built from code with a fixed random seed, so every machine gets the
same people and histories (dated relative to today so that sessions stay current).

Idempotent: a database that already holds the demo clinic is left as it is.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy.orm import Session

from neurogarden.clinic import alerts, records
from neurogarden.clinic.security import hash_password
from neurogarden.clinic.values import Account, ClinicInfo, PatientInfo
from neurogarden.kb.instruments.models import InstrumentDefinition
from neurogarden.storage import care as care_store
from neurogarden.storage import clinic as store
from neurogarden.storage import sessions as sessions_store
from neurogarden.storage.clinic import Database
from neurogarden.storage.models import ClinicRow, PatientRow, UserRow

SEED = 20261121
CLINIC_SLUG = "demo"
OTHER_CLINIC_SLUG = "demo-harbour"


@dataclass(frozen=True)
class Login:
    username: str
    password: str
    role: str
    clinic: str
    note: str = ""


# Demo passwords only: they are printed and in the README, so never use them for real data.
LOGINS = (
    Login("admin", "garden-admin-demo", "admin", "Riverside Integrative Clinic"),
    Login("dr.okafor", "garden-clinician-demo", "clinician", "Riverside Integrative Clinic"),
    Login("dr.lindqvist", "garden-clinician-demo", "clinician", "Riverside Integrative Clinic"),
    Login(
        "maya", "garden-patient-demo", "patient", "Riverside Integrative Clinic", "KAP, responder"
    ),
    Login(
        "sam",
        "garden-patient-demo",
        "patient",
        "Riverside Integrative Clinic",
        "PHQ-9 item 9 flag",
    ),
    Login(
        "dr.harbour",
        "garden-clinician-demo",
        "clinician",
        "Harbour Clinic",
        "another clinic: sees none of Riverside's patients",
    ),
)

FIRST_NAMES = (
    "Maya", "Sam", "Noor", "Jonas", "Priya", "Elena", "Tomás", "Grace", "Idris", "Lena",
    "Kofi", "Hana",
)  # fmt: skip
SURNAMES = ("Reyes", "Keller", "Haddad", "Berg", "Nair", "Rossi", "Silva", "Okoro", "Lind")


def _profile(rng: random.Random, kind: str, today: date) -> dict[str, Any]:
    sex = rng.choice(("female", "male"))
    doc: dict[str, Any] = {
        "person": {"age": rng.randint(24, 66), "sex": sex, "egfr": rng.choice((72, 88, 95, 104))},
        "timezone": "America/New_York",
        "routine": {"wake": "07:00", "bed": rng.choice(("22:30", "23:00", "23:30"))},
    }
    if kind in ("kap-responder", "kap-nonresponder", "item9", "kap-today"):
        doc["person"]["conditions"] = ["treatment-resistant depression"]
        doc["goals"] = ["kap_integration", "sleep"]
        doc["medications"] = [{"name": "sertraline", "dose": "100 mg", "times": ["08:00"]}]
        offsets = (-21, -14, -7) if kind != "kap-today" else (-7, 0)
        doc["sessions"] = [
            {
                "start": datetime.combine(today + timedelta(days=d), time(10, 0)).isoformat(
                    timespec="minutes"
                ),
                "route": "sublingual",
                "setting": "clinic",
            }
            for d in offsets
        ]
    elif kind == "separation":
        doc["person"]["conditions"] = ["insomnia"]
        doc["goals"] = ["sleep"]
        doc["medications"] = [{"name": "levothyroxine", "dose": "100 mcg", "times": ["06:30"]}]
    elif kind == "kidney":
        doc["person"]["egfr"] = 24
        doc["goals"] = ["general"]
    elif kind == "recovery":
        doc["person"]["conditions"] = ["opioid use disorder"]
        doc["goals"] = ["recovery", "sleep"]
        doc["substances"] = [{"name": "kratom", "amount": "3 g", "frequency": "daily"}]
        doc["medications"] = [{"name": "gabapentin", "dose": "300 mg", "times": ["21:00"]}]
    elif kind == "food":
        doc["goals"] = ["general"]
        doc["diet"] = [
            {"food": "pumpkin seeds", "amount": "1 oz"},
            {"food": "spinach", "amount": "0.5 cup"},
        ]
    else:
        doc["goals"] = [rng.choice(("sleep", "learning", "energy", "general"))]
    return doc


# PHQ-9 totals per visit for each history; answers are spread over the nine items.
HISTORIES = {
    "kap-responder": (20, 14, 9, 4),
    "kap-nonresponder": (18, 17, 16, 15),
    "item9": (17, 15, 14),
    "kap-today": (19, 16),
    "separation": (11, 8),
    "recovery": (16, 13),
}


def _answers(total: int, item9: bool) -> dict[str, int]:
    answers = {f"q{i}": 0 for i in range(1, 10)}
    left = total - (1 if item9 else 0)
    if item9:
        answers["q9"] = 1
    for i in range(1, 9):
        answers[f"q{i}"] = min(3, left)
        left -= answers[f"q{i}"]
    answers["difficulty"] = 1
    return answers


def load_demo(database: Database, today: date | None = None) -> bool:
    """Create the demo clinics; returns False when they already exist."""
    today = today or datetime.now(UTC).date()
    with database.session() as s:
        if store.clinic_by_slug(s, CLINIC_SLUG) is not None:
            return False
        _build(s, today)
        s.commit()
    return True


def _build(s: Session, today: date) -> None:
    rng = random.Random(SEED)
    hashes: dict[str, str] = {}

    def password_hash(password: str) -> str:
        if password not in hashes:
            hashes[password] = hash_password(password)
        return hashes[password]

    clinic = store.add_clinic(
        s, CLINIC_SLUG, "Riverside Integrative Clinic", timezone="America/New_York"
    )
    other = store.add_clinic(s, OTHER_CLINIC_SLUG, "Harbour Clinic", timezone="America/New_York")
    staff = {}
    for login in LOGINS:
        if login.role == "patient":
            continue
        target = other if login.clinic == "Harbour Clinic" else clinic
        name = {"admin": "Alex Admin"}.get(
            login.username, login.username.replace("dr.", "Dr ").title()
        )
        staff[login.username] = store.add_user(
            s, target.id, login.username, name, login.role, password_hash(login.password)
        )
    kinds = [
        "kap-responder", "item9", "kap-nonresponder", "kap-today", "separation", "kidney",
        "recovery", "food", "plain", "plain", "plain", "plain",
    ]  # fmt: skip
    author = staff["dr.okafor"]
    for i, kind in enumerate(kinds):
        name = f"{FIRST_NAMES[i]} {rng.choice(SURNAMES)}"
        patient = store.add_patient(s, clinic.id, name)
        document = _profile(rng, kind, today)
        _add_sessions(s, patient.id, document.pop("sessions", []), document, author, today)
        store.save_profile(s, patient.id, document, author.id)
        totals = HISTORIES.get(kind, ())
        for visit, total in enumerate(totals):
            taken = datetime.combine(
                today - timedelta(days=7 * (len(totals) - visit)), time(9, 30), tzinfo=UTC
            )
            definition = records.instrument("phq9")
            assert definition is not None
            flagged = kind == "item9" and visit == len(totals) - 1
            records.save_response(
                s, PatientInfo.of(patient), ClinicInfo.of(clinic), Account.of(author), definition,
                _answers(total, flagged), taken,
            )  # fmt: skip
        if kind == "recovery":
            _recovery_history(s, patient, clinic, author, today)
        username = {0: "maya", 1: "sam"}.get(i)
        if username:
            store.add_user(
                s,
                clinic.id,
                username,
                name,
                "patient",
                password_hash("garden-patient-demo"),
                patient_id=patient.id,
            )
    harbour_patient = store.add_patient(s, other.id, "Robin Harbour-Only")
    store.save_profile(s, harbour_patient.id, _profile(rng, "plain", today), staff["dr.harbour"].id)
    care_store.add_to_team(s, harbour_patient.id, staff["dr.harbour"].id, None)
    for row in store.patients_of_clinic(s, clinic.id):  # each on dr.okafor's care team
        care_store.add_to_team(s, row.id, author.id, None)
        alerts.raise_for(s, PatientInfo.of(row), ClinicInfo.of(clinic))


def _add_sessions(
    s: Session,
    patient_id: int,
    planned: list[dict[str, Any]],
    document: dict[str, Any],
    author: UserRow,
    today: date,
) -> None:
    """The profile's sessions as records; those before today marked done."""
    zone = ZoneInfo(document["timezone"])
    for entry in planned:
        start = datetime.fromisoformat(entry["start"]).replace(tzinfo=zone)
        row = sessions_store.add_session(
            s, patient_id, start.astimezone(UTC), entry["route"], setting=entry.get("setting"),
            by=author.id,
        )  # fmt: skip
        if start.date() < today:
            sessions_store.change(s, row, author.id, None, state="done")


def _answers_for_total(definition: InstrumentDefinition, total: int) -> dict[str, int]:
    """Answers that add up to `total`, filling items in order with allowed values."""
    answers: dict[str, int] = {}
    left = total
    for item in definition.items:
        allowed = sorted(o.value for o in item.options)
        pick = max(v for v in allowed if v <= left) if left > 0 else allowed[0]
        answers[item.id] = pick
        left -= pick
    return answers


def _recovery_history(
    s: Session, patient: PatientRow, clinic: ClinicRow, author: UserRow, today: date
) -> None:
    """Kratom use rising over two weeks, cravings, attendance and a COWS of 14 (moderate)."""
    for back in range(14, 0, -1):
        day = today - timedelta(days=back)
        amount = "2 g" if back > 7 else "4 g"
        store.add_recovery_entry(
            s, patient.id, author.id, day=day, kind="use", substance="kratom", amount=amount
        )
        rating = 4 if back > 7 else 6 + back % 2
        store.add_recovery_entry(s, patient.id, author.id, day=day, kind="craving", rating=rating)
        if back % 7 == 3:
            store.add_recovery_entry(
                s, patient.id, author.id, day=day, kind="attendance",
                attendance_kind="counselling", attended=back > 7,
            )  # fmt: skip
    cows = records.instrument("cows")
    assert cows is not None
    for back, total in ((10, 9), (2, 14)):
        taken = datetime.combine(today - timedelta(days=back), time(11, 0), tzinfo=UTC)
        records.save_response(
            s, PatientInfo.of(patient), ClinicInfo.of(clinic), Account.of(author), cows,
            _answers_for_total(cows, total), taken,
        )  # fmt: skip


def logins_text() -> str:
    lines = ["Demo logins (demo data only; never use these passwords for real patients):"]
    for login in LOGINS:
        extra = f" — {login.note}" if login.note else ""
        lines.append(
            f"  {login.role:<9} {login.username:<13} {login.password:<22} {login.clinic}{extra}"
        )
    return "\n".join(lines)
