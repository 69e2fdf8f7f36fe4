"""Passwords: argon2id hashes and the rules a new password must meet."""

from __future__ import annotations

from functools import cache
from importlib.resources import files

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

MIN_PASSWORD_LENGTH = 12  # NIST SP 800-63B asks for at least 8; clinical data warrants more

_HASHER = PasswordHasher()  # argon2id with the library's RFC 9106 low-memory profile


class PasswordRejected(ValueError):
    """Why a proposed password is refused, in words for the person choosing it."""


@cache
def common_passwords() -> frozenset[str]:
    text = files("neurogarden.clinic").joinpath("data/common-passwords.txt").read_text("utf-8")
    return frozenset(
        line.strip().lower() for line in text.splitlines() if line and not line.startswith("#")
    )


def check_new_password(password: str, username: str = "") -> None:
    """Refuse short, common or guessable passwords (NIST SP 800-63B §5.1.1.2)."""
    if len(password) < MIN_PASSWORD_LENGTH:
        raise PasswordRejected(f"must be at least {MIN_PASSWORD_LENGTH} characters")
    lowered = password.lower()
    if lowered in common_passwords():
        raise PasswordRejected("is one of the most common passwords; choose another")
    if len(set(lowered)) <= 3:
        raise PasswordRejected("repeats too few characters; choose another")
    if username and username.lower() in lowered:
        raise PasswordRejected("must not contain the user name")


def hash_password(password: str) -> str:
    return _HASHER.hash(password)


def verify_password(stored_hash: str, password: str) -> bool:
    try:
        return _HASHER.verify(stored_hash, password)
    except (VerificationError, InvalidHashError):
        return False


# Spent on unknown user names so that a failed sign-in takes as long either way.
_DUMMY_HASH = _HASHER.hash("not-a-real-password-for-timing")


def burn_verification_time(password: str) -> None:
    verify_password(_DUMMY_HASH, password)
