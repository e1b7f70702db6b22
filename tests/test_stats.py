"""`coachctl stats`: figures worked out by hand for a small programme, in every format.

The programme: teacher-a and teacher-b coach each other over three cycles.
teacher-b works on rt-01 for two cycles (secured in cycle 2); in cycle 2
teacher-b does not rehearse with teacher-a; in cycle 3 teacher-a's session
with teacher-b is missed and the lead drops in on teacher-b instead (a
complete drop-in note with no precise praise).
"""

from __future__ import annotations

import csv
import io
import json
import shutil
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import PROGRAMMES, copy_example, invoke, write_files, write_programme
from tests.test_qa import TODAY, base_files, note, note_rel

COLUMNS = ["planned", "done", "missed", "stub", "missing", "completion", "praise", "modelled",
           "rehearsed", "in_sequence", "coachees", "steps_secured", "secured_each",
           "cycles_per_step", "drop_ins"]
MEASURES = ["completion_target", "scripted", "coach_chose", "two_per_half_term",
            "days_to_feedback", "max_load", "load_limit", "coaches_over"]
"""Added after COLUMNS in issue 13 (tests/test_stats_measures.py), within JSON version 2."""


@pytest.fixture
def varied(programme: Path) -> Path:
    files = base_files()
    files.update({
        note_rel(1, "teacher-a", "teacher-b"): note("teacher-a", "teacher-b", 1,
                                                    step_secured=False),
        note_rel(2, "teacher-a", "teacher-b"): note("teacher-a", "teacher-b", 2,
                                                    action_step="rt-01"),
        note_rel(2, "teacher-b", "teacher-a"): note("teacher-b", "teacher-a", 2,
                                                    rehearsed=False),
        note_rel(3, "teacher-a", "teacher-b"): {
            "coach": "teacher-a", "coachee": "teacher-b", "cycle": 3, "status": "missed",
            "missed_reason": "Trip."},
        "notes/cycle-03/lead--teacher-b.yaml": note("lead", "teacher-b", 3,
                                                    observation="drop-in", precise_praise=None),
    })
    write_files(programme, files)
    assert invoke("validate", programme).exit_code == 0
    return programme


def stats_json(root: Path, *args: str) -> dict[str, Any]:
    res = invoke("stats", root, "--format", "json", "--today", TODAY, *args)
    assert res.exit_code == 0, res.stderr
    return res.json()


def rows(doc: dict[str, Any]) -> dict[Any, list[Any]]:
    key = doc["columns"][0]
    return {r[key]: [r[c] for c in COLUMNS] for r in doc["rows"]}


def test_by_cycle(varied: Path) -> None:
    doc = stats_json(varied)
    assert doc["version"] == 3 and doc["kind"] == "stats.by-cycle"
    assert doc["columns"] == ["cycle", *COLUMNS, *MEASURES]
    assert doc["cycles"] == [1, 2, 3] and doc["today"] == TODAY
    assert rows(doc) == {
        1: [2, 2, 0, 0, 0, 1.0, 1.0, 1.0, 1.0, 1.0, 2, 1, 0.5, 1.0, 0],
        2: [2, 2, 0, 0, 0, 1.0, 1.0, 1.0, 0.5, 1.0, 2, 2, 1.0, 1.5, 0],
        3: [2, 1, 1, 0, 0, 0.5, 0.5, 1.0, 1.0, 1.0, 2, 0, 0.0, 1.0, 1],
        "all": [6, 5, 1, 0, 0, 0.833, 0.833, 1.0, 0.833, 1.0, 2, 3, 1.5, 1.2, 1],
    }


def test_by_coach_has_a_trend(varied: Path) -> None:
    doc = stats_json(varied, "--by", "coach")
    assert doc["columns"] == ["coach", *COLUMNS, *MEASURES, "trend"]
    trend = {r["coach"]: r["trend"] for r in doc["rows"]}
    assert trend == {"lead": "- - -", "teacher-a": "100 100 0", "teacher-b": "100 100 100",
                     "all": "100 100 50"}
    lead = rows(doc)["lead"]
    assert lead[:2] == [0, 0] and lead[-1] == 1  # drop-ins are not planned sessions


