"""The Python API: load a profile, build its plan. No I/O beyond reading the profile."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from neurogarden.kb.base import KnowledgeBase
from neurogarden.kb.compiled import default_kb
from neurogarden.planning.result import Finding, Plan
from neurogarden.profile import Profile, parse_profile, read_profile_file

if TYPE_CHECKING:
    from neurogarden.kb.protocol import Protocol


def load_kb() -> KnowledgeBase:
    """The packaged knowledge base (loaded once per process)."""
    kb: KnowledgeBase = default_kb()
    return kb


def load_profile(
    source: str | Path | Mapping[str, Any],
    *,
    kb: KnowledgeBase | None = None,
    today: date | None = None,
) -> Profile:
    """A profile from a YAML/JSON file path or a mapping; raises ProfileError naming the field."""
    data = source if isinstance(source, Mapping) else read_profile_file(source)
    return parse_profile(data, kb or load_kb(), today=today)


def plan(
    profile: Profile,
    *,
    kb: KnowledgeBase | None = None,
    protocol: str | Path | Protocol | None = None,
) -> Plan:
    """The personal plan for a validated profile: doses, times, totals, findings, and
    for sessions the gate, integration windows and follow-up events. `protocol` is a
    clinic's protocol file path or a loaded `neurogarden.kap.Protocol` (default: packaged)."""
    from neurogarden.kap.integrate import integrate
    from neurogarden.kb.protocol import load_protocol
    from neurogarden.planning.builder import build_plan
    from neurogarden.planning.schedule import Schedule

    kb = kb or load_kb()
    if isinstance(protocol, str | Path):
        protocol = load_protocol(protocol, kb)
    schedule = Schedule(kb, profile)  # one placement for every dose, daily and window
    return integrate(build_plan(profile, kb, schedule), profile, kb, protocol, schedule)


def check(profile: Profile, *, kb: KnowledgeBase | None = None) -> tuple[Finding, ...]:
    return plan(profile, kb=kb).findings
