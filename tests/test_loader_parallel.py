"""Loading across worker processes, and the fast path for clean files, change nothing:
the same records and the same located diagnostics as reading every file carefully, alone."""

from __future__ import annotations

import os
import signal
from pathlib import Path
from typing import Any

import pytest

from coachctl import files as finding
from coachctl import loader, reading, yamlsafe
from coachctl.validation import check_programme

GOOD = """\
coach: teacher-a
coachee: teacher-b
cycle: {cycle}
status: stub
date: 2026-09-{day:02d}
observation: drop-in
precise_praise: |
  Cold call reached every row.
modelled: true
"""
# Each is a note with one problem, for a diagnostic from every stage of reading a file.
BROKEN = [
    GOOD + "colour: red\n",                                    # S001 unknown key
    GOOD.replace("cycle: {cycle}", "cycle: '1'"),              # S003 wrong type
    GOOD.replace("2026-09-{day:02d}", "2026-02-30"),           # S004 impossible date
    GOOD + "coach: lead\n",                                    # Y003 duplicate key
    GOOD.replace("modelled: true", "modelled: !yes true"),    # Y004 tag
    GOOD.replace("modelled: true", "modelled:\n\t- x"),        # Y002 tab
    GOOD.replace("observation: drop-in", "observation: [x"),   # Y001 syntax
    "a: &a [x, x]\nb: [*a, *a]\n" + GOOD,                      # an alias (careful path)
    "",                                                         # Y007 empty (whole file)
    GOOD.replace("coach: teacher-a", "coach: Teacher A"),      # S003 pattern
]


@pytest.fixture
def big(programme: Path) -> Path:
    """The init programme with 300 notes, one in ten of them broken in some way."""
    (programme / "cycles").mkdir()
    (programme / "cycles/cycle-01.yaml").write_text(
        "number: 1\nstart: 2026-09-07\nend: 2026-09-25\nstatus: open\n")
    folder = programme / "notes/cycle-01"
    folder.mkdir(parents=True)
    for i in range(300):
        text = BROKEN[i // 10 % len(BROKEN)] if i % 10 == 3 else GOOD
        (folder / f"teacher-a--teacher-b-{i:03d}.yaml").write_text(
            text.replace("{cycle}", "1").replace("{day:02d}", f"{8 + i % 17:02d}"))
    (programme / "notes/stray.yaml").write_text("x: 1\n")  # P003/R003-style placement
    (programme / "elsewhere.yaml").write_text("x: 1\n")    # P002
    return programme


def snapshot(root: Path) -> tuple[list[tuple[Any, ...]], list[Any]]:
    checked = check_programme(root, "prog", cache=False)
    diags = [(d.code, d.path, d.line, d.col, d.end_line, d.end_col, d.message, d.hint)
             for d in checked.diagnostics]
    return diags, checked.programme.notes


def test_parallel_and_sequential_loading_agree(big: Path,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(reading, "PARALLEL_MIN", 10**9)
    sequential = snapshot(big)
    monkeypatch.setattr(reading, "PARALLEL_MIN", 1)
    monkeypatch.setattr(reading, "CHUNK", 16)
    assert reading._workers() is not None, "this test needs two CPUs"
    parallel = snapshot(big)
    assert parallel == sequential
    codes = {d[0] for d in sequential[0]}
    assert {"S001", "S003", "S004", "Y001", "Y002", "Y003", "Y004", "Y007", "P002"} <= codes
    unlocated = [d for d in sequential[0] if d[2] < 1 and d[0] not in ("P002", "Y007")]
    assert unlocated == [], "every problem located"
    assert len(sequential[1]) == 270 + 6  # good ones, and those with a key dropped (Y003, Y004)


def test_fast_path_matches_the_careful_path(big: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(reading, "PARALLEL_MIN", 10**9)
    fast = snapshot(big)
    monkeypatch.setattr(yamlsafe, "plain_value", lambda data: None)
    assert snapshot(big) == fast


def test_progress_counts_every_file_from_the_workers(big: Path,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(reading, "PARALLEL_MIN", 1)
    monkeypatch.setattr(reading, "CHUNK", 16)
    seen: list[int] = []
    totals: list[int] = []
    prog = loader.load(big, "prog", progress=seen.append, on_total=totals.append)
    files = len(finding.scan_yaml(big, stat=False))
    assert totals == [prog.files] and sum(seen) == prog.files == files
    assert len(seen) > 1, "progress arrives chunk by chunk"


def test_a_worker_dying_does_not_lose_files(big: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(reading, "PARALLEL_MIN", 10**9)
    expected = snapshot(big)
    monkeypatch.setattr(reading, "PARALLEL_MIN", 1)
    monkeypatch.setattr(reading, "CHUNK", 16)
    pool = reading._workers()
    assert pool is not None, "this test needs two CPUs"
    pool.submit(os.getpid).result()  # the workers are running
    victim = next(iter(pool._processes))
    os.kill(victim, signal.SIGKILL)
    assert snapshot(big) == expected
    assert reading._pool is not pool  # a fresh pool next time
