"""Tables as typed ORM classes. The migrations, not `create_all`, create them."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    CheckConstraint,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Text,
    UniqueConstraint,
    text,
    true,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

# Named constraints so that later migrations can alter them on SQLite and PostgreSQL alike.
NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)


class FoodRow(Base):
    """A food with magnesium per 100 g: from the packaged table ('kb') or a USDA import ('fdc')."""

    __tablename__ = "foods"
    __table_args__ = (CheckConstraint("source IN ('kb', 'fdc')", name="source"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    source: Mapped[str] = mapped_column(String(8))
    fdc_id: Mapped[int | None] = mapped_column(Integer, unique=True)
    name: Mapped[str] = mapped_column(String(400))
    data_type: Mapped[str | None] = mapped_column(String(40))
    magnesium_mg_per_100g: Mapped[float | None] = mapped_column(Float)


class FoodPortionRow(Base):
    """A household measure of a food and what it weighs ("1 cup" = 240 g)."""

    __tablename__ = "food_portions"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    food_id: Mapped[int] = mapped_column(ForeignKey("foods.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    gram_weight: Mapped[float] = mapped_column(Float)


# --- The clinic: tenants, accounts, patients and what is recorded about them ---------------

ROLES = ("admin", "clinician", "patient")


class ClinicRow(Base):
    """A tenant: nothing of one clinic is visible from another."""

    __tablename__ = "clinics"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    slug: Mapped[str] = mapped_column(String(60), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    locale: Mapped[str] = mapped_column(String(8), default="US")  # crisis resources shown
    timezone: Mapped[str] = mapped_column(String(64), default="UTC")
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    # every clinician of the clinic sees every patient (else: only their care teams')
    clinic_wide_care: Mapped[bool] = mapped_column(Boolean, default=True)
    # a recurring or session measure whose window closed unanswered raises an alert
    missed_measure_alerts: Mapped[bool] = mapped_column(
        Boolean, default=True, server_default=true()
    )


class UserRow(Base):
    __tablename__ = "users"
    __table_args__ = (CheckConstraint("role IN ('admin', 'clinician', 'patient')", name="role"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    clinic_id: Mapped[int] = mapped_column(ForeignKey("clinics.id"), index=True)
    username: Mapped[str] = mapped_column(String(80), unique=True)
    display_name: Mapped[str] = mapped_column(String(200))
    role: Mapped[str] = mapped_column(String(16))
    password_hash: Mapped[str] = mapped_column(String(200))
    patient_id: Mapped[int | None] = mapped_column(ForeignKey("patients.id"), unique=True)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class PatientRow(Base):
    """A patient of one clinic; `public_id` is the opaque id used in URLs."""

    __tablename__ = "patients"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    public_id: Mapped[str] = mapped_column(String(32), unique=True)
    clinic_id: Mapped[int] = mapped_column(ForeignKey("clinics.id"), index=True)
    display_name: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class ProfileVersionRow(Base):
    """Every saved profile is a new version, so a change of regimen is never lost."""

    __tablename__ = "profile_versions"
    __table_args__ = (UniqueConstraint("patient_id", "version", name="patient_version"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    patient_id: Mapped[int] = mapped_column(ForeignKey("patients.id"), index=True)
    version: Mapped[int] = mapped_column(Integer)
    document: Mapped[dict[str, Any]] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    created_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))


class ResponseRow(Base):
    """One administration of a questionnaire, as scored at the time (immutable)."""

    __tablename__ = "responses"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    patient_id: Mapped[int] = mapped_column(ForeignKey("patients.id"), index=True)
    instrument_id: Mapped[str] = mapped_column(String(40))
    instrument_version: Mapped[str] = mapped_column(String(40))
    answers: Mapped[list[Any]] = mapped_column(JSON)
    score: Mapped[dict[str, Any]] = mapped_column(JSON)
    total: Mapped[float | None] = mapped_column(Float)
    flagged: Mapped[bool] = mapped_column(Boolean, default=False)
    taken_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    entered_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))


class TickRow(Base):
    """A dose taken or a window checklist item done, on one local day."""

    __tablename__ = "ticks"
    __table_args__ = (
        UniqueConstraint("patient_id", "day", "kind", "item", name="patient_day_item"),
        CheckConstraint("kind IN ('dose', 'checklist')", name="kind"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    patient_id: Mapped[int] = mapped_column(ForeignKey("patients.id"), index=True)
    day: Mapped[date] = mapped_column(Date)
    kind: Mapped[str] = mapped_column(String(16))
    item: Mapped[str] = mapped_column(String(200))
    ticked_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    ticked_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    # a window checklist tick belongs to its session (moved with it, gone when cancelled)
    session_id: Mapped[int | None] = mapped_column(ForeignKey("kap_sessions.id"), index=True)


class KapSessionRow(Base):
    """A ketamine session with a stable id: scheduled, then done or cancelled. Its
    integration window, checklist ticks and follow-up measures hang on this id, so a
    session can be moved or cancelled without losing track of what belongs to it."""

    __tablename__ = "kap_sessions"
    __table_args__ = (CheckConstraint("state IN ('scheduled', 'done', 'cancelled')", name="state"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    patient_id: Mapped[int] = mapped_column(ForeignKey("patients.id"), index=True)
    start: Mapped[datetime] = mapped_column(DateTime(timezone=True), index=True)
    route: Mapped[str] = mapped_column(String(16))
    dose: Mapped[str | None] = mapped_column(String(40))
    setting: Mapped[str | None] = mapped_column(String(80))
    state: Mapped[str] = mapped_column(String(16))
    note: Mapped[str | None] = mapped_column(Text)  # why it was moved or cancelled
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    created_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    changed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    changed_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))


class RecoveryEntryRow(Base):
    """Recovery log: substance use, a craving rating (0-10) or counselling/group attendance."""

    __tablename__ = "recovery_entries"
    __table_args__ = (CheckConstraint("kind IN ('use', 'craving', 'attendance')", name="kind"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    patient_id: Mapped[int] = mapped_column(ForeignKey("patients.id"), index=True)
    day: Mapped[date] = mapped_column(Date)
    kind: Mapped[str] = mapped_column(String(16))
    substance: Mapped[str | None] = mapped_column(String(80))
    amount: Mapped[str | None] = mapped_column(String(40))
    rating: Mapped[int | None] = mapped_column(Integer)
    attendance_kind: Mapped[str | None] = mapped_column(String(40))
    attended: Mapped[bool | None] = mapped_column(Boolean)
    note: Mapped[str | None] = mapped_column(Text)
    entered_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class DietEntryRow(Base):
    """The patient's own day log of foods eaten."""

    __tablename__ = "diet_entries"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    patient_id: Mapped[int] = mapped_column(ForeignKey("patients.id"), index=True)
    day: Mapped[date] = mapped_column(Date)
    food: Mapped[str] = mapped_column(String(400))
    amount: Mapped[str] = mapped_column(String(60))
    entered_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class WebSessionRow(Base):
    """A signed-in browser; the cookie holds a random token, the table only its hash."""

    __tablename__ = "web_sessions"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)  # sha256 of the token
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    csrf_token: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    last_seen_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class LoginAttemptRow(Base):
    __tablename__ = "login_attempts"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    username: Mapped[str] = mapped_column(String(80), index=True)
    client: Mapped[str] = mapped_column(String(64))
    succeeded: Mapped[bool] = mapped_column(Boolean)
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), index=True)


