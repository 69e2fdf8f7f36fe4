"""Import of a generated 10,000-food FoodData Central download, and `foods search` latency.

The download is written in the public FDC CSV format by the seeded generator in
tests/fdc_sample.py, with 60 other nutrients per food so that food_nutrient.csv
has the shape of a real one. Times the import into a fresh SQLite file (and into
PostgreSQL at 127.0.0.1:5432 when reachable), a second import of the same files
(all upserts), and search latency: the median of 100 queries in-process and one
cold `neurogarden foods search` process; and what a plan naming an imported food by its
portion costs: loading every stored food with its portions as knowledge-base records, and
one cold `neurogarden plan` process. Prints figures; asserts nothing.
"""

from __future__ import annotations

import os
import secrets
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))

from sqlalchemy import Engine  # noqa: E402

from fdc_sample import generated_foods, write_fdc  # noqa: E402
from neurogarden.api import load_kb  # noqa: E402
from neurogarden.storage import make_engine, upgrade  # noqa: E402
from neurogarden.storage.fdc_import import import_fdc  # noqa: E402
from neurogarden.storage.foods import foods_for_profiles, search_foods  # noqa: E402

FOODS = 10_000
QUERIES = ("pumkin seeds", "almond roasted", "kale boiled", "cocoa", "salmon cooked")
PG_ADMIN = "host=127.0.0.1 port=5432 user=postgres dbname=postgres"
T = TypeVar("T")


def timed(action: Callable[[], T]) -> tuple[T, float]:
    start = time.perf_counter()
    result = action()
    return result, time.perf_counter() - start


def bench_import(label: str, engine: Engine, folder: Path) -> None:
    upgrade(engine)
    counts, first = timed(lambda: import_fdc(engine, folder))
    _, second = timed(lambda: import_fdc(engine, folder))
    print(
        f"{label}: import {counts.foods} foods + {counts.portions} portions "
        f"({counts.skipped} without Mg) in {first:.2f} s; re-import (upserts) {second:.2f} s"
    )


def bench_search(engine: Engine, url: str) -> None:
    kb_foods = load_kb().foods.values()
    times = []
    for i in range(100):
        query = QUERIES[i % len(QUERIES)]
        start = time.perf_counter()
        search_foods(query, engine, kb_foods)
        times.append(time.perf_counter() - start)
    print(
        f"search over {FOODS} stored + packaged foods (in-process, reads the DB each time): "
        f"median {statistics.median(times) * 1000:.1f} ms, max {max(times) * 1000:.1f} ms"
    )
    env = {**os.environ, "NEUROGARDEN_DATABASE_URL": url}
    cmd = [sys.executable, "-m", "neurogarden", "foods", "search", "pumkin seeds", "--json"]
    cold = []
    for _ in range(5):
        _, seconds = timed(lambda: subprocess.run(cmd, env=env, check=True, capture_output=True))
        cold.append(seconds)
    print(f"`neurogarden foods search` cold process: median {statistics.median(cold):.2f} s")


def bench_profiles(engine: Engine, url: str, folder: Path) -> None:
    """Stored foods as KB records (all portions, and only one named food's portions, as a
    plan reads them), and a cold plan that logs one imported food by its cup."""
    every: list[float] = []
    named: list[float] = []
    name = generated_foods(4)[3].description  # the seeded generator: the same food every run
    for _ in range(5):
        foods, seconds = timed(lambda: foods_for_profiles(engine))
        every.append(seconds)
        _, seconds = timed(lambda: foods_for_profiles(engine, portions_for=[name]))
        named.append(seconds)
    portions = sum(len(f.portions) for f in foods)
    print(
        f"{len(foods)} stored foods as profile foods: with all {portions} portions median "
        f"{statistics.median(every) * 1000:.0f} ms; with one named food's portions (as "
        f"`plan` reads them) median {statistics.median(named) * 1000:.0f} ms"
    )
    name = next(f.name for f in foods if f.portions)
    profile = folder / "profile.yaml"
    profile.write_text(
        "person: {age: 34, sex: female, egfr: 90}\ngoals: [general]\n"
        f"diet:\n  - {{food: '{name}', amount: 1 cup}}\n",
        encoding="utf-8",
    )
    env = {**os.environ, "NEUROGARDEN_DATABASE_URL": url}
    cmd = [sys.executable, "-m", "neurogarden", "plan", str(profile), "--json"]
    cold = []
    for _ in range(5):
        _, seconds = timed(lambda: subprocess.run(cmd, env=env, check=True, capture_output=True))
        cold.append(seconds)
    print(
        "`neurogarden plan` logging an imported food by its cup, cold process: "
        f"median {statistics.median(cold):.2f} s"
    )


def postgres_database() -> str | None:
    try:
        import psycopg

        name = f"neurogarden_bench_{secrets.token_hex(4)}"
        with psycopg.connect(PG_ADMIN, autocommit=True, connect_timeout=3) as admin:
            admin.execute(f'CREATE DATABASE "{name}"')
        return name
    except Exception as exc:  # any failure means: no PostgreSQL here, skip it
        print(f"PostgreSQL not reachable ({type(exc).__name__}); skipped")
        return None


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        folder, seconds = timed(
            lambda: write_fdc(Path(tmp) / "fdc", generated_foods(FOODS), filler_nutrients=60)
        )
        size = sum(p.stat().st_size for p in folder.glob("*.csv")) / 1e6
        print(f"generated {FOODS} foods, {size:.0f} MB of CSV in {seconds:.1f} s")
        url = f"sqlite:///{Path(tmp) / 'bench.sqlite3'}"
        engine = make_engine(url)
        bench_import("SQLite file", engine, folder)
        bench_search(engine, url)
        bench_profiles(engine, url, Path(tmp))
        engine.dispose()
        name = postgres_database()
        if name is not None:
            pg = make_engine(f"postgresql+psycopg://postgres@127.0.0.1:5432/{name}")
            try:
                bench_import("PostgreSQL", pg, folder)
            finally:
                pg.dispose()
                import psycopg

                with psycopg.connect(PG_ADMIN, autocommit=True) as admin:
                    admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


if __name__ == "__main__":
    main()
