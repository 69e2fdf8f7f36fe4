"""sessions as records: each KAP session moves out of the stored profile documents into
its own row with a stable id and a state, and window checklist ticks point at it

Revision ID: 0005_kap_sessions
Revises: 0004_alert_once
Create Date: 2026-12-02
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from alembic import op

revision = "0005_kap_sessions"
down_revision = "0004_alert_once"
branch_labels = None
depends_on = None

SESSIONS = sa.table(
    "kap_sessions",
    sa.column("id", sa.Integer),
    sa.column("patient_id", sa.Integer),
    sa.column("start", sa.DateTime(timezone=True)),
    sa.column("route", sa.String),
    sa.column("dose", sa.String),
    sa.column("setting", sa.String),
    sa.column("state", sa.String),
    sa.column("created_at", sa.DateTime(timezone=True)),
    sa.column("created_by", sa.Integer),
)
VERSIONS = sa.table(
    "profile_versions",
    sa.column("id", sa.Integer),
    sa.column("patient_id", sa.Integer),
    sa.column("version", sa.Integer),
    sa.column("document", sa.JSON),
    sa.column("created_at", sa.DateTime(timezone=True)),
    sa.column("created_by", sa.Integer),
)
TICKS = sa.table(
    "ticks",
    sa.column("id", sa.Integer),
    sa.column("patient_id", sa.Integer),
    sa.column("kind", sa.String),
    sa.column("item", sa.String),
    sa.column("session_id", sa.Integer),
)


def upgrade() -> None:
    op.create_table(
        "kap_sessions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("patient_id", sa.Integer(), nullable=False),
        sa.Column("start", sa.DateTime(timezone=True), nullable=False),
        sa.Column("route", sa.String(length=16), nullable=False),
        sa.Column("dose", sa.String(length=40), nullable=True),
        sa.Column("setting", sa.String(length=80), nullable=True),
        sa.Column("state", sa.String(length=16), nullable=False),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("created_by", sa.Integer(), nullable=True),
        sa.Column("changed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("changed_by", sa.Integer(), nullable=True),
        sa.CheckConstraint(
            "state IN ('scheduled', 'done', 'cancelled')", name=op.f("ck_kap_sessions_state")
        ),
        sa.ForeignKeyConstraint(
            ["patient_id"], ["patients.id"], name=op.f("fk_kap_sessions_patient_id_patients")
        ),
        sa.ForeignKeyConstraint(
            ["created_by"], ["users.id"], name=op.f("fk_kap_sessions_created_by_users")
        ),
        sa.ForeignKeyConstraint(
            ["changed_by"], ["users.id"], name=op.f("fk_kap_sessions_changed_by_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_kap_sessions")),
    )
    op.create_index(op.f("ix_kap_sessions_patient_id"), "kap_sessions", ["patient_id"])
    # `ticks` has no children, so SQLite may rebuild it to gain the foreign key
    with op.batch_alter_table("ticks", schema=None) as batch_op:
        batch_op.add_column(sa.Column("session_id", sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f("ix_ticks_session_id"), ["session_id"], unique=False)
        batch_op.create_foreign_key(
            batch_op.f("fk_ticks_session_id_kap_sessions"), "kap_sessions", ["session_id"], ["id"]
        )
    _move_sessions(op.get_bind())


def _move_sessions(conn: sa.Connection) -> None:
    """Each patient's sessions as their newest profile lists them become records (in the
    state "scheduled": whether one took place is for a clinician to mark); every stored
    profile version drops its list; checklist ticks keyed by a session's start move to
    its id."""
    query = sa.text("SELECT p.id, c.timezone FROM patients p JOIN clinics c ON c.id = p.clinic_id")
    zones: dict[int, str] = {row.id: row.timezone for row in conn.execute(query)}
    newest: dict[int, Any] = {}
    for row in conn.execute(
        sa.select(VERSIONS).order_by(VERSIONS.c.patient_id, VERSIONS.c.version)
    ):
        newest[row.patient_id] = row
        if isinstance(row.document, dict) and "sessions" in row.document:
            kept = {k: v for k, v in row.document.items() if k != "sessions"}
            conn.execute(VERSIONS.update().where(VERSIONS.c.id == row.id).values(document=kept))
    starts: dict[tuple[int, datetime], int] = {}
    for patient_id, row in newest.items():
        document = row.document if isinstance(row.document, dict) else {}
        zone = ZoneInfo(document.get("timezone") or zones.get(patient_id) or "UTC")
        for session in document.get("sessions") or []:
            try:
                start = datetime.fromisoformat(str(session["start"]))
            except (KeyError, ValueError):
                continue  # a profile that never validated had no usable session
            start = (start if start.tzinfo else start.replace(tzinfo=zone)).astimezone(UTC)
            new_id = conn.execute(
                SESSIONS.insert()
                .values(
                    patient_id=patient_id, start=start, route=str(session.get("route", "")),
                    dose=session.get("dose"), setting=session.get("setting"), state="scheduled",
                    created_at=row.created_at, created_by=row.created_by,
                )
                .returning(SESSIONS.c.id)
            ).scalar_one()  # fmt: skip
            starts[(patient_id, start)] = new_id
    ticks = conn.execute(sa.select(TICKS).where(TICKS.c.kind == "checklist")).all()
    for tick in ticks:
        start_text, _, item = tick.item.partition(" ")
        try:
            start = datetime.fromisoformat(start_text)
        except ValueError:
            continue
        zone = ZoneInfo(zones.get(tick.patient_id) or "UTC")
        start = (start if start.tzinfo else start.replace(tzinfo=zone)).astimezone(UTC)
        session_id = starts.get((tick.patient_id, start))
        if session_id is not None and item:
            conn.execute(
                TICKS.update()
                .where(TICKS.c.id == tick.id)
                .values(item=f"{session_id}:{item}", session_id=session_id)
            )


def downgrade() -> None:
    with op.batch_alter_table("ticks", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("fk_ticks_session_id_kap_sessions"), type_="foreignkey")
        batch_op.drop_index(batch_op.f("ix_ticks_session_id"))
        batch_op.drop_column("session_id")
    op.drop_index(op.f("ix_kap_sessions_patient_id"), table_name="kap_sessions")
    op.drop_table("kap_sessions")
