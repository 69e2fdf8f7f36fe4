"""The knowledge base compiled once: validated and cross-checked from YAML, then kept
as a version-stamped pickle that later processes read in a few milliseconds.

Reading and cross-checking 30-odd YAML files costs a cold command far more than the
work it was asked to do, yet the result only changes when the data, the code that
reads it or the interpreter does. The stamp digests all three, so an edited YAML file,
a new release or another Python rebuilds the copy on the next start; a knowledge base
with errors is never compiled, and raises exactly as loading it from YAML does.

The copy lives in the user's cache folder (`NEUROGARDEN_CACHE_DIR`, else
`$XDG_CACHE_HOME/neurogarden`, else `~/.cache/neurogarden`). Unpickling runs code, so
a copy is read only from a folder and a file owned by this user that nobody else can
write; anything else, or a copy that does not read back, is ignored and rebuilt.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import stat
import sys
import tempfile
from functools import cache
from pathlib import Path

from neurogarden.kb.base import KnowledgeBase
from neurogarden.kb.problems import DATA_DIR

CACHE_ENV = "NEUROGARDEN_CACHE_DIR"
PACKAGE_DIR = Path(__file__).resolve().parents[1]
# The code a compiled copy depends on: the record models and loaders, and the unit
# definitions the food records are converted with.
CODE_FILES = ("kb/*.py", "kb/instruments/*.py", "units.py", "units.txt")
PREFIX = "kb-"


def data_fingerprint(root: Path = DATA_DIR) -> str:
    """A digest of every knowledge file under `root` (names and bytes): it changes
    whenever a rule, a dose, a threshold or a questionnaire does."""
    digest = hashlib.sha256()
    for path in sorted(p for p in root.rglob("*") if p.is_file()):
        digest.update(path.relative_to(root).as_posix().encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()


def code_fingerprint(patterns: tuple[str, ...] = CODE_FILES) -> str:
    """A digest of the package's own files matching `patterns`, with the versions of
    the interpreter and of pydantic, whose pickles it relies on."""
    from pydantic.version import VERSION

    digest = hashlib.sha256(f"{sys.version}|{VERSION}".encode())
    for pattern in patterns:
        for path in sorted(PACKAGE_DIR.glob(pattern)):
            digest.update(path.relative_to(PACKAGE_DIR).as_posix().encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()


def cache_dir() -> Path:
    configured = os.environ.get(CACHE_ENV)
    if configured:
        return Path(configured)
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "neurogarden"


def compiled_path(root: Path = DATA_DIR) -> Path:
    stamp = hashlib.sha256(f"{data_fingerprint(root)}|{code_fingerprint()}".encode())
    return cache_dir() / f"{PREFIX}{stamp.hexdigest()[:40]}.pickle"


def _trusted(path: Path) -> bool:
    """Owned by this user and writable by nobody else, the file and its folder."""
    for item in (path.parent, path):
        info = item.stat()
        if info.st_uid != os.getuid() or info.st_mode & (stat.S_IWGRP | stat.S_IWOTH):
            return False
    return True


def _read(path: Path) -> KnowledgeBase | None:
    try:
        if not _trusted(path):
            return None
        with path.open("rb") as handle:
            kb = pickle.load(handle)
    except OSError:
        return None
    except Exception:  # a truncated or foreign copy: rebuild it from the YAML
        return None
    return kb if isinstance(kb, KnowledgeBase) else None


def _write(path: Path, kb: KnowledgeBase) -> None:
    """Write atomically and drop older copies; a read-only home just means no copy."""
    try:
        path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        handle, temp = tempfile.mkstemp(dir=path.parent, prefix=".kb-", suffix=".tmp")
        with os.fdopen(handle, "wb") as out:
            pickle.dump(kb, out, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(temp, path)
        for old in path.parent.glob(f"{PREFIX}*.pickle"):
            if old != path:
                old.unlink(missing_ok=True)
    except OSError:
        return


def compiled_kb(root: Path = DATA_DIR) -> KnowledgeBase:
    """The knowledge base under `root`: its compiled copy when current, else loaded,
    checked and compiled. Raises with the error listing when the data has errors."""
    path = compiled_path(root)
    kb = _read(path)
    if kb is not None:
        return kb
    kb, problems = KnowledgeBase.load(root)
    errors = [p for p in problems if p.level == "error"]
    if errors:
        listing = "\n".join(str(p) for p in errors[:20])
        raise RuntimeError(f"the knowledge base has {len(errors)} problem(s):\n{listing}")
    _write(path, kb)
    return kb


def compile_packaged(kb: KnowledgeBase) -> None:
    """Keep `kb`, just loaded and found free of errors by `neurogarden kb check`, as the
    packaged knowledge base's compiled copy."""
    _write(compiled_path(DATA_DIR), kb)


@cache
def default_kb() -> KnowledgeBase:
    """The packaged knowledge base, loaded once per process (from its compiled copy
    when that is current); raises if it has errors."""
    return compiled_kb(DATA_DIR)
