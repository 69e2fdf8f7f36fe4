"""Problems from knowledge-base folders that their own modules load (protocols,
instruments), so that `neurogarden kb check` covers all of them."""

from __future__ import annotations

import importlib

from neurogarden.kb.loader import Problem

# Each module exposes `check_all() -> list[Problem]`; missing modules are skipped.
CHECKERS = ("neurogarden.instruments.loader", "neurogarden.protocols")


def extra_problems() -> list[Problem]:
    problems: list[Problem] = []
    for name in CHECKERS:
        try:
            module = importlib.import_module(name)
        except ModuleNotFoundError:
            continue
        check_all = getattr(module, "check_all", None)
        if check_all is not None:
            problems.extend(check_all())
    return problems
