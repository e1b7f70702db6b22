"""Messages in the reader's words: no regex, positions counted from 1 and named by id, a hint
when only the case is wrong. One case per kind of schema error a person can make, end to end."""

from __future__ import annotations

import dataclasses
import re
import typing
from pathlib import Path

import pytest

from coachctl import models as m
from coachctl import schema_errors
from coachctl.validators import model_of
from tests.conftest import invoke
from tests.test_codes import NOTE_PATH, base

STAFF_2 = "- id: teacher-a"  # the second person in the programme `init` writes


def _edit(root: Path, rel: str, old: str, new: str) -> None:
    path = root / rel
    text = path.read_text()
    assert old in text, (rel, old, text)
    path.write_text(text.replace(old, new, 1))


# name: (file, old text, new text, code, expected message, expected hint or None)
CASES: dict[str, tuple[str, str, str, str, str, str | None]] = {
    "choice, case only": ("staff.yaml", "role: teacher", "role: Teacher", "S003",
                          "staff entry 2 (id teacher-a): role must be one of teacher, ect, "
                          "middle-leader, senior-leader, support (got 'Teacher')",
                          "only the case is wrong: write 'teacher'"),
    "weekday, case only": ("programme.yaml", "coaching_day: thursday", "coaching_day: Thursday",
                           "S003", "cycles.coaching_day must be one of monday, tuesday, "
                           "wednesday, thursday, friday (got 'Thursday')",
                           "only the case is wrong: write 'thursday'"),
    "choice": ("programme.yaml", "pairing_model: reciprocal", "pairing_model: hub", "S003",
               "pairing_model must be one of leader-led, reciprocal, hubs (got 'hub')", None),
    "academic year": ("programme.yaml", "academic_year: 2026-27", "academic_year: '2026'",
                      "S003", "academic_year must be an academic year like 2026-27 (got '2026')",
                      None),
    "time": ("programme.yaml", "coaching_time: '14:00'", "coaching_time: 2pm", "S003",
             "cycles.coaching_time must be a 24-hour time like 14:00, in quotes (got '2pm')",
             None),
    "id, case only": ("staff.yaml", "mentor: teacher-a", "mentor: Teacher-A", "S003",
                      "staff entry 3 (id teacher-b): mentor must be an id: lower-case letters, "
                      "digits, '.', '_' or '-' (like asmith) (got 'Teacher-A')",
                      "only the case is wrong: write 'teacher-a'"),
    "id in a note, case only": (NOTE_PATH, "coachee: teacher-b", "coachee: Teacher-B", "S003",
                                "coachee must be an id: lower-case letters, digits, '.', '_' or "
                                "'-' (like asmith) (got <text hidden>)",
                                "only the case is wrong: write 'teacher-b'"),
    "whole number": (NOTE_PATH, "cycle: 1", "cycle: '1'", "S003",
                     "cycle must be a whole number (got '1')", None),
    "number": ("programme.yaml", "completion_target: 0.8", "completion_target: high", "S003",
               "thresholds.completion_target must be a number (got 'high')", None),
    "true or false": (NOTE_PATH, "modelled: true", "modelled: maybe", "S003",
                      "modelled must be true or false (got 'maybe')", None),
    "text read as a boolean": ("staff.yaml", "department: English", "department: no", "S003",
                               "staff entry 2 (id teacher-a): department must be text (got false)",
                               "YAML reads unquoted yes/no/on/off/true/false as booleans: "
                               "quote the value"),
    "text read as a number": ("programme.yaml", "coaching_time: '14:00'", "coaching_time: 14:00",
                              "S003", "cycles.coaching_time must be text (got 840)",
                              "YAML read this as a number (14:00 is read as 840): quote the "
                              "value"),
    "date": ("staff.yaml", "joined: 2024-09-01", "joined: next september", "S004",
             "staff entry 2 (id teacher-a): joined must be a date like 2026-09-07 "
             "(got 'next september')", "write dates as YYYY-MM-DD"),
    "date in a note": (NOTE_PATH, "date: 2026-09-17", "date: next tuesday", "S004",
                       "date must be a date like 2026-09-07 (got <text hidden>)",
                       "write dates as YYYY-MM-DD"),
    "date with a time": (NOTE_PATH, "date: 2026-09-17", "date: 2026-09-17 10:00:00", "S004",
                         "date must be a date like 2026-09-07 (got 2026-09-17 10:00:00)",
                         "write the date alone, without a time"),
    "quoted date": (NOTE_PATH, "date: 2026-09-17", "date: '2026-09-17'", "S004",
                    "date must be a date like 2026-09-07 (got '2026-09-17')",
                    "write dates as YYYY-MM-DD without quotes"),
    "impossible date": (NOTE_PATH, "date: 2026-09-17", "date: 2026-09-31", "S004",
                        "'2026-09-31' is not a real date (day is out of range for month)",
                        "write dates as YYYY-MM-DD"),
    "missing, in a list entry": ("staff.yaml", "  name: Lead Coach\n", "", "S002",
                                 "missing key 'name' in staff entry 1 (id lead)", None),
    "unknown, in a list entry": ("staff.yaml", STAFF_2, STAFF_2 + "\n  colour: red", "S001",
                                 "unknown key 'colour' in staff entry 2 (id teacher-a)",
                                 "allowed keys here: " + ", ".join(
                                     f.name for f in dataclasses.fields(m.StaffMember))),
    "unknown, near miss": (NOTE_PATH, "rehearsed: true", "rehersed: true", "S001",
                           "unknown key 'rehersed'", "did you mean 'rehearsed'?"),
    "empty text": ("staff.yaml", "name: Teacher A", "name: ''", "S003",
                   "staff entry 2 (id teacher-a): name must not be empty (got '')", None),
    "too long": (NOTE_PATH, "precise_praise: The countdown brought the room to silence.",
                 "precise_praise: " + "x" * 20_001, "S003",
                 "precise_praise is too long: at most 20,000 characters (got text)", None),
    "a list entry by position and id": ("staff.yaml", STAFF_2, STAFF_2 + "\n  left: soon",
                                        "S004", "staff entry 2 (id teacher-a): left must be a "
                                        "date like 2026-09-07 (got 'soon')",
                                        "write dates as YYYY-MM-DD"),
    "too few": ("pairings.yaml", "coachees:\n  - teacher-b\n", "coachees: []\n", "S003",
                "groups entry 1: coachees needs at least 1 entry (got a list)", None),
    "too many": ("pairings.yaml", "reciprocal: []", "reciprocal:\n- staff: [lead, teacher-a, "
                 "teacher-b]", "S003", "reciprocal entry 1: staff takes at most 2 "
                 "entries, not 3 (got a list)", None),
    "at least": ("programme.yaml", "length_weeks: 3", "length_weeks: 0", "S003",
                 "cycles.length_weeks must be at least 1 (got 0)", None),
    "at most": ("programme.yaml", "completion_target: 0.8", "completion_target: 2.5",
                "S003", "thresholds.completion_target must be at most 1 (got 2.5)", None),
    "not a list": ("pairings.yaml", "reciprocal: []", "reciprocal: none", "S003",
                   "reciprocal must be a list (one '- ' line per entry) (got 'none')", None),
    "not a mapping": ("staff.yaml", "staff:\n", "staff:\n- 7\n", "S003",
                      "staff entry 1 must be a mapping of keys and values (got 7)", None),
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_message_in_the_readers_words(programme: Path, name: str) -> None:
    rel, old, new, code, message, hint = CASES[name]
    root = base(programme)
    _edit(root, rel, old, new)
    diags = [d for d in invoke("validate", root, "--format", "json").json()["diagnostics"]
             if d["path"].endswith(rel) and d["code"] == code]
    assert any(d["message"] == message for d in diags), [d["message"] for d in diags]
    found = next(d for d in diags if d["message"] == message)
    assert found["hint"] == hint
    assert found["line"] >= 1 and found["column"] >= 1


def test_no_message_carries_pydantic_words_or_a_zero_based_index(programme: Path) -> None:
    root = base(programme)
    for rel, old, new, *_ in CASES.values():
        if old in (root / rel).read_text():
            _edit(root, rel, old, new)
    messages = [d["message"] + " " + (d["hint"] or "")
                for d in invoke("validate", root, "--format", "json").json()["diagnostics"]]
    assert len(messages) > 10
    for text in messages:
        assert not re.search(r"should|Input|pattern|\^|\\d|\.\d+\.|\.\d+:|valid (string|"
                             r"integer|boolean|dictionary)", text), text


def _patterns(annotation: object) -> set[str]:
    found: set[str] = set()
    for meta in getattr(annotation, "__metadata__", ()):
        if getattr(meta, "pattern", None):
            found.add(meta.pattern)
    for arg in typing.get_args(annotation):
        found |= _patterns(arg)
    return found


def test_every_pattern_in_the_format_has_words() -> None:
    patterns: set[str] = set()
    for obj in vars(m).values():
        if isinstance(obj, type) and dataclasses.is_dataclass(obj) and obj is not m.Rule:
            for info in model_of(obj).model_fields.values():
                patterns |= _patterns(info.annotation)
                for meta in info.metadata:
                    if getattr(meta, "pattern", None):
                        patterns.add(meta.pattern)
    assert patterns and patterns <= set(schema_errors._PATTERNS)
