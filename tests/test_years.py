"""`coachctl year start` end to end on copies of both examples: next year's programme
validates, its first stubs carry on where this year ended, `staff show` follows a person
across both years, and `stats` reports several years of one school. Writes are whole or
absent (kill -9), refused and dry runs write nothing, a re-run changes nothing."""

from __future__ import annotations

import datetime as dt
import os
import random
import shutil
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest
import yaml

from coachctl.journeys import journeys
from coachctl.lifecycle import current_step
from coachctl.loader import load
from tests.conftest import PROGRAMMES, copy_example, invoke
from tests.test_cycle import snapshot
from tests.test_kill import kill


def copy(tmp_path: Path, name: str = "kingsmead-academy") -> Path:
    root = tmp_path / "school" / "2026-27"
    copy_example(name, root)
    return root


def start_year(root: Path, *args: str) -> tuple[int, str]:
    res = invoke("year", "start", root, *args)
    return res.exit_code, res.stdout + res.stderr


def read(path: Path) -> dict[str, Any]:
    data: dict[str, Any] = yaml.safe_load(path.read_text())
    return data


@pytest.fixture(scope="module")
def two_years(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """Kingsmead 2026-27, and the 2027-28 that `year start` makes of it."""
    old = copy(tmp_path_factory.mktemp("years"))
    new = old.parent / "2027-28"
    code, out = start_year(old, "--to", str(new))
    assert code == 0, out
    return old, new


def test_next_year_validates_with_its_calendar_staff_and_pairings(two_years) -> None:  # type: ignore[no-untyped-def]
    old, new = two_years
    res = invoke("validate", "--strict", new)
    assert res.exit_code == 0, res.stdout
    programme = read(new / "programme.yaml")
    assert programme["academic_year"] == "2027-28"
    assert programme["calendar"]["terms"][0]["start"] == dt.date(2027, 9, 1)
    assert {"name": "May Day", "kind": "bank-holiday", "start": dt.date(2028, 5, 1)} in \
        programme["calendar"]["closures"]
    staff = {p["id"]: p for p in read(new / "staff.yaml")["staff"]}
    before = {p["id"]: p for p in read(old / "staff.yaml")["staff"]}
    assert "sgraham" in before and "sgraham" not in staff  # the leaver
    assert set(before) - set(staff) == {"sgraham"}
    assert before["aallen"]["new_coach"] and "new_coach" not in staff["aallen"]
    pairings = read(new / "pairings.yaml")
    everyone = [x for g in pairings["groups"] for x in (g["coach"], *g["coachees"])]
    everyone += [x for r in pairings["reciprocal"] for x in r["staff"]]
    assert "sgraham" not in everyone
    assert all(g.get("from_cycle", 1) == 1 and "until_cycle" not in g
               for g in pairings["groups"] + pairings["reciprocal"])
    assert len(pairings["hubs"]) == len(read(old / "pairings.yaml")["hubs"])
    for rel in ("steps/library.yaml", "steps/sequence.yaml", "steps/coaching-curriculum.yaml"):
        assert (new / rel).read_bytes() == (old / rel).read_bytes()
    assert not (new / "cycles").exists() and not (new / "notes").exists()


def test_unrelated_lines_and_comments_carry_over(two_years) -> None:  # type: ignore[no-untyped-def]
    old, new = two_years
    old_lines = set((old / "staff.yaml").read_text().splitlines())
    for line in (new / "staff.yaml").read_text().splitlines():
        assert line in old_lines or line.startswith("  start_step: "), line
    assert (new / "staff.yaml").read_text().startswith("# Synthetic data")
    old_lines = (old / "programme.yaml").read_text().splitlines()
    new_text = (new / "programme.yaml").read_text()
    assert old_lines[0] in new_text and "cycles:\n  length_weeks: 3\n" in new_text


def test_first_stubs_of_next_year_continue_this_years_steps(two_years, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    old, new = two_years
    new_copy = tmp_path / "2027-28"
    shutil.copytree(new, new_copy)
    res = invoke("cycle", "start", new_copy, "--today", "2027-09-01")
    assert res.exit_code == 0, res.stdout + res.stderr
    prog = load(old)
    journey_of = journeys(prog.notes)
    stubs = sorted((new_copy / "notes/cycle-01").glob("*.yaml"))
    assert len(stubs) > 50
    moved_on = 0
    for path in stubs:
        stub = read(path)
        expected = current_step(prog, stub["coachee"], journey_of)
        assert stub["action_step"] == expected, path.name
        moved_on += expected != prog.sequence_ids[0]
    assert moved_on > len(stubs) // 2  # most coachees are past the first step
    assert invoke("validate", new_copy).exit_code == 0


def test_staff_show_follows_a_person_across_both_years(two_years) -> None:  # type: ignore[no-untyped-def]
    old, new = two_years
    for paths in ([old, new], [old.parent]):
        res = invoke("staff", "show", "kfletcher", *paths, "--format", "json",
                     "--today", "2027-10-01")
        assert res.exit_code == 0, res.stdout + res.stderr
        tables = {t["kind"]: t for t in res.json()["tables"]}
        years = tables["staff.years"]["rows"]
        assert [r["year"] for r in years] == ["2026-27", "2027-28"]
        assert years[1]["start_step"] == years[0]["next_step"] is not None
        assert years[0]["coachee_done"] >= 1
        assert "staff.summary" in tables
    res = invoke("staff", "show", "nobody", old, new)
    assert res.exit_code == 2 and "no 'nobody'" in res.stderr


def test_stats_reports_both_years_of_one_school(two_years) -> None:  # type: ignore[no-untyped-def]
    old, _ = two_years
    res = invoke("stats", old.parent, "--by", "school", "--format", "json",
                 "--today", "2027-10-01")
    assert res.exit_code == 0, res.stderr
    rows = res.json()["rows"]
    assert [r["school"] for r in rows] == ["Kingsmead Academy 2026-27",
                                          "Kingsmead Academy 2027-28", "all"]


def test_leader_led_school_and_no_pairings(tmp_path: Path) -> None:
    old = copy(tmp_path, "ashby-vale-school")
    new = old.parent / "2027-28"
    code, out = start_year(old, "--to", str(new), "--no-pairings")
    assert code == 0, out
    assert "pairings: none carried" in out and "INSET" in out
    pairings = read(new / "pairings.yaml")
    assert pairings["groups"] == [] and pairings["reciprocal"] == []
    assert invoke("validate", new).exit_code == 0


def test_dry_run_refusals_and_rerun_write_nothing(tmp_path: Path) -> None:
    old = copy(tmp_path)
    new = old.parent / "2027-28"
    source = snapshot(old)
    code, out = start_year(old, "--to", str(new), "--dry-run")
    assert code == 0 and "Dry run" in out
    assert not new.exists() and snapshot(old) == source
    assert [p.name for p in old.parent.iterdir()] == ["2026-27"]  # no temporary folder left

    new.mkdir()
    (new / "notes.txt").write_text("ours")
    code, out = start_year(old, "--to", str(new))
    assert code == 2 and "not an empty folder" in out
    assert [p.name for p in new.iterdir()] == ["notes.txt"]
    code, out = start_year(old, "--to", str(old / "next"))
    assert code == 2 and "inside the programme" in out
    code, out = start_year(old, "--to", str(tmp_path / "x"), "--year", "2025-26")
    assert code == 2 and "not after" in out

    deeper = tmp_path / "trust" / "school" / "2027-28"  # folders on the way are made
    code, out = start_year(old, "--to", str(deeper))
    assert code == 0 and (deeper / "programme.yaml").is_file(), out
    (new / "notes.txt").unlink()  # an empty folder is fine
    code, out = start_year(old, "--to", str(new))
    assert code == 0, out
    written = snapshot(new)
    code, out = start_year(old, "--to", str(new))
    assert code == 0 and "nothing to change" in out
    assert snapshot(new) == written and snapshot(old) == source


def test_a_next_year_that_would_not_validate_is_not_written(tmp_path: Path) -> None:
    """The lead coach has left: next year's programme.yaml would name nobody."""
    old = copy(tmp_path, "ashby-vale-school")
    lead = read(old / "programme.yaml")["lead_coach"]
    text = (old / "staff.yaml").read_text()
    at = text.index(f"- id: {lead}\n")
    end = text.index("\n- id:", at + 1)
    (old / "staff.yaml").write_text(text[:end] + "\n  left: 2026-08-31" + text[end:])
    new = old.parent / "2027-28"
    code, out = start_year(old, "--to", str(new))
    assert code == 1 and "R001" in out and "nothing written" in out, out
    assert not new.exists()
    assert [p.name for p in old.parent.iterdir()] == ["2026-27"]


def test_killed_runs_then_a_rerun_equal_a_clean_run(tmp_path: Path) -> None:
    old = copy(tmp_path)

    def run(target: Path) -> subprocess.Popen[bytes]:
        return subprocess.Popen([sys.executable, "-m", "coachctl", "year", "start", str(old),
                                 "--to", str(target)], stdout=subprocess.DEVNULL,
                                stderr=subprocess.DEVNULL, start_new_session=True)

    clean = tmp_path / "clean"
    began = time.monotonic()
    assert run(clean).wait(timeout=60) == 0
    duration = time.monotonic() - began
    expected = snapshot(clean)
    source = snapshot(old)
    rng = random.Random(int(os.environ.get("COACHCTL_KILL_SEED", "9")))
    killed = tmp_path / "killed"
    for i in range(6):
        proc = run(killed)
        time.sleep(rng.uniform(duration * 0.3, duration))
        kill(proc)
        assert not killed.exists() or snapshot(killed) == expected, f"half-written after {i}"
        if killed.exists():
            shutil.rmtree(killed)
    assert run(killed).wait(timeout=60) == 0
    assert snapshot(killed) == expected and snapshot(old) == source
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".")]  # strays removed


