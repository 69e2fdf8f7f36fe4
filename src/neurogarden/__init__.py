"""neurogarden: evidence-graded supplement plans and safety checks for an integrative
mental-health protocol. Supports clinicians and informed people; not medical advice.

    from neurogarden import load_profile, plan
    result = plan(load_profile("examples/sleep-and-study.yaml"))

The Python API (`neurogarden.api`) is imported on first use, so that importing any
part of the package (or running `neurogarden --help`) does not load the engines.
"""

from __future__ import annotations

from typing import Any

__all__ = ["check", "load_kb", "load_profile", "plan"]
__version__ = "0.1.0"


def __getattr__(name: str) -> Any:
    if name in __all__:
        from neurogarden import api

        return getattr(api, name)
    raise AttributeError(f"module 'neurogarden' has no attribute {name!r}")
