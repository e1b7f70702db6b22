"""Calendars people use (issue 14): events named with people's names, one calendar per
member of staff written into a folder, Teach Meets and CPL for the coaches they concern,
and schedule CSV times in ISO 8601 with the UK offset."""

from __future__ import annotations

import csv
import datetime as dt
import io
from pathlib import Path
from typing import Any

import icalendar
import pytest
import yaml

from tests.conftest import PROGRAMMES, copy_example, invoke

KINGSMEAD = PROGRAMMES / "kingsmead-academy"


def staff_names(root: Path) -> dict[str, str]:
    doc = yaml.safe_load((root / "staff.yaml").read_text(encoding="utf-8"))
    return {s["id"]: s["name"] for s in doc["staff"]}


def vevents(data: bytes) -> list[icalendar.Component]:
    return list(icalendar.Calendar.from_ical(data).walk("VEVENT"))


def kind(e: icalendar.Component) -> str:
    categories: Any = e["CATEGORIES"]
    return str(categories.cats[0])


def attendees(e: icalendar.Component) -> list[Any]:
    found: Any = e.get("ATTENDEE", [])
    return found if isinstance(found, list) else [found]


def test_feedback_titles_name_the_coach_and_coachee() -> None:
    names = staff_names(KINGSMEAD)
    rows = invoke("schedule", KINGSMEAD, "--cycle", "4", "--format", "json").json()["rows"]
    feedback = [r for r in rows if r["kind"] == "feedback"]
    assert feedback
    for r in feedback:
        assert r["event"].startswith(f"Feedback: {names[r['coach']]} with "
                                     f"{names[r['coachee']]} (cycle 4")


def test_per_person_writes_one_valid_calendar_each_and_a_rerun_writes_nothing(
        tmp_path: Path) -> None:
    root = copy_example("kingsmead-academy", tmp_path / "k")
    out = tmp_path / "calendars"
    res = invoke("schedule", root, "--per-person", out)
    assert res.exit_code == 0, res.stderr
    names = staff_names(root)
    files = {p.stem: p for p in out.glob("*.ics")}
    doc = yaml.safe_load((root / "staff.yaml").read_text(encoding="utf-8"))
    expected = {s["id"] for s in doc["staff"]
                if not s.get("left") or s["left"] >= dt.date(2026, 9, 1)}
    assert set(files) == expected
    assert f"wrote {len(files)} calendars" in res.stderr
    # each is the person's --staff calendar, titled with their name
    one = files["aosei"].read_bytes()
    assert one == invoke("schedule", root, "--staff", "aosei", "--format", "ics").stdout.encode()
    cal = icalendar.Calendar.from_ical(one)
    assert str(cal["X-WR-CALNAME"]).endswith(f"({names['aosei']})")
    for e in vevents(one):
        if kind(e) == "feedback":
            assert {a.params["CN"] for a in attendees(e)} <= set(names.values())
            assert "aosei" in str(e["DESCRIPTION"])
    # a re-run changes nothing, not even a file's time
    times = {p: p.stat().st_mtime_ns for p in files.values()}
    again = invoke("schedule", root, "--per-person", out)
    assert again.exit_code == 0 and "wrote 0 calendars" in again.stderr
    assert {p: p.stat().st_mtime_ns for p in files.values()} == times
    assert not [p for p in out.iterdir() if p.suffix != ".ics"]  # no temporary file left


