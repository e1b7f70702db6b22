"""`coachctl stats`: the measures beyond completion (issue 13), worked out by hand.

The programme is tests/test_stats.py's: teacher-a and teacher-b coach each other
over three cycles, today is 2026-11-23 (Autumn 1 has ended, Autumn 2 has not).
Here the notes also say whether the step was scripted, who chose it and when
the lesson was observed:

| note                  | scripted | chosen by | observed   | date       | days |
|-----------------------|----------|-----------|------------|------------|------|
| c1 teacher-a > b      | true     | coach     | 2026-09-14 | 2026-09-17 | 3    |
| c1 teacher-b > a      | false    | together  | 2026-09-17 | 2026-09-17 | 0    |
| c2 teacher-a > b      | true     | coachee   | 2026-10-06 | 2026-10-08 | 2    |
| c2 teacher-b > a      | -        | -         | -          | 2026-10-08 | -    |
| c3 teacher-a > b      | true     | coach     | 2026-11-09 | 2026-11-12 | 3    |
| c3 teacher-b > a      | -        | -         | -          | 2026-11-12 | -    |
"""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest
import yaml

from coachctl.reports.measures import Measures, median
from tests.conftest import PROGRAMMES, copy_example, invoke, write_files
from tests.test_qa import TODAY, base_files, note, note_rel
from tests.test_stats import MEASURES, stats_json

SAID = {
    (1, "teacher-a", "teacher-b"): dict(scripted=True, step_chosen_by="coach",
                                        observed="2026-09-14"),
    (1, "teacher-b", "teacher-a"): dict(scripted=False, step_chosen_by="together",
                                        observed="2026-09-17"),
    (2, "teacher-a", "teacher-b"): dict(scripted=True, step_chosen_by="coachee",
                                        observed="2026-10-06"),
    (3, "teacher-a", "teacher-b"): dict(scripted=True, step_chosen_by="coach",
                                        observed="2026-11-09"),
}


@pytest.fixture
def said(programme: Path) -> Path:
    files = base_files()
    for (cycle, coach, coachee), fields in SAID.items():
        files[note_rel(cycle, coach, coachee)] = note(coach, coachee, cycle, **fields)
    write_files(programme, files)
    assert invoke("validate", programme).exit_code == 0
    return programme


def measures(doc: dict[str, Any]) -> dict[Any, dict[str, Any]]:
    key = doc["columns"][0]
    return {r[key]: {c: r[c] for c in MEASURES} for r in doc["rows"]}


def test_session_measures_by_cycle(said: Path) -> None:
    got = measures(stats_json(said))
    assert got["all"] == {"completion_target": 0.8, "scripted": 0.75, "coach_chose": 0.5,
                          "two_per_half_term": 1.0, "days_to_feedback": 2.5, "max_load": 1,
                          "load_limit": 4, "coaches_over": 0}
    assert got[1]["days_to_feedback"] == 1.5 and got[1]["coach_chose"] == 0.5
    assert got[2]["scripted"] == 1.0 and got[2]["coach_chose"] == 0.0
    # each coachee had two feedback sessions in Autumn 1 (cycles 1 and 2), counted across
    # the half term although each cycle's row holds one of them; Autumn 2 has not ended
    assert got[1]["two_per_half_term"] == got[2]["two_per_half_term"] == 1.0
    assert got[3]["two_per_half_term"] is None


def test_rates_per_coach(said: Path) -> None:
    got = measures(stats_json(said, "--by", "coach"))
    assert got["teacher-a"]["scripted"] == 1.0 and got["teacher-a"]["coach_chose"] == 0.667
    assert got["teacher-a"]["days_to_feedback"] == 3.0
    assert got["teacher-b"]["scripted"] == 0.0 and got["teacher-b"]["coach_chose"] == 0.0
    assert got["teacher-b"]["days_to_feedback"] == 0.0


def test_notes_that_do_not_say_leave_the_rates_empty(programme: Path) -> None:
    write_files(programme, base_files())
    got = measures(stats_json(programme))["all"]
    assert got["scripted"] is None and got["coach_chose"] is None
    assert got["days_to_feedback"] is None


