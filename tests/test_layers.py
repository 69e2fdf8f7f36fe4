"""The floors of the house, read from the import graph of `src/` (function-local imports
included; imports under `if TYPE_CHECKING:` are types only and left out): no cycle, and
no import that climbs a floor. Each package may import only the floors below it:

    units -> kb -> profile -> planning, instruments -> kap, recovery -> render
          -> api -> clinic -> web -> cli -> the package root and __main__

`storage` sits beside the engines, under the clinic application layer: it may import
only `units` and `kb`. Knowledge is data at the bottom; interfaces parse, call and
render at the top.
"""

from __future__ import annotations

import ast
from pathlib import Path

SRC = Path(__file__).resolve().parents[1] / "src"
FLOORS = {
    "units": 0,
    "kb": 1,
    "profile": 2,
    "storage": 2,
    "planning": 3,
    "instruments": 3,
    "kap": 4,
    "recovery": 4,
    "render": 5,
    "api": 6,
    "clinic": 7,
    "web": 8,
    "cli": 9,
    "": 10,  # the package root (__init__) and __main__
    "__main__": 10,
}


def modules(root: Path = SRC) -> dict[str, Path]:
    out = {}
    for path in (root / "neurogarden").rglob("*.py"):
        name = ".".join(path.relative_to(root).with_suffix("").parts)
        out[name.removesuffix(".__init__")] = path
    return out


def _type_only(tree: ast.AST) -> set[int]:
    skip: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.If) and getattr(node.test, "id", "") == "TYPE_CHECKING":
            for child in node.body:
                skip |= {id(n) for n in ast.walk(child)}
    return skip


def imports(root: Path = SRC) -> dict[str, set[str]]:
    """Module -> the project modules it imports at run time."""
    known = modules(root)
    edges: dict[str, set[str]] = {}
    for name, path in known.items():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        skip = _type_only(tree)
        package = name if path.name == "__init__.py" else name.rpartition(".")[0]
        found: set[str] = set()
        for node in ast.walk(tree):
            if id(node) in skip:
                continue
            if isinstance(node, ast.Import):
                found |= {a.name for a in node.names if a.name in known}
            elif isinstance(node, ast.ImportFrom):
                base = node.module or ""
                if node.level:
                    parts = package.split(".")[: len(package.split(".")) - node.level + 1]
                    base = ".".join([*parts, base] if base else parts)
                if base in known:
                    found.add(base)
                found |= {f"{base}.{a.name}" for a in node.names if f"{base}.{a.name}" in known}
        edges[name] = found - {name}
    return edges


def component(module: str) -> str:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else ""


def cycles(edges: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components of more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in edges.get(v, ()):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            group = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                group.append(w)
                if w == v:
                    break
            if len(group) > 1:
                found.append(sorted(group))

    for v in sorted(edges):
        if v not in index:
            visit(v)
    return found


def climbs(edges: dict[str, set[str]]) -> list[str]:
    """Every import of a module on the same floor (another package) or a higher one."""
    out = []
    for source, targets in edges.items():
        here = component(source)
        for target in targets:
            there = component(target)
            if there == here:
                continue
            if FLOORS[there] >= FLOORS[here]:
                out.append(f"{source} -> {target}")
    return sorted(out)


def test_every_package_has_a_floor() -> None:
    assert {component(m) for m in modules()} <= set(FLOORS)


def test_no_import_cycle() -> None:
    assert cycles(imports()) == []


def test_no_import_climbs_a_floor() -> None:
    assert climbs(imports()) == []


def test_the_checks_would_catch_a_cycle_and_a_climb(tmp_path: Path) -> None:
    """The rules bite: a planning module importing the web app, and two kb modules that
    import each other, are both found."""
    package = tmp_path / "neurogarden"
    for sub in ("kb", "planning", "web"):
        (package / sub).mkdir(parents=True)
        (package / sub / "__init__.py").write_text("")
    (package / "__init__.py").write_text("")
    (package / "kb" / "a.py").write_text("from neurogarden.kb import b\n")
    (package / "kb" / "b.py").write_text("def f():\n    from neurogarden.kb import a\n")
    (package / "web" / "app.py").write_text("")
    (package / "planning" / "builder.py").write_text(
        "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from neurogarden.kb import a\n"
        "def g():\n    from neurogarden.web import app\n"
    )
    edges = imports(tmp_path)
    assert cycles(edges) == [["neurogarden.kb.a", "neurogarden.kb.b"]]
    assert climbs(edges) == [
        "neurogarden.planning.builder -> neurogarden.web",
        "neurogarden.planning.builder -> neurogarden.web.app",
    ]


def test_the_web_app_reaches_the_storage_only_through_the_clinic_layer() -> None:
    edges = imports()
    reached = sorted(
        f"{source} -> {target}"
        for source, targets in edges.items()
        if component(source) == "web"
        for target in targets
        if component(target) == "storage"
    )
    assert reached == []


def test_only_the_clinic_layer_reaches_the_storage() -> None:
    """The web app and the CLI go through `clinic/`; the storage answers to nobody above."""
    edges = imports()
    reached = sorted(
        f"{source} -> {target}"
        for source, targets in edges.items()
        if component(source) in ("web", "cli", "")
        for target in targets
        if component(target) == "storage"
    )
    assert reached == []
    climbing = sorted(
        f"{source} -> {target}"
        for source, targets in edges.items()
        if component(source) == "storage"
        for target in targets
        if component(target) in ("web", "cli", "clinic")
    )
    assert climbing == []


def test_no_row_leaves_the_clinic_layer() -> None:
    """Interfaces get frozen values: no module above `clinic/` names an ORM row class,
    even for its types."""
    for name, path in modules().items():
        if component(name) in ("web", "cli"):
            assert "storage.models" not in path.read_text(encoding="utf-8"), name
