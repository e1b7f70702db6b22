"""A progress bar when a person is watching a terminal; none when output is piped."""

from __future__ import annotations

import os
import pty
import subprocess
import sys
from pathlib import Path

from tests.conftest import PROGRAMMES


def run_on_terminal(*args: str) -> bytes:
    """Run coachctl with stdout and stderr on a pseudo-terminal; return what it wrote."""
    main, child = pty.openpty()
    env = {**os.environ, "COLUMNS": "100"}
    env.pop("NO_COLOR", None)
    proc = subprocess.Popen([sys.executable, "-m", "coachctl", *args], stdout=child,
                            stderr=child, stdin=subprocess.DEVNULL, env=env)
    os.close(child)
    out = b""
    while True:
        try:
            chunk = os.read(main, 65536)
        except OSError:  # the child closed the terminal
            break
        if not chunk:
            break
        out += chunk
    proc.wait(timeout=60)
    os.close(main)
    return out


def test_bar_on_a_terminal_none_when_piped(tmp_path: Path) -> None:
    args = ("validate", "--no-cache", str(PROGRAMMES / "kingsmead-academy"))
    on_terminal = run_on_terminal(*args)
    assert b"validating" in on_terminal and b"No problems found" in on_terminal
    piped = subprocess.run([sys.executable, "-m", "coachctl", *args], capture_output=True,
                           timeout=60)
    assert b"validating" not in piped.stdout + piped.stderr
    assert b"\x1b[" not in piped.stdout + piped.stderr
