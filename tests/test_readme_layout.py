"""The README's layout map names every package and module at the top of
`src/neurogarden/`, on the floor `tests/test_layers.py` enforces, and nothing else."""

from __future__ import annotations

import re
from pathlib import Path

from test_layers import FLOORS, SRC

README = Path(__file__).resolve().parents[1] / "README.md"


def layout_rows() -> dict[str, int]:
    section = README.read_text(encoding="utf-8").split("## Layout", 1)[1]
    rows = re.findall(r"^\| (\d+) \| `([\w./]+)` \|", section, re.M)
    return {name.removesuffix("/").removesuffix(".py"): int(floor) for floor, name in rows}


def test_the_layout_map_matches_the_folders_and_their_floors() -> None:
    top = {
        p.stem if p.is_file() else p.name
        for p in (SRC / "neurogarden").iterdir()
        if (p.suffix == ".py" and p.stem not in ("__init__", "__main__"))
        or (p.is_dir() and not p.name.startswith("_") and any(p.glob("*.py")))
    }
    rows = layout_rows()
    assert set(rows) == top
    assert rows == {name: FLOORS[name] for name in top}