def test_a_file_whose_comments_cannot_carry_is_written_afresh_and_named(tmp_path: Path) -> None:
    old = copy(tmp_path)
    staff = old / "staff.yaml"
    staff.write_text(staff.read_text().replace("  left: 2026-10-09\n",
                                               "  left: 2026-10-09   # moved to another school\n"))
    new = old.parent / "2027-28"
    code, out = start_year(old, "--to", str(new))
    assert code == 0, out
    assert "staff.yaml: written afresh (its comments could not be carried)" in out
    assert "sgraham" not in (new / "staff.yaml").read_text()
    assert invoke("validate", new).exit_code == 0


def test_staff_show_across_schools_is_refused_and_a_joiner_shows_their_years(
        two_years: tuple[Path, Path], tmp_path: Path) -> None:
    old, new = two_years
    res = invoke("staff", "show", "rrees", old, PROGRAMMES / "ashby-vale-school")
    assert res.exit_code == 2 and "ids belong to one school" in res.stderr
    later = tmp_path / "2027-28"
    shutil.copytree(new, later)
    assert invoke("staff", "add", later, "--name", "Rosa Lindqvist", "--role", "ect",
                  "--department", "Science", "--joined", "2027-09-01").exit_code == 0
    res = invoke("staff", "show", "rlindqvist", old, later, "--format", "json")
    assert res.exit_code == 0, res.stderr
    years = res.json()["tables"][0]["rows"]
    assert [r["year"] for r in years] == ["2027-28"]
