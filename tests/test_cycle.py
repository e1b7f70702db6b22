"""`cycle start`, `cycle status` and `cycle close`, end to end on small programmes."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path
from typing import Any

import pytest
import yaml

from coachctl.calendar import SchoolCalendar, english_year
from coachctl.fsio import lock
from coachctl.scaffold import calendar_dict
from coachctl.yamlout import dump
from tests.conftest import PROGRAMMES, Result, invoke

LIBRARY = {"strands": [{"id": "routines", "name": "Routines", "steps": [
    {"id": f"s{i}", "step": f"Step {i}", "success": f"Success {i}"} for i in range(1, 6)]}]}
CURRICULUM = {"strands": [{"id": "coaching", "name": "Coaching", "steps": [
    {"id": "praise", "step": "Precise praise", "success": "Names the practice"}]}]}


def build(root: Path, n_staff: int = 6, *, staff: list[dict[str, Any]] | None = None,
          pairings: dict[str, Any] | None = None, cycles: dict[str, Any] | None = None,
          year: int = 2026) -> Path:
    """A programme of ``n_staff`` teachers in reciprocal pairs (t01 with t02, ...)."""
    people = staff if staff is not None else [
        {"id": f"t{i:02d}", "name": f"Teacher {i}", "role": "teacher", "department": "Maths",
         "coach": True, "joined": dt.date(year - 1, 9, 1)} for i in range(1, n_staff + 1)]
    ids = [p["id"] for p in people]
    pairs = pairings if pairings is not None else {
        "reciprocal": [{"staff": [a, b]} for a, b in zip(ids[::2], ids[1::2], strict=False)]}
    rules = {"length_weeks": 3, "coaching_day": "thursday", "coaching_time": "14:00",
             "meeting_minutes": 30, "teach_meet_every": 3, "cpl_minutes": 60,
             "holiday_weeks": "extend", **(cycles or {})}
    files: dict[str, Any] = {
        "programme.yaml": {"format": 1, "school": "Test School",
                           "academic_year": f"{year}-{(year + 1) % 100:02d}",
                           "lead_coach": ids[0], "pairing_model": "reciprocal",
                           "calendar": calendar_dict(english_year(year)), "cycles": rules},
        "staff.yaml": {"staff": people},
        "pairings.yaml": pairs,
        "steps/library.yaml": LIBRARY,
        "steps/coaching-curriculum.yaml": CURRICULUM,
        "steps/sequence.yaml": {"name": "Our sequence", "steps": ["s1", "s2", "s3", "s4"]},
    }
    for rel, data in files.items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text(dump(data), encoding="utf-8")
    return root


def snapshot(root: Path) -> dict[str, bytes]:
    """Every file of a programme and its bytes (the write lock and cache left aside)."""
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*"))
            if p.is_file() and ".coachctl-cache" not in p.parts}


def start(root: Path, today: str, *args: str) -> Result:
    return invoke("cycle", "start", root, "--today", today, *args)


def teaching(root: Path) -> SchoolCalendar:
    from coachctl.loader import load

    prog = load(root, only=[])
    assert prog.settings is not None
    return SchoolCalendar(prog.settings.calendar)


def write_cycle(root: Path, number: int, first: str, last: str, status: str = "closed") -> None:
    path = root / f"cycles/cycle-{number:02d}.yaml"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(f"number: {number}\nstart: {first}\nend: {last}\nstatus: {status}\n")


def test_dry_run_lists_every_file_and_writes_nothing(tmp_path: Path) -> None:
    root = build(tmp_path / "p")
    before = snapshot(root)
    res = start(root, "2026-11-23", "--dry-run")
    assert res.exit_code == 0, res.stderr
    listed = [line.split()[-1] for line in res.stdout.splitlines()
              if line.startswith("would write")]
    assert listed[-1].endswith("cycles/cycle-01.yaml")  # the cycle file comes last
    assert sorted(listed[:-1]) == sorted(
        (root / f"notes/cycle-01/{a}--{b}.yaml").as_posix()
        for a, b in [("t01", "t02"), ("t02", "t01"), ("t03", "t04"), ("t04", "t03"),
                     ("t05", "t06"), ("t06", "t05")])
    assert snapshot(root) == before
    assert not (root / ".coachctl-cache").exists()


def test_start_writes_stubs_and_cycle_validates_and_second_run_changes_nothing(
        tmp_path: Path) -> None:
    root = build(tmp_path / "p")
    res = start(root, "2026-11-23")
    assert res.exit_code == 0, res.stderr
    assert "Wrote 7 file(s)." in res.stdout
    cycle = yaml.safe_load((root / "cycles/cycle-01.yaml").read_text())
    assert cycle == {"number": 1, "start": dt.date(2026, 11, 23), "end": dt.date(2026, 12, 11),
                     "status": "open"}
    text = (root / "notes/cycle-01/t01--t02.yaml").read_text()
    assert text.startswith(
        "# Session note: t01 coaches t02 in cycle 1 (2026-11-23 to 2026-12-11).")
    stub = {k: v for k, v in yaml.safe_load(text).items() if v not in (None, "", False)}
    assert stub == {"coach": "t01", "coachee": "t02", "cycle": 1, "status": "stub",
                    "date": dt.date(2026, 12, 10), "action_step": "s1"}  # the rest empty
    assert invoke("validate", "--strict", root).exit_code == 0
    after = snapshot(root)
    again = start(root, "2026-11-23")
    assert again.exit_code == 0 and "Nothing to write." in again.stdout
    assert "6 note(s) already exist" in again.stdout
    assert snapshot(root) == after
    later = start(root, "2026-12-01")  # still inside cycle 1: nothing new
    assert "Nothing to write." in later.stdout and snapshot(root) == after


def test_stub_carries_the_coachees_current_step(tmp_path: Path) -> None:
    root = build(tmp_path / "p")
    write_cycle(root, 1, "2026-09-03", "2026-09-25")
    note = root / "notes/cycle-01/t01--t02.yaml"
    note.parent.mkdir(parents=True)
    note.write_text("coach: t01\ncoachee: t02\ncycle: 1\nstatus: complete\ndate: 2026-09-24\n"
                    "observation: lesson\naction_step: s1\nstep_secured: true\nmodelled: true\n"
                    "rehearsed: true\n")
    assert start(root, "2026-09-28").exit_code == 0
    assert yaml.safe_load((root / "notes/cycle-02/t01--t02.yaml").read_text())[
        "action_step"] == "s2"
    assert yaml.safe_load((root / "notes/cycle-02/t02--t01.yaml").read_text())[
        "action_step"] == "s1"


def test_refuses_a_programme_with_errors(tmp_path: Path) -> None:
    root = build(tmp_path / "p")
    (root / "staff.yaml").write_text((root / "staff.yaml").read_text() + "colour: red\n")
    before = snapshot(root)
    res = start(root, "2026-11-23")
    assert res.exit_code == 1
    assert "S001" in res.stdout and "fix these errors first" in res.stderr
    assert snapshot(root) == before


def test_a_second_concurrent_run_is_refused(tmp_path: Path) -> None:
    root = build(tmp_path / "p")
    before = snapshot(root)
    with lock(root):
        res = start(root, "2026-11-23")
    assert res.exit_code == 2
    assert "another coachctl run is writing" in res.stderr
    assert snapshot(root) == before


def test_never_overwrites_a_note_already_there(tmp_path: Path) -> None:
    root = build(tmp_path / "p")
    mine = root / "notes/cycle-01/t01--t02.yaml"
    mine.parent.mkdir(parents=True)
    mine.write_text("# written by hand\ncoach: t01\ncoachee: t02\ncycle: 1\n")
    res = start(root, "2026-11-23")
    assert res.exit_code == 0
    assert "1 note(s) already exist" in res.stdout and "Wrote 6 file(s)." in res.stdout
    assert mine.read_text() == "# written by hand\ncoach: t01\ncoachee: t02\ncycle: 1\n"


def test_cycle_crossing_half_term_is_extended(tmp_path: Path) -> None:
    root = build(tmp_path / "p")
    write_cycle(root, 1, "2026-09-21", "2026-10-09")
    res = start(root, "2026-10-10")
    assert res.exit_code == 0, res.stderr
    assert "week of 2026-10-26 has no coaching day (holiday after Autumn 1): cycle extended" \
        in res.stdout
    cycle = yaml.safe_load((root / "cycles/cycle-02.yaml").read_text())
    assert (cycle["start"], cycle["end"]) == (dt.date(2026, 10, 12), dt.date(2026, 11, 6))
    assert yaml.safe_load((root / "notes/cycle-02/t01--t02.yaml").read_text())[
        "date"] == dt.date(2026, 11, 5)
    assert invoke("validate", "--strict", root).exit_code == 0


def test_cycle_crossing_half_term_is_reported(tmp_path: Path) -> None:
    root = build(tmp_path / "p", cycles={"holiday_weeks": "report"})
    write_cycle(root, 1, "2026-09-21", "2026-10-09")
    res = start(root, "2026-10-10")
    assert "week of 2026-10-26 has no coaching day (holiday after Autumn 1): counted anyway" \
        in res.stdout
    cycle = yaml.safe_load((root / "cycles/cycle-02.yaml").read_text())
    assert (cycle["start"], cycle["end"]) == (dt.date(2026, 10, 12), dt.date(2026, 10, 22))
    assert invoke("validate", "--strict", root).exit_code == 0


def test_a_pairing_that_changes_mid_year(tmp_path: Path) -> None:
    pairings = {"groups": [
        {"coach": "t01", "coachees": ["t02"], "until_cycle": 1},
        {"coach": "t03", "coachees": ["t02"], "from_cycle": 2, "reason": "t01 took on a year"},
        {"coach": "t03", "coachees": ["t04"]}]}
    root = build(tmp_path / "p", 4, pairings=pairings)
    assert start(root, "2026-09-01").exit_code == 0
    assert invoke("cycle", "close", root, "--today", "2026-09-18").exit_code == 0
    res = start(root, "2026-09-18")
    assert res.exit_code == 0, res.stderr
    two = sorted(p.name for p in (root / "notes/cycle-02").iterdir())
    assert two == ["t03--t02.yaml", "t03--t04.yaml"]
    assert (root / "notes/cycle-01/t01--t02.yaml").exists()
    assert invoke("validate", "--strict", root).exit_code == 0


def test_leavers_are_left_out_and_the_lead_coach_is_told(tmp_path: Path) -> None:
    staff = [{"id": f"t{i:02d}", "name": f"T {i}", "role": "teacher", "department": "Art",
              "coach": True} for i in range(1, 7)]
    staff[5]["left"] = dt.date(2026, 11, 25)  # in cycle 1, before its feedback day
    pairings = {"reciprocal": [{"staff": ["t01", "t02"]}, {"staff": ["t03", "t04"]},
                               {"staff": ["t05", "t06"], "until_cycle": 1}]}  # R005 otherwise
    root = build(tmp_path / "p", staff=staff, pairings=pairings)
    res = start(root, "2026-11-23")
    assert res.exit_code == 0, res.stderr
    assert not (root / "notes/cycle-01/t05--t06.yaml").exists()
    assert not (root / "notes/cycle-01/t06--t05.yaml").exists()
    assert "left out: t05 coaching t06 ('t06' is not on the staff" in res.stdout
    assert "no coach in cycle 1: t05" in res.stdout
    assert invoke("validate", "--strict", root).exit_code == 0


def test_coach_over_the_limit_is_reported(tmp_path: Path) -> None:
    pairings = {"groups": [{"coach": "t01", "coachees": ["t02", "t03", "t04", "t05", "t06"]}]}
    root = build(tmp_path / "p", pairings=pairings)
    res = start(root, "2026-11-23")
    assert "'t01' coaches 5 people, over the limit" in res.stdout
    assert "no coach in cycle" not in res.stdout  # t01 only coaches; the lead is not listed


def test_a_plan_that_would_break_validation_writes_nothing(tmp_path: Path) -> None:
    root = build(tmp_path / "p")
    write_cycle(root, 1, "2026-09-03", "2026-09-25")
    early = root / "notes/cycle-02/t01--t02.yaml"  # written before cycle 2's dates were known
    early.parent.mkdir(parents=True)
    early.write_text("coach: t01\ncoachee: t02\ncycle: 2\nstatus: stub\ndate: 2026-09-10\n")
    before = snapshot(root)
    res = start(root, "2026-09-28")
    assert res.exit_code == 1
    assert "R007" in res.stdout and "R003" not in res.stdout
    assert "would make the programme invalid; nothing written" in res.stderr
    assert snapshot(root) == before


def test_explicit_numbers(tmp_path: Path) -> None:
    root = build(tmp_path / "p")
    assert start(root, "2026-09-01").exit_code == 0
    early = start(root, "2026-09-01", "--number", "2")  # prepare the next cycle in advance
    assert early.exit_code == 0 and "Cycle 2: 2026-09-21 to 2026-10-09" in early.stdout
    (root / "notes/cycle-01/t01--t02.yaml").unlink()
    again = start(root, "2026-09-01", "--number", "1")
    assert "completing" in again.stdout and "Wrote 1 file(s)." in again.stdout
    (root / "cycles/cycle-01.yaml").unlink()
    back = start(root, "2026-09-01", "--number", "1")
    assert back.exit_code == 1 and "would come after cycle 2" in back.stderr


def test_no_room_left_in_the_year(tmp_path: Path) -> None:
    res = start(build(tmp_path / "p"), "2027-07-22")
    assert res.exit_code == 1 and "no room for another cycle" in res.stderr


def test_status_counts_states_and_never_prints_note_text(tmp_path: Path) -> None:
    root = build(tmp_path / "p")
    assert start(root, "2026-11-23").exit_code == 0
    (root / "notes/cycle-01/t01--t02.yaml").write_text(
        "coach: t01\ncoachee: t02\ncycle: 1\nstatus: complete\ndate: 2026-12-10\n"
        "observation: lesson\nprecise_praise: SECRET PRAISE\naction_step: s1\n"
        "modelled: true\nrehearsed: true\nnext_steps: SECRET STEPS\n")
    (root / "notes/cycle-01/t02--t01.yaml").write_text(
        "coach: t02\ncoachee: t01\ncycle: 1\nstatus: missed\nmissed_reason: SECRET REASON\n")
    (root / "notes/cycle-01/t03--t04.yaml").unlink()
    doc = invoke("cycle", "status", root, "--today", "2026-12-07", "--format", "json").json()
    assert doc["kind"] == "cycle.status" and doc["cycle"] == 1
    assert doc["counts"] == {"done": 1, "missed": 1, "stub": 3, "missing": 1}
    rows = {(r["coach"], r["coachee"]): r for r in doc["rows"]}
    assert rows[("t01", "t02")]["happened"] is True
    assert rows[("t01", "t02")]["teaching_days_left"] is None
    assert rows[("t03", "t04")]["session"] == "missing"
    assert rows[("t03", "t04")]["teaching_days_left"] == 5
    outputs = [invoke("cycle", "status", root, "--today", "2026-12-07", "-f", f).stdout
               for f in ("table", "csv", "json")]
    assert "6 sessions: 1 done, 1 missed, 3 stub, 1 missing" in outputs[0]
    assert outputs[1].splitlines()[0] == \
        "coach,coachee,session,happened,date,action_step,teaching_days_left"
    assert all("SECRET" not in out for out in outputs)


def test_close_is_atomic_idempotent_and_lets_the_next_cycle_open(tmp_path: Path) -> None:
    root = build(tmp_path / "p")
    assert start(root, "2026-11-23").exit_code == 0
    res = invoke("cycle", "close", root, "--today", "2026-12-01", "--early")
    assert res.exit_code == 0 and "Cycle 1 closed" in res.stdout
    assert "6 note(s) not written up" in res.stdout
    text = (root / "cycles/cycle-01.yaml").read_text()
    assert text.startswith("# Cycle 1, opened by") and "status: closed\n" in text
    again = invoke("cycle", "close", root, "--today", "2026-12-01")
    assert "already closed" in again.stdout
    assert (root / "cycles/cycle-01.yaml").read_text() == text
    nxt = start(root, "2026-12-01")  # closed early: the next cycle is prepared now
    assert "Cycle 2: 2026-12-14 to 2027-01-15" in nxt.stdout
    assert not list(root.rglob("*.coachctl.tmp"))


def test_close_keeps_a_hand_written_file_readable(tmp_path: Path) -> None:
    root = build(tmp_path / "p")
    write_cycle(root, 1, "2026-09-03", "2026-09-25", status="open")
    path = root / "cycles/cycle-01.yaml"
    path.write_text(path.read_text().replace("status: open\n", "") + "# the end\n")
    assert invoke("cycle", "close", root, "--cycle", "1").exit_code == 0
    assert yaml.safe_load(path.read_text())["status"] == "closed"
    assert invoke("validate", root).exit_code == 0


def test_status_and_close_need_a_cycle(tmp_path: Path) -> None:
    root = build(tmp_path / "p")
    res = invoke("cycle", "status", root)
    assert res.exit_code == 2 and "no cycle on file yet" in res.stderr
    assert invoke("cycle", "close", root, "--cycle", "3").exit_code == 2


# --- the example programmes ---------------------------------------------------------------

EXAMPLES = sorted(p for p in PROGRAMMES.glob("*") if (p / "programme.yaml").is_file()) \
    if PROGRAMMES.is_dir() else []


@pytest.mark.parametrize("example", EXAMPLES, ids=lambda p: p.name)
def test_example_programmes(example: Path, tmp_path: Path) -> None:
    root = tmp_path / example.name
    shutil.copytree(example, root, ignore=shutil.ignore_patterns(".coachctl-cache"))
    before = snapshot(root)
    running = start(root, "2026-11-23")  # cycle 4 runs to 2026-11-27: nothing to open
    assert running.exit_code == 0 and "completing (already open)" in running.stdout
    assert snapshot(root) == before
    today = "2026-11-30"
    dry = start(root, today, "--dry-run")
    assert dry.exit_code == 0, dry.stdout + dry.stderr
    listed = [line.split()[-1] for line in dry.stdout.splitlines()
              if line.startswith("would write")]
    assert len(listed) > 10 and listed[-1].endswith("cycles/cycle-05.yaml")
    assert snapshot(root) == before
    res = start(root, today)
    assert res.exit_code == 0, res.stderr
    written = set(snapshot(root)) - set(before)
    assert written == {Path(p).relative_to(root).as_posix() for p in listed}
    assert invoke("validate", root).exit_code == 0
    after = snapshot(root)
    assert start(root, today).exit_code == 0
    assert snapshot(root) == after
    cal = teaching(root)
    for rel in written:
        data = yaml.safe_load((root / rel).read_text())
        for key in ("start", "end", "date"):
            if key in data:
                assert cal.is_teaching_day(data[key]), (rel, key, data[key])
