"""One request to the clinic by one user: the database session, who is asking, their
clinic and, for a patient's record, the patient. This is the one place that sequences
validate → store → audit → commit: an action validates and stores its change, then
`finish` writes the audit row and commits both in one transaction, or, for refused
input, rolls the change back and commits the audit row of the attempt alone.

Three shapes, so that a caller never has to assert what the access gate already
decided: `Visit` (anyone, even signed out), `SignedInVisit` (a user and their clinic)
and `PatientVisit` (also the patient whose record it is).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import TypeVar
from zoneinfo import ZoneInfo

from sqlalchemy.orm import Session

from neurogarden.clinic.rejected import Rejected
from neurogarden.clinic.values import Account, ClinicInfo, PatientInfo
from neurogarden.storage import access as access_store
from neurogarden.storage.clinic import Database

T = TypeVar("T")


@dataclass
class Visit:
    db: Session
    user: Account | None
    clinic: ClinicInfo | None
    patient: PatientInfo | None
    action: str  # what the audit trail calls this request (the route's name)
    method: str
    path: str
    audited: bool  # whether the request touches a patient's data
    csrf: str = ""  # the signed-in session's anti-forgery token, for forms to embed
    committed: bool = False
    reading: bool = False  # a read (GET): planned and drawn without the write lock

    @property
    def role(self) -> str:
        return self.user.role if self.user else "anonymous"

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.clinic.timezone if self.clinic else "UTC")

    @property
    def today(self) -> date:
        """Today in the clinic's time zone: the day a tick or a log entry belongs to."""
        return datetime.now(self.zone).date()

    def read_first(self) -> None:
        """This request reads: its transaction takes no write lock (SQLite), and its
        audit rows are written afterwards in a short transaction of their own."""
        Database.begin_reading(self.db)
        self.reading = True

    def settle(self) -> None:
        """Before the first write of a read: end the read transaction if it stored
        nothing, so that the write lock is held only while the writes last."""
        Database.writing(self.db)

    def _read_on(self) -> None:
        """After a read's audit rows are committed, what the page still loads is read
        without the write lock too."""
        if self.reading:
            Database.begin_reading(self.db)

    def _audit_values(
        self, outcome: str, action: str | None, patient_id: str | None
    ) -> dict[str, object]:
        return {
            "user_id": self.user.id if self.user else None,
            "username": self.user.username if self.user else None,
            "role": self.role,
            "clinic_id": self.clinic.id if self.clinic else None,
            "patient_id": self.patient.public_id if self.patient else patient_id,
            "action": (action or self.action)[:80],
            "outcome": outcome,
            "method": self.method,
            "path": self.path[:300],
        }

    def audit(self, outcome: str, action: str | None = None, patient_id: str | None = None) -> None:
        """One audit row in this transaction; `patient_id` names a record the request did
        not resolve (one asked for and denied, or each patient a list shows)."""
        access_store.add_audit(self.db, **self._audit_values(outcome, action, patient_id))

    def commit(self, outcome: str = "ok") -> None:
        """Commit what was stored together with its audit row."""
        self.settle()
        if self.audited:
            self.audit(outcome)
        self.db.commit()
        self.committed = True
        self._read_on()

    def reject(self, outcome: str = "invalid") -> None:
        """Discard whatever was stored, keeping only the audit row of the attempt."""
        self.db.rollback()
        self.commit(outcome)

    def finish(self, result: T) -> T:
        """Commit a stored change with its audit row, or discard refused input."""
        if isinstance(result, Rejected):
            self.reject()
        else:
            self.commit()
        return result

    def shown(self, public_ids: list[str]) -> None:
        """Audit each patient a list put on screen, and commit (a read writes only that);
        one statement, however long the list."""
        self.settle()
        access_store.add_audits(
            self.db, [self._audit_values("ok", None, public_id) for public_id in public_ids]
        )
        self.db.commit()
        self.committed = True
        self._read_on()


@dataclass
class SignedInVisit(Visit):
    user: Account
    clinic: ClinicInfo


@dataclass
class PatientVisit(SignedInVisit):
    patient: PatientInfo
