"""Supervised recovery support: a log of substance use, cravings and
attendance; clinician alerts; evidence-based options shown as information (the timeline
chart is drawn by `neurogarden.render.recovery_chart`). A pure core: no I/O beyond
reading the packaged knowledge base. neurogarden never
recommends kratom or any dose of it."""

from __future__ import annotations

from neurogarden.recovery.alerts import log_findings, recovery_alerts
from neurogarden.recovery.models import (
    AttendanceEntry,
    CravingEntry,
    RecoveryAlert,
    RecoveryLog,
    RecoveryOption,
    UseEntry,
)
from neurogarden.recovery.options import options_note, recovery_options
from neurogarden.recovery.parse import log_from_profile, parse_cows, parse_log, parse_use

__all__ = [
    "AttendanceEntry",
    "CravingEntry",
    "RecoveryAlert",
    "RecoveryLog",
    "RecoveryOption",
    "UseEntry",
    "log_findings",
    "log_from_profile",
    "options_note",
    "parse_cows",
    "parse_log",
    "parse_use",
    "recovery_alerts",
    "recovery_options",
]
