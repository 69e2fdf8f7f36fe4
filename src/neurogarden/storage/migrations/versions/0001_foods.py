"""foods and food_portions: magnesium per 100 g from the packaged table and USDA FoodData Central

Revision ID: 0001_foods
Revises:
Create Date: 2026-11-21
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001_foods"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "foods",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("source", sa.String(length=8), nullable=False),
        sa.Column("fdc_id", sa.Integer(), nullable=True),
        sa.Column("name", sa.String(length=400), nullable=False),
        sa.Column("data_type", sa.String(length=40), nullable=True),
        sa.Column("magnesium_mg_per_100g", sa.Float(), nullable=True),
        sa.CheckConstraint("source IN ('kb', 'fdc')", name=op.f("ck_foods_source")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_foods")),
        sa.UniqueConstraint("fdc_id", name=op.f("uq_foods_fdc_id")),
    )
    op.create_table(
        "food_portions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("food_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("gram_weight", sa.Float(), nullable=False),
        sa.ForeignKeyConstraint(
            ["food_id"],
            ["foods.id"],
            name=op.f("fk_food_portions_food_id_foods"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_food_portions")),
    )
    op.create_index(op.f("ix_food_portions_food_id"), "food_portions", ["food_id"], unique=False)


def downgrade() -> None:
    op.drop_index(op.f("ix_food_portions_food_id"), table_name="food_portions")
    op.drop_table("food_portions")
    op.drop_table("foods")
