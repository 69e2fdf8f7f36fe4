"""Cold starts, as ratios to references measured in the same run (the machine is noisy).

Each run is a fresh interpreter. `plan --json` is compared with `python -c pass`, and
`--help` with a bare Typer app of two commands rendering its help with Rich (the least
any Typer command line can do). The knowledge base's compiled copy is made first, as
`neurogarden kb check` makes it at install; a cold copy is timed once on its own.

Run: `make bench` or `.venv/bin/python bench/cold_start.py [RUNS]`.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "examples" / "sleep-and-study.yaml"
SCRIPT = Path(sys.executable).with_name("neurogarden")
BARE_TYPER = '''
import typer
app = typer.Typer()
@app.command()
def hello(name: str) -> None:
    """Say hello."""
    print(name)
@app.command()
def bye(name: str) -> None:
    """Say goodbye."""
    print(name)
app()
'''


def median_ms(cmd: list[str], runs: int, env: dict[str, str]) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(cmd, check=True, capture_output=True, cwd=ROOT, env=env)
        times.append(time.perf_counter() - start)
    return statistics.median(times) * 1000


def main(runs: int = 15) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        env = {**os.environ, "NEUROGARDEN_CACHE_DIR": str(Path(tmp) / "cache")}
        bare = Path(tmp) / "bare_typer.py"
        bare.write_text(BARE_TYPER, encoding="utf-8")
        plan = [str(SCRIPT), "plan", str(EXAMPLE), "--json"]
        start = time.perf_counter()
        subprocess.run(plan, check=True, capture_output=True, cwd=ROOT, env=env)
        first = (time.perf_counter() - start) * 1000  # compiles the knowledge base
        py = sys.executable
        rows = {
            "python -c pass": median_ms([py, "-c", "pass"], runs, env),
            "python -c 'import pydantic, yaml'": median_ms(
                [py, "-c", "import pydantic, yaml"], runs, env
            ),
            "python -c 'import pint'": median_ms([py, "-c", "import pint"], runs, env),
            "bare Typer app --help": median_ms([py, str(bare), "--help"], runs, env),
            "neurogarden --help": median_ms([str(SCRIPT), "--help"], runs, env),
            "neurogarden plan --json": median_ms(plan, runs, env),
        }
    base, typer_help = rows["python -c pass"], rows["bare Typer app --help"]
    print(f"| command | median ({runs} runs) | × python -c pass | × bare Typer --help |")
    print("|---|---|---|---|")
    for label, ms in rows.items():
        print(f"| {label} | {ms:.0f} ms | {ms / base:.1f}× | {ms / typer_help:.2f}× |")
    print(f"| plan --json, first start (compiles the knowledge base) | {first:.0f} ms | "
          f"{first / base:.1f}× | |")  # fmt: skip


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 15)
