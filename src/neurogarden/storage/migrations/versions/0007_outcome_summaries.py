"""each patient's standing on each instrument, kept beside the responses; sessions by start

Revision ID: 0007_outcome_summaries
Revises: 0006_meta
Create Date: 2026-12-04

The table starts empty: `serve` and `demo` fill it on start, as they do whenever the
packaged knowledge differs from the version the summaries were built against.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007_outcome_summaries"
down_revision = "0006_meta"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "outcome_summaries",
        sa.Column("patient_id", sa.Integer(), nullable=False),
        sa.Column("instrument_id", sa.String(length=40), nullable=False),
        sa.Column("baseline", sa.Float(), nullable=True),
        sa.Column("latest", sa.Float(), nullable=True),
        sa.Column("change_pct", sa.Float(), nullable=True),
        sa.Column("followed", sa.Boolean(), nullable=False),
        sa.Column("response_eligible", sa.Boolean(), nullable=False),
        sa.Column("responder", sa.Boolean(), nullable=False),
        sa.Column("remission_eligible", sa.Boolean(), nullable=False),
        sa.Column("remitter", sa.Boolean(), nullable=False),
        sa.Column("ever_responded", sa.Boolean(), nullable=False),
        sa.Column("ever_remitted", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(
            ["patient_id"],
            ["patients.id"],
            name=op.f("fk_outcome_summaries_patient_id_patients"),
        ),
        sa.PrimaryKeyConstraint("patient_id", "instrument_id", name=op.f("pk_outcome_summaries")),
    )
    op.create_index(op.f("ix_kap_sessions_start"), "kap_sessions", ["start"])


def downgrade() -> None:
    op.drop_index(op.f("ix_kap_sessions_start"), table_name="kap_sessions")
    op.drop_table("outcome_summaries")
