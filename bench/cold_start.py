"""Wall time of `neurogarden plan EXAMPLE --json` from a cold process start.

Each run is a fresh interpreter, so it includes imports, loading the knowledge
base and the unit registry. Prints the median and spread of several runs.
"""

from __future__ import annotations

import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "examples" / "sleep-and-study.yaml"
SCRIPT = Path(sys.executable).with_name("neurogarden")


def timed(cmd: list[str], runs: int) -> list[float]:
    out = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(cmd, check=True, capture_output=True, cwd=ROOT)
        out.append(time.perf_counter() - start)
    return out


def main(runs: int = 15) -> None:
    baseline = timed([sys.executable, "-c", "pass"], runs)
    for label, cmd in (
        ("neurogarden plan --json (console script)", [str(SCRIPT), "plan", str(EXAMPLE), "--json"]),
        (
            "python -m neurogarden plan --json",
            [sys.executable, "-m", "neurogarden", "plan", str(EXAMPLE), "--json"],
        ),
    ):
        times = timed(cmd, runs)
        print(
            f"{label}: median {statistics.median(times) * 1000:.0f} ms, "
            f"min {min(times) * 1000:.0f} ms, max {max(times) * 1000:.0f} ms ({runs} runs)"
        )
    print(f"bare interpreter start: median {statistics.median(baseline) * 1000:.0f} ms")


if __name__ == "__main__":
    main()
