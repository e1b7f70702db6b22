"""Writers killed with SIGKILL at random moments, then re-run, end exactly as a clean run.

Runs the real command in a subprocess. `cycle start` on a programme of 200
staff (201 files to write) is killed several times (sometimes at any moment,
sometimes once it has begun writing); after every kill no file is half-written;
a re-run, on the same day or a later one, completes it. Every other writing
command is killed at random moments too: each file is as it was or as a clean
run writes it, and re-running gives the clean run's result.
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

import pytest

from tests.test_cycle import build, snapshot

TODAY = "2026-11-23"
LATER = "2026-12-02"
"""A re-run in the cycle's second week: the stubs' plan stands, not a new one from that day."""
KILLS = 8


def run(root: Path, today: str = TODAY) -> subprocess.Popen[bytes]:
    return command(["cycle", "start", str(root), "--today", today])


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


def command(args: list[str]) -> subprocess.Popen[bytes]:
    return subprocess.Popen([sys.executable, "-m", "coachctl", *args],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                            start_new_session=True)


@pytest.mark.parametrize("rerun_on", [TODAY, LATER])
def test_killed_runs_then_a_rerun_equal_a_clean_run(tmp_path: Path, rerun_on: str) -> None:
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

    if not (killed / "notes").exists():  # the last kill came early: leave some stubs
        shutil.copytree(clean / "notes", killed / "notes")
    assert run(killed, rerun_on).wait(timeout=30) == 0
    assert snapshot(killed) == expected


# --- every other writer ---------------------------------------------------------------

def test_every_writer_killed_at_random_leaves_whole_files(tmp_path: Path) -> None:
    """Each writer of tests/test_io_errors.py (but cycle start, above) killed at random
    moments: files are as before or as a clean run writes them; a re-run completes."""
    from tests.test_io_errors import WRITERS, clean_run

    rng = random.Random(int(os.environ.get("COACHCTL_KILL_SEED", "4")))
    for writer in WRITERS:
        if writer.name == "cycle start" or writer.name.startswith("generate"):
            continue  # above; generate writes into a new folder, which a re-run refuses
        case = tmp_path / writer.name.replace(" ", "-")
        _, expected = clean_run(writer, case)
        began = time.monotonic()
        root = writer.prepare(case / "timing")
        assert command([str(a) for a in writer.args(root)]).wait(timeout=60) == 0
        duration = time.monotonic() - began
        for i in range(3):
            root = writer.prepare(case / f"kill-{i}")
            before = snapshot(root)
            proc = command([str(a) for a in writer.args(root)])
            time.sleep(rng.uniform(0, duration))
            if proc.poll() is None:
                os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(timeout=30)
            for rel, data in snapshot(root).items():
                if not rel.endswith((".coachctl.tmp", ".tmp")):
                    assert data in (before.get(rel), expected.get(rel)), (writer.name, rel)
            assert command([str(a) for a in writer.args(root)]).wait(timeout=60) == 0
            final = {k: v for k, v in snapshot(root).items() if not k.endswith(".tmp")}
            if writer.name != "note new --drop-in":  # a second drop-in is a new note
                assert final == expected, writer.name
