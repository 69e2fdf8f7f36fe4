"""The score, outcome and instruments commands, through a Typer app with only them."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner

from neurogarden.cli import measure

app = typer.Typer()
measure.register(app)
runner = CliRunner()


def run(*args: str) -> tuple[int, str, str]:
    result = runner.invoke(app, list(args))
    return result.exit_code, result.stdout, result.stderr


def test_score_json_without_flags() -> None:
    code, out, _ = run("score", "phq9", "--answers", "1,1,1,1,1,1,1,0,0", "--json")
    data = json.loads(out)
    assert code == 0
    assert (data["instrument"], data["total"], data["severity"], data["flags"]) == (
        "phq9",
        7,
        "mild",
        [],
    )


def test_score_json_item9_flag_carries_988_by_default() -> None:
    code, out, _ = run("score", "PHQ-9", "-a", "0,0,0,0,0,0,0,0,1", "--json")
    (flag,) = json.loads(out)["flags"]
    assert code == 0 and flag["rule"] == "phq9-item9"
    assert flag["resources"]["locale"] == "en-US"
    assert "988" in flag["resources"]["resources"][0]["contact"]


def test_score_locale_changes_the_crisis_resources() -> None:
    _, out, _ = run("score", "phq9", "-a", "0,0,0,0,0,0,0,0,2", "--json", "--locale", "en-GB")
    assert "116 123" in json.loads(out)["flags"][0]["resources"]["resources"][0]["contact"]


def test_score_text_shows_the_safety_message() -> None:
    code, out, _ = run("score", "phq9", "-a", "3,3,3,3,3,3,3,3,3")
    assert code == 0 and "27 / 27" in out and "severe" in out and "SAFETY" in out and "988" in out


def test_score_sleep_diary_with_a_blank_optional_item() -> None:
    code, out, _ = run("score", "sleep", "-a", "23:30,,20,2,30,06:30,07:00,3", "--json")
    data = json.loads(out)
    assert code == 0 and data["total"] == 370 and data["severity"] is None


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["score", "phq9", "-a", "1,2,3"], "PHQ-9 expects 9–10 answers, got 3"),
        (["score", "phq9", "-a", "0,0,0,0,0,0,0,0,7"], "PHQ-9 item 9 (q9): 7 is not allowed"),
        (["score", "phq9", "-a", "0,,0,0,0,0,0,0,0"], "PHQ-9 item 2 (q2) is required"),
        (["score", "cows", "-a", "3,0,0,0,0,0,0,0,0,0,0"], "COWS item 1 (pulse)"),
        (["score", "phq8", "-a", "0"], "did you mean 'phq9'?"),
        (["score", "phq9", "-a", "0,0,0,0,0,0,0,0,0", "--locale", "xx-YY"], "--locale"),
        (["outcome", "phq9", "--baseline", "30", "--current", "2"], "baseline 30 is outside"),
        (["outcome", "cows", "--baseline", "10", "--current", "2"], "defines no response"),
    ],
)
def test_bad_input_is_one_line_on_stderr_and_exit_2(args: list[str], message: str) -> None:
    code, out, err = run(*args)
    assert code == 2 and out == ""
    assert err.count("\n") == 1 and err.startswith("error: ") and message in err


def test_outcome_json() -> None:
    code, out, _ = run("outcome", "phq9", "--baseline", "20", "--current", "9", "--json")
    data = json.loads(out)
    assert code == 0
    assert (data["change_pct"], data["response"], data["remission"]) == (-55.0, True, False)


def test_outcome_baseline_zero_text() -> None:
    code, out, _ = run("outcome", "gad7", "--baseline", "0", "--current", "0")
    assert code == 0 and "undefined" in out and "Remission: yes" in out


def test_instruments_lists_source_and_licence() -> None:
    code, out, _ = run("instruments", "--json")
    rows = {row["id"]: row for row in json.loads(out)}
    assert code == 0 and set(rows) >= {"phq9", "gad7", "cows", "sleep_diary"}
    assert rows["cows"]["doi"] == "10.1080/02791072.2003.10400007"
    assert "Pfizer" in rows["phq9"]["licence_terms"] or rows["phq9"]["licence"]
    code, out, _ = run("instruments")
    assert code == 0 and "Wesson" in out


def test_instruments_with_a_user_definition(tmp_path: Path) -> None:
    from test_instruments_definitions import _user_isi

    path = _user_isi(tmp_path)
    code, out, _ = run("instruments", "--json", "--definition", str(path))
    rows = {row["id"]: row for row in json.loads(out)}
    assert code == 0 and rows["isi"]["origin"] == "user"
    code, out, _ = run("score", "isi", "-a", "1,1,1,1,1,1,1", "--definition", str(path), "--json")
    assert code == 0 and json.loads(out)["severity"] == "no clinically significant insomnia"


def test_installed_entry_point_scores() -> None:
    exe = Path(sys.executable).parent / "neurogarden"
    done = subprocess.run(
        [str(exe), "score", "gad7", "--answers", "3,3,3,3,3,0,0", "--json"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["severity"] == "severe"
