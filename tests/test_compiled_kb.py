"""The compiled knowledge base: the same records as loading the YAML, rebuilt when a
file changes, never compiled with errors, and read only from a copy nobody else can
write. Commands start without reading YAML, pint or the web stack."""

from __future__ import annotations

import os
import pickle
import shutil
import subprocess
import sys
from dataclasses import fields, replace
from pathlib import Path

import pytest

from neurogarden.kb import compiled
from neurogarden.kb.base import KnowledgeBase
from neurogarden.kb.problems import DATA_DIR

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "examples" / "sleep-and-study.yaml"


@pytest.fixture
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "cache"
    monkeypatch.setenv(compiled.CACHE_ENV, str(folder))
    return folder


@pytest.fixture
def data(tmp_path: Path) -> Path:
    root = tmp_path / "data"
    shutil.copytree(DATA_DIR, root)
    return root


def _same(a: KnowledgeBase, b: KnowledgeBase) -> None:
    for f in fields(KnowledgeBase):
        assert getattr(a, f.name) == getattr(b, f.name), f.name


def test_the_compiled_copy_holds_the_same_records_as_the_yaml(cache: Path) -> None:
    loaded, problems = KnowledgeBase.load(DATA_DIR)
    assert not [p for p in problems if p.level == "error"]
    first = compiled.compiled_kb(DATA_DIR)  # compiles
    assert [p.name for p in cache.glob("kb-*.pickle")] == [compiled.compiled_path().name]
    second = compiled.compiled_kb(DATA_DIR)  # reads the copy
    assert second is not first
    _same(first, loaded)
    _same(second, loaded)
    assert second.forms.resolve("magnesium L-threonate").id == "magnesium-l-threonate"


def test_an_edited_yaml_file_is_compiled_again(cache: Path, data: Path) -> None:
    before = compiled.compiled_kb(data)
    planning = data / "planning.yaml"
    text = planning.read_text(encoding="utf-8")
    planning.write_text(text + "\n# edited\n", encoding="utf-8")
    path = compiled.compiled_path(data)
    assert not path.exists()
    after = compiled.compiled_kb(data)
    assert path.exists()
    _same(before, after)
    assert len(list(cache.glob("kb-*.pickle"))) == 1  # the older copy is gone


def test_a_knowledge_base_with_errors_raises_and_is_never_compiled(cache: Path, data: Path) -> None:
    planning = data / "planning.yaml"
    planning.write_text(
        planning.read_text(encoding="utf-8").replace("sources:", "sourcez:", 1), encoding="utf-8"
    )
    _kb, problems = KnowledgeBase.load(data)
    errors = [str(p) for p in problems if p.level == "error"]
    assert errors
    with pytest.raises(RuntimeError) as raised:
        compiled.compiled_kb(data)
    assert errors[0] in str(raised.value)
    assert not list(cache.glob("kb-*.pickle")) if cache.exists() else True


def test_a_damaged_copy_is_rebuilt(cache: Path, data: Path) -> None:
    compiled.compiled_kb(data)
    path = compiled.compiled_path(data)
    path.write_bytes(b"\x80\x05not a pickle")
    kb = compiled.compiled_kb(data)
    assert "magnesium-l-threonate" in kb.forms.by_id
    assert pickle.loads(path.read_bytes()).forms.by_id.keys() == kb.forms.by_id.keys()


def test_a_copy_others_can_write_is_never_read(cache: Path, data: Path) -> None:
    real = compiled.compiled_kb(data)
    path = compiled.compiled_path(data)
    planted = replace(real, notes={})  # what someone else might have put there
    path.write_bytes(pickle.dumps(planted))
    os.chmod(path, 0o666)
    assert compiled.compiled_kb(data).notes == real.notes
    path.write_bytes(pickle.dumps(planted))
    os.chmod(path, 0o600)
    os.chmod(path.parent, 0o777)
    assert compiled.compiled_kb(data).notes == real.notes


def _modules_after(args: list[str], cache: Path) -> set[str]:
    code = (
        "import sys\n"
        "from neurogarden.cli import main\n"
        f"sys.argv = ['neurogarden', *{args!r}]\n"
        "try:\n    main()\nexcept SystemExit:\n    pass\n"
        "sys.stderr.write('\\n'.join(sorted(sys.modules)))\n"
    )
    env = {**os.environ, compiled.CACHE_ENV: str(cache)}
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=env, cwd=ROOT, check=True
    )
    return set(out.stderr.split())


def test_a_plan_from_a_warm_start_reads_no_knowledge_yaml_and_no_pint(cache: Path) -> None:
    _modules_after(["kb", "check"], cache)  # `kb check` leaves the compiled copy
    assert list(cache.glob("kb-*.pickle"))
    loaded = _modules_after(["plan", str(EXAMPLE), "--json"], cache)
    assert "neurogarden.planning.builder" in loaded
    assert not {"pint", "neurogarden.kb.loader", "neurogarden.kb.checks"} & loaded
    assert not [m for m in loaded if m.startswith(("sqlalchemy", "fastapi", "neurogarden.web"))]


def test_help_imports_no_domain_code(cache: Path) -> None:
    loaded = _modules_after(["--help"], cache)
    domain = [
        m for m in loaded if m.startswith("neurogarden.") and not m.startswith("neurogarden.cli")
    ]
    assert domain == []
    assert "pydantic" not in loaded or "typer" in loaded  # only what Typer itself brings


def test_plan_text_is_memoised_on_the_record_not_on_its_value() -> None:
    from neurogarden.kb.memo import by_identity

    calls: list[tuple[str, ...]] = []

    @by_identity
    def joined(words: tuple[str, ...]) -> str:
        calls.append(words)
        return " ".join(words)

    first = ("take", "with", "food")
    equal = tuple(list(first))
    assert joined(first) is joined(first)
    assert joined(equal) == joined(first) and len(calls) == 2  # equal, but another object
