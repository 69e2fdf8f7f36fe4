"""The checks every new login passes, whoever creates it (an admin or a clinician)."""

from __future__ import annotations

from sqlalchemy.orm import Session

from neurogarden.clinic.security import PasswordRejected, check_new_password
from neurogarden.storage import clinic as store


def new_login_problem(db: Session, username: str, password: str) -> str | None:
    """What is wrong with a proposed user name and password, naming the field; or None."""
    name = username.strip().lower()
    if not name or not name.replace(".", "").replace("-", "").replace("_", "").isalnum():
        return "username: use letters, digits, '.', '-' or '_'"
    if store.user_by_username(db, name) is not None:
        return "username: already taken"
    try:
        check_new_password(password, name)
    except PasswordRejected as exc:
        return f"password: {exc}"
    return None
