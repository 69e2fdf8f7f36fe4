"""`neurogarden recovery` as a person runs it: real processes, exit codes and stderr."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml

from test_cli import ROOT, run

EXAMPLE = ROOT / "examples" / "recovery-log.yaml"
TODAY = "--today=2026-11-21"


def test_alerts_on_the_example_log() -> None:
    done = run("recovery", "alerts", str(EXAMPLE), TODAY, "--json")
    assert done.returncode == 1, done.stderr  # a block-level alert
    alerts = json.loads(done.stdout)
    assert [(a["severity"], a["code"]) for a in alerts] == [
        ("block", "recovery-new-combination"),
        ("warn", "recovery-cows-moderate"),
        ("warn", "recovery-rising-use"),
        ("warn", "recovery-rising-use"),
    ]
    assert alerts[1]["day"] == "2026-11-20" and alerts[1]["message"].startswith("COWS 14")
    assert "kratom: used on 7 of the last 7 days (28 g in all)" in alerts[3]["message"]


def test_alerts_as_text_cite_their_sources() -> None:
    done = run("recovery", "alerts", str(EXAMPLE), TODAY)
    assert "BLOCK" in done.stdout and "Sources" in done.stdout
    assert "doi:10.1080/02791072.2003.10400007" in done.stdout


def test_alerts_with_a_profile_add_its_medicines(tmp_path: Path) -> None:
    log = tmp_path / "log.yaml"
    log.write_text("uses: [{day: 2026-11-20, substance: kratom, amount: 2 g}]\n", encoding="utf-8")
    profile = tmp_path / "p.yaml"
    profile.write_text(
        yaml.safe_dump(
            {"person": {"age": 40, "sex": "male"}, "medications": [{"name": "buprenorphine"}]}
        ),
        encoding="utf-8",
    )
    done = run("recovery", "alerts", str(log), "--profile", str(profile), TODAY, "--json")
    assert done.returncode == 1
    (alert,) = json.loads(done.stdout)
    assert alert["message"].startswith("kratom, buprenorphine:")
    quiet = run("recovery", "alerts", str(log), TODAY)
    assert quiet.returncode == 0 and "No alerts." in quiet.stdout


def test_chart_writes_a_png_and_prints_its_text_alternative(tmp_path: Path) -> None:
    out = tmp_path / "timeline.png"
    done = run("recovery", "chart", str(EXAMPLE), "--out", str(out), TODAY)
    assert done.returncode == 0, done.stderr
    assert out.read_bytes().startswith(b"\x89PNG")
    assert done.stdout.startswith("Recovery timeline from 2026-11-08 to 2026-11-21.")


def test_options_are_information_with_sources() -> None:
    data = json.loads(run("recovery", "options", "--json").stdout)
    assert "as information, the clinician decides" in data["note"]
    assert [o["id"] for o in data["options"]][:3] == [
        "moud-buprenorphine",
        "moud-methadone",
        "moud-naltrexone-xr",
    ]
    text = run("recovery", "options").stdout
    assert "buprenorphine" in text and "Sources" in text and "kratom" in text.casefold()


BAD = [
    (
        "uses: [{day: 2026-11-20, substance: kratum, amount: 2 g}]\n",
        "error: uses[0].substance: unknown substance 'kratum'; did you mean 'kratom'?",
    ),
    (
        "uses: [{day: 2026-11-20, substance: kratom, amount: '2'}]\n",
        "error: uses[0].amount: expected an amount with a unit such as '2 g', got '2'",
    ),
    (
        "cravings: [{day: 2026-11-20, rating: 12}]\n",
        "error: cravings[0].rating: expected a whole number from 0 to 10, got 12",
    ),
    ("cows: [{day: 2026-11-20, total: 60}]\n", "error: cows[0].total: expected a whole number"),
    ("kratom: daily\n", "error: kratom: is not a recovery log field"),
    ("- just a list\n", "expected a mapping"),
    ("uses: [\n", "is not valid YAML: "),
]


@pytest.mark.parametrize(("text", "message"), BAD)
@pytest.mark.parametrize("command", ["alerts", "chart"])
def test_bad_log_is_exit_2_with_one_line(
    tmp_path: Path, command: str, text: str, message: str
) -> None:
    log = tmp_path / "log.yaml"
    log.write_text(text, encoding="utf-8")
    extra = ["--out", str(tmp_path / "t.svg")] if command == "chart" else []
    done = run("recovery", command, str(log), *extra, TODAY)
    assert done.returncode == 2, done.stdout
    assert message in done.stderr and done.stderr.count("\n") == 1


def test_chart_refuses_an_unknown_format_and_an_empty_log(tmp_path: Path) -> None:
    bad = run("recovery", "chart", str(EXAMPLE), "--out", str(tmp_path / "t.gif"))
    assert bad.returncode == 2 and "must end in .svg or .png" in bad.stderr
    empty = tmp_path / "empty.yaml"
    empty.write_text("uses: []\n", encoding="utf-8")
    done = run("recovery", "chart", str(empty), "--out", str(tmp_path / "t.svg"))
    assert done.returncode == 2 and "nothing to chart" in done.stderr
