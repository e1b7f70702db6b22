"""quickcheck.accept: a record without pydantic only when the strict model certainly agrees."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from pydantic import ValidationError

from coachctl.layout import kind_of, record_class
from coachctl.quickcheck import accept
from coachctl.validators import validate
from coachctl.yamlsafe import plain_value
from tests.conftest import PROGRAMMES


def pydantic(cls: type, value: Any) -> Any:
    try:
        return validate(cls, value)
    except ValidationError:
        return None


def files() -> list[tuple[str, Any]]:
    out = []
    for path in sorted(PROGRAMMES.rglob("*.yaml")):
        rel = path.relative_to(next(p for p in path.parents if (p / "programme.yaml").is_file()))
        kind = kind_of(rel.as_posix())
        value = plain_value(path.read_bytes())
        if kind is not None and value is not None:
            out.append((kind, value))
    return out


def test_every_example_file_is_accepted_as_pydantic_reads_it() -> None:
    seen = files()
    accepted = 0
    for kind, value in seen:
        quick, slow = accept(record_class(kind), value), pydantic(record_class(kind), value)
        if quick is not None:
            accepted += 1
            assert quick == slow, kind
    assert accepted >= 0.95 * len(seen)  # the examples are clean: the quick path is the path


NOTE = {"coach": "aosei", "coachee": "dclarke", "cycle": 4, "status": "complete",
        "date": dt.date(2026, 11, 19), "observation": "lesson", "precise_praise": "Clear",
        "action_step": "routines-entry", "step_secured": False, "modelled": True,
        "rehearsed": True, "next_steps": "Practise", "notes": "More", "missed_reason": None}
PROGRAMME = {"format": 1, "school": "Test School", "academic_year": "2026-27",
             "lead_coach": "lead", "pairing_model": "reciprocal",
             "calendar": {"terms": [{"name": "Autumn 1", "start": dt.date(2026, 9, 2),
                                     "end": dt.date(2026, 10, 23)}]},
             "thresholds": {"completion_target": 0.8}}

EDGES: list[tuple[str, Any]] = [
    ("cycle", True), ("cycle", 0), ("cycle", 99), ("cycle", 100), ("cycle", 4.0), ("cycle", "4"),
    ("coach", "Aosei"), ("coach", "aosei\n"), ("coach", "a" * 64), ("coach", "a" * 65),
    ("coach", ""), ("coach", None), ("coach", 7), ("status", "done"), ("status", None),
    ("date", "2026-11-19"), ("date", dt.datetime(2026, 11, 19, 10)), ("date", None),
    ("step_secured", "yes"), ("step_secured", 1), ("modelled", None), ("precise_praise", ""),
    ("precise_praise", "x" * 20_001), ("notes", ["a list"]), ("extra", 1),
]


@pytest.mark.parametrize(("key", "value"), EDGES, ids=lambda x: repr(x)[:20])
def test_a_note_at_an_edge_is_accepted_only_as_pydantic_accepts_it(key: str, value: Any) -> None:
    from coachctl.models import Note

    note = {**NOTE, key: value}
    slow = pydantic(Note, note)
    quick = accept(Note, note)
    assert quick is None or quick == slow
    if slow is None:
        assert quick is None


PROGRAMME_EDGES: list[tuple[tuple[str, ...], Any]] = [
    (("academic_year",), "2026-2027"), (("academic_year",), "2026-27\n"),
    (("calendar", "terms"), []), (("calendar", "terms"), "Autumn"),
    (("calendar", "closures"), [{"name": "INSET", "start": dt.date(2026, 9, 1)}]),
    (("calendar", "closures"), [{"name": "INSET", "start": dt.date(2026, 9, 1), "kind": "x"}]),
    (("thresholds", "completion_target"), 1), (("thresholds", "completion_target"), 1.5),
    (("thresholds", "completion_target"), float("nan")), (("cycles",), {"coaching_time": "14:0"}),
    (("cycles",), {"coaching_time": "24:00"}), (("cycles",), {"length_weeks": 13}),
    (("format",), 2), (("lead_coach",), None), (("calendar",), {}),
]


@pytest.mark.parametrize(("where", "value"), PROGRAMME_EDGES, ids=lambda x: repr(x)[:30])
def test_a_programme_at_an_edge_is_accepted_only_as_pydantic_accepts_it(
        where: tuple[str, ...], value: Any) -> None:
    import copy

    from coachctl.models import ProgrammeSettings as Programme

    prog = copy.deepcopy(PROGRAMME)
    node: Any = prog
    for key in where[:-1]:
        node = node[key]
    node[where[-1]] = value
    slow, quick = pydantic(Programme, prog), accept(Programme, prog)
    assert quick is None or quick == slow
    if slow is None:
        assert quick is None


def test_the_plain_edges_are_accepted() -> None:
    from coachctl.models import Note
    from coachctl.models import ProgrammeSettings as Programme

    assert accept(Note, NOTE) == pydantic(Note, NOTE) is not None
    assert accept(Programme, PROGRAMME) == pydantic(Programme, PROGRAMME) is not None
