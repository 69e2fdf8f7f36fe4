"""Tables as typed ORM classes. The migrations, not `create_all`, create them."""

from __future__ import annotations

from sqlalchemy import CheckConstraint, Float, ForeignKey, Integer, MetaData, String
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
