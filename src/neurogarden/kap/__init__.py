"""Ketamine-assisted therapy sessions: the safety gate, the integration window,
omega-3 label maths, follow-up measures and the calendar export (issue 3).

`integrate` is the one entry point the planner's callers need; the rest of the
package is small pure modules that it composes.
"""

from __future__ import annotations

from neurogarden.kap.integrate import integrate
from neurogarden.kap.protocol import Protocol, ProtocolError, load_protocol

__all__ = ["Protocol", "ProtocolError", "integrate", "load_protocol"]
