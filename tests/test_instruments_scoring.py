"""The scoring engine against the published scoring rules, exhaustively where it is cheap."""

from __future__ import annotations

import itertools
from functools import cache

import pytest

from neurogarden.instruments.scoring import InputError, score
from neurogarden.kb.instruments.loader import default_catalogue
from neurogarden.kb.instruments.models import InstrumentDefinition

# The bands as the issue states them, written out independently of the YAML.
PHQ9_BANDS = [(0, 4, "minimal"), (5, 9, "mild"), (10, 14, "moderate"),
              (15, 19, "moderately severe"), (20, 27, "severe")]  # fmt: skip
GAD7_BANDS = [(0, 4, "minimal"), (5, 9, "mild"), (10, 14, "moderate"), (15, 21, "severe")]
COWS_BANDS = [(0, 4, "no active withdrawal"), (5, 12, "mild"), (13, 24, "moderate"),
              (25, 36, "moderately severe"), (37, 48, "severe")]  # fmt: skip
COWS_ALLOWED = {
    "pulse": {0, 1, 2, 4},
    "sweating": {0, 1, 2, 3, 4},
    "restlessness": {0, 1, 3, 5},
    "pupils": {0, 1, 2, 5},
    "aches": {0, 1, 2, 4},
    "runny_nose": {0, 1, 2, 4},
    "gi_upset": {0, 1, 2, 3, 5},
    "tremor": {0, 1, 2, 4},
    "yawning": {0, 1, 2, 4},
    "anxiety": {0, 1, 2, 4},
    "gooseflesh": {0, 3, 5},
}  # fmt: skip (facts.md E1)


def definition(instrument_id: str) -> InstrumentDefinition:
    return default_catalogue().instruments[instrument_id]


def band_of(bands: list[tuple[int, int, str]], total: int) -> str:
    return next(label for low, high, label in bands if low <= total <= high)


@cache
def answers_for(instrument_id: str, total: int) -> tuple[int, ...]:
    """Some valid answer vector reaching `total`, found by search over allowed values."""
    items = definition(instrument_id).scored_items

    def search(index: int, remaining: int) -> tuple[int, ...] | None:
        if index == len(items):
            return () if remaining == 0 else None
        for value in sorted(items[index].allowed, reverse=True):
            if value <= remaining:
                rest = search(index + 1, remaining - value)
                if rest is not None:
                    return (value, *rest)
        return None

    found = search(0, total)
    assert found is not None, f"{instrument_id} cannot reach {total}"
    return found


def test_phq9_all_262144_answer_vectors() -> None:
    """Every PHQ-9 answer vector: total, band and the item-9 flag match a plain computation."""
    phq9 = definition("phq9")
    labels = [band_of(PHQ9_BANDS, t) for t in range(28)]
    count = 0
    for answers in itertools.product(range(4), repeat=9):
        result = score(phq9, answers)
        total = sum(answers)
        assert result.total == total
        assert result.severity == labels[total]
        assert [f.rule for f in result.flags] == (["phq9-item9"] if answers[8] > 0 else [])
        count += 1
    assert count == 4**9


@pytest.mark.parametrize(
    ("instrument_id", "bands"),
    [("phq9", PHQ9_BANDS), ("gad7", GAD7_BANDS), ("cows", COWS_BANDS)],
)
def test_every_band_boundary(instrument_id: str, bands: list[tuple[int, int, str]]) -> None:
    target = definition(instrument_id)
    for low, high, label in bands:
        for total in {low, high}:
            result = score(target, answers_for(instrument_id, total))
            assert (result.total, result.severity) == (total, label)
    assert target.total_range == (bands[0][0], bands[-1][1])


def test_every_cows_total_has_the_right_band() -> None:
    for total in range(49):
        assert score(definition("cows"), answers_for("cows", total)).severity == band_of(
            COWS_BANDS, total
        )


def test_cows_items_allow_exactly_the_published_values() -> None:
    cows = definition("cows")
    assert {item.id: set(item.allowed) for item in cows.items} == COWS_ALLOWED
    assert cows.rater == "clinician"


def test_gad7_bands_and_no_flags() -> None:
    gad7 = definition("gad7")
    assert score(gad7, [3] * 7).model_dump()["severity"] == "severe"
    assert score(gad7, [3] * 7).flags == ()
    assert score(gad7, [0] * 7 + [2]).total == 0  # the difficulty item is not scored


def test_item9_flag_whatever_the_total_with_default_988() -> None:
    result = score(definition("phq9"), [0, 0, 0, 0, 0, 0, 0, 0, 1])
    assert result.total == 1 and result.severity == "minimal"
    (flag,) = result.flags
    assert flag.level == "urgent" and flag.ref == "q9"
    assert flag.resources is not None and flag.resources.locale == "en-US"
    assert "988" in flag.resources.resources[0].contact


