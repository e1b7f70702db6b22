"""The README's walk-through runs as written, in a temporary folder holding a copy of the
example programmes: it works on its own copy (`cp -r`), so the shipped examples stay as
they are."""

from __future__ import annotations

import os
import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

from tests.conftest import PROGRAMMES, REPO


def walkthrough() -> list[list[str]]:
    text = (REPO / "README.md").read_text(encoding="utf-8")
    block = re.search(r"## A week with coachctl\n\n.*?```sh\n(.*?)```", text, re.S)
    assert block, "README lost its walk-through"
    lines = [line for line in block.group(1).splitlines() if line.strip()]
    assert all(line.startswith(("coachctl ", "cp ")) for line in lines), lines
    return [shlex.split(line, comments=True) for line in lines]


def test_the_walkthrough_never_writes_to_the_shipped_examples() -> None:
    for argv in walkthrough():
        if argv[0] == "coachctl":
            assert not any(a.startswith("programmes/") for a in argv), argv


def test_every_walkthrough_command_runs(tmp_path: Path) -> None:
    shutil.copytree(PROGRAMMES, tmp_path / "programmes",
                    ignore=shutil.ignore_patterns(".coachctl-cache"))
    before = {p.relative_to(tmp_path).as_posix(): p.read_bytes()
              for p in (tmp_path / "programmes").rglob("*.yaml")}
    (tmp_path / "tests/fixtures").mkdir(parents=True)
    shutil.copy(REPO / "tests/fixtures/mis-staff-export.csv", tmp_path / "tests/fixtures")
    commands = walkthrough()
    assert len(commands) >= 10 and commands[0][:2] == ["cp", "-r"]
    for argv in commands:
        run = argv if argv[0] == "cp" else [sys.executable, "-m", "coachctl", *argv[1:]]
        res = subprocess.run(run, cwd=tmp_path, capture_output=True, text=True, timeout=120,
                             env={**os.environ, "NO_COLOR": "1"})
        assert "Traceback" not in res.stderr, (argv, res.stderr)
        expected = (0, 1) if argv[1] == "qa" else (0,)  # qa --fail-on warning finds the gaps
        assert res.returncode in expected, (argv, res.stdout, res.stderr)
    assert (tmp_path / "aosei.ics").read_text().startswith("BEGIN:VCALENDAR")
    assert (tmp_path / "kingsmead/cycles/cycle-05.yaml").is_file()
    assert (tmp_path / "oakfield/programme.yaml").is_file()
    after = {p.relative_to(tmp_path).as_posix(): p.read_bytes()
             for p in (tmp_path / "programmes").rglob("*.yaml")}
    assert after == before  # the copy of the shipped examples is untouched
    assert "id: rlindqvist" in (tmp_path / "kingsmead/staff.yaml").read_text()
    assert (tmp_path / "kingsmead-2027-28/cycles/cycle-01.yaml").is_file()
    assert (tmp_path / "report.html").read_text().startswith("<!DOCTYPE html>")
