"""Problems from knowledge-base folders that their own modules load (integration
protocols, instruments) and from rules that span them (the recovery alerts' instrument
band), so that `neurogarden kb check` covers all of them."""

from __future__ import annotations

import importlib

from neurogarden.kb.loader import Problem

# Each module exposes `check_all() -> list[Problem]`. A module that fails to import
# fails `kb check` loudly: skipping it would report a clean knowledge base that is not.
CHECKERS = (
    "neurogarden.instruments.loader",
    "neurogarden.protocols",
    "neurogarden.recovery.rules",
)


def extra_problems() -> list[Problem]:
    problems: list[Problem] = []
    for name in CHECKERS:
        problems.extend(importlib.import_module(name).check_all())
    return problems