def test_per_person_removes_the_calendars_it_wrote_for_people_gone_and_nothing_else(
        tmp_path: Path) -> None:
    """Next year's calendars written into this year's folder: the leavers' (year start
    drops them) go, after a dry run that says so and changes nothing; a file a person put
    there, a link, a copy of a calendar under another name, the school's whole calendar
    and another school's calendars stay; a re-run does nothing."""
    root = copy_example("kingsmead-academy", tmp_path / "k")
    out = tmp_path / "calendars"
    assert invoke("schedule", root, "--per-person", out).exit_code == 0
    foreign = {
        "mine.ics": b"BEGIN:VCALENDAR\r\nPRODID:-//someone//EN\r\nEND:VCALENDAR\r\n",
        "notes.ics": b"not a calendar at all\n",
        "aosei-copy.ics": (out / "aosei.ics").read_bytes(),  # lists aosei, not aosei-copy
    }
    for name, data in foreign.items():
        (out / name).write_bytes(data)
    school = invoke("schedule", root, "--format", "ics", "-o", out / "school.ics")
    assert school.exit_code == 0
    other = copy_example("ashby-vale-school", tmp_path / "a")
    theirs = sorted(staff_names(other))[0]
    assert theirs not in staff_names(root)  # an id the run would otherwise remove
    assert invoke("schedule", other, "--staff", theirs, "--format", "ics",
                  "-o", out / f"{theirs}.ics").exit_code == 0
    (tmp_path / "elsewhere.ics").write_bytes((out / "aosei.ics").read_bytes())
    (out / "linked.ics").symlink_to(tmp_path / "elsewhere.ics")
    assert invoke("year", "start", root, "--to", tmp_path / "k2").exit_code == 0
    now, before = set(staff_names(tmp_path / "k2")), {p.stem for p in out.glob("*.ics")}
    gone = sorted(set(staff_names(root)) - now)
    assert gone and all((out / f"{sid}.ics").exists() for sid in gone)
    kept = {name: (out / name).read_bytes() for name in
            [*foreign, "school.ics", f"{theirs}.ics", "linked.ics"]}

    def files() -> dict[str, bytes]:
        return {p.name: p.read_bytes() for p in out.iterdir()}

    ahead = files()
    dry = invoke("schedule", tmp_path / "k2", "--per-person", out, "--dry-run")
    assert dry.exit_code == 0, dry.stderr
    assert [line.split()[-1] for line in dry.stdout.splitlines()
            if line.startswith("would remove")] == [str(out / f"{sid}.ics") for sid in gone]
    assert f"and {len(gone)} removed; nothing written" in dry.stdout
    assert files() == ahead

    res = invoke("schedule", tmp_path / "k2", "--per-person", out)
    assert res.exit_code == 0, res.stderr
    assert (f"removed {len(gone)} calendar{'s' if len(gone) > 1 else ''} of people no "
            f"longer on the staff: " + ", ".join(f"{sid}.ics" for sid in gone)) in res.stderr
    assert {p.stem for p in out.glob("*.ics")} == (before - set(gone)) | now
    assert {name: (out / name).read_bytes() for name in kept} == kept
    assert (out / "linked.ics").is_symlink()
    again = invoke("schedule", tmp_path / "k2", "--per-person", out)
    assert again.exit_code == 0 and "wrote 0 calendars" in again.stderr
    assert "removed" not in again.stderr
    assert invoke("schedule", root, "--dry-run").exit_code == 2  # --dry-run is --per-person's


def test_teach_meets_and_cpl_go_to_the_coaches() -> None:
    doc = yaml.safe_load((KINGSMEAD / "staff.yaml").read_text(encoding="utf-8"))
    pairs = invoke("schedule", KINGSMEAD, "--cycle", "4", "--format", "json").json()["rows"]
    coaches = {r["coach"] for r in pairs if r["kind"] == "feedback"}
    never = next(s["id"] for s in doc["staff"] if s["id"] not in coaches and not s.get("left"))
    theirs = vevents(invoke("schedule", KINGSMEAD, "--staff", never, "--cycle", "4",
                            "--format", "ics").stdout.encode())
    assert not [e for e in theirs if kind(e) in ("teach-meet", "cpl")]
    assert [e for e in theirs if kind(e) == "observation-window"]
    coach = sorted(coaches)[0]
    mine = vevents(invoke("schedule", KINGSMEAD, "--staff", coach, "--cycle", "4",
                          "--format", "ics").stdout.encode())
    meets = [e for e in mine if kind(e) in ("teach-meet", "cpl")]
    assert len(meets) == 4
    for e in meets:  # their own calendar names them, not every coach
        assert [str(a).rsplit(":", 1)[1] for a in attendees(e)] == [coach]
    school = vevents(invoke("schedule", KINGSMEAD, "--cycle", "4", "--format", "ics")
                     .stdout.encode())
    meets = [e for e in school if kind(e) in ("teach-meet", "cpl")]
    assert len(meets) == 4
    for e in meets:
        assert {str(a).rsplit(":", 1)[1] for a in attendees(e)} == coaches


def test_schedule_csv_times_carry_the_uk_offset_of_their_date() -> None:
    res = invoke("schedule", KINGSMEAD, "--format", "csv")
    rows = list(csv.DictReader(io.StringIO(res.stdout)))
    offsets = set()
    for r in rows:
        if r["all_day"] == "yes":
            start, end = dt.date.fromisoformat(r["start"]), dt.date.fromisoformat(r["end"])
            assert "T" not in r["start"] and start <= end
            continue
        assert r["all_day"] == "no"
        start, end = dt.datetime.fromisoformat(r["start"]), dt.datetime.fromisoformat(r["end"])
        assert start.tzinfo is not None and start < end
        summer = dt.date(2026, 10, 25) > start.date() or start.date() >= dt.date(2027, 3, 28)
        assert start.utcoffset() == dt.timedelta(hours=1 if summer else 0), r
        offsets.add(r["start"][-6:])
    assert offsets == {"+01:00", "+00:00"}


