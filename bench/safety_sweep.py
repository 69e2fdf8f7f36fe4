"""The safety sweep: N generated profiles (default 100,000) through parse and plan, each
checked against the invariants of `tests/plan_invariants.py` (every recommended dose
within the ceiling and the UL, outside every separation window, absent under a hold;
a child within the gap to the RDA). Bad input must be a ProfileError; anything else
is counted as a crash.

Run: `.venv/bin/python bench/safety_sweep.py [N] [SEED]`. Prints counts, profiles/s and,
as a reference measured in the same run, how many profiles/s `ProfileIn.model_validate`
alone reaches on the same dicts (the machine is noisy, so the ratio is what compares).
"""

from __future__ import annotations

import random
import sys
import time
from collections import Counter
from datetime import date
from pathlib import Path

from rich.progress import track

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))

from neurogarden.api import load_kb, load_profile, plan
from neurogarden.profile import ProfileError, ProfileIn
from plan_invariants import check_plan_invariants, random_profile

TODAY = date(2026, 11, 21)


def main(count: int = 100_000, seed: int = 2026) -> int:
    kb = load_kb()
    rng = random.Random(seed)
    profiles = [random_profile(rng, kb) for _ in range(count)]
    outcomes: Counter[str] = Counter()
    failures: list[str] = []
    start = time.perf_counter()
    for data in track(profiles, description="planning"):
        try:
            profile = load_profile(data, kb=kb, today=TODAY)
        except ProfileError:
            outcomes["refused (validation error)"] += 1
            continue
        try:
            result = plan(profile, kb=kb)
            check_plan_invariants(profile, result, kb)
        except AssertionError as exc:
            outcomes["INVARIANT BROKEN"] += 1
            failures.append(f"{exc!r}"[:300])
            continue
        except Exception as exc:
            outcomes[f"CRASH {type(exc).__name__}"] += 1
            failures.append(f"{exc!r}"[:300])
            continue
        outcomes["planned"] += 1
        if any(f.holds_magnesium for f in result.findings):
            outcomes["  of which held"] += 1
        if any(w.supplements for w in result.windows):
            outcomes["  of which with window doses"] += 1
    elapsed = time.perf_counter() - start
    ref_start = time.perf_counter()
    for data in profiles[: min(count, 20_000)]:
        try:
            ProfileIn.model_validate(data)
        except Exception:
            continue
    ref_rate = min(count, 20_000) / (time.perf_counter() - ref_start)
    rate = count / elapsed
    print(f"profiles: {count:,} (seed {seed})")
    for key, n in sorted(outcomes.items()):
        print(f"  {key}: {n:,}")
    print(f"parse + plan + invariants: {rate:,.0f} profiles/s ({elapsed:.1f} s)")
    print(f"reference, ProfileIn.model_validate alone: {ref_rate:,.0f} profiles/s")
    print(f"ratio: {ref_rate / rate:.0f}x the reference")
    for line in failures[:10]:
        print("  ", line)
    return 1 if failures else 0


if __name__ == "__main__":
    args = [int(a) for a in sys.argv[1:3]]
    sys.exit(main(*args))
