"""Reading one knowledge-base YAML file into a mapping, with a problem (not an
exception) for a file that is not one; shared by the record loader and the protocols."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

import yaml

from neurogarden.kb.problems import Problem

try:  # the C loader is several times faster, which matters for a cold start
    from yaml import CSafeLoader as _Loader
except ImportError:  # pragma: no cover - only without libyaml
    from yaml import SafeLoader as _Loader  # type: ignore[assignment]


def read_yaml_mapping(path: Path, rel: str, problems: list[Problem]) -> Mapping[str, Any]:
    try:
        data = yaml.load(path.read_text(encoding="utf-8"), Loader=_Loader)
    except yaml.YAMLError as exc:
        problems.append(Problem(rel, "-", f"invalid YAML: {exc}"))
        return {}
    if data is None:
        return {}
    if not isinstance(data, Mapping):
        problems.append(Problem(rel, "-", "expected a mapping of section names to lists"))
        return {}
    return data
