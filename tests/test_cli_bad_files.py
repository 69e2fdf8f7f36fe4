"""Every bad file the CLI can be handed is refused in one line on stderr, naming the
file or the field, with exit code 2 (an I/O failure: 1), and never a traceback: the
encodings people's editors save in, impossible dates, dates far out of range, bare
numbers where an amount needs its unit, files too large or too deep to be real."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from neurogarden.kb.documents import MAX_BYTES, DocumentError, read_document

ROOT = Path(__file__).resolve().parents[1]
PROFILE = (ROOT / "examples" / "kap-session.yaml").read_text(encoding="utf-8")
LOG = (ROOT / "examples" / "recovery-log.yaml").read_text(encoding="utf-8")
FIRST_SESSION = '"2026-10-24T10:00:00"'


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "neurogarden", *args],
        capture_output=True, text=True, cwd=ROOT, timeout=60,
    )  # fmt: skip


def _bomb() -> str:
    text, previous = "a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n", "a"
    for name in "bcdefghi":
        text += f"{name}: &{name} [{', '.join(['*' + previous] * 9)}]\n"
        previous = name
    return text + "person: *i\n"


PROFILE_CASES: dict[str, tuple[bytes, str]] = {
    "utf-16": (PROFILE.encode("utf-16"), "is UTF-16 text; save it as UTF-8"),
    "latin-1": (PROFILE.replace("sertraline", "sertralinë").encode("latin-1"), "not UTF-8"),
    "unquoted 30 February": (
        PROFILE.replace(FIRST_SESSION, "2026-02-30").encode(),
        "sessions[0].start",
    ),
    "year 9999": (
        PROFILE.replace(FIRST_SESSION, '"9999-12-31T23:00:00"').encode(),
        "sessions[0].start: the year 9999 is outside",
    ),
    "year 1": (
        PROFILE.replace(FIRST_SESSION, '"0001-01-01T10:00:00"').encode(),
        "sessions[0].start: the year 1 is outside",
    ),
    "a number as a date": (
        PROFILE.replace(FIRST_SESSION, "0").encode(),
        "sessions[0].start: expected a date",
    ),
    "dose: 100": (
        PROFILE.replace("dose: 100 mg", "dose: 100").encode(),
        "medications[0].dose: 100 has no unit; write it with one, e.g. '100 mg'",
    ),
    "weight: 82": (
        PROFILE.replace("weight: 82 kg", "weight: 82").encode(),
        "person.weight: 82 has no unit; write it with one, e.g. '82 kg'",
    ),
    "age: true": (PROFILE.replace("age: 41", "age: true").encode(), "person.age"),
    "a key twice": (
        PROFILE.replace("  age: 41", "  age: 41\n  age: 14").encode(),
        "the key 'age' is written twice",
    ),
    "deep JSON": (b'{"person": ' + b"[" * 50_000 + b"]" * 50_000 + b"}", "nests deeper"),
    "deep YAML": (b"person: " + b"[" * 50_000 + b"]" * 50_000 + b"\n", "nesting depth"),
    "alias bomb": (_bomb().encode(), "repeated aliases"),
    "too many medicines": (
        PROFILE.replace(
            "medications:\n",
            "medications:\n" + "  - {name: sertraline, dose: 50 mg}\n" * 101,
        ).encode(),
        "medications: ",
    ),
    "too large": ((PROFILE + "#" * MAX_BYTES).encode(), "files over 1,000,000 bytes"),
}


@pytest.mark.parametrize("case", PROFILE_CASES, ids=list(PROFILE_CASES))
def test_a_bad_profile_file_is_one_line_and_exit_2(tmp_path: Path, case: str) -> None:
    content, expected = PROFILE_CASES[case]
    path = tmp_path / ("p.json" if case == "deep JSON" else "p.yaml")
    path.write_bytes(content)
    for command in ("plan", "calendar"):
        done = run(command, str(path))
        assert done.returncode == 2, (command, done.stderr[-300:])
        assert done.stderr.count("\n") == 1 and done.stderr.startswith("error: ")
        assert expected in done.stderr, done.stderr
        assert "Traceback" not in done.stderr and done.stdout == ""


def test_a_missing_output_folder_is_one_line_and_exit_1(tmp_path: Path) -> None:
    target = tmp_path / "missing" / "dir" / "plan.ics"
    done = run("calendar", str(ROOT / "examples" / "kap-session.yaml"), "-o", str(target))
    assert done.returncode == 1
    assert done.stderr == f"error: --output: cannot write {target} (No such file or directory)\n"
    assert not target.parent.exists()


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        ("day: 2026-11-08", "day: 2026-02-30", "uses[0].day: expected a date"),
        ("day: 2026-11-08", "day: 0001-01-01", "uses[0].day: the year 1 is outside"),
        ("amount: 2 g", "amount: 2", "uses[0].amount"),
    ],
)
def test_a_bad_recovery_log_is_one_line_and_exit_2(
    tmp_path: Path, old: str, new: str, expected: str
) -> None:
    log = tmp_path / "log.yaml"
    log.write_text(LOG.replace(old, new, 1), encoding="utf-8")
    done = run("recovery", "chart", str(log), "--out", str(tmp_path / "t.svg"), "--today",
               "2026-11-21")  # fmt: skip
    assert done.returncode == 2 and done.stderr.count("\n") == 1
    assert expected in done.stderr and not (tmp_path / "t.svg").exists()


def test_dates_stay_text_so_the_schema_names_an_impossible_one(tmp_path: Path) -> None:
    path = tmp_path / "d.yaml"
    path.write_text("day: 2026-02-30\nat: 2026-10-24T10:00:00\nplain: 2026-10-24\n")
    assert read_document(path) == {
        "day": "2026-02-30", "at": "2026-10-24T10:00:00", "plain": "2026-10-24",
    }  # fmt: skip


def test_a_file_over_the_limit_is_refused_before_it_is_read(tmp_path: Path) -> None:
    path = tmp_path / "big.yaml"
    path.write_bytes(b"a: 1\n" + b"#" * 100)
    with pytest.raises(DocumentError, match="files over 50 bytes are refused"):
        read_document(path, max_bytes=50)


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["plan"], "error: Missing argument 'profile'."),
        (["nosuch"], "error: No such command 'nosuch'."),
        (["foods", "search", "magnesium", "--limit", "-1"], "Invalid value for '--limit'"),
        (["foods", "search", ""], "TEXT: enter at least 2 letters"),
        (["calendar", "examples/kap-session.yaml", "--start", "9999-12-31"], "--start: the year"),
        (["recovery", "alerts", "examples/recovery-log.yaml", "--today", "2026-02-30"], "--today"),
    ],
)
def test_bad_options_are_one_line_and_exit_2(args: list[str], expected: str) -> None:
    done = run(*args)
    assert done.returncode == 2 and done.stdout == ""
    assert done.stderr.count("\n") == 1 and expected in done.stderr, done.stderr
