"""Definitions as data: sources, licences, codes, the loader and immutable records."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from pydantic import ValidationError

from neurogarden.instruments.lookup import find_instrument
from neurogarden.instruments.records import record_response
from neurogarden.instruments.scoring import InputError, score
from neurogarden.kb.instruments.loader import (
    DATA_DIR,
    default_catalogue,
    load_dir,
    load_user_definition,
    with_user_files,
)
from neurogarden.kb.instruments.models import InstrumentDefinition, loinc_check_digit

SHIPPED = {"phq9", "gad7", "cows", "sleep_diary", "adherence", "magnesium_signs"}


def test_the_packaged_folder_loads_without_problems() -> None:
    catalogue, problems = load_dir(DATA_DIR)
    assert problems == []
    assert set(catalogue.instruments) == SHIPPED
    assert catalogue.crisis is not None and catalogue.crisis.default.locale == "en-US"


def test_every_instrument_cites_a_source_and_a_shippable_licence() -> None:
    for definition in default_catalogue().instruments.values():
        source = definition.source
        assert source.pmid or source.doi or source.url or source.original
        assert definition.licence.redistributable, definition.id
        assert definition.origin == "shipped"


def test_licensed_scales_are_not_shipped() -> None:
    text = " ".join(p.read_text(encoding="utf-8").lower() for p in DATA_DIR.glob("*.yaml"))
    for marker in ("insomnia severity index", "pittsburgh sleep quality", "columbia"):
        assert marker not in text
    assert not {"isi", "psqi", "cssrs", "c_ssrs"} & set(default_catalogue().instruments)


def test_loinc_codes_of_the_totals() -> None:
    instruments = default_catalogue().instruments
    phq9_total, gad7_total = instruments["phq9"].scoring.loinc, instruments["gad7"].scoring.loinc
    assert phq9_total is not None and phq9_total.code == "44261-6"
    assert gad7_total is not None and gad7_total.code == "70274-6"
    assert [loinc_check_digit(b) for b in ("44261", "70274", "44260", "44249", "69737")] == [
        6,
        6,
        8,
        1,
        5,
    ]


def test_magnesium_checklist_is_presented_as_not_diagnostic() -> None:
    checklist = default_catalogue().instruments["magnesium_signs"]
    result = score(checklist, [1] * 12)
    assert result.total == 12 and result.severity is None and result.flags == ()
    assert result.notices and result.notices[0].startswith("Not diagnostic")
    assert checklist.evidence_status == "unsupported"
    assert "not diagnostic" in checklist.title


def test_lookup_by_alias_and_did_you_mean() -> None:
    instruments = default_catalogue().instruments
    assert find_instrument(instruments, "PHQ-9").id == "phq9"
    assert find_instrument(instruments, "Sleep diary").id == "sleep_diary"
    with pytest.raises(InputError, match="did you mean 'gad7'"):
        find_instrument(instruments, "gad-8")


def _phq9_raw() -> dict[str, object]:
    return default_catalogue().instruments["phq9"].model_dump(exclude={"origin"})


def test_a_gap_between_bands_is_refused() -> None:
    raw = _phq9_raw()
    raw["scoring"]["bands"][1]["min"] = 6  # type: ignore[index]
    with pytest.raises(ValidationError, match="gap"):
        InstrumentDefinition.model_validate(raw)


def test_a_safety_rule_on_an_unknown_item_is_refused() -> None:
    raw = _phq9_raw()
    raw["safety"][0]["when"]["ref"] = "q99"  # type: ignore[index]
    with pytest.raises(ValidationError, match="unknown 'q99'"):
        InstrumentDefinition.model_validate(raw)


def test_a_mistyped_loinc_code_is_refused() -> None:
    raw = _phq9_raw()
    raw["scoring"]["loinc"]["code"] = "44261-5"  # type: ignore[index]
    with pytest.raises(ValidationError, match="check digit"):
        InstrumentDefinition.model_validate(raw)


def test_problems_are_collected_with_their_file(tmp_path: Path) -> None:
    (tmp_path / "broken.yaml").write_text("instrument: {id: x}\n", encoding="utf-8")
    (tmp_path / "bad_yaml.yaml").write_text("instrument: [\n", encoding="utf-8")
    (tmp_path / "other.yaml").write_text("surprise: 1\n", encoding="utf-8")
    _catalogue, problems = load_dir(tmp_path)
    files = sorted({p.file for p in problems})
    assert {"bad_yaml.yaml", "broken.yaml", "other.yaml"} <= set(files)
    assert any("no crisis_resources" in p.message for p in problems)


USER_ISI = """
instrument:
  id: isi
  version: 1.0.0
  title: Insomnia Severity Index (clinic-licensed copy)
  short_title: ISI
  rater: self
  items:
{items}
  scoring:
    method: sum
    bands:
      - {{min: 0, max: 7, label: no clinically significant insomnia}}
      - {{min: 8, max: 14, label: subthreshold insomnia}}
      - {{min: 15, max: 21, label: clinical insomnia (moderate)}}
      - {{min: 22, max: 28, label: clinical insomnia (severe)}}
  source:
    citation: Bastien CH, Vallières A, Morin CM. Sleep Med 2001;2:297-307.
    doi: 10.1016/s1389-9457(00)00065-4
    verification: U
  licence:
    name: Licensed from Mapi Research Trust
    holder: C.M. Morin
    terms: Used under the clinic's own licence; not redistributable.
    redistributable: false
