"""The whole knowledge base at once: the records, the integration protocols and the
questionnaire catalogue, each checked against the others, with every problem as data
(file, record id, message). `neurogarden kb check` prints what this returns.
"""

from __future__ import annotations

import hashlib
from dataclasses import replace
from functools import cache
from pathlib import Path

from neurogarden.kb import protocol, recovery_rules
from neurogarden.kb.base import KnowledgeBase
from neurogarden.kb.compiled import CODE_FILES, code_fingerprint, data_fingerprint
from neurogarden.kb.instruments.loader import load_dir
from neurogarden.kb.problems import DATA_DIR, Problem


def load(root: Path = DATA_DIR) -> tuple[KnowledgeBase, list[Problem]]:
    """The knowledge base under `root` and every problem found in it."""
    kb, problems = KnowledgeBase.load(root)
    catalogue, found = load_dir(root / "instruments")
    problems += [replace(p, file=f"instruments/{p.file}") for p in found]
    problems += protocol.check_all(kb, root)
    problems += recovery_rules.check_all(kb, catalogue)
    problems += [
        Problem(kb.files.get(m.id, "measures.yaml"), m.id, f"unknown instrument {m.instrument!r}")
        for m in kb.measures.values()
        if m.instrument not in catalogue.instruments
    ]
    return kb, problems


# The code that turns the knowledge into findings, outcomes, alerts and table lines:
# a change to any of it must reach stored results as surely as a change to the data.
RULE_CODE = (
    *CODE_FILES,
    "profile/*.py",
    "planning/*.py",
    "kap/*.py",
    "instruments/*.py",
    "recovery/*.py",
    "clinic/alerts.py",
    "clinic/standings.py",
    "clinic/panel_lines.py",
)


@cache
def packaged_fingerprint() -> str:
    """A digest of the packaged knowledge and of the code that applies it, read once (it
    cannot change while the process runs). Stored alerts, outcome standings and table
    lines carry it, so new rules, data or code are applied to every patient again."""
    both = f"{data_fingerprint()}|{code_fingerprint(RULE_CODE)}"
    return hashlib.sha256(both.encode()).hexdigest()