def test_crisis_resources_per_locale() -> None:
    directory = default_catalogue().crisis
    assert directory is not None
    gb = directory.for_locale("en_gb")
    assert gb is not None and "116 123" in gb.resources[0].contact
    assert directory.for_locale("CA") is not None
    assert directory.for_locale("xx-XX") is None
    result = score(definition("phq9"), [0] * 8 + [3], gb)
    assert result.flags[0].resources == gb


def test_phq9_optional_difficulty_item_is_accepted_and_unscored() -> None:
    phq9 = definition("phq9")
    assert score(phq9, [1] * 9 + [3]).total == 9
    assert score(phq9, {f"q{n}": 1 for n in range(1, 10)}).total == 9


# --- invalid input: every message names the item or field --------------------------------

INVALID = [
    ("phq9", [0] * 8, "expects 9–10 answers, got 8"),
    ("phq9", [0] * 11, "expects 9–10 answers, got 11"),
    ("gad7", [0] * 6, "expects 7–8 answers, got 6"),
    ("cows", [0] * 10, "expects 11 answers, got 10"),
    ("phq9", [0, 0, 4, 0, 0, 0, 0, 0, 0], "PHQ-9 item 3 (q3): 4 is not allowed"),
    ("phq9", [0, 0, 0, 0, 0, 0, 0, 0, -1], "PHQ-9 item 9 (q9): -1 is not allowed"),
    ("phq9", ["0", "x", "0", "0", "0", "0", "0", "0", "0"], "item 2 (q2) expects a whole number"),
    ("phq9", ["0", "", "0", "0", "0", "0", "0", "0", "0"], "item 2 (q2) is required"),
    ("phq9", [0, 0, 0, 0, 0, 0, 0, 0, None], "item 9 (q9) is required"),
    ("cows", [3, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0], "COWS item 1 (pulse): 3 is not allowed"),
    ("cows", [0, 0, 2, 0, 0, 0, 0, 0, 0, 0, 0], "COWS item 3 (restlessness): 2 is not allowed"),
    ("cows", [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1], "COWS item 11 (gooseflesh): 1 is not allowed"),
    ("phq9", {"q1": 0, "q10": 1}, "has no item 'q10'"),
    ("phq9", {"q1": 0}, "item 2 (q2) is required"),
    ("sleep_diary", ["25:00", "", "10", "0", "0", "06:00", "07:00", "3"], "item 1 (bedtime)"),
    ("sleep_diary", ["7.30", "", "10", "0", "0", "06:00", "07:00", "3"], "HH:MM"),
    ("sleep_diary", ["23:00", "", "-1", "0", "0", "06:00", "07:00", "3"], "(sleep_latency): -1"),
    ("sleep_diary", ["23:00", "", "721", "0", "0", "06:00", "07:00", "3"], "out of range"),
    ("sleep_diary", ["23:00", "", "10", "0", "0", "06:00", "07:00", "6"], "(quality): 6"),
    ("sleep_diary", ["23:00", "", "10", "0", "0", "06:00", "23:00", "3"], "rise_time must differ"),
    ("sleep_diary", ["23:00", "", "10", "0", "0", "07:30", "07:00", "3"], "final_wake must fall"),
    ("sleep_diary", ["23:00", "22:30", "10", "0", "0", "06:00", "07:00", "3"], "lights_out must"),
    ("sleep_diary", ["23:00", "", "300", "0", "300", "06:00", "07:00", "3"], "exceed the time"),
    ("adherence", ["2", "3"], "doses_taken exceeds doses_planned"),
    ("adherence", ["2", "51"], "(doses_taken): 51 is out of range"),
    ("magnesium_signs", [1] * 11 + [2], "item 12 (cravings): 2 is not allowed"),
]


@pytest.mark.parametrize(("instrument_id", "answers", "message"), INVALID)
def test_invalid_input_names_the_item(instrument_id: str, answers: object, message: str) -> None:
    with pytest.raises(InputError) as caught:
        score(definition(instrument_id), answers)  # type: ignore[arg-type]
    assert message in str(caught.value)
    assert "\n" not in str(caught.value)


CLOCKS = {"bedtime": "23:00", "final_wake": "06:00", "rise_time": "07:00"}


def valid_answers(target: InstrumentDefinition) -> dict[str, object]:
    """The lowest allowed answer for every item, plausible clock times for the diary."""
    answers: dict[str, object] = {}
    for item in target.items:
        if item.kind == "clock":
            answers[item.id] = CLOCKS.get(item.id)
        else:
            answers[item.id] = item.low
    return answers


def test_every_disallowed_value_of_every_choice_item_is_refused() -> None:
    checked = 0
    for target in default_catalogue().instruments.values():
        base = valid_answers(target)
        score(target, base)  # the base itself is valid
        for item in target.items:
            if item.kind != "choice":
                continue
            for bad in set(range(-1, 7)) - item.allowed:
                with pytest.raises(InputError) as caught:
                    score(target, {**base, item.id: bad})
                assert caught.value.field == item.id
                assert f"({item.id}): {bad} is not allowed" in str(caught.value)
                checked += 1
    assert checked > 200
