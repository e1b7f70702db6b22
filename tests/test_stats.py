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
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import PROGRAMMES, invoke
from tests.test_qa import TODAY, base_files, note, note_rel, write

COLUMNS = ["planned", "done", "missed", "stub", "missing", "completion", "praise", "modelled",
           "rehearsed", "in_sequence", "coachees", "steps_secured", "secured_each",
           "cycles_per_step", "drop_ins"]


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
    write(programme, files)
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
    assert doc["version"] == 1 and doc["kind"] == "stats.by-cycle"
    assert doc["columns"] == ["cycle", *COLUMNS]
    assert doc["cycles"] == [1, 2, 3] and doc["today"] == TODAY
    assert rows(doc) == {
        1: [2, 2, 0, 0, 0, 1.0, 1.0, 1.0, 1.0, 1.0, 2, 1, 0.5, 1.0, 0],
        2: [2, 2, 0, 0, 0, 1.0, 1.0, 1.0, 0.5, 1.0, 2, 2, 1.0, 1.5, 0],
        3: [2, 1, 1, 0, 0, 0.5, 0.5, 1.0, 1.0, 1.0, 2, 0, 0.0, 1.0, 1],
        "all": [6, 5, 1, 0, 0, 0.833, 0.833, 1.0, 0.833, 1.0, 2, 3, 1.5, 1.2, 1],
    }


def test_by_coach_has_a_trend(varied: Path) -> None:
    doc = stats_json(varied, "--by", "coach")
    assert doc["columns"] == ["coach", *COLUMNS, "trend"]
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
    assert table[0] == doc["columns"]
    for line, row in zip(table[1:], doc["rows"], strict=True):
        assert line == ["" if row[c] is None else str(row[c]) for c in doc["columns"]]
    text = invoke("stats", varied, "--today", TODAY).stdout
    all_line = next(line for line in text.splitlines() if line.strip().startswith("all")
                    and "%" in line)
    assert all_line.split() == ["all", "6", "5", "1", "0", "0", "83%"]
    assert "1.5" in text and "1.2" in text  # averages, not percentages
    for section in ("completion", "quality", "progress"):
        assert f"coaching by cycle: {section}" in text


def test_empty_programme(programme: Path) -> None:
    doc = stats_json(programme)
    assert doc["rows"] == [{"cycle": "all", **dict.fromkeys(COLUMNS, 0),
                            **dict.fromkeys(["completion", "praise", "modelled", "rehearsed",
                                             "in_sequence", "secured_each",
                                             "cycles_per_step"])}]


def test_usage_errors(varied: Path) -> None:
    assert invoke("stats", varied, "--since", "last week").exit_code == 2
    assert invoke("stats", varied, "--by", "school").exit_code == 2
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
