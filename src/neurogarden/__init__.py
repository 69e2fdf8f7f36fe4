"""neurogarden: evidence-graded supplement plans and safety checks for an integrative
mental-health protocol. Supports clinicians and informed people; not medical advice.

    from neurogarden import load_profile, plan
    result = plan(load_profile("examples/sleep-and-study.yaml"))
"""

from __future__ import annotations

from neurogarden.api import check, load_kb, load_profile, plan

__all__ = ["check", "load_kb", "load_profile", "plan"]
__version__ = "0.1.0"
