"""An interrupted `cycle start` (stubs written, cycle file not) is completed by a re-run on
any later day, ending exactly as a clean run on the first day: the stubs' dates stand."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tests.conftest import invoke
from tests.test_cycle import build, snapshot, start

FIRST = "2026-11-25"  # a Wednesday: the cycle starts that day, mid-week


def interrupted(tmp: Path, keep: int) -> tuple[Path, dict[str, bytes]]:
    """A clean run's result, and a copy as a run killed after ``keep`` stubs leaves it."""
    clean = build(tmp / "clean", 12)
    assert start(clean, FIRST).exit_code == 0
    expected = snapshot(clean)
    cut = tmp / "cut"
    shutil.copytree(clean, cut)
    (cut / "cycles/cycle-01.yaml").unlink()
    for stub in sorted((cut / "notes/cycle-01").iterdir())[keep:]:
        stub.unlink()
    return cut, expected


@pytest.mark.parametrize("later", ["2026-11-25", "2026-11-26", "2026-11-30", "2026-12-09"])
@pytest.mark.parametrize("keep", [1, 11])
def test_a_rerun_on_a_later_day_completes_the_interrupted_cycle(
        tmp_path: Path, later: str, keep: int) -> None:
    cut, expected = interrupted(tmp_path, keep)
    res = start(cut, later)
    assert res.exit_code == 0, res.stdout + res.stderr
    assert "R007" not in res.stdout
    assert snapshot(cut) == expected
    assert invoke("validate", "--strict", cut).exit_code == 0


def test_stubs_whose_header_was_edited_still_name_their_cycle(tmp_path: Path) -> None:
    """Without the header's dates, the first plan whose feedback day is the stubs' date."""
    cut, _ = interrupted(tmp_path, 3)
    for stub in (cut / "notes/cycle-01").iterdir():
        stub.write_text("\n".join(x for x in stub.read_text().splitlines()
                                  if not x.startswith("#")) + "\n")
    res = start(cut, "2026-12-02")
    assert res.exit_code == 0, res.stdout + res.stderr
    assert invoke("validate", "--strict", cut).exit_code == 0
    cycle = (cut / "cycles/cycle-01.yaml").read_text()
    assert "end: 2026-12-11" in cycle  # the cycle the stubs were planned for (not a later one)


def test_a_rerun_after_the_interrupted_cycle_has_ended_still_completes_it(
        tmp_path: Path) -> None:
    cut, expected = interrupted(tmp_path, 5)
    res = start(cut, "2027-01-11")
    assert res.exit_code == 0, res.stdout + res.stderr
    assert snapshot(cut) == expected
