"""The session the seeds describe: `scripted`, `step_chosen_by` and `observed` in a note.

Stubs ask for them as prompts a teacher understands; a filled-in note validates;
an observation after its feedback or outside its cycle is R026, located at the
`observed` line; a word typed where a choice or a date belongs is a schema error
that never echoes it (tests/test_privacy.py plants a marker there).
"""

from __future__ import annotations

import re
from pathlib import Path

import yaml

from tests.conftest import copy_example, invoke

TODAY = "2026-11-23"


def _fill(path: Path, **fields: str) -> None:
    """Set top-level keys of a note in place, keeping its layout and comments."""
    text = path.read_text(encoding="utf-8")
    for key, value in fields.items():
        text, n = re.subn(rf"^{key}:.*$", f"{key}: {value}", text, count=1, flags=re.M)
        assert n == 1, key
    path.write_text(text, encoding="utf-8")


def test_stubs_ask_for_the_new_fields(tmp_path: Path) -> None:
    root = copy_example("kingsmead-academy", tmp_path / "school")
    res = invoke("cycle", "start", root, "--today", "2026-11-30")
    assert res.exit_code == 0, res.stderr
    stub = next((root / "notes" / "cycle-05").glob("*.yaml")).read_text(encoding="utf-8")
    assert "observed:" in stub and "# the day you saw the lesson" in stub
    assert "step_chosen_by:" in stub and "coach, coachee or together" in stub
    assert "scripted:" in stub and "# true or false: the teacher scripted" in stub
    value = yaml.safe_load(stub)
    assert value["observed"] is None and value["step_chosen_by"] is None
    assert value["scripted"] is None


def test_a_filled_in_note_validates_and_counts(tmp_path: Path) -> None:
    root = copy_example("kingsmead-academy", tmp_path / "school")
    stub = next(p for p in sorted((root / "notes" / "cycle-04").glob("*.yaml"))
                if "status: stub" in p.read_text(encoding="utf-8"))
    date = yaml.safe_load(stub.read_text(encoding="utf-8"))["date"]
    _fill(stub, status="complete", observation="lesson", observed=str(date),
          step_chosen_by="together", modelled="true", scripted="true", rehearsed="true")
    res = invoke("validate", root, "--strict")
    assert res.exit_code == 0, res.stdout


def test_observed_after_the_feedback_is_r026(tmp_path: Path) -> None:
    root = copy_example("kingsmead-academy", tmp_path / "school")
    note = root / "notes/cycle-02/aallen--hsharma.yaml"
    text = note.read_text(encoding="utf-8")
    assert "date: 2026-09-24" in text
    _fill(note, observed="2026-09-25")
    line = 1 + next(i for i, t in enumerate(note.read_text().splitlines())
                    if t.startswith("observed:"))
    res = invoke("validate", root, "--format", "concise")
    assert res.exit_code == 1
    assert (f"notes/cycle-02/aallen--hsharma.yaml:{line}:11: R026 observed 2026-09-25, after "
            "the feedback on 2026-09-24") in res.stdout
    _fill(note, observed="2026-09-04")  # before cycle 2 began
    res = invoke("validate", root, "--format", "json")
    found = [d for d in res.json()["diagnostics"] if d["code"] == "R026"]
    assert len(found) == 1 and "outside cycle 2" in found[0]["message"]
    assert found[0]["line"] == line
    explained = invoke("explain", "R026")
    assert explained.exit_code == 0 and "observed" in explained.stdout


def test_a_word_where_a_choice_belongs_is_located(tmp_path: Path) -> None:
    root = copy_example("kingsmead-academy", tmp_path / "school")
    note = root / "notes/cycle-02/aallen--hsharma.yaml"
    _fill(note, step_chosen_by="the coach")
    res = invoke("validate", root, "--format", "concise")
    assert res.exit_code == 1
    assert re.search(r"aallen--hsharma\.yaml:\d+:\d+: S00\d .*step_chosen_by", res.stdout)
    assert "together" in res.stdout  # the choices are named
