"""Prose from the knowledge base as it is shown: on one line, single-spaced.

YAML folds long texts over several lines; every plan shows the same few hundred of
them, so each is squashed once per process rather than on every plan.
"""

from __future__ import annotations

from functools import lru_cache


@lru_cache(maxsize=8192)
def one_line(text: str) -> str:
    """`text` with every run of whitespace (newlines included) as one space."""
    return " ".join(text.split())
