"""`cycle start` killed with SIGKILL at random moments, then re-run, ends exactly as a clean run.

Runs the real command in a subprocess on a programme of 200 staff (201 files
to write), kills it several times (sometimes at any moment, sometimes once it
has begun writing), checks after every kill that no file is half-written, and
finally re-runs it to completion.
"""

from __future__ import annotations

import os
import random
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

from tests.test_cycle import build, snapshot

TODAY = "2026-11-23"
KILLS = 8


def run(root: Path) -> subprocess.Popen[bytes]:
    return subprocess.Popen([sys.executable, "-m", "coachctl", "cycle", "start", str(root),
                             "--today", TODAY], stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL, start_new_session=True)


def kill(proc: subprocess.Popen[bytes]) -> None:
    """SIGKILL the run (and its process group) if it is still going; wait for it."""
    if proc.poll() is None:
        os.killpg(proc.pid, signal.SIGKILL)
    proc.wait(timeout=60)


def whole_files(root: Path, *versions: dict[str, bytes], when: str) -> dict[str, bytes]:
    """The programme's files, each asserted to be whole: byte for byte one of ``versions``
    (a stray temporary file aside)."""
    now = snapshot(root)
    for rel, data in now.items():
        if not rel.endswith(".coachctl.tmp"):
            assert any(data == v.get(rel) for v in versions), f"{rel} is not whole {when}"
    return now


def test_killed_runs_then_a_rerun_equal_a_clean_run(tmp_path: Path) -> None:
    clean = build(tmp_path / "clean", 200)
    killed = tmp_path / "killed"
    shutil.copytree(clean, killed)
    began = time.monotonic()
    assert run(clean).wait(timeout=30) == 0
    duration = time.monotonic() - began
    expected = snapshot(clean)
    assert len(expected) == 6 + 201

    rng = random.Random(int(os.environ.get("COACHCTL_KILL_SEED", "4")))
    notes = killed / "notes" / "cycle-01"
    partial = 0
    for i in range(KILLS):
        proc = run(killed)
        if i % 2:  # once it has started writing
            deadline = time.monotonic() + 2 * duration
            while not notes.is_dir() and proc.poll() is None and time.monotonic() < deadline:
                time.sleep(0.001)
            time.sleep(rng.uniform(0, 0.02))
        else:  # at any moment
            time.sleep(rng.uniform(0, duration))
        kill(proc)
        now = whole_files(killed, expected, when=f"after kill {i}")
        stubs = [rel for rel in now if rel.startswith("notes/")]
        partial += bool(stubs) and "cycles/cycle-01.yaml" not in now
        if "cycles/cycle-01.yaml" in now:  # finished before the kill: start again
            shutil.rmtree(killed / "notes")
            shutil.rmtree(killed / "cycles")
    assert partial, "no kill landed while stubs were being written"

    assert run(killed).wait(timeout=30) == 0
    assert snapshot(killed) == expected
