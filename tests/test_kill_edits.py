"""`staff leave`, `staff add`, `staff import` and `cycle close` killed with SIGKILL at
random moments, then re-run, end exactly as a clean run: every file after a kill is
whole (as it was, or as it will be), and the re-run completes the work (see
tests/test_kill.py for `cycle start`)."""

from __future__ import annotations

import os
import random
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.conftest import REPO, copy_example
from tests.test_cycle import snapshot
from tests.test_kill import kill, whole_files

KILLS = 6
COMMANDS = {
    "staff leave": ["staff", "leave", "slloyd", "{P}", "--date", "2026-11-20"],
    "cycle close": ["cycle", "close", "{P}", "--cycle", "4", "--early", "--today", "2026-11-23"],
    "staff add": ["staff", "add", "{P}", "--name", "Rosa Lindqvist", "--role", "ect",
                  "--department", "Science"],
    "staff import": ["staff", "import", "{P}", str(REPO / "tests/fixtures/mis-staff-export.csv"),
                     "--today", "2026-11-23"],
}


def run(argv: list[str], root: Path) -> subprocess.Popen[bytes]:
    args = [str(root) if a == "{P}" else a for a in argv]
    return subprocess.Popen([sys.executable, "-m", "coachctl", *args],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                            start_new_session=True)


@pytest.mark.parametrize("command", sorted(COMMANDS))
def test_killed_runs_then_a_rerun_equal_a_clean_run(tmp_path: Path, command: str) -> None:
    argv = COMMANDS[command]
    original = tmp_path / "original"
    copy_example("ashby-vale-school", original)
    clean = tmp_path / "clean"
    shutil.copytree(original, clean)
    began = time.monotonic()
    assert run(argv, clean).wait(timeout=60) == 0
    duration = time.monotonic() - began
    start, expected = snapshot(original), snapshot(clean)
    assert start != expected

    rng = random.Random(int(os.environ.get("COACHCTL_KILL_SEED", "9")))
    killed = tmp_path / "killed"
    shutil.copytree(original, killed)
    for i in range(KILLS):
        proc = run(argv, killed)
        time.sleep(rng.uniform(duration * 0.3, duration))
        kill(proc)
        now = whole_files(killed, start, expected, when=f"after kill {i}")
        if now == expected:  # finished before the kill: start again
            shutil.rmtree(killed)
            shutil.copytree(original, killed)

    assert run(argv, killed).wait(timeout=60) == 0
    assert snapshot(killed) == expected  # stray temporary files removed too
