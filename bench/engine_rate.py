"""Parse + plan in process, against `ProfileIn.model_validate` of the same dicts.

A seeded, varied set of generated profiles (the safety suite's generator) goes through
`load_profile` and `plan`; the reference is pydantic validating the same dicts alone,
measured in the same run, so the ratio survives a noisy machine.

Run: `make bench` or `.venv/bin/python bench/engine_rate.py [COUNT] [SEED]`.
"""

from __future__ import annotations

import contextlib
import random
import statistics
import sys
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))

from neurogarden.api import load_kb, load_profile, plan
from neurogarden.profile import ProfileError, ProfileIn
from plan_invariants import random_profile

TODAY = date(2026, 11, 21)


def rate(work: Callable[[], int], rounds: int = 5) -> float:
    """The median of `rounds` runs, in items per second."""
    rates = []
    for _ in range(rounds):
        start = time.perf_counter()
        done = work()
        rates.append(done / (time.perf_counter() - start))
    return statistics.median(rates)


def main(count: int = 1000, seed: int = 2026) -> None:
    kb = load_kb()
    rng = random.Random(seed)
    profiles: list[dict[str, Any]] = [random_profile(rng, kb) for _ in range(count)]

    def parse_and_plan() -> int:
        for data in profiles:
            with contextlib.suppress(ProfileError):  # a refusal is an answer, timed too
                plan(load_profile(data, kb=kb, today=TODAY), kb=kb)
        return len(profiles)

    def validate_only() -> int:
        for data in profiles:
            with contextlib.suppress(ValueError):
                ProfileIn.model_validate(data)
        return len(profiles)

    parse_and_plan()  # warm the per-process caches, as a server would be
    ours, reference = rate(parse_and_plan), rate(validate_only)
    print(f"| {count} generated profiles (seed {seed}) | per second | ratio |")
    print("|---|---|---|")
    print(f"| ProfileIn.model_validate (reference) | {reference:,.0f} | 1 |")
    print(f"| load_profile + plan | {ours:,.0f} | 1/{reference / ours:.1f} |")


if __name__ == "__main__":
    main(*(int(a) for a in sys.argv[1:3]))
