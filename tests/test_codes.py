"""A failing fixture for every validate diagnostic code, and one clean programme.

Each fixture starts from the programme `coachctl init` writes, plus one open
cycle and one complete note, then writes or removes files to plant exactly
one kind of problem. The test runs `coachctl validate` end to end and checks
the code is reported, located in the right file, with the right exit code.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml

from coachctl.registry import CODES
from tests.conftest import invoke, write_files

CYCLE = "number: 1\nstart: 2026-09-07\nend: 2026-09-25\nstatus: open\n"
NOTE_PATH = "notes/cycle-01/teacher-a--teacher-b.yaml"
NOTE = """\
coach: teacher-a
coachee: teacher-b
cycle: 1
status: complete
date: 2026-09-17
observation: lesson
precise_praise: The countdown brought the room to silence.
action_step: {STEP}
modelled: true
rehearsed: true
"""
QA = "kind: observation\ncoach: teacher-a\nby: lead\ndate: 2026-09-24\nmode: live\n"


def note(**changes: str) -> str:
    """The base note with some lines replaced (``key='value'``) or removed (``key=''``)."""
    lines = []
    for line in NOTE.splitlines():
        key = line.split(":")[0]
        if key in changes:
            if changes[key]:
                lines.append(f"{key}: {changes[key]}")
        else:
            lines.append(line)
    return "\n".join(lines) + "\n"


STAFF_PATCH = "staff.yaml"

# code -> (files to write, relative path the diagnostic must name)
FIXTURES: dict[str, tuple[dict[str, str | bytes | None], str]] = {
    "Y001": ({NOTE_PATH: "coach: teacher-a\ncoachee: [teacher-b\n"}, NOTE_PATH),
    "Y002": ({NOTE_PATH: "coach: teacher-a\nextra:\n\t- x\n"}, NOTE_PATH),
    "Y003": ({NOTE_PATH: note() + "coach: lead\n"}, NOTE_PATH),
    "Y004": ({NOTE_PATH: note(coach="!!python/object/apply:os.system [ls]")}, NOTE_PATH),
    "Y005": ({NOTE_PATH: "a: &a [x, x, x, x, x, x, x, x, x, x]\n"
              "b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]\n"
              "c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b, *b]\n"
              "d: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c, *c]\n"
              "e: [*d, *d, *d, *d, *d, *d, *d, *d, *d, *d]\n"}, NOTE_PATH),
    "Y006": ({NOTE_PATH: note(precise_praise="Zo\xe9 modelled it").encode("latin-1")}, NOTE_PATH),
    "Y007": ({NOTE_PATH: "# to do\n"}, NOTE_PATH),
    "Y008": ({NOTE_PATH: note() + "---\n" + note()}, NOTE_PATH),
    "Y009": ({NOTE_PATH: "- teacher-a\n- teacher-b\n"}, NOTE_PATH),
    "Y010": ({NOTE_PATH: note() + "notes: " + "x" * (8 * 1024 * 1024) + "\n"}, NOTE_PATH),
    "Y011": ({}, "notes/cycle-01/broken-link.yaml"),  # built in the test: a dangling symlink
    "Y012": ({NOTE_PATH: note(rehearsed="true\n<<<<<<< HEAD\nmodelled: true\n=======\n"
                              "modelled: false\n>>>>>>> their-branch")}, NOTE_PATH),
    "Y013": ({NOTE_PATH: note() + "next_steps: Count down from five #then wait\n"}, NOTE_PATH),
    "Y014": ({"cycles/cycle-01.yaml": "number: 1\nstart: [2026-09-07\n"},
             "cycles/cycle-01.yaml"),  # its note cannot be checked against it
    "S001": ({NOTE_PATH: note() + "rehearse: true\n"}, NOTE_PATH),
    "S002": ({NOTE_PATH: note(coachee="")}, NOTE_PATH),
    "S003": ({NOTE_PATH: note(observation="walkthrough")}, NOTE_PATH),
    "S004": ({NOTE_PATH: note(date="2026-09-31")}, NOTE_PATH),
    "S005": ({}, "programme.yaml"),  # edited in the test
    "P001": ({"pairings.yaml": None}, "pairings.yaml"),
    "P002": ({"notes.yaml": "coach: teacher-a\n"}, "notes.yaml"),
    "P003": ({NOTE_PATH: None, "notes/cycle-01/teacher-b.yaml": note()},
             "notes/cycle-01/teacher-b.yaml"),
    "P004": ({}, "cycles/cycle-09.yaml"),  # built in the test: a link out of the programme
    "P005": ({}, "notes/cycle-02"),  # built in the test: a folder that is a link
    "P006": ({}, "notes/cycle-01/teacher-a--teacher-c.yaml"),  # built in the test: a FIFO
    "R001": ({NOTE_PATH: note(coach="teacher-z")}, NOTE_PATH),
    "R002": ({NOTE_PATH: note(action_step="zz-99")}, NOTE_PATH),
    "R003": ({"cycles/cycle-01.yaml": None}, NOTE_PATH),
    "R004": ({"cycles/cycle-01b.yaml": CYCLE}, "cycles/cycle-01b.yaml"),
    "R005": ({"qa/2026-09-24-teacher-a.yaml": QA}, "qa/2026-09-24-teacher-a.yaml"),
    "R006": ({NOTE_PATH: note(coachee="teacher-a")}, NOTE_PATH),
    "R007": ({NOTE_PATH: note(date="2026-10-01")}, NOTE_PATH),
    "R008": ({NOTE_PATH: note(action_step="{NONSEQ}")}, NOTE_PATH),
    "R009": ({}, "pairings.yaml"),  # edited in the test
    "R010": ({NOTE_PATH: note(coach="lead")}, NOTE_PATH),
    "R011": ({"cycles/cycle-01.yaml": CYCLE.replace("end: 2026-09-25", "end: 2026-09-04")},
             "cycles/cycle-01.yaml"),
    "R012": ({NOTE_PATH: note(observation="")}, NOTE_PATH),
    "R013": ({}, "pairings.yaml"),  # edited in the test
    "R014": ({}, "staff.yaml"),  # edited in the test
    "R015": ({}, "pairings.yaml"),  # edited in the test
    "R017": ({}, "staff.yaml"),  # edited in the test
    "R023": ({}, NOTE_PATH),  # edited in the test: sealing on, the base note's praise plain
    "R024": ({}, "staff.yaml"),  # edited in the test: sealing on, nobody has a key
    "R025": ({}, "programme.yaml"),  # edited in the test
    "R026": ({NOTE_PATH: note() + "observed: 2026-09-18\n"}, NOTE_PATH),
    "R016": ({"cycles/cycle-01.yaml": CYCLE.replace("start: 2026-09-07", "start: 2026-09-06")},
             "cycles/cycle-01.yaml"),
    "R020": ({"cycles/cycle-01.yaml": CYCLE.replace("end: 2026-09-25", "end: 2207-09-25")},
             "cycles/cycle-01.yaml"),
}


def _edit_yaml(path: Path, change: Callable[[Any], object]) -> None:
    data = yaml.safe_load(path.read_text())
    change(data)
    path.write_text(yaml.safe_dump(data, sort_keys=False))


def _leader_led_without_coach(root: Path) -> None:
    _edit_yaml(root / "programme.yaml", lambda d: d.update(pairing_model="leader-led"))
    _edit_yaml(root / "staff.yaml", lambda d: d["staff"][2].pop("coach", None))


EDITS: dict[str, Callable[[Path], object]] = {
    "S005": lambda root: (root / "programme.yaml").write_text(
        (root / "programme.yaml").read_text().replace("format: 1", "format: 7")),
    "R005": lambda root: _edit_yaml(root / "staff.yaml", lambda d: d["staff"][1].update(
        left=dt.date(2026, 9, 20))),
    "R009": lambda root: _edit_yaml(root / "pairings.yaml", lambda d: d["groups"][0].update(
        coach="lead", reason=None) or d["groups"][0].pop("reason")),
    "R013": _leader_led_without_coach,
    "R014": lambda root: _edit_yaml(root / "staff.yaml", lambda d: d["staff"][2].pop("mentor")),
    "R017": lambda root: _edit_yaml(root / "staff.yaml", lambda d: d["staff"][1].update(
        start_step="zz-99")),
    "R015": lambda root: _edit_yaml(root / "pairings.yaml", lambda d: d["groups"].append(
        {"coach": "lead", "coachees": ["teacher-b"]})),
    "R023": lambda root: _edit_yaml(root / "programme.yaml", lambda d: d.update(
        sealing={"without_key": "qa-readers"})),
    "R024": lambda root: _edit_yaml(root / "programme.yaml", lambda d: d.update(sealing={})),
    "R025": lambda root: _edit_yaml(root / "programme.yaml", lambda d: d.update(
        sealing={"qa_readers": ["zz-nobody"]})),
    "Y011": lambda root: os.symlink(root / "nowhere.yaml",
                                    root / "notes/cycle-01/broken-link.yaml"),
    "P004": lambda root: os.symlink(root.parent / "outside.yaml",
                                    root / "cycles/cycle-09.yaml"),
    "P005": lambda root: os.symlink(root / "notes/cycle-01", root / "notes/cycle-02"),
    "P006": lambda root: os.mkfifo(root / "notes/cycle-01/teacher-a--teacher-c.yaml"),
}


def _steps(root: Path) -> tuple[str, str]:
    library = yaml.safe_load((root / "steps/library.yaml").read_text())
    sequence = yaml.safe_load((root / "steps/sequence.yaml").read_text())["steps"]
    every = [s["id"] for strand in library["strands"] for s in strand["steps"]]
    return sequence[0], next(s for s in every if s not in sequence)


def base(programme: Path) -> Path:
    step, _ = _steps(programme)
    (programme / "cycles").mkdir()
    (programme / "cycles/cycle-01.yaml").write_text(CYCLE)
    (programme / "notes/cycle-01").mkdir(parents=True)
    (programme / NOTE_PATH).write_text(NOTE.format(STEP=step))
    return programme


def plant(root: Path, code: str) -> str:
    files, where = FIXTURES[code]
    step, outside = _steps(root)
    write_files(root, {rel: content.replace("{STEP}", step).replace("{NONSEQ}", outside)
                       if isinstance(content, str) else content
                       for rel, content in files.items()})
    if code in EDITS:
        EDITS[code](root)
    return where


def test_base_programme_is_clean(programme: Path) -> None:
    res = invoke("validate", "--strict", base(programme))
    assert res.exit_code == 0, res.stdout
    assert "No problems found" in res.stdout


def test_every_validate_code_has_a_fixture() -> None:
    validate_codes = {c for c in CODES if c[0] in "YSPR"}
    assert validate_codes == set(FIXTURES)


@pytest.mark.parametrize("code", sorted(FIXTURES))
def test_fixture_triggers_code(programme: Path, code: str) -> None:
    root = base(programme)
    where = plant(root, code)
    res = invoke("validate", "--format", "json", "--strict", root)
    assert res.exit_code == 1, res.stdout
    found = [d for d in res.json()["diagnostics"] if d["code"] == code]
    assert found, f"{code} not reported; got {res.stdout}"
    expected = f"{root.as_posix()}/{where}"
    d = next((d for d in found if d["path"] == expected), found[0])
    assert d["path"] == expected
    assert d["severity"] == CODES[code].severity
    if code not in ("Y007", "Y010", "Y011", "Y014", "P001", "P002", "P004", "P005", "P006"):
        # not whole-file problems
        assert d["line"] >= 1 and d["column"] >= 1


REGISTERED_BEFORE_THE_RULES_MOVED = str.split("""
Y001 Y002 Y003 Y004 Y005 Y006 Y007 Y008 Y009 Y010 Y011 Y012 Y013 Y014
S001 S002 S003 S004 S005  P001 P002 P003 P004 P005 P006
R001 R002 R003 R004 R005 R006 R007 R008 R009 R010 R011 R012 R013 R014 R015 R016 R017
R020 R023 R024 R025 R026  I001 I002 I003 I004 I005
Q001 Q002 Q003 Q004 Q005 Q006 Q007 Q008 Q009 Q010 Q011 Q012 Q013 Q014 Q015 Q016
X001 X002 X003 X004 X005
""")
"""The codes codes.py listed before each rule's metadata moved beside its check (issue 11),
and those added since (R026, issue 13)."""


def test_the_registry_holds_exactly_the_codes_it_held() -> None:
    assert list(CODES) == REGISTERED_BEFORE_THE_RULES_MOVED
    assert len(CODES) == len(set(CODES))


def test_every_code_has_title_explanation_example_and_fix() -> None:
    for code, entry in CODES.items():
        assert entry.code == code
        assert entry.severity in ("error", "warning")
        for text in (entry.title, entry.explanation, entry.example, entry.fix):
            assert text.strip(), code


def test_every_declared_code_is_registered() -> None:
    """A rule module's Code constants are all in its CODES, and so in the registry."""
    import importlib
    import pkgutil

    import coachctl
    from coachctl.codes import Code

    for info in pkgutil.walk_packages(coachctl.__path__, "coachctl."):
        if info.name.startswith(("coachctl.cli", "coachctl.__main__")):
            continue
        module = importlib.import_module(info.name)
        declared = {v for v in vars(module).values() if isinstance(v, Code)}
        for c in declared:
            assert CODES[c.code] is c, (info.name, c.code)


