"""The command line as a person runs it: real processes, exit codes and stderr."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import yaml

from neurogarden.kb.problems import DATA_DIR

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "examples" / "sleep-and-study.yaml"


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "neurogarden", *args],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=60,
    )


def write_profile(tmp_path: Path, data: dict[str, object], name: str = "p.yaml") -> Path:
    path = tmp_path / name
    path.write_text(yaml.safe_dump(data), encoding="utf-8")
    return path


def test_plan_json_is_one_object_with_the_contract_keys() -> None:
    done = run("plan", str(EXAMPLE), "--json")
    assert done.returncode == 0, done.stderr
    data = json.loads(done.stdout)
    assert {"supplements", "current", "totals", "findings", "windows", "events"} <= data.keys()
    assert data["current"][0] == {**data["current"][0], "compound_mg": 400.0, "elemental_mg": 241.2}
    mg = data["totals"]["magnesium"]
    assert mg["ul_supplemental_mg"] == 350.0 and mg["rda_mg"] == 320.0
    recommended = sum(s["elemental_mg"] for s in data["supplements"])
    assert mg["supplemental_mg"] == round(241.2 + recommended, 1)


def test_plan_text_shows_table_findings_and_sources() -> None:
    done = run("plan", str(EXAMPLE))
    assert done.returncode == 0, done.stderr
    assert "magnesium glycinate" in done.stdout
    assert "Sources" in done.stdout and "PMID" in done.stdout


def test_check_exits_1_on_a_block(tmp_path: Path) -> None:
    profile = {"person": {"age": 60, "sex": "male", "egfr": 22}, "goals": ["sleep"]}
    done = run("check", str(write_profile(tmp_path, profile)))
    assert done.returncode == 1
    assert "BLOCK" in done.stdout and "eGFR 22" in done.stdout


def test_check_exits_0_without_a_block() -> None:
    done = run("check", str(EXAMPLE))
    assert done.returncode == 0, done.stdout


def test_bad_input_is_one_line_on_stderr_and_exit_2(tmp_path: Path) -> None:
    profile = {
        "person": {"age": 34, "sex": "female"},
        "medications": [{"name": "doxycyline", "times": ["08:00"]}],
    }
    done = run("plan", str(write_profile(tmp_path, profile)), "--json")
    assert done.returncode == 2
    assert done.stdout == ""
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1
    assert "medications[0].name" in lines[0] and "did you mean 'doxycycline'" in lines[0]


def test_a_dose_without_unit_is_rejected(tmp_path: Path) -> None:
    profile = {
        "person": {"age": 34, "sex": "female"},
        "supplements": [{"name": "magnesium oxide", "amount": "400"}],
    }
    done = run("plan", str(write_profile(tmp_path, profile)))
    assert done.returncode == 2
    assert "supplements[0].amount" in done.stderr and "no unit" in done.stderr


def test_json_profiles_work(tmp_path: Path) -> None:
    path = tmp_path / "p.json"
    path.write_text(json.dumps({"person": {"age": 40, "sex": "male"}, "goals": ["energy"]}))
    data = json.loads(run("plan", str(path), "--json").stdout)
    assert data["supplements"][0]["name"] == "magnesium malate"


def test_kb_check_passes_on_the_packaged_data() -> None:
    done = run("kb", "check")
    assert done.returncode == 0, done.stdout
    assert "0 error(s)" in done.stdout


def test_kb_check_lists_every_problem_with_file_and_id(tmp_path: Path) -> None:
    data = tmp_path / "data"
    shutil.copytree(DATA_DIR, data)
    path = data / "interactions.yaml"
    text = path.read_text(encoding="utf-8")
    text = text.replace("    sources: [label-levofloxacin]\n", "    sources: []\n")
    text = text.replace("    sources: [label-moxifloxacin]\n", "    sources: [nowhere]\n")
    path.write_text(text, encoding="utf-8")
    done = run("kb", "check", "--data", str(data))
    assert done.returncode == 1
    assert "interactions.yaml: sep-levofloxacin: sources" in done.stdout
    assert "interactions.yaml: sep-moxifloxacin: cites unknown source 'nowhere'" in done.stdout


def test_kb_show_explains_a_record_with_its_sources() -> None:
    done = run("kb", "show", "Cipro", "--json")
    data = json.loads(done.stdout)
    assert data["id"] == "ciprofloxacin"
    assert data["sources_detail"][0]["id"] == "label-ciprofloxacin"
    assert run("kb", "show", "sep-moxifloxacin").returncode == 0


def test_kb_show_unknown_is_exit_2() -> None:
    done = run("kb", "show", "doxycyclin")
    assert done.returncode == 2 and "did you mean" in done.stderr


def test_kb_claims_lists_the_verdicts() -> None:
    data = json.loads(run("kb", "claims", "--json").stdout)
    verdicts = {c["id"]: c["verdict"] for c in data}
    assert len(data) >= 29
    assert verdicts["claim-mg-activates-nmda"] == "contradicted"
    assert verdicts["claim-kratom-safe-dose-1-3g"] == "misframed"
