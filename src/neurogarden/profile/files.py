"""Reading a profile file: YAML or JSON text into a mapping for `validate`."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from neurogarden.kb.documents import DocumentError, read_document
from neurogarden.profile.schema import ProfileError


def read_profile_file(path: str | Path) -> Mapping[str, Any]:
    """Read YAML or JSON text safely; any refusal is a ProfileError on the file itself."""
    try:
        data = read_document(path)
    except DocumentError as exc:
        raise ProfileError(exc.where, exc.message) from None
    if not isinstance(data, Mapping):
        raise ProfileError(str(path), "expected a mapping with a `person` section")
    return data
