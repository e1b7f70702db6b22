"""`note new` and `note check` (the pre-commit fast path), and the hooks file."""

from __future__ import annotations

import shutil
from pathlib import Path

import yaml

from tests.conftest import REPO, invoke
from tests.test_cycle import build, snapshot, start

GOOD = ("coach: t01\ncoachee: t02\ncycle: 1\nstatus: complete\ndate: 2026-09-17\n"
        "observation: lesson\naction_step: s1\nmodelled: true\nrehearsed: true\n")


def opened(tmp_path: Path, name: str = "p") -> Path:
    root = build(tmp_path / name)
    assert start(root, "2026-09-01").exit_code == 0
    return root


def test_note_new_writes_from_the_template_and_never_overwrites(tmp_path: Path) -> None:
    root = opened(tmp_path)
    path = root / "notes/cycle-01/t01--t03.yaml"  # outside the pairings: asked for
    dry = invoke("note", "new", root, "--coach", "t01", "--coachee", "t03", "--dry-run",
                 "--unpaired", "--today", "2026-09-10")
    assert dry.exit_code == 0 and "would write" in dry.stdout and not path.exists()
    res = invoke("note", "new", root, "--coach", "t01", "--coachee", "t03", "--unpaired",
                 "--today", "2026-09-10")
    assert res.exit_code == 0 and path.as_posix() in res.stdout
    assert yaml.safe_load(path.read_text()) == {
        "coach": "t01", "coachee": "t03", "cycle": 1, "status": "stub",
        "date": yaml.safe_load("2026-09-17"), "observation": None, "observed": None,
        "precise_praise": "", "action_step": "s1", "step_chosen_by": None,
        "step_secured": False, "modelled": None, "scripted": None, "rehearsed": None,
        "next_steps": "", "notes": "", "missed_reason": ""}  # every field, to fill in
    path.write_text(GOOD.replace("t02", "t03"))
    again = invoke("note", "new", root, "--coach", "t01", "--coachee", "t03", "--cycle", "1")
    assert again.exit_code == 0 and "exists" in again.stdout
    assert path.read_text() == GOOD.replace("t02", "t03")


def test_note_new_drop_in_adds_a_numbered_note_dated_today(tmp_path: Path) -> None:
    root = opened(tmp_path)
    first = invoke("note", "new", root, "--coach", "t03", "--coachee", "t02", "--drop-in",
                   "--today", "2026-09-09")
    second = invoke("note", "new", root, "--coach", "t03", "--coachee", "t02", "--drop-in",
                    "--today", "2026-09-09")
    assert first.exit_code == second.exit_code == 0
    assert "does not coach" not in first.stderr  # drop-ins are by anyone
    one = root / "notes/cycle-01/t03--t02-dropin-1.yaml"
    two = root / "notes/cycle-01/t03--t02-dropin-2.yaml"
    assert one.as_posix() in first.stdout and two.as_posix() in second.stdout
    note = yaml.safe_load(one.read_text())
    assert note["observation"] == "drop-in" and note["date"].isoformat() == "2026-09-09"
    assert invoke("validate", "--strict", root).exit_code == 0


def test_note_new_refuses_a_pair_not_paired_in_the_cycle(tmp_path: Path) -> None:
    root = opened(tmp_path)
    before = snapshot(root)
    res = invoke("note", "new", root, "--coach", "t01", "--coachee", "t03",
                 "--today", "2026-09-10")
    assert res.exit_code == 2
    assert "t01 does not coach t03 in cycle 1" in res.stderr and "t04 does" in res.stderr
    assert "--drop-in" in res.stderr and "--unpaired" in res.stderr
    assert snapshot(root) == before
    drop = invoke("note", "new", root, "--coach", "t01", "--coachee", "t03", "--drop-in",
                  "--today", "2026-09-10")
    assert drop.exit_code == 0 and (root / "notes/cycle-01/t01--t03-dropin-1.yaml").exists()


def test_note_new_refuses_a_closed_cycle(tmp_path: Path) -> None:
    root = opened(tmp_path)
    stub = root / "notes/cycle-01/t01--t02.yaml"
    stub.unlink()
    closed = invoke("cycle", "close", root, "--cycle", "1", "--today", "2026-09-10", "--early")
    assert closed.exit_code == 0, closed.stderr
    before = snapshot(root)
    for extra in ((), ("--drop-in",), ("--unpaired",)):
        res = invoke("note", "new", root, "--coach", "t01", "--coachee", "t02", "--cycle", "1",
                     "--today", "2026-09-10", *extra)
        assert res.exit_code == 2 and "cycle 1 is closed" in res.stderr, extra
    assert snapshot(root) == before


