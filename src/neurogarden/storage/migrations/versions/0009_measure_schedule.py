"""the measurement schedule: a clinician's choices of recurring measures per patient,
and the clinic's setting for alerts on missed ones

Revision ID: 0009_measure_schedule
Revises: 0008_panel_lines
Create Date: 2026-12-04

A patient with no choices stored takes the clinic's defaults (the knowledge base's
recurring measures); missed-measure alerts are on for existing clinics.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0009_measure_schedule"
down_revision = "0008_panel_lines"
branch_labels = None
depends_on = None


KINDS = "kind IN ('crisis', 'block', 'recovery')"
KINDS_WITH_MISSED = "kind IN ('crisis', 'block', 'recovery', 'missed')"
UNRESOLVED = "state <> 'resolved'"


def _alert_kinds(check: str) -> None:
    """Change the alerts' kind constraint. SQLite rebuilds the table for it, which its
    foreign keys refuse while alert steps point at it: the steps are set aside and put
    back, and the partial unique index is dropped first and made again, as written."""
    sqlite = op.get_bind().dialect.name == "sqlite"
    if sqlite:
        op.execute("CREATE TEMP TABLE steps_aside AS SELECT * FROM alert_events")
        op.execute("DELETE FROM alert_events")
    op.drop_index("uq_alerts_unresolved", table_name="alerts")
    with op.batch_alter_table("alerts", recreate="auto") as batch:
        batch.drop_constraint(op.f("ck_alerts_kind"), type_="check")
        batch.create_check_constraint("kind", check)
    op.create_index(
        "uq_alerts_unresolved",
        "alerts",
        ["patient_id", "rule", "subject"],
        unique=True,
        sqlite_where=sa.text(UNRESOLVED),
        postgresql_where=sa.text(UNRESOLVED),
    )
    if sqlite:
        op.execute("INSERT INTO alert_events SELECT * FROM steps_aside")
        op.execute("DROP TABLE steps_aside")


def upgrade() -> None:
    _alert_kinds(KINDS_WITH_MISSED)
    op.add_column(  # no rebuild: the clinics table is what every other one refers to
        "clinics",
        sa.Column("missed_measure_alerts", sa.Boolean(), nullable=False, server_default=sa.true()),
    )
    op.create_table(
        "measure_choices",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("patient_id", sa.Integer(), nullable=False),
        sa.Column("measure_id", sa.String(length=80), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("every_days", sa.Integer(), nullable=False),
        sa.Column("at", sa.String(length=5), nullable=False),
        sa.Column("open_hours", sa.Float(), nullable=False),
        sa.Column("changed_by", sa.Integer(), nullable=True),
        sa.Column("changed_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["patient_id"], ["patients.id"], name=op.f("fk_measure_choices_patient_id_patients")
        ),
        sa.ForeignKeyConstraint(
            ["changed_by"], ["users.id"], name=op.f("fk_measure_choices_changed_by_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_measure_choices")),
        sa.UniqueConstraint("patient_id", "measure_id", name="patient_measure"),
    )


def downgrade() -> None:
    _alert_kinds(KINDS)
    op.drop_table("measure_choices")
    with op.batch_alter_table("clinics") as batch:
        batch.drop_column("missed_measure_alerts")
