"""Reading a profile file: YAML or JSON text into a mapping for `validate`."""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from neurogarden.profile.schema import ProfileError


def read_profile_file(path: str | Path) -> Mapping[str, Any]:
    """Read YAML or JSON text; a syntax error is a ProfileError on the file itself."""
    import yaml

    p = Path(path)
    try:
        text = p.read_text(encoding="utf-8")
    except OSError as exc:
        raise ProfileError(str(p), f"cannot read the file ({exc.strerror})") from None
    try:
        data = json.loads(text) if p.suffix == ".json" else yaml.safe_load(text)
    except (json.JSONDecodeError, yaml.YAMLError) as exc:
        raise ProfileError(
            str(p), f"is not valid {'JSON' if p.suffix == '.json' else 'YAML'}: {exc}"
        ) from None
    if not isinstance(data, Mapping):
        raise ProfileError(str(p), "expected a mapping with a `person` section")
    return data