def test_cycles_to_secure_each_step(programme: Path) -> None:
    """teacher-b works on rt-01 for two cycles before securing it, teacher-a one."""
    files = base_files()
    files[note_rel(1, "teacher-a", "teacher-b")] = note("teacher-a", "teacher-b", 1,
                                                        step_secured=False)
    files[note_rel(2, "teacher-a", "teacher-b")] = note("teacher-a", "teacher-b", 2,
                                                        action_step="rt-01")
    write_files(programme, files)
    doc = stats_json(programme)
    steps = {s["step"]: s for s in doc["steps"]}
    assert [s["step"] for s in doc["steps"]] == ["rt-01", "rt-02"]  # longest first
    assert steps["rt-01"]["secured"] == 2 and steps["rt-01"]["median_cycles"] == 1.5
    assert steps["rt-01"]["longest"] == 2 and steps["rt-01"]["name"]
    assert steps["rt-02"] == {**steps["rt-02"], "secured": 1, "median_cycles": 1.0}
    text = invoke("stats", programme, "--today", TODAY).stdout
    assert "Cycles to secure each step" in text and "rt-01" in text


def test_coach_load_against_the_limit(tmp_path: Path) -> None:
    root = copy_example("ashby-vale-school", tmp_path / "school")
    doc = stats_json(root, "--by", "coach")
    got = measures(doc)
    assert got["all"]["load_limit"] == 4 and got["all"]["coaches_over"] == 0
    busiest = got["all"]["max_load"]
    assert busiest == max(r["max_load"] or 0 for k, r in got.items() if k != "all")
    settings = root / "programme.yaml"
    text = settings.read_text(encoding="utf-8")
    assert "max_coachees_per_coach: 4" in text
    settings.write_text(text.replace("max_coachees_per_coach: 4", "max_coachees_per_coach: 2"),
                        encoding="utf-8")
    got = measures(stats_json(root, "--by", "coach"))
    over = [k for k, r in got.items() if k != "all" and (r["max_load"] or 0) > 2]
    assert over and got["all"]["load_limit"] == 2
    assert got["all"]["coaches_over"] == len(over)
    assert all(got[k]["coaches_over"] == 1 for k in over)


def test_targets_over_a_trust(tmp_path: Path) -> None:
    """Each school's target on its row; the total only when the schools share one."""
    trust = tmp_path / "trust"
    for name in ("kingsmead-academy", "ashby-vale-school"):
        shutil.copytree(PROGRAMMES / name, trust / name)
    path = trust / "ashby-vale-school" / "programme.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    data["thresholds"]["completion_target"] = 0.6
    path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    got = measures(stats_json(trust, "--by", "school"))
    assert got["Ashby Vale School 2026-27"]["completion_target"] == 0.6
    assert got["Kingsmead Academy 2026-27"]["completion_target"] == 0.8
    assert got["all"]["completion_target"] is None


def test_the_planted_coaches_stand_out() -> None:
    """programmes/README.md: a coach who chooses every step alone, one who gives feedback
    long after observing."""
    got = measures(stats_json(PROGRAMMES / "kingsmead-academy", "--by", "coach"))
    assert got["lpatel"]["coach_chose"] == 1.0 and got["all"]["coach_chose"] < 0.2
    assert got["eoconnor"]["days_to_feedback"] >= 10
    assert got["all"]["days_to_feedback"] <= 2
    assert 0.5 < got["all"]["scripted"] < 0.95


def test_median_and_round_trip() -> None:
    from collections import Counter

    assert median(Counter()) is None
    assert median(Counter({3: 1})) == 3 and median(Counter({0: 1, 3: 1})) == 1.5
    assert median(Counter({1: 2, 5: 1})) == 1 and median(Counter({1: 1, 2: 1, 9: 2})) == 5.5
    m = Measures(scripted=2, said_scripted=3, coach_chose=1, said_chooser=3,
                 due={("r", "a", "Autumn 1"): True}, days=Counter({2: 3}),
                 loads={("r", "c", "1"): (2, 4)}, targets={0.8})
    m.to_secure["rt-01"][2] += 1
    back = Measures.decode(m.encode())
    assert back == m and back.row(3) == m.row(3)
