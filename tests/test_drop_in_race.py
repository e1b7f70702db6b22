"""Two `note new --drop-in` for one pair at the same moment: each caller gets its own note.

The next number is taken by the write itself (a hard link that fails if the name
is taken), not by looking first, so no caller is told about the other's file.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from coachctl import fsio
from tests.conftest import invoke
from tests.test_cycle import build, write_cycle

TODAY = "2026-09-16"
ARGS = ("--coach", "t01", "--coachee", "t02", "--drop-in", "--today", TODAY)


def programme(tmp: Path) -> Path:
    root = build(tmp / "p", 4)
    write_cycle(root, 1, "2026-09-07", "2026-09-25", "open")
    return root


def test_the_number_taken_between_looking_and_writing_goes_to_the_other_caller(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Deterministic: another run writes dropin-1 just before this one links it into place."""
    root = programme(tmp_path)
    theirs = root / "notes/cycle-01/t01--t02-dropin-1.yaml"
    real = fsio._write_temp

    def racing(path: Path, text: str, mode: int | None = None) -> str:
        tmp = real(path, text, mode)
        if path == theirs and not theirs.exists():
            theirs.write_text("# the other caller's note\n")
        return tmp

    monkeypatch.setattr(fsio, "_write_temp", racing)
    res = invoke("note", "new", root, *ARGS)
    assert res.exit_code == 0, res.stderr
    assert "wrote" in res.stdout and "t01--t02-dropin-2.yaml" in res.stdout
    assert "dropin-1" not in res.stdout and "exists" not in res.stdout
    assert theirs.read_text() == "# the other caller's note\n"
    assert "status: stub" in (root / "notes/cycle-01/t01--t02-dropin-2.yaml").read_text()


def test_simultaneous_processes_each_write_their_own_note(tmp_path: Path) -> None:
    root = programme(tmp_path)
    runs = 4
    procs = [subprocess.Popen([sys.executable, "-m", "coachctl", "note", "new", str(root), *ARGS],
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
             for _ in range(runs)]
    outs = [p.communicate(timeout=60) for p in procs]
    assert [p.returncode for p in procs] == [0] * runs, outs
    said = sorted(out.split()[-1].rsplit("/", 1)[-1] for out, _ in outs)
    assert all(out.startswith("wrote") for out, _ in outs), outs
    assert said == [f"t01--t02-dropin-{k}.yaml" for k in range(1, runs + 1)]
    assert sorted(p.name for p in (root / "notes/cycle-01").glob("*.yaml")) == said
    assert invoke("validate", root).exit_code == 0


def test_dry_run_names_the_next_free_number_and_writes_nothing(tmp_path: Path) -> None:
    root = programme(tmp_path)
    assert invoke("note", "new", root, *ARGS).exit_code == 0
    res = invoke("note", "new", root, *ARGS, "--dry-run")
    assert res.exit_code == 0 and "would write" in res.stdout and "dropin-2" in res.stdout
    assert not (root / "notes/cycle-01/t01--t02-dropin-2.yaml").exists()
