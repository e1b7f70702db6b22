"""`schedule`: events from cycles on file and planned, in every format, and as iCalendar."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import icalendar

from tests.conftest import invoke
from tests.test_cycle import build, start, teaching


def opened(tmp_path: Path) -> Path:
    root = build(tmp_path / "p")
    assert start(root, "2026-09-01").exit_code == 0
    return root


def ics(root: Path, *args: str) -> bytes:
    res = invoke("schedule", root, "--format", "ics", *args)
    assert res.exit_code == 0, res.stderr
    return res.stdout.encode()


def events(data: bytes) -> list[icalendar.Component]:
    return list(icalendar.Calendar.from_ical(data).walk("VEVENT"))


def day(value: object) -> dt.date:
    return value.date() if isinstance(value, dt.datetime) else value  # type: ignore[return-value]


def test_json_lists_every_kind_of_event_for_the_year(tmp_path: Path) -> None:
    doc = invoke("schedule", opened(tmp_path), "--format", "json").json()
    assert doc["kind"] == "schedule"
    kinds = {r["kind"] for r in doc["rows"]}
    assert kinds == {"observation-window", "feedback", "teach-meet", "cpl", "qa-window"}
    windows = [r for r in doc["rows"] if r["kind"] == "observation-window"]
    assert windows[0] == {"start": "2026-09-03", "end": "2026-09-16", "kind": "observation-window",
                          "event": "Cycle 1 observation window", "cycle": 1, "status": "open",
                          "coach": None, "coachee": None, "all_day": True, "attendees": []}
    assert {r["status"] for r in windows[1:]} == {"planned"}
    assert len(windows) >= 10  # a year of three-week cycles
    assert len([r for r in doc["rows"] if r["kind"] == "qa-window"]) == 6  # each half term


def test_teach_meet_then_20_20_20_cpl_holds_reciprocal_feedback(tmp_path: Path) -> None:
    doc = invoke("schedule", opened(tmp_path), "--cycle", "1", "-f", "json").json()
    rows = doc["rows"]
    meet = [r for r in rows if r["kind"] in ("teach-meet", "cpl")]
    assert [(r["start"][11:16], r["end"][11:16]) for r in meet] == [
        ("14:00", "14:30"), ("14:30", "14:50"), ("14:50", "15:10"), ("15:10", "15:30")]
    assert meet[0]["start"][:10] == "2026-09-17"  # cycle 1's last coaching day
    feedback = {(r["coach"], r["coachee"]): r["start"][11:16] for r in rows
                if r["kind"] == "feedback"}
    assert feedback[("t02", "t01")] == "14:50"  # partner A (t01) is coached in part 2
    assert feedback[("t01", "t02")] == "15:10"


def test_cpl_minutes_scale_the_three_parts(tmp_path: Path) -> None:
    root = build(tmp_path / "p", cycles={"cpl_minutes": 45, "coaching_time": "15:30"})
    rows = invoke("schedule", root, "--cycle", "1", "-f", "json").json()["rows"]
    assert [(r["start"][11:16], r["end"][11:16]) for r in rows if r["kind"] == "cpl"] == [
        ("16:00", "16:15"), ("16:15", "16:30"), ("16:30", "16:45")]


def test_leader_led_feedback_comes_after_the_cpl(tmp_path: Path) -> None:
    root = build(tmp_path / "p", pairings={"groups": [{"coach": "t01", "coachees": ["t02"]}]})
    rows = invoke("schedule", root, "--cycle", "1", "-f", "json").json()["rows"]
    assert [(r["start"][11:16], r["end"][11:16]) for r in rows if r["kind"] == "feedback"] == [
        ("15:30", "16:00")]


def test_filters_by_person_cycle_and_dates(tmp_path: Path) -> None:
    root = opened(tmp_path)
    rows = invoke("schedule", root, "--staff", "t03", "-f", "json").json()["rows"]
    people = {(r["coach"], r["coachee"]) for r in rows if r["coach"]}
    assert people == {("t03", "t04"), ("t04", "t03")}
    assert any(r["kind"] == "teach-meet" for r in rows)
    window = invoke("schedule", root, "--from", "2027-01-01", "--to", "2027-01-31",
                    "-f", "csv").stdout.splitlines()
    assert window[0] == "start,end,kind,event,cycle,status,coach,coachee,all_day"
    assert all(line[:10] <= "2027-01-31" for line in window[1:])
    assert all(line.split(",")[1][:10] >= "2027-01-01" for line in window[1:])
    assert invoke("schedule", root, "--staff", "nobody").exit_code == 2
    assert invoke("schedule", root, "--from", "soon").exit_code == 2


def test_table_is_readable(tmp_path: Path) -> None:
    out = invoke("schedule", opened(tmp_path), "--staff", "t01", "--cycle", "1").stdout
    assert "2026-09-17 15:10-15:30" in out and "Teach Meet 1" in out and "t01 > t02" in out


def test_ics_parses_with_stable_uids_and_identical_bytes(tmp_path: Path) -> None:
    root = opened(tmp_path)
    first, second = ics(root), ics(root)
    assert first == second  # DTSTAMP comes from the data, not the clock
    found = events(first)
    uids = [str(e["UID"]) for e in found]
    assert len(uids) == len(set(uids))
    assert "cycle-02.observation.test-school.2026-27@coachctl" in uids
    cal = icalendar.Calendar.from_ical(first)
    assert cal["VERSION"] == "2.0" and cal.walk("VTIMEZONE")[0]["TZID"] == "Europe/London"
    timed = [e for e in found if isinstance(e.decoded("DTSTART"), dt.datetime)]
    assert timed and all(str(e.decoded("DTSTART").tzinfo) == "Europe/London" for e in timed)
    # opening the planned cycle 2 updates its events under the same UIDs
    assert start(root, "2026-09-18", "--number", "2").exit_code == 0
    later = {str(e["UID"]): e for e in events(ics(root))}
    assert later["cycle-02.observation.test-school.2026-27@coachctl"]["STATUS"] == "CONFIRMED"
    assert set(uids) == set(later)


def test_ics_events_avoid_holidays_and_inset_days(tmp_path: Path) -> None:
    root = opened(tmp_path)
    cal = teaching(root)
    for e in events(ics(root)):
        first = day(e.decoded("DTSTART"))
        last = day(e.decoded("DTEND"))
        if not isinstance(e.decoded("DTSTART"), dt.datetime):
            last -= dt.timedelta(days=1)  # an all-day DTEND is exclusive
        assert cal.is_teaching_day(first), (e["SUMMARY"], first)
        assert cal.is_teaching_day(last), (e["SUMMARY"], last)


def test_ics_for_one_person_to_a_file(tmp_path: Path) -> None:
    root = opened(tmp_path)
    out = tmp_path / "t05.ics"
    res = invoke("schedule", root, "--staff", "t05", "-f", "ics", "--output", out)
    assert res.exit_code == 0 and "events to" in res.stderr
    found = events(out.read_bytes())
    mine = [e for e in found if "feedback" in str(e["UID"])]
    assert mine and all("t05" in str(e["UID"]) for e in mine)
    assert invoke("schedule", root, "--output", out).exit_code == 2  # a table goes to a screen