"""


def _user_isi(tmp_path: Path, licence: bool = True) -> Path:
    items = "\n".join(
        f"    - {{id: i{n}, text: 'item {n} (licensed text held by the clinic)', "
        f"options: [{{value: 0, label: '0'}}, {{value: 1, label: '1'}}, {{value: 2, label: '2'}}, "
        f"{{value: 3, label: '3'}}, {{value: 4, label: '4'}}]}}"
        for n in range(1, 8)
    )
    text = USER_ISI.format(items=items)
    if not licence:
        text = text[: text.index("  licence:")]
    path = tmp_path / "isi.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_a_user_supplied_licensed_definition_is_scored(tmp_path: Path) -> None:
    catalogue, problems = with_user_files([_user_isi(tmp_path)])
    assert problems == []
    isi = catalogue.instruments["isi"]
    assert isi.origin == "user" and not isi.licence.redistributable
    assert score(isi, [2, 2, 2, 2, 2, 2, 3]).severity == "clinical insomnia (moderate)"
    assert "isi" not in default_catalogue().instruments


def test_a_user_definition_without_a_licence_is_refused(tmp_path: Path) -> None:
    definition, problems = load_user_definition(_user_isi(tmp_path, licence=False))
    assert definition is None
    assert "licence" in problems[0].message


# --- sleep diary arithmetic ---------------------------------------------------------------


def diary(**answers: object) -> dict[str, float | int | None]:
    base: dict[str, object] = {
        "bedtime": "23:30",
        "sleep_latency": 20,
        "awakenings": 2,
        "waso": 30,
        "final_wake": "06:30",
        "rise_time": "07:00",
        "quality": 3,
    }
    result = score(default_catalogue().instruments["sleep_diary"], {**base, **answers})
    return {d.id: d.value for d in result.derived} | {"total": result.total}


def test_sleep_diary_across_midnight() -> None:
    values = diary()
    assert values["time_in_bed"] == 450  # 23:30 → 07:00
    assert values["total_sleep_time"] == 420 - 20 - 30  # 23:30 → 06:30, minus SOL and WASO
    assert values["sleep_efficiency"] == round(100 * 370 / 450, 1)
    assert values["total"] == 370


def test_sleep_diary_after_midnight_bedtime_and_lights_out() -> None:
    values = diary(bedtime="00:45", lights_out="01:15", final_wake="08:15", rise_time="08:45")
    assert values["time_in_bed"] == 480
    assert values["sleep_window"] == 420  # lights out 01:15 → final wake 08:15
    assert values["total_sleep_time"] == 370


def test_sleep_diary_daytime_sleeper() -> None:
    values = diary(bedtime="08:00", final_wake="15:00", rise_time="15:30", waso=0, sleep_latency=0)
    assert (values["time_in_bed"], values["total_sleep_time"]) == (450, 420)


@given(
    bed=st.integers(0, 1439),
    in_bed=st.integers(1, 1439),
    sol=st.integers(0, 120),
    waso=st.integers(0, 120),
    lie_in=st.integers(0, 60),
)
def test_sleep_diary_arithmetic_matches_plain_minutes(
    bed: int, in_bed: int, sol: int, waso: int, lie_in: int
) -> None:
    if sol + waso + lie_in > in_bed:
        return
    clock = lambda m: f"{m % 1440 // 60:02d}:{m % 60:02d}"  # noqa: E731
    values = diary(
        bedtime=clock(bed),
        sleep_latency=sol,
        waso=waso,
        final_wake=clock(bed + in_bed - lie_in),
        rise_time=clock(bed + in_bed),
    )
    tst = in_bed - lie_in - sol - waso
    assert values["time_in_bed"] == in_bed
    assert values["total_sleep_time"] == tst
    assert values["sleep_efficiency"] == round(100 * tst / in_bed, 1)


def test_adherence_percentages_and_nothing_planned() -> None:
    adherence = default_catalogue().instruments["adherence"]
    result = score(adherence, ["4", "3", "1", "", "1", "0", ""])
    values = {d.id: d.value for d in result.derived}
    assert values["dose_adherence"] == 75
    assert values["checklist_adherence"] == 66.7
    assert result.total == round(100 * 5 / 7, 1)
    assert score(adherence, ["0", "0"]).total is None


# --- immutable records --------------------------------------------------------------------


def test_records_are_frozen_and_keep_their_version() -> None:
    phq9 = default_catalogue().instruments["phq9"]
    record = record_response(
        phq9,
        [1, 1, 1, 1, 1, 1, 1, 1, 0],
        patient_id="P-1",
        entered_by="clinician:ak",
        taken_at=datetime(2025, 1, 6, 9, 30, tzinfo=UTC),
    )
    assert (record.instrument_id, record.instrument_version, record.score.total) == (
        "phq9",
        "1.0.0",
        8,
    )
    with pytest.raises(ValidationError):
        record.entered_by = "someone else"  # type: ignore[misc]
    changed = phq9.model_copy(
        update={"version": "2.0.0", "scoring": phq9.scoring.model_copy(update={"bands": ()})}
    )
    assert score(changed, [1] * 8 + [0]).severity is None
    assert record.score.severity == "mild" and record.instrument_version == "1.0.0"
    assert record.model_validate_json(record.model_dump_json()) == record


def test_records_store_clock_answers_as_text_and_need_a_timezone() -> None:
    diary_def = default_catalogue().instruments["sleep_diary"]
    answers = ["23:30", "", "20", "2", "30", "06:30", "07:00", "3"]
    record = record_response(
        diary_def, answers, patient_id="P-1", entered_by="self",
        taken_at=datetime(2025, 1, 7, 7, 10, tzinfo=UTC),
    )  # fmt: skip
    assert record.answer("bedtime") == "23:30" and record.answer("lights_out") is None
    assert record.score.total == 370
    with pytest.raises(ValidationError):
        record_response(
            diary_def, answers, patient_id="P-1", entered_by="self",
            taken_at=datetime(2025, 1, 7, 7, 10),
        )  # fmt: skip


def test_a_broken_instrument_file_is_a_kb_check_problem(tmp_path: Path) -> None:
    import shutil

    from neurogarden.kb.instruments.loader import DATA_DIR, load_dir

    data = tmp_path / "instruments"
    shutil.copytree(DATA_DIR, data)
    (data / "gad7.yaml").write_text("instrument: {id: gad7}\n", encoding="utf-8")
    _catalogue, problems = load_dir(data)
    assert any(p.file == "gad7.yaml" for p in problems)