@pytest.mark.parametrize(("by", "groups"), [("department", ["English", "all"]),
                                           ("role", ["ect", "teacher", "all"]),
                                           ("hub", ["hub-1", "all"])])
def test_other_groupings_add_up(varied: Path, by: str, groups: list[str]) -> None:
    doc = stats_json(varied, "--by", by)
    got = rows(doc)
    assert list(got) == groups
    parts = [r for k, r in got.items() if k != "all"]
    for i, col in enumerate(COLUMNS):
        if col in ("planned", "done", "missed", "drop_ins", "steps_secured"):
            assert sum(p[i] for p in parts) == got["all"][i], col


def test_role_rows(varied: Path) -> None:
    got = rows(stats_json(varied, "--by", "role"))
    assert got["ect"][:3] == [3, 2, 1]  # teacher-b, the ECT, missed one session
    assert got["teacher"][:3] == [3, 3, 0]


def test_cycle_and_since_filters(varied: Path) -> None:
    assert list(rows(stats_json(varied, "--cycle", "2"))) == [2, "all"]
    assert list(rows(stats_json(varied, "--since", "2"))) == [2, 3, "all"]
    assert list(rows(stats_json(varied, "--since", "2026-10-01"))) == [2, 3, "all"]
    assert rows(stats_json(varied, "--cycle", "2"))["all"][:2] == [2, 2]
    # before cycle 3 starts, it is not counted at all
    res = invoke("stats", varied, "--format", "json", "--today", "2026-10-20")
    assert res.json()["cycles"] == [1, 2]


def test_csv_and_table_show_the_json_figures(varied: Path) -> None:
    doc = stats_json(varied)
    res = invoke("stats", varied, "--format", "csv", "--today", TODAY)
    assert res.exit_code == 0
    table = list(csv.reader(io.StringIO(res.stdout)))
    # CSV marks each row and leaves the total out (--totals adds it, marked "total")
    assert table[0] == ["row", *doc["columns"], "teaching_days_left"]
    for line, row in zip(table[1:], doc["rows"][:-1], strict=True):
        assert line == ["group"] + ["" if row[c] is None else str(row[c])
                                    for c in doc["columns"]] + [""]
    text = invoke("stats", varied, "--today", TODAY).stdout
    all_line = next(line for line in text.splitlines() if line.strip().startswith("all")
                    and "%" in line)
    assert all_line.split() == ["all", "6", "5", "1", "0", "0", "83%", "80%"]  # and target
    assert "1.5" in text and "1.2" in text  # averages, not percentages
    for section in ("completion", "quality", "sessions", "progress"):
        assert f"coaching by cycle, ended cycles: {section}" in text
    assert "max_load:" in text and "median_cycles" in text  # the load and per-step tables


def test_empty_programme(programme: Path) -> None:
    doc = stats_json(programme)
    assert doc["rows"] == [{"cycle": "all", **dict.fromkeys(COLUMNS, 0),
                            **dict.fromkeys(["completion", "praise", "modelled", "rehearsed",
                                             "in_sequence", "secured_each",
                                             "cycles_per_step"]),
                            **dict.fromkeys(MEASURES)}]


def test_usage_errors(varied: Path) -> None:
    assert invoke("stats", varied, "--since", "last week").exit_code == 2
    assert invoke("stats", varied, "--by", "trust").exit_code == 2
    res = invoke("stats", varied, "--cycle", "9")
    assert res.exit_code == 2 and f"no cycle 9 in {varied}/cycles/" in res.stderr
    assert invoke("stats", varied / "nowhere").exit_code == 2
    assert "Examples" in invoke("stats", "--help").stdout


@pytest.mark.parametrize(("name", "cycle", "coach", "in_cycle", "in_all"),
                         [("kingsmead-academy", 3, "uphillips", 9, 15),
                          ("ashby-vale-school", 1, "nwright", 12, 23)])
def test_example_missed_session(name: str, cycle: int, coach: str, in_cycle: int,
                                in_all: int) -> None:
    """Each example plants one missed session (programmes/README.md) among the background's
    (its realistic completion); stats counts them all, the planted one under its coach."""
    got = rows(stats_json(PROGRAMMES / name))
    assert got[cycle][COLUMNS.index("missed")] == in_cycle
    assert got["all"][COLUMNS.index("missed")] == in_all
    assert got["all"][COLUMNS.index("rehearsed")] < 1  # the note without rehearsal
    by_coach = rows(stats_json(PROGRAMMES / name, "--by", "coach", "--cycle", str(cycle)))
    assert by_coach[coach][COLUMNS.index("missed")] == 1


