"""``staff show`` and ``cycle status`` read their whole answer from the cache on a warm run
(coachctl.reports.answers): it must be the answer a run without any cache gives, for every
format, on another day, under another folder name, and after a file changes."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tests.conftest import copy_example, invoke

DAYS = ("2026-12-01", "2027-02-10")


def questions(root: Path | str, day: str) -> list[list[str]]:
    out = []
    for fmt in ("table", "json", "csv"):
        out.append(["cycle", "status", str(root), "--format", fmt, "--today", day])
        out.append(["staff", "show", "aosei", str(root), "--format", fmt, "--today", day])
    out.append(["cycle", "status", str(root), "--cycle", "2", "--today", day])
    out.append(["staff", "show", "dclarke", str(root), "--today", day])
    return out


def answer(args: list[str]) -> tuple[int, str, str]:
    res = invoke(*args)
    return res.exit_code, res.stdout, res.stderr


def cacheless(root: Path, args: list[str]) -> tuple[int, str, str]:
    shutil.rmtree(root / ".coachctl-cache", ignore_errors=True)
    return answer(args)


@pytest.fixture
def kingsmead(tmp_path: Path) -> Path:
    root = tmp_path / "kingsmead-academy"
    copy_example("kingsmead-academy", root)
    return root


def test_a_warm_answer_is_the_cacheless_one(kingsmead: Path) -> None:
    for day in DAYS:
        for args in questions(kingsmead, day):
            fresh = cacheless(kingsmead, args)
            assert fresh[0] == 0, (args, fresh)
            answer(args)  # fills the cache
            assert (kingsmead / ".coachctl-cache").is_dir()
            kept = "cycle-status" if args[0] == "cycle" else f"staff-show-{args[2]}"
            assert (kingsmead / ".coachctl-cache" / f"{kept}.msgpack").is_file()
            assert answer(args) == fresh, args  # read back from the cache


def test_the_answer_kept_is_the_one_asked_for(kingsmead: Path) -> None:
    """Asked on another day, for another person or cycle, or for the same folder under
    another name, a warm run answers that question, not the one it kept."""
    warm = {tuple(a): answer(a) for day in DAYS for a in questions(kingsmead, day)}
    for asked, got in warm.items():
        assert answer(list(asked)) == got  # alternating questions: no answer leaks into another
    moved = kingsmead.parent / "renamed"
    kingsmead.rename(moved)
    for day in DAYS:
        for args in questions(moved, day):
            assert answer(args) == cacheless(moved, args), args


def test_a_changed_file_changes_the_warm_answer(kingsmead: Path) -> None:
    args = ["staff", "show", "aosei", str(kingsmead), "--format", "json", "--today", DAYS[0]]
    status = ["cycle", "status", str(kingsmead), "--format", "json", "--today", DAYS[0]]
    before, before_status = answer(args), answer(status)
    staff = kingsmead / "staff.yaml"
    staff.write_text(staff.read_text().replace("department: ", "department: X", 1))
    notes = sorted((kingsmead / "notes").rglob("*.yaml"))
    notes[-1].unlink()
    after, after_status = answer(args), answer(status)
    assert (after, after_status) == (cacheless(kingsmead, args), cacheless(kingsmead, status))
    assert after != before or after_status != before_status


@pytest.mark.parametrize("args", [
    ["staff", "show", "nobody", "{p}"],  # not in staff.yaml: did you mean, exit 2
    ["staff", "show", "Not An Id", "{p}"],
    ["cycle", "status", "{p}", "--cycle", "40"],  # no such cycle: exit 2
], ids=lambda a: " ".join(a))
def test_a_refusal_is_the_same_warm(kingsmead: Path, args: list[str]) -> None:
    args = [a.format(p=kingsmead) for a in args] + ["--today", DAYS[0]]
    fresh = cacheless(kingsmead, args)
    assert fresh[0] == 2 and fresh[2]
    assert answer(args) == fresh
    assert answer(args) == fresh


def test_programme_yaml_unreadable_is_refused_warm_as_cold(kingsmead: Path) -> None:
    (kingsmead / "programme.yaml").write_text("school: [unclosed\n")
    args = ["cycle", "status", str(kingsmead), "--today", DAYS[0]]
    fresh = cacheless(kingsmead, args)
    assert fresh[0] == 1
    assert answer(args) == fresh == answer(args)
