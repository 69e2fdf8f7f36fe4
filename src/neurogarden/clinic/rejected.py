"""Refused input as data: every error at once, each with the field it belongs to, as a
form shows them beside their inputs and the API lists them in one 422."""

from __future__ import annotations

from dataclasses import dataclass

from neurogarden.profile import ProfileError


@dataclass(frozen=True)
class FieldError:
    field: str
    message: str


@dataclass(frozen=True)
class Rejected:
    """Input the clinic refused: every error, each with its field; nothing was written."""

    errors: tuple[FieldError, ...]

    @classmethod
    def one(cls, field: str, message: str) -> Rejected:
        return cls((FieldError(field, message),))

    @classmethod
    def of(cls, exc: ProfileError) -> Rejected:
        return cls(tuple(FieldError(e.field, e.message) for e in exc.errors))

    def text(self, *, last_part: bool = False) -> str:
        """Every error on one line, "field: message; …" (`last_part`: `amount`, not
        `diet[0].amount`, for a form that has one such field)."""
        return "; ".join(
            f"{e.field.rsplit('.', 1)[-1] if last_part else e.field}: {e.message}"
            for e in self.errors
        )