# --- several programmes: a trust ------------------------------------------------------

COUNTS = ["planned", "done", "missed", "stub", "missing", "coachees", "steps_secured",
          "drop_ins"]
"""Columns that add up across programmes (the rest are shares and averages)."""



@pytest.fixture(scope="module")
def trust(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Both examples side by side, as a trust keeps them."""
    root = tmp_path_factory.mktemp("trust")
    for name in ("ashby-vale-school", "kingsmead-academy"):
        copy_example(name, root / name)
    return root


@pytest.fixture(scope="module")
def twins(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Two copies of one example: the same school, year, staff ids and notes twice."""
    root = tmp_path_factory.mktemp("twins")
    for name in ("a", "b"):
        copy_example("kingsmead-academy", root / name)
    return root


def test_by_school_rows_are_each_programmes_totals(trust: Path) -> None:
    doc = stats_json(trust, "--by", "school")
    assert doc["kind"] == "stats.by-school" and doc["columns"] == ["school", *COLUMNS, *MEASURES,
                                                                "trend"]
    assert doc["programme"] is None
    assert doc["programmes"] == [f"{trust.as_posix()}/ashby-vale-school",
                                 f"{trust.as_posix()}/kingsmead-academy"]
    assert doc["title"] == "2 programmes: coaching by school, ended cycles"
    got = rows(doc)
    assert list(got) == ["Ashby Vale School 2026-27", "Kingsmead Academy 2026-27", "all"]
    for school, folder in zip(list(got)[:2], ("ashby-vale-school", "kingsmead-academy"),
                              strict=True):
        alone = stats_json(trust / folder)
        assert got[school] == rows(alone)["all"], school
    trend = {r["school"]: r["trend"] for r in doc["rows"]}
    assert trend["Kingsmead Academy 2026-27"] == " ".join(
        str(round(100 * r["completion"])) for r in stats_json(trust / "kingsmead-academy")["rows"]
        if r["cycle"] != "all")
    for i, col in enumerate(COLUMNS):
        if col in COUNTS:
            assert got["all"][i] == sum(got[s][i] for s in list(got)[:2]), col


def test_by_department_over_twins_doubles_every_count(twins: Path) -> None:
    one = rows(stats_json(twins / "a", "--by", "department"))
    both = rows(stats_json(twins, "--by", "department"))
    assert list(both) == list(one)
    for dept, row in one.items():
        for i, col in enumerate(COLUMNS):
            # the same staff id in two schools is two coachees; shares stay as they were
            assert both[dept][i] == (2 * row[i] if col in COUNTS else row[i]), (dept, col)


def test_same_school_twice_keeps_one_row_each(twins: Path) -> None:
    got = rows(stats_json(twins, "--by", "school"))
    assert list(got) == [f"Kingsmead Academy 2026-27 ({twins.as_posix()}/a)",
                         f"Kingsmead Academy 2026-27 ({twins.as_posix()}/b)", "all"]
    assert got["all"][0] == 2 * 238  # cycles 1-3 each; cycle 4 is running


def test_cycle_rows_sum_each_number_across_programmes(trust: Path) -> None:
    got = rows(stats_json(trust, "--cycle", "3"))
    ashby = rows(stats_json(trust / "ashby-vale-school", "--cycle", "3"))
    kingsmead = rows(stats_json(trust / "kingsmead-academy", "--cycle", "3"))
    assert list(got) == [3, "all"]
    assert got[3][:5] == [a + k for a, k in zip(ashby[3][:5], kingsmead[3][:5], strict=True)]


def test_empty_programmes_still_have_a_school_row(tmp_path: Path) -> None:
    write_programme(tmp_path / "old", 2025)
    write_programme(tmp_path / "new", 2026)
    doc = stats_json(tmp_path, "--by", "school")
    assert [r["school"] for r in doc["rows"]] == ["Test School 2025-26", "Test School 2026-27",
                                                 "all"]
    assert all(r["planned"] == 0 for r in doc["rows"])
    res = invoke("stats", tmp_path, "--by", "school", "--format", "csv", "--today", TODAY)
    assert res.stdout.splitlines()[1].startswith("group,Test School 2025-26,0,0,")


def test_a_broken_programme_is_warned_about_and_the_rest_counted(tmp_path: Path) -> None:
    good = copy_example("ashby-vale-school", tmp_path / "good")
    broken = write_programme(tmp_path / "broken")
    (broken / "staff.yaml").write_text("staff: [\n", encoding="utf-8")
    res = invoke("stats", tmp_path, "--by", "school", "--format", "json", "--today", TODAY)
    assert res.exit_code == 0
    assert f"validate finds 1 error in {broken.as_posix()}" in res.stderr
    assert "good" not in res.stderr
    got = rows(res.json())
    assert got["Ashby Vale School 2026-27"] == rows(stats_json(good))["all"]
    assert got["Test School 2026-27"][0] == 0


def test_cycle_must_exist_in_some_programme(tmp_path: Path) -> None:
    write_programme(tmp_path / "a")
    copy_example("ashby-vale-school", tmp_path / "b")
    assert list(rows(stats_json(tmp_path, "--cycle", "2"))) == [2, "all"]
    res = invoke("stats", tmp_path, "--cycle", "9", "--today", TODAY)
    assert res.exit_code == 2 and "no cycle 9 in any of 2 programmes" in res.stderr


def test_one_programme_counts_ended_cycles_and_shows_the_open_one_apart() -> None:
    """On the example's Monday cycle 4 is running: the figures are cycles 1-3's (as
    programmes/README.md states them), cycle 4 follows the total, labelled open."""
    example = PROGRAMMES / "kingsmead-academy"
    res = invoke("stats", example, "--format", "csv", "--totals", "--today", TODAY)
    assert res.stdout == """\
row,cycle,planned,done,missed,stub,missing,completion,praise,modelled,rehearsed,in_sequence,\
coachees,steps_secured,secured_each,cycles_per_step,drop_ins,completion_target,scripted,\
coach_chose,two_per_half_term,days_to_feedback,max_load,load_limit,coaches_over,teaching_days_left
group,1,80,56,4,17,3,0.7,1.0,0.917,0.85,1.0,56,12,0.21,1.0,11,0.8,0.75,0.15,0.787,1.0,2,4,0,
group,2,80,69,2,5,4,0.863,0.987,0.882,0.829,1.0,71,54,0.76,1.64,17,0.8,0.724,0.105,0.787,1.0,2,4,0,
group,3,78,58,9,4,7,0.744,1.0,0.952,0.857,1.0,58,31,0.53,1.4,11,0.8,0.778,0.127,0.795,1.0,2,4,0,
open,open: cycle 4,78,41,0,37,0,0.526,,,,,,,,,,,,,,,,,,5
total,all,238,183,15,26,14,0.769,0.995,0.915,0.844,1.0,78,97,1.24,1.46,39,0.8,0.749,0.126,0.787,1.0,2,4,0,
"""
    doc = stats_json(example)
    assert list(doc) == ["version", "tool", "kind", "title", "columns", "rows", "programme",
                         "today", "by", "cycles", "programmes", "open", "steps"]
    assert doc["title"] == "Kingsmead Academy: coaching by cycle, ended cycles"
    assert doc["programme"] == example.as_posix() and doc["programmes"] == [doc["programme"]]
    assert doc["cycles"] == [1, 2, 3]
    assert doc["open"] == [{"school": "Kingsmead Academy 2026-27", "cycle": 4,
                            "start": "2026-11-09", "end": "2026-11-27", "due": 78, "done": 41,
                            "missed": 0, "stub": 37, "missing": 0, "done_so_far": 0.526,
                            "teaching_days_left": 5}]
    text = invoke("stats", example, "--today", TODAY).stdout.splitlines()
    assert text[0].rstrip() == "Kingsmead Academy: coaching by cycle, ended cycles: completion"
    assert "    all       238    183       15     26        14          77%                 80%  " \
        in text
    assert "Open cycles, still running: not counted above" in [t.strip() for t in text]
    assert any(line.split()[-6:] == ["41", "0", "37", "0", "53%", "5"] for line in text
               if "2026-11-27" in line)


def test_a_cycle_closed_early_or_ended_counts_and_one_not_started_is_left_out(
        varied: Path) -> None:
    """Open means started, not closed, and ending on or after --today (a cycle ending
    today is still running); closed early, it counts at once."""
    on_last_day = stats_json(varied, "--today", "2026-11-20")
    assert on_last_day["cycles"] == [1, 2] and [o["cycle"] for o in on_last_day["open"]] == [3]
    assert on_last_day["open"][0]["teaching_days_left"] == 1
    path = varied / "cycles/cycle-03.yaml"
    path.write_text(path.read_text().replace("status: open", "status: closed"))
    assert stats_json(varied, "--today", "2026-11-20")["cycles"] == [1, 2, 3]
    before = stats_json(varied, "--today", "2026-11-01")
    assert before["cycles"] == [1, 2] and before["open"] == []


@pytest.mark.parametrize("name", ["kingsmead-academy", "ashby-vale-school"])
def test_opening_a_cycle_leaves_the_ended_cycles_figures_alone(name: str,
                                                               tmp_path: Path) -> None:
    """Issue 9: right after `cycle start`, completion fell and the trend showed 0 for the
    new cycle. Every format, every grouping: the same before and after, bar the open part."""
    root = copy_example(name, tmp_path / name)
    day = "2026-11-30"

    def outputs() -> dict[tuple[str, str], str]:
        return {(by, fmt): invoke("stats", root, "--by", by, "--format", fmt,
                                  "--today", day).stdout
                for by in ("cycle", "school", "department", "hub", "coach", "role")
                for fmt in ("json", "csv", "table")}

    before = outputs()
    assert invoke("cycle", "start", root, "--today", day).exit_code == 0
    after = outputs()
    for (by, fmt), text in before.items():
        if fmt == "json":
            old, new = json.loads(text), json.loads(after[by, fmt])
            assert old["open"] == [] and [o["cycle"] for o in new["open"]] == [5]
            assert new["open"][0]["done"] == 0 and new["open"][0]["teaching_days_left"] > 0
            old.pop("open"), new.pop("open")
            assert old == new, by
        elif fmt == "csv":
            lines = after[by, fmt].splitlines()
            assert lines[-1].startswith("open,open: cycle 5,")
            assert "\n".join(lines[:-1]) + "\n" == text, by
        else:
            assert after[by, fmt].startswith(text.rstrip("\n")), by
            assert "Open cycles, still running" in after[by, fmt]


def test_coach_and_hub_rows_stay_apart_across_schools(tmp_path: Path) -> None:
    """Two schools' hub-1 are different hubs; one school's hub across years is one."""

    from tests.conftest import PROGRAMMES

    trust = tmp_path / "trust"
    shutil.copytree(PROGRAMMES / "kingsmead-academy", trust / "kingsmead")
    shutil.copytree(PROGRAMMES / "ashby-vale-school", trust / "ashby")
    one = invoke("stats", trust / "kingsmead", "--by", "hub", "--format", "json",
                 "--today", "2026-11-23").json()
    both = invoke("stats", trust, "--by", "hub", "--format", "json",
                  "--today", "2026-11-23").json()
    named = {r["hub"]: r for r in both["rows"]}
    for row in one["rows"]:
        if row["hub"] == "all":
            continue
        mine = named[f"{row['hub']} (Kingsmead Academy)"]
        assert mine["planned"] == row["planned"] and mine["done"] == row["done"]
    assert not any(h == "hub-1" for h in named)  # never an unqualified, merged hub


def test_csv_trend_is_one_share_per_cycle_empty_without_sessions(varied: Path) -> None:
    res = invoke("stats", varied, "--by", "coach", "--format", "csv", "--today", TODAY)
    rows = {r["coach"]: r for r in csv.DictReader(io.StringIO(res.stdout))}
    trend = {who: [r[f"completion_cycle_{n}"] for n in (1, 2, 3)] for who, r in rows.items()}
    assert trend["lead"] == ["", "", ""] and trend["teacher-a"] == ["1.0", "1.0", "0.0"]
