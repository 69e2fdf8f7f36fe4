"""at most one unresolved alert per patient, rule and subject, kept by the database

Revision ID: 0004_alert_once
Revises: 0003_care_loop
Create Date: 2026-12-02
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004_alert_once"
down_revision = "0003_care_loop"
branch_labels = None
depends_on = None

UNRESOLVED = sa.text("state <> 'resolved'")


def upgrade() -> None:
    op.create_index(
        "uq_alerts_unresolved",
        "alerts",
        ["patient_id", "rule", "subject"],
        unique=True,
        sqlite_where=UNRESOLVED,
        postgresql_where=UNRESOLVED,
    )


def downgrade() -> None:
    op.drop_index("uq_alerts_unresolved", table_name="alerts")