def test_a_reader_code_is_found_without_importing_a_rule() -> None:
    import subprocess
    import sys

    probe = ("import sys\nfrom coachctl.registry import CODES\nCODES['Y001']; CODES['R004']\n"
             "print(*sorted(m for m in sys.modules if m.startswith('coachctl.')))")
    res = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True,
                         check=True)
    assert res.stdout.split() == ["coachctl.codes", "coachctl.registry"]


def test_explain_every_code() -> None:
    for code in CODES:
        res = invoke("explain", code.lower())
        assert res.exit_code == 0
        assert code in res.stdout and "Example:" in res.stdout and "Fix:" in res.stdout


def test_a_pairing_with_a_reason_silences_r009(programme: Path) -> None:
    root = base(programme)
    plant(root, "R009")
    _edit_yaml(root / "pairings.yaml",
               lambda d: d["groups"][0].update(reason="mentor on part-time timetable"))
    res = invoke("validate", "--format", "json", "--strict", root)
    assert "R009" not in {d["code"] for d in res.json()["diagnostics"]}


def test_private_text_is_never_echoed(programme: Path) -> None:
    """A problem in a note's free text is located, but the text itself is not printed."""
    root = base(programme)
    marker = "PRIVATE-MARKER-7f3a"
    (root / NOTE_PATH).write_text(
        (root / NOTE_PATH).read_text().replace(
            "precise_praise: The countdown brought the room to silence.",
            f"precise_praise: [{marker}]\nnotes: {{{marker}: 1}}\nnext_steps: 3"))
    for fmt in ("text", "concise", "json", "github"):
        res = invoke("validate", "--format", fmt, root)
        assert res.exit_code == 1
        assert "precise_praise" in res.stdout
        assert marker not in res.stdout, fmt


