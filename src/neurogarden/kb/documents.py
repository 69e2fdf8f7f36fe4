"""Reading a YAML or JSON file a person hands us (a profile, a recovery log, a series):
refused before parsing when it is too large, refused when it is not UTF-8 text, and
refused when its structure could not be a real document (nesting too deep, or aliases
that would make a small file expand into a huge one). Dates stay text, so that the
schema that reads them names the field of an impossible one (`2026-02-30`). Every
refusal is one line that names the file."""

from __future__ import annotations

import json
import re
from collections.abc import Hashable, Mapping
from pathlib import Path
from typing import Any

import yaml

try:
    from yaml import CSafeLoader as _Base
except ImportError:  # pragma: no cover - PyYAML built without libyaml
    from yaml import SafeLoader as _Base  # type: ignore[assignment]

MAX_BYTES = 1_000_000  # a profile or a year of daily log entries is a few kilobytes
MAX_DEPTH = 20  # the deepest real document nests five or six levels
MAX_NODES = 200_000  # values reached when walking the document, aliases followed


class DocumentError(ValueError):
    """A file refused before any of it was used; `where` is the file's name."""

    def __init__(self, where: str, message: str) -> None:
        super().__init__(f"{where}: {message}")
        self.where, self.message = where, message


class _Loader(_Base):
    """YAML's safe loader without the implicit timestamp (a date stays text), refusing
    a key written twice in one mapping (YAML would keep the last one silently)."""

    def construct_mapping(self, node: Any, deep: bool = False) -> Any:
        seen: set[tuple[str, object]] = set()
        for key_node, _ in node.value:
            if key_node.tag == "tag:yaml.org,2002:merge":  # `<<: *defaults` is not a key
                continue
            key = self.construct_object(key_node, deep=True)
            if isinstance(key, Hashable) and (type(key).__name__, key) in seen:
                mark = key_node.start_mark
                raise yaml.constructor.ConstructorError(
                    None, None, f"the key {key!r} is written twice (line {mark.line + 1})"
                )
            if isinstance(key, Hashable):
                seen.add((type(key).__name__, key))
        return super().construct_mapping(node, deep=deep)


# YAML 1.1 reads 23:00 as the number 1380 (base 60): a time of day stays text too.
_BASE_60 = re.compile(r"^[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+(?:\.[0-9_]*)?$")
_Loader.yaml_implicit_resolvers = {
    first: [
        *([("tag:yaml.org,2002:str", _BASE_60)] if first in "+-0123456789" else []),
        *((tag, pattern) for tag, pattern in resolvers if tag != "tag:yaml.org,2002:timestamp"),
    ]
    for first, resolvers in _Base.yaml_implicit_resolvers.items()
}

_BOMS = {
    b"\xff\xfe\x00\x00": "UTF-32",
    b"\x00\x00\xfe\xff": "UTF-32",
    b"\xff\xfe": "UTF-16",
    b"\xfe\xff": "UTF-16",
}


def _text(path: Path, max_bytes: int) -> str:
    try:
        size = path.stat().st_size
        if size > max_bytes:
            raise DocumentError(
                str(path), f"is {size:,} bytes; files over {max_bytes:,} bytes are refused"
            )
        raw = path.read_bytes()
    except OSError as exc:
        raise DocumentError(str(path), f"cannot read the file ({exc.strerror})") from None
    for bom, name in _BOMS.items():
        if raw.startswith(bom):
            raise DocumentError(str(path), f"is {name} text; save it as UTF-8")
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise DocumentError(
            str(path), f"is not UTF-8 text (byte 0x{raw[exc.start]:02x} at offset {exc.start})"
        ) from None


def _check_shape(where: str, data: Any) -> None:
    """Walk the document as a reader of it would, aliases followed: too deep or too
    many values and it is refused before anything walks it for real."""
    seen = 0
    stack: list[tuple[Any, int]] = [(data, 1)]
    while stack:
        value, depth = stack.pop()
        seen += 1
        if seen > MAX_NODES:
            raise DocumentError(where, f"has more than {MAX_NODES:,} values (repeated aliases?)")
        if depth > MAX_DEPTH:
            raise DocumentError(where, f"nests deeper than {MAX_DEPTH} levels")
        if isinstance(value, Mapping):
            stack.extend((v, depth + 1) for v in value.values())
        elif isinstance(value, list):
            stack.extend((v, depth + 1) for v in value)


def _unique_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in pairs:
        if key in out:
            raise ValueError(f"the key {key!r} is written twice")
        out[key] = value
    return out


def _one_line(text: str) -> str:
    return " ".join(text.replace(' in "<unicode string>",', " at").split())


def read_document(path: str | Path, *, max_bytes: int = MAX_BYTES) -> Any:
    """The parsed YAML (or, for a .json file, JSON) document; DocumentError otherwise."""
    p = Path(path)
    text = _text(p, max_bytes)
    kind = "JSON" if p.suffix.lower() == ".json" else "YAML"
    try:
        data = (
            json.loads(text, object_pairs_hook=_unique_keys)
            if kind == "JSON"
            else yaml.load(text, Loader=_Loader)
        )
    except (json.JSONDecodeError, yaml.YAMLError) as exc:
        raise DocumentError(str(p), f"is not valid {kind}: {_one_line(str(exc))}") from None
    except RecursionError:
        raise DocumentError(str(p), f"nests deeper than {MAX_DEPTH} levels") from None
    except ValueError as exc:  # a value the loader itself could not build
        raise DocumentError(str(p), f"is not valid {kind}: {_one_line(str(exc))}") from None
    _check_shape(str(p), data)
    return data