def test_note_new_refuses_unknown_people_and_cycles(tmp_path: Path) -> None:
    root = opened(tmp_path)
    before = snapshot(root)
    bad = invoke("note", "new", root, "--coach", "t01", "--coachee", "zz")
    assert bad.exit_code == 2 and "--coachee 'zz' is not in" in bad.stderr
    none = invoke("note", "new", root, "--coach", "t01", "--coachee", "t02", "--cycle", "7")
    assert none.exit_code == 2 and "cycle 7 has no file" in none.stderr
    assert snapshot(root) == before


def test_note_check_reports_like_validate_for_the_named_files_only(tmp_path: Path) -> None:
    root = opened(tmp_path)
    good = root / "notes/cycle-01/t01--t02.yaml"
    good.write_text(GOOD)
    broken = root / "notes/cycle-01/t03--t04.yaml"
    broken.write_text("coach: t03\ncoachee: t4\ncycle: 1\n")
    typo = root / "notes/cycle-01/t04--t03.yaml"
    typo.write_text("coach: t04\ncoachee: t03\ncycle: 1\nrehearse: true\n")
    assert invoke("note", "check", good).exit_code == 0  # the broken notes are not read
    res = invoke("note", "check", good, broken, typo, "--format", "concise")
    assert res.exit_code == 1
    lines = res.stdout.splitlines()
    assert f"{broken.as_posix()}:2:10: R001 coachee 't4' is not in staff.yaml" in lines
    assert f"{typo.as_posix()}:4:1: S001 unknown key 'rehearse'" in lines
    assert lines[-1].endswith("in 2 of 3 files.")
    validate = invoke("validate", root, "--format", "concise").stdout.splitlines()
    assert lines[:-1] == [line for line in validate if broken.name in line or typo.name in line]
    doc = invoke("note", "check", broken, typo, "--format", "json").json()
    assert {"R001", "S001"} <= {d["code"] for d in doc["diagnostics"]}


def test_note_check_spans_programmes_and_warnings_fail_only_when_strict(
        tmp_path: Path) -> None:
    one, two = opened(tmp_path, "one"), opened(tmp_path, "two")
    (one / "notes/cycle-01/t01--t02.yaml").write_text(GOOD)
    stray = two / "notes/cycle-01/t01--t03.yaml"
    stray.write_text(GOOD.replace("t02", "t03"))  # not paired: R010 warning
    files = [one / "notes/cycle-01/t01--t02.yaml", stray]
    res = invoke("note", "check", *files, "--format", "concise")
    assert res.exit_code == 0 and "R010" in res.stdout and "1 warning" in res.stdout
    assert invoke("note", "check", *files, "--strict").exit_code == 1
    assert invoke("note", "check", tmp_path / "missing.yaml").exit_code == 2


def test_pre_commit_hooks_file() -> None:
    hooks = {h["id"]: h for h in yaml.safe_load((REPO / ".pre-commit-hooks.yaml").read_text())}
    check = hooks["coachctl-note-check"]
    assert check["entry"] == "coachctl note check" and check["language"] == "python"
    import re

    pattern = re.compile(check["files"])
    assert pattern.search("programmes/a/notes/cycle-01/x--y.yaml")
    assert pattern.search("programmes/a/qa/2026-10-01-obs.yaml")
    assert not pattern.search("programmes/a/staff.yaml")
    full = hooks["coachctl-validate"]
    assert full["pass_filenames"] is False and full["require_serial"] is True
    assert shutil.which("coachctl") or True  # the entry is the installed console script


def test_note_check_shows_the_line_validate_keeps_private(tmp_path: Path) -> None:
    """Checking your own note shows its line underlined; a programme-wide run does not."""
    root = opened(tmp_path)
    note = root / "notes/cycle-01/t01--t02.yaml"
    note.write_text(GOOD + "rehearse: true\n")
    mine = invoke("note", "check", note)
    assert mine.exit_code == 1
    assert "| rehearse: true" in mine.stdout and "^^^^^^^^" in mine.stdout
    everyone = invoke("validate", root)
    assert "S001" in everyone.stdout and "| rehearse: true" not in everyone.stdout
