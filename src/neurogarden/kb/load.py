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
from neurogarden.kb.instruments.loader import load_dir
from neurogarden.kb.loader import DATA_DIR, Problem


def load(root: Path = DATA_DIR) -> tuple[KnowledgeBase, list[Problem]]:
    """The knowledge base under `root` and every problem found in it."""
    kb, problems = KnowledgeBase.load(root)
    catalogue, found = load_dir(root / "instruments")
    problems += [replace(p, file=f"instruments/{p.file}") for p in found]
    problems += protocol.check_all(kb, root)
    problems += recovery_rules.check_all(kb, catalogue)
    return kb, problems


def data_fingerprint(root: Path = DATA_DIR) -> str:
    """A digest of every packaged knowledge file (names and bytes): it changes whenever
    a rule, a dose, a threshold or a questionnaire does, so stored alerts can be raised
    again against the new rules."""
    digest = hashlib.sha256()
    for path in sorted(p for p in root.rglob("*") if p.is_file()):
        digest.update(path.relative_to(root).as_posix().encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()


@cache
def packaged_fingerprint() -> str:
    """`data_fingerprint` of the packaged knowledge, read once: it cannot change while
    the process runs."""
    return data_fingerprint()