@pytest.mark.parametrize("staff", [None, "aosei"])
def test_schedule_json_agrees_with_the_csv_and_the_calendar(staff: str | None) -> None:
    """JSON version 3: the CSV's times and all_day, and the iCalendar's attendees (one
    person's calendar lists of a Teach Meet's coaches only them)."""
    only: list[str | Path] = ["--staff", staff] if staff else []
    doc = invoke("schedule", KINGSMEAD, *only, "--format", "json").json()
    assert doc["version"] == 3
    assert doc["columns"] == ["start", "end", "kind", "event", "cycle", "status", "coach",
                              "coachee", "all_day", "attendees"]
    rows = doc["rows"]
    table = list(csv.DictReader(io.StringIO(
        invoke("schedule", KINGSMEAD, *only, "--format", "csv").stdout)))
    cal = vevents(invoke("schedule", KINGSMEAD, *only, "--format", "ics").stdout.encode())
    assert len(rows) == len(table) == len(cal) > 0
    kinds = set()
    for r, c, e in zip(rows, table, cal, strict=True):
        assert (r["start"], r["end"]) == (c["start"], c["end"])
        assert r["all_day"] is (c["all_day"] == "yes")
        start = e.decoded("DTSTART")
        if r["all_day"]:
            assert r["start"] == start.isoformat()
        else:  # the same instant, written with the offset of its date
            assert dt.datetime.fromisoformat(r["start"]) == start
        assert r["attendees"] == [str(a).rsplit(":", 1)[1] for a in attendees(e)], r
        kinds |= {r["kind"]} if r["attendees"] else set()
    assert kinds == {"feedback", "teach-meet", "cpl"}
    meets = [r for r in rows if r["kind"] in ("teach-meet", "cpl")]
    if staff:
        assert {tuple(r["attendees"]) for r in meets} == {(staff,)}
    else:
        assert max(len(r["attendees"]) for r in meets) > 1


def test_per_person_refuses_what_it_cannot_do(tmp_path: Path) -> None:
    (tmp_path / "file").write_text("x")
    cases: list[list[str | Path]] = [
        ["--per-person", tmp_path / "file"],
        ["--per-person", tmp_path / "d", "--format", "csv"],
        ["--per-person", tmp_path / "d", "--staff", "aosei"],
        ["--per-person", tmp_path / "d", "-o", tmp_path / "x.ics"]]
    for args in cases:
        res = invoke("schedule", KINGSMEAD, *args)
        assert res.exit_code == 2 and "Traceback" not in res.stderr, args
    assert not (tmp_path / "d").exists()


def test_a_calendar_is_recognised_as_a_persons_by_its_content_alone() -> None:
    """What --per-person may remove: coachctl's calendar of that id for that school (names
    with commas and semicolons, which iCalendar escapes, included); nothing else."""
    from coachctl.render.ics import person_calendar, to_ics
    from coachctl.schedule import Event

    at = dt.datetime(2026, 10, 1, 14)
    meet = Event("teach-meet-01", "teach-meet", "Teach Meet 1", at, at, attendees=("ab", "cd"))
    school = "St. Ann's, Kings; Mead"
    stamp = dt.datetime(2026, 9, 1, tzinfo=dt.UTC)

    def calendar(name: str, person: str | None) -> bytes:
        return to_ics([meet], calendar_id="x", name=name, stamp=stamp, for_person=person)

    mine = calendar(f"{school} coaching 2026-27 (Ann Bee)", "ab")
    assert person_calendar(mine, school=school, staff_id="ab")
    assert not person_calendar(mine, school=school, staff_id="cd")  # lists ab alone
    assert not person_calendar(mine, school="Another School", staff_id="ab")
    whole = calendar(f"{school} coaching 2026-27", None)
    assert not person_calendar(whole, school=school, staff_id="ab")
    assert not person_calendar(mine.replace(b"PRODID:-//coachctl", b"PRODID:-//other"),
                               school=school, staff_id="ab")
    assert not person_calendar(mine[:200], school=school, staff_id="ab")  # cut short
