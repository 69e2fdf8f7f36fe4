"""`neurogarden serve --workers N`: several processes on one migrated SQLite file,
each answering, and a bad worker count refused with one line."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def test_two_workers_serve_one_database(tmp_path: Path) -> None:
    port = free_port()
    env = {**os.environ, "NEUROGARDEN_DATABASE_URL": f"sqlite:///{tmp_path / 'w.sqlite3'}"}
    server = subprocess.Popen(
        [sys.executable, "-m", "neurogarden", "serve", "--port", str(port), "--workers", "2"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        answered = []
        for _ in range(150):
            try:
                answered = [httpx.get(f"http://127.0.0.1:{port}/login") for _ in range(6)]
                break
            except httpx.HTTPError:
                time.sleep(0.2)
        assert answered and all(r.status_code == 200 for r in answered)
    finally:
        server.terminate()
        out, _ = server.communicate(timeout=30)
    assert "with 2 worker(s)" in out


def test_a_worker_count_below_one_is_refused() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "neurogarden", "serve", "--workers", "0"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 2 and "--workers" in done.stderr and "Traceback" not in done.stderr