# --- I: a staff export that `coachctl staff import` cannot read ----------------------------

IMPORT_FIXTURES: dict[str, tuple[bytes, int]] = {
    "I001": (b"Staff,Title,Dept\nJo Smith,Teacher,Science\n", 1),
    "I002": (b"Name,Role,Department,Start Date\nJo Smith,Teacher,Science,31/02/2020\n", 2),
    "I003": (b"Name,Role,Department\nJo Smith,Curriculum Champion,Science\n", 2),
    "I004": (b"Name,Role,Department\nJo Sm\x81ith,Teacher,Science\n", 2),
    "I005": (b"Name,Role,Department\nJo Smith,Teacher\n", 2),
}
"""code -> (an export, the line the diagnostic names)."""


def test_every_import_code_has_a_fixture() -> None:
    assert {c for c in CODES if c[0] == "I"} == set(IMPORT_FIXTURES)


@pytest.mark.parametrize("code", sorted(IMPORT_FIXTURES))
def test_import_fixture_triggers_code(programme: Path, code: str) -> None:
    content, line = IMPORT_FIXTURES[code]
    export = programme.parent / "export.csv"
    export.write_bytes(content)
    before = (programme / "staff.yaml").read_bytes()
    res = invoke("staff", "import", programme, export)
    assert res.exit_code == 1, res.stdout
    assert f"{export.as_posix()}:{line}:" in res.stdout and f" {code} " in res.stdout
    assert CODES[code].severity == "error"
    assert (programme / "staff.yaml").read_bytes() == before
