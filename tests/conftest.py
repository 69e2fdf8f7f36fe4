"""Shared fixtures: the real packaged knowledge base and a profile builder."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

import pytest

from neurogarden.api import load_kb, load_profile, plan
from neurogarden.kb.base import KnowledgeBase
from neurogarden.planning.result import Plan
from neurogarden.profile import Profile

# The web suites import helpers from these plugin modules; rewrite their asserts too.
pytest.register_assert_rewrite("webkit", "dbs")

TODAY = date(2026, 11, 21)


@pytest.fixture(scope="session")
def kb() -> KnowledgeBase:
    return load_kb()


def profile_of(**overrides: Any) -> dict[str, Any]:
    """A 34-year-old woman's profile; keyword arguments replace top-level sections."""
    base: dict[str, Any] = {
        "person": {"age": 34, "sex": "female", "egfr": 90},
        "timezone": "Europe/Berlin",
        "goals": ["sleep"],
        "routine": {"wake": "07:00", "bed": "23:00"},
    }
    person = overrides.pop("person", None)
    if person is not None:
        base["person"] = {**base["person"], **person}
    base.update(overrides)
    return base


@pytest.fixture
def make_plan(kb: KnowledgeBase) -> Callable[..., Plan]:
    def build(**overrides: Any) -> Plan:
        return plan(load_profile(profile_of(**overrides), kb=kb, today=TODAY), kb=kb)

    return build


@pytest.fixture
def make_profile(kb: KnowledgeBase) -> Callable[..., Profile]:
    def build(**overrides: Any) -> Profile:
        return load_profile(profile_of(**overrides), kb=kb, today=TODAY)

    return build
