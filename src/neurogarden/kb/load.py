"""The whole knowledge base at once: the records, the integration protocols and the
questionnaire catalogue, each checked against the others, with every problem as data
(file, record id, message). `neurogarden kb check` prints what this returns.
"""

from __future__ import annotations

from dataclasses import replace
from functools import cache
from pathlib import Path

from neurogarden.kb import protocol, recovery_rules
from neurogarden.kb.base import KnowledgeBase
from neurogarden.kb.compiled import data_fingerprint
from neurogarden.kb.instruments.loader import load_dir
from neurogarden.kb.problems import DATA_DIR, Problem


def load(root: Path = DATA_DIR) -> tuple[KnowledgeBase, list[Problem]]:
    """The knowledge base under `root` and every problem found in it."""
    kb, problems = KnowledgeBase.load(root)
    catalogue, found = load_dir(root / "instruments")
    problems += [replace(p, file=f"instruments/{p.file}") for p in found]
    problems += protocol.check_all(kb, root)
    problems += recovery_rules.check_all(kb, catalogue)
    return kb, problems


@cache
def packaged_fingerprint() -> str:
    """`data_fingerprint` of the packaged knowledge, read once: it cannot change while
    the process runs."""
    return data_fingerprint()
