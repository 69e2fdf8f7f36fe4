"""What a deployment may tune about sessions and sign-in."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

SESSION_COOKIE = "ng_session"
LOGIN_CSRF_COOKIE = "ng_login_csrf"


@dataclass(frozen=True)
class WebSettings:
    idle_timeout: timedelta = timedelta(minutes=30)
    absolute_timeout: timedelta = timedelta(hours=12)
    login_window: timedelta = timedelta(minutes=15)
    login_max_failures: int = 5  # per user name or per client within the window
    secure_cookies: bool = True
    max_body_bytes: int = 1_000_000  # a profile or a form is a few kilobytes
