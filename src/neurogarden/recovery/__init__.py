"""Supervised recovery support (issue 7): a log of substance use, cravings and
attendance; clinician alerts; evidence-based options shown as information; a timeline
chart. A pure core: no I/O beyond reading the packaged knowledge base. neurogarden never
recommends kratom or any dose of it."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import TYPE_CHECKING

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

if TYPE_CHECKING:
    from neurogarden.instruments.charts import Chart
    from neurogarden.kb.base import KnowledgeBase
    from neurogarden.kb.instruments.models import InstrumentDefinition

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
    "timeline_chart",
]


def timeline_chart(
    log: RecoveryLog,
    cows: Sequence[tuple[date, float]],
    *,
    title: str,
    fmt: str = "svg",
    kb: KnowledgeBase | None = None,
    cows_definition: InstrumentDefinition | None = None,
) -> Chart:
    """The recovery timeline (see neurogarden.recovery.chart); the chart module and its
    instrument imports load on first use, so a knowledge-base load stays fast."""
    from neurogarden.recovery import chart

    return chart.timeline_chart(
        log, cows, title=title, fmt=fmt, kb=kb, cows_definition=cows_definition
    )