class AuditRow(Base):
    """Who did what to which patient's data, when, and with what outcome. Append-only:
    the migration adds triggers that refuse UPDATE and DELETE on both backends."""

    __tablename__ = "audit_events"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), index=True)
    user_id: Mapped[int | None] = mapped_column(Integer)
    username: Mapped[str | None] = mapped_column(String(80))
    role: Mapped[str | None] = mapped_column(String(16))
    clinic_id: Mapped[int | None] = mapped_column(Integer, index=True)
    patient_id: Mapped[str | None] = mapped_column(String(32), index=True)  # public id
    action: Mapped[str] = mapped_column(String(80))
    outcome: Mapped[str] = mapped_column(String(16))
    method: Mapped[str] = mapped_column(String(8))
    path: Mapped[str] = mapped_column(String(300))


# --- the care loop: alerts worked to the end, and who is on a patient's care team ------------

ALERT_STATES = ("open", "acknowledged", "resolved")


ALERT_RULE_LENGTH = 120
ALERT_SUBJECT_LENGTH = 200


class AlertRow(Base):
    """Something a core rule raised about a patient, worked by a clinician: open →
    acknowledged → resolved. Only a clinician changes it; a later clean score never does.
    At most one unresolved alert per patient, rule and subject: the partial unique index
    keeps it so even when two requests raise the same alert at once."""

    __tablename__ = "alerts"
    __table_args__ = (
        CheckConstraint("state IN ('open', 'acknowledged', 'resolved')", name="state"),
        CheckConstraint("kind IN ('crisis', 'block', 'recovery', 'missed')", name="kind"),
        Index(
            "uq_alerts_unresolved",
            "patient_id",
            "rule",
            "subject",
            unique=True,
            sqlite_where=text("state <> 'resolved'"),
            postgresql_where=text("state <> 'resolved'"),
        ),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    patient_id: Mapped[int] = mapped_column(ForeignKey("patients.id"), index=True)
    clinic_id: Mapped[int] = mapped_column(ForeignKey("clinics.id"), index=True)
    kind: Mapped[str] = mapped_column(String(16))
    rule: Mapped[str] = mapped_column(String(ALERT_RULE_LENGTH))
    subject: Mapped[str] = mapped_column(String(ALERT_SUBJECT_LENGTH))
    rank: Mapped[int] = mapped_column(Integer)  # 0 most urgent
    message: Mapped[str] = mapped_column(Text)
    action: Mapped[str] = mapped_column(Text)
    sources: Mapped[list[Any]] = mapped_column(JSON)
    state: Mapped[str] = mapped_column(String(16), index=True)
    raised_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    last_seen_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    # set when a resolved condition-based alert's condition is gone, so it may rise again
    cleared_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class AlertEventRow(Base):
    """One step in an alert's life: raised, seen again, acknowledged, an attempt to reach
    the patient, resolved. `response_id` ties a crisis step to the response that fired it."""

    __tablename__ = "alert_events"
    __table_args__ = (
        CheckConstraint(
            "step IN ('raised', 'seen-again', 'acknowledged', 'attempt', 'resolved')", name="step"
        ),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    alert_id: Mapped[int] = mapped_column(ForeignKey("alerts.id"), index=True)
    step: Mapped[str] = mapped_column(String(16))
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    outcome: Mapped[str | None] = mapped_column(String(40))
    note: Mapped[str | None] = mapped_column(Text)
    response_id: Mapped[int | None] = mapped_column(ForeignKey("responses.id"), index=True)


class CareTeamRow(Base):
    """A clinician on a patient's care team."""

    __tablename__ = "care_team"
    __table_args__ = (UniqueConstraint("patient_id", "user_id", name="uq_care_team_patient_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    patient_id: Mapped[int] = mapped_column(ForeignKey("patients.id"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    added_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    added_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class MetaRow(Base):
    """Facts about the database itself, such as the knowledge version its stored
    alerts were raised against."""

    __tablename__ = "meta"

    key: Mapped[str] = mapped_column(String(40), primary_key=True)
    value: Mapped[str] = mapped_column(Text)


class OutcomeSummaryRow(Base):
    """Where one patient's series on one instrument stands (baseline, latest, response
    and remission, as the outcome rules decide): written with each response and
    rebuilt when the knowledge changes, so clinic rates are one aggregate over it."""

    __tablename__ = "outcome_summaries"

    patient_id: Mapped[int] = mapped_column(ForeignKey("patients.id"), primary_key=True)
    instrument_id: Mapped[str] = mapped_column(String(40), primary_key=True)
    baseline: Mapped[float | None] = mapped_column(Float)
    latest: Mapped[float | None] = mapped_column(Float)
    change_pct: Mapped[float | None] = mapped_column(Float)
    followed: Mapped[bool] = mapped_column(Boolean)
    response_eligible: Mapped[bool] = mapped_column(Boolean)
    responder: Mapped[bool] = mapped_column(Boolean)
    remission_eligible: Mapped[bool] = mapped_column(Boolean)
    remitter: Mapped[bool] = mapped_column(Boolean)
    ever_responded: Mapped[bool] = mapped_column(Boolean)
    ever_remitted: Mapped[bool] = mapped_column(Boolean)


class PanelLineRow(Base):
    """What the clinic's patient table shows of one patient (plan size, blocks, latest
    PHQ-9, planned sessions), written whenever the patient's rules run; `as_of` and
    `knowledge` say which day and which knowledge it was computed for, so that a line
    from another day or other rules is computed again before it is shown."""

    __tablename__ = "panel_lines"

    patient_id: Mapped[int] = mapped_column(ForeignKey("patients.id"), primary_key=True)
    as_of: Mapped[date] = mapped_column(Date)
    knowledge: Mapped[str] = mapped_column(String(64))
    has_profile: Mapped[bool] = mapped_column(Boolean)
    needs_review: Mapped[bool] = mapped_column(Boolean)
    supplements: Mapped[int] = mapped_column(Integer)
    blocks: Mapped[int] = mapped_column(Integer)
    latest_phq9: Mapped[float | None] = mapped_column(Float)
    phq9_flagged: Mapped[bool] = mapped_column(Boolean)
    planned_sessions: Mapped[int] = mapped_column(Integer)


class MeasureChoiceRow(Base):
    """A clinician's choice for one patient about one of the clinic's recurring measures
    (on or off, cadence, time, window); without a row the clinic's default holds."""

    __tablename__ = "measure_choices"
    __table_args__ = (UniqueConstraint("patient_id", "measure_id", name="patient_measure"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    patient_id: Mapped[int] = mapped_column(ForeignKey("patients.id"))
    measure_id: Mapped[str] = mapped_column(String(80))
    active: Mapped[bool] = mapped_column(Boolean)
    every_days: Mapped[int] = mapped_column(Integer)
    at: Mapped[str] = mapped_column(String(5))
    open_hours: Mapped[float] = mapped_column(Float)
    changed_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    changed_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
