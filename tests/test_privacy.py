"""No report prints what a coach wrote: counts, dates, ids and step names only.

Copies an example programme, plants a marker in every free-text field of every
session note and QA record (each field of each file its own string, all with
one prefix), and runs every report in every format and grouping: the prefix
appears in no output, stdout or stderr.
"""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest
import yaml

from tests.conftest import PROGRAMMES, dump, invoke
from tests.test_qa import TODAY

MARKER = "PRIVATE-ZQX"
NOTE_TEXT = ("precise_praise", "next_steps", "notes", "missed_reason")
QA_TEXT = ("feedback",)


def plant(root: Path) -> int:
    """Write a marker into each free-text field of every note and QA record; count them."""
    planted = 0
    for folder, fields in (("notes", NOTE_TEXT), ("qa", QA_TEXT)):  # training/ has none
        for path in sorted((root / folder).rglob("*.yaml")):
            data: dict[str, Any] = yaml.safe_load(path.read_text(encoding="utf-8"))
            for key in fields:
                data[key] = f"{MARKER} {path.stem} {key} - what was said stays private"
                planted += 1
            path.write_text(dump(data), encoding="utf-8")
    return planted


@pytest.fixture(scope="module")
def planted(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("privacy") / "school"
    shutil.copytree(PROGRAMMES / "ashby-vale-school", root)
    assert plant(root) > 500
    res = invoke("validate", root)
    assert res.exit_code == 0, res.stdout  # still a valid programme: the reports run on all of it
    return root


PEOPLE = ("erees", "adawson", "iharper", "usingh", "gallen", "rhartley", "ekennedy", "nwright",
          "okelly", "eyoung", "rphillips")
"""The leaver and the people in each imperfection programmes/README.md plants."""


def runs(root: Path) -> list[list[str | Path]]:
    commands: list[list[str | Path]] = []
    for fmt in ("table", "json", "csv"):
        for by in ("cycle", "school", "department", "hub", "coach", "role"):
            commands.append(["stats", root, "--format", fmt, "--by", by])  # with the open cycle
        commands.append(["cycle", "status", root, "--format", fmt])
    for fmt in ("text", "concise", "json", "github"):
        commands.append(["qa", root, "--format", fmt])  # the summary by code comes first
    for who in PEOPLE:
        for fmt in ("table", "json"):
            commands.append(["staff", "show", who, root, "--format", fmt])
    for fmt in ("table", "json", "md"):
        commands.append(["training", "plan", root, "--format", fmt])
    for fmt in ("md", "html"):
        commands.append(["bulletin", root, "--cycle", "3", "--format", fmt])
    return commands


def test_marker_planted_everywhere(planted: Path) -> None:
    note = next((planted / "notes").rglob("*.yaml")).read_text(encoding="utf-8")
    assert all(f"{key}: {MARKER}" in note for key in NOTE_TEXT)


def test_no_report_prints_free_text(planted: Path) -> None:
    commands = runs(planted)
    assert len(commands) == 18 + 3 + 4 + 22 + 3 + 2
    for args in commands:
        res = invoke(*args, "--today", TODAY)
        assert res.exit_code in (0, 1), (args, res.stderr)
        assert res.stdout, args
        assert MARKER not in res.stdout and MARKER not in res.stderr, args


def test_writers_print_no_free_text(tmp_path: Path) -> None:
    """The commands that edit a programme (their diffs, refusals and lists) print none of
    it either: a dry run, a refusal on a note someone wrote, and a real run."""
    root = tmp_path / "school"
    shutil.copytree(PROGRAMMES / "ashby-vale-school", root,
                    ignore=shutil.ignore_patterns(".coachctl-cache"))
    plant(root)
    commands: list[list[str | Path]] = [
        ["staff", "leave", "slloyd", root, "--date", "2026-11-20", "--dry-run"],
        ["staff", "leave", "slloyd", root, "--date", "2026-11-20"],  # refused: notes typed in
        ["staff", "leave", "slloyd", root, "--date", "2026-12-20", "--dry-run"],
        ["cycle", "close", root, "--cycle", "4", "--early", "--dry-run"],
        ["cycle", "close", root, "--cycle", "4", "--early"],
        ["note", "new", root, "--coach", "slloyd", "--coachee", "hcarter", "--cycle", "4"],
        ["note", "new", root, "--coach", "zprice", "--coachee", "hcarter", "--cycle", "3"],
    ]
    for args in commands:
        res = invoke(*args, "--today", TODAY)
        assert res.exit_code in (0, 1, 2), (args, res.stderr)
        assert res.stdout or res.stderr, args
        assert MARKER not in res.stdout and MARKER not in res.stderr, args


def test_the_cache_holds_no_free_text(planted: Path) -> None:
    """Every record the cache keeps (notes, QA records, every other file) is plain data
    without a free-text field, so a cache shared with CI leaks nothing either."""
    for args in (["validate", planted], ["qa", planted, "--today", TODAY],
                 ["stats", planted, "--today", TODAY]):
        assert invoke(*args).exit_code in (0, 1)
    documents = list((planted / ".coachctl-cache").glob("*.msgpack"))
    assert {d.name for d in documents} >= {"files.msgpack", "result.msgpack", "qa.msgpack"}
    assert not [d.name for d in documents if MARKER.encode() in d.read_bytes()]


def test_sentences_yaml_misreads_are_located_without_their_words(tmp_path: Path) -> None:
    """A sentence typed on its key's line, with ': ' (a syntax error) or ' #' (cut short),
    in every free-text field: validate and qa name the field and line, never the words."""
    root = tmp_path / "school"
    shutil.copytree(PROGRAMMES / "ashby-vale-school", root,
                    ignore=shutil.ignore_patterns(".coachctl-cache"))
    notes = sorted((root / "notes").rglob("*.yaml"))
    qa = [p for p in sorted((root / "qa").rglob("*.yaml")) if "\nfeedback:" in p.read_text()]
    for i, (path, key) in enumerate([*((notes[i], k) for i, k in enumerate(NOTE_TEXT)),
                                     *((notes[4 + i], k) for i, k in enumerate(NOTE_TEXT)),
                                     (qa[0], "feedback"), (qa[1], "feedback")]):
        sentence = f"{MARKER}: {key}" if i % 2 == 0 else f"fine words #{MARKER} {key}"
        lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
        at = next(n for n, line in enumerate(lines) if line.startswith(f"{key}:"))
        end = at + 1
        while end < len(lines) and lines[end].startswith("  "):
            end += 1
        lines[at:end] = [f"{key}: {sentence}\n"]
        path.write_text("".join(lines), encoding="utf-8")
    for fmt in ("text", "concise", "json", "github"):
        for args in (["validate", root], ["qa", root, "--today", TODAY]):
            res = invoke(*args, "--format", fmt)
            assert res.exit_code == 1, (args, fmt)
            assert MARKER not in res.stdout and MARKER not in res.stderr, (args, fmt)
    codes = [d["code"] for d in invoke("validate", root, "--format", "json").json()["diagnostics"]]
    assert codes.count("Y001") == 5 and codes.count("Y013") == 5, codes
