"""what the clinic's patient table shows of each patient, kept beside the records

Revision ID: 0008_panel_lines
Revises: 0007_outcome_summaries
Create Date: 2026-12-04

The table starts empty: a line missing, from another day or from other knowledge is
computed when it is first shown.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0008_panel_lines"
down_revision = "0007_outcome_summaries"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "panel_lines",
        sa.Column("patient_id", sa.Integer(), nullable=False),
        sa.Column("as_of", sa.Date(), nullable=False),
        sa.Column("knowledge", sa.String(length=64), nullable=False),
        sa.Column("has_profile", sa.Boolean(), nullable=False),
        sa.Column("needs_review", sa.Boolean(), nullable=False),
        sa.Column("supplements", sa.Integer(), nullable=False),
        sa.Column("blocks", sa.Integer(), nullable=False),
        sa.Column("latest_phq9", sa.Float(), nullable=True),
        sa.Column("phq9_flagged", sa.Boolean(), nullable=False),
        sa.Column("planned_sessions", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["patient_id"], ["patients.id"], name=op.f("fk_panel_lines_patient_id_patients")
        ),
        sa.PrimaryKeyConstraint("patient_id", name=op.f("pk_panel_lines")),
    )


def downgrade() -> None:
    op.drop_table("panel_lines")
