"""What every knowledge-base loader shares, kept free of YAML and of the record models
so that reading the compiled knowledge base at start-up imports neither."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from pydantic import BaseModel

DATA_DIR = Path(__file__).parent / "data"


@dataclass(frozen=True)
class Problem:
    """One thing wrong with the knowledge base, located by file and record."""

    file: str
    record: str
    message: str
    level: str = "error"  # "error" fails `kb check`; "warning" is listed only

    def __str__(self) -> str:
        return f"{self.file}: {self.record}: {self.message}"


@dataclass(frozen=True)
class Located:
    """A validated record and the file it came from."""

    file: str
    record: BaseModel
