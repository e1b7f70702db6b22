"""People who leave: R005 for pairings, R015 without leavers, and `coachctl staff leave`
end to end (on small programmes and on copies of both examples)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
import yaml

from tests.conftest import copy_example, invoke
from tests.test_cycle import build, snapshot, start, write_cycle


def codes(root: Path) -> list[tuple[str, str, int]]:
    res = invoke("validate", "--format", "json", root)
    return [(d["code"], Path(d["path"]).name, d["line"]) for d in res.json()["diagnostics"]]


def leaver(tmp_path: Path, left: str, **pairings: object) -> Path:
    """Six teachers in reciprocal pairs, cycles 1-3 on file; t01 leaves on ``left``."""
    root = build(tmp_path / "p", pairings=pairings or None)
    write_cycle(root, 1, "2026-09-03", "2026-09-23")
    write_cycle(root, 2, "2026-09-24", "2026-10-14")
    write_cycle(root, 3, "2026-10-15", "2026-11-18", status="open")
    staff = root / "staff.yaml"
    staff.write_text(staff.read_text().replace(
        "  joined: 2025-09-01\n", f"  joined: 2025-09-01\n  left: {left}\n", 1))
    assert yaml.safe_load(staff.read_text())["staff"][0]["left"] == dt.date.fromisoformat(left)
    return root


# --- validate --------------------------------------------------------------------------

def test_a_pairing_in_force_after_a_leavers_last_cycle_is_r005(tmp_path: Path) -> None:
    root = leaver(tmp_path, "2026-10-01")  # in cycle 2: their last cycle
    assert any(c == "R005" and f == "pairings.yaml" for c, f, _ in codes(root))
    res = invoke("validate", root)
    assert res.exit_code == 1
    assert "'t01' left on 2026-10-01 (cycle 2) but this pairing is in force in cycle 3" \
        in res.stdout
    assert "until_cycle: 2" in res.stdout and "coachctl staff leave t01" in res.stdout


@pytest.mark.parametrize(("left", "until", "error"), [
    ("2026-10-01", 2, False),   # ended with their last cycle
    ("2026-10-01", 3, True),    # runs one cycle too long
    ("2026-09-24", 2, False),   # left on the first day of cycle 2: it is their last
    ("2026-09-23", 2, True),    # left on cycle 1's last day: cycle 2 is after
    ("2027-07-20", None, False),  # leaves at the end of the year: nothing after
])
def test_the_last_cycle_rule(tmp_path: Path, left: str, until: int | None,
                             error: bool) -> None:
    pair: dict[str, object] = {"staff": ["t01", "t02"]}
    if until is not None:
        pair["until_cycle"] = until
    root = leaver(tmp_path, left, reciprocal=[pair, {"staff": ["t03", "t04"]},
                                              {"staff": ["t05", "t06"]}])
    assert any(c == "R005" and f == "pairings.yaml" for c, f, _ in codes(root)) is error


def test_a_planned_cycle_counts_for_a_leaver_later_in_the_year(tmp_path: Path) -> None:
    root = leaver(tmp_path, "2027-02-10")  # cycles after February are planned, not on file
    assert any(c == "R005" and f == "pairings.yaml" for c, f, _ in codes(root))


def test_a_leaver_never_counts_as_a_coach_in_r015(tmp_path: Path) -> None:
    root = leaver(tmp_path, "2026-10-01", groups=[
        {"coach": "t01", "coachees": ["t02"], "until_cycle": 2},
        {"coach": "t03", "coachees": ["t02"], "from_cycle": 3},
        {"coach": "t03", "coachees": ["t04", "t05", "t06"]}])
    assert invoke("validate", root).exit_code == 0
    # not ended: the leaver's pairing is the error (R005), not a second coach (R015)
    pairings = root / "pairings.yaml"
    pairings.write_text(pairings.read_text().replace("  until_cycle: 2\n", ""))
    found = {c for c, _, _ in codes(root)}
    assert "R005" in found and "R015" not in found


# --- staff leave on a small programme --------------------------------------------------

def test_staff_leave_splits_a_shared_group_and_lists_who_needs_a_coach(tmp_path: Path) -> None:
    root = build(tmp_path / "p", pairings={"groups": [
        {"coach": "t01", "coachees": ["t02", "t03", "t04"]},
        {"coach": "t05", "coachees": ["t06"]}]})
    assert start(root, "2026-09-01").exit_code == 0
    res = invoke("staff", "leave", "t03", root, "--date", "2026-09-10")
    assert res.exit_code == 0, res.stdout + res.stderr
    groups = yaml.safe_load((root / "pairings.yaml").read_text())["groups"]
    assert groups[0] == {"coach": "t01", "coachees": ["t02", "t03", "t04"], "until_cycle": 1}
    assert groups[1] == {"coach": "t01", "coachees": ["t02", "t04"], "from_cycle": 2}
    assert not (root / "notes/cycle-01/t01--t03.yaml").exists()  # its stub, after the date
    assert "Need a new coach" not in res.stdout  # t03 was a coachee only
    coach = invoke("staff", "leave", "t05", root, "--date", "2026-09-10")
    assert coach.exit_code == 0
    assert "Need a new coach from cycle 2: t06" in coach.stdout
    assert invoke("validate", "--strict", root).exit_code == 0


def test_staff_leave_refuses_when_a_written_note_is_dated_after(tmp_path: Path) -> None:
    root = build(tmp_path / "p")
    assert start(root, "2026-09-01").exit_code == 0
    note = root / "notes/cycle-01/t01--t02.yaml"
    note.write_text(note.read_text().replace("status: stub", "status: missed\n"
                                             "missed_reason: PRIVATE-LEAVE-ZQX"))
    before = snapshot(root)
    res = invoke("staff", "leave", "t01", root, "--date", "2026-09-10")
    assert res.exit_code == 1
    assert "kept (someone has written in it)" in res.stdout
    assert "R005" in res.stdout and "nothing written" in res.stderr
    assert "PRIVATE-LEAVE-ZQX" not in res.stdout + res.stderr
    assert snapshot(root) == before


def test_staff_leave_refuses_unknown_people_and_bad_dates(tmp_path: Path) -> None:
    root = build(tmp_path / "p")
    before = snapshot(root)
    (root / "pairings.yaml").rename(root / "pairings.yml")
    res = invoke("staff", "leave", "t01", root, "--date", "2026-09-10")
    assert res.exit_code == 2 and "cannot read pairings.yaml" in res.stderr
    (root / "pairings.yml").rename(root / "pairings.yaml")
    res = invoke("staff", "leave", "t1", root, "--date", "2026-09-10")
    assert res.exit_code == 2 and "did you mean 't01'" in res.stderr
    res = invoke("staff", "leave", "t01", root, "--date", "10/09/2026")
    assert res.exit_code == 2 and "--date" in res.stderr
    assert snapshot(root) == before


# --- staff leave on copies of the examples ---------------------------------------------

def _pick(root: Path, day: dt.date) -> tuple[str, list[str], list[str]]:
    """A coach of cycle 4 with written notes on or before ``day`` and stubs after it, and
    no QA record after it (that would stop them leaving: R005)."""
    by: dict[str, list[tuple[str, dict[str, Any]]]] = {}
    qa_after = {q["coach"] for q in (yaml.safe_load(p.read_text())
                                     for p in (root / "qa").glob("*.yaml")) if q["date"] > day}
    for path in sorted((root / "notes").rglob("*.yaml")):
        note = yaml.safe_load(path.read_text())
        rel = path.relative_to(root).as_posix()
        for who in (note["coach"], note["coachee"]):
            by.setdefault(who, []).append((rel, note))
    for who, notes in sorted(by.items()):
        after = [(rel, n) for rel, n in notes if n["date"] and n["date"] > day]
        written = [rel for rel, n in notes if n["status"] != "stub" and n["cycle"] == 4
                   and n["coach"] == who]
        if after and written and all(n["status"] == "stub" for _, n in after) \
                and who not in qa_after:
            return who, written, [rel for rel, _ in after]
    raise AssertionError("no coach to leave")


@pytest.mark.parametrize("example", ["kingsmead-academy", "ashby-vale-school"])
def test_staff_leave_on_a_copy_of_each_example(tmp_path: Path, example: str) -> None:
    root = tmp_path / example
    copy_example(example, root)
    day = dt.date(2026, 11, 20)
    who, written, stubs = _pick(root, day)
    for rel, mark in (("staff.yaml", f"- id: {who}\n"), ("pairings.yaml", "reciprocal:\n"
                      if example.startswith("kings") else "groups:\n")):
        path = root / rel
        text = path.read_text()
        assert mark in text
        path.write_text(text.replace(mark, f"# kept: a comment someone wrote\n{mark}", 1))
    coachees = sorted({n["coachee"] for n in (yaml.safe_load((root / r).read_text())
                                              for r in written)})
    before = snapshot(root)

    dry = invoke("staff", "leave", who, root, "--date", "2026-11-20", "--dry-run")
    assert dry.exit_code == 0, dry.stdout + dry.stderr
    assert "until_cycle: 4" in dry.stdout and "nothing written" in dry.stdout
    assert snapshot(root) == before

    res = invoke("staff", "leave", who, root, "--date", "2026-11-20")
    assert res.exit_code == 0, res.stdout + res.stderr
    after = snapshot(root)
    for rel in written:
        assert after[rel] == before[rel]
    for rel in stubs:
        assert rel not in after and f"deleted  {(root / rel).as_posix()}" in res.stdout
    assert set(before) - set(after) == set(stubs)
    needing = res.stdout.split("Need a new coach from cycle 5: ")[1].split("\n")[0].split(", ")
    assert set(coachees) <= set(needing)
    for rel in ("staff.yaml", "pairings.yaml"):
        assert "# kept: a comment someone wrote" in after[rel].decode()
        assert after[rel].decode().startswith("# Synthetic data")
    staff = {p["id"]: p for p in yaml.safe_load(after["staff.yaml"])["staff"]}
    assert staff[who]["left"] == day
    v = invoke("validate", "--strict", root)
    assert v.exit_code == 0, v.stdout

    again = invoke("staff", "leave", who, root, "--date", "2026-11-20")
    assert again.exit_code == 0 and "Nothing to change" in again.stdout
    assert snapshot(root) == after


# --- where people start ----------------------------------------------------------------

def test_a_coachee_starts_at_their_start_step(tmp_path: Path) -> None:
    root = build(tmp_path / "p")
    staff = root / "staff.yaml"
    staff.write_text(staff.read_text().replace("- id: t02\n", "- id: t02\n  start_step: s3\n"))
    assert invoke("validate", "--strict", root).exit_code == 0
    assert start(root, "2026-09-01").exit_code == 0
    step = {p.name: yaml.safe_load(p.read_text())["action_step"]
            for p in (root / "notes/cycle-01").iterdir()}
    assert step["t01--t02.yaml"] == "s3"  # an experienced teacher: not the first step
    assert step["t02--t01.yaml"] == "s1"  # everyone else starts at the beginning
    new = invoke("note", "new", root, "--coach", "t03", "--coachee", "t02", "--drop-in",
                 "--today", "2026-09-09")
    assert new.exit_code == 0
    drop = yaml.safe_load((root / "notes/cycle-01/t03--t02-dropin-1.yaml").read_text())
    assert drop["action_step"] == "s3"


def test_a_start_step_outside_the_sequence_is_r017(tmp_path: Path) -> None:
    root = build(tmp_path / "p")
    staff = root / "staff.yaml"
    staff.write_text(staff.read_text().replace("- id: t02\n", "- id: t02\n  start_step: s5\n"))
    res = invoke("validate", "--format", "concise", root)
    assert res.exit_code == 1
    assert "R017 start step 's5' of 't02' is not in the school's sequence" in res.stdout


def test_journey_start_step_counts_earlier_steps_as_secured() -> None:
    from coachctl.journeys import Journey

    seq = ["a", "b", "c", "d"]
    assert Journey("x").current_step(seq) == "a"
    assert Journey("x").current_step(seq, "c") == "c"
    assert Journey("x").current_step(seq, "zz") == "a"  # unknown: R017 reports it
