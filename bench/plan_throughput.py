"""Plans per second in-process over the example profiles (one core).

Run: `make bench` (or `.venv/bin/python bench/plan_throughput.py`). Prints numbers;
asserts nothing: speed is measured here, never in the test suite.
"""

from __future__ import annotations

import statistics
import time
from pathlib import Path

from neurogarden import load_kb, load_profile, plan
from neurogarden.kb.documents import read_document

# The example profiles (the recovery log beside them is not one).
EXAMPLES = [
    path
    for path in sorted((Path(__file__).resolve().parents[1] / "examples").glob("*.yaml"))
    if "person" in read_document(path)
]


def main(rounds: int = 5, per_round: int = 2000) -> None:
    kb = load_kb()
    profiles = [load_profile(p, kb=kb) for p in EXAMPLES]
    for p in profiles:  # warm caches (pint registry, rapidfuzz) before timing
        plan(p, kb=kb)
    rates = []
    for _ in range(rounds):
        start = time.perf_counter()
        for i in range(per_round):
            plan(profiles[i % len(profiles)], kb=kb)
        rates.append(per_round / (time.perf_counter() - start))
    load_rates = []
    for _ in range(rounds):
        start = time.perf_counter()
        for i in range(per_round // 4):
            load_profile(EXAMPLES[i % len(EXAMPLES)], kb=kb)
        load_rates.append((per_round // 4) / (time.perf_counter() - start))
    print(f"profiles: {len(profiles)} ({', '.join(p.name for p in EXAMPLES)})")
    print(f"plan(): median {statistics.median(rates):,.0f} plans/s (min {min(rates):,.0f})")
    print(f"load_profile() from file: median {statistics.median(load_rates):,.0f} profiles/s")


if __name__ == "__main__":
    main()
