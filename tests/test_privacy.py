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
    for folder, fields in (("notes", NOTE_TEXT), ("qa", QA_TEXT)):
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


PEOPLE = ("erees", "adawson", "iharper", "usingh", "gallen", "rhartley", "ekennedy", "nwright")
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
    return commands


def test_marker_planted_everywhere(planted: Path) -> None:
    note = next((planted / "notes").rglob("*.yaml")).read_text(encoding="utf-8")
    assert all(f"{key}: {MARKER}" in note for key in NOTE_TEXT)


def test_no_report_prints_free_text(planted: Path) -> None:
    commands = runs(planted)
    assert len(commands) == 18 + 3 + 4 + 16
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


def test_sealed_notes_leak_neither_text_nor_ciphertext(tmp_path: Path) -> None:
    """With sealing on: sealing, resealing and every report print no free text and no
    ciphertext, and the cache holds neither (a sealed block is treated as private)."""
    from tests.sealing import give_keys, switch_on, texts

    root = tmp_path / "school"
    shutil.copytree(PROGRAMMES / "ashby-vale-school", root,
                    ignore=shutil.ignore_patterns(".coachctl-cache"))
    plant(root)
    ids = give_keys(root, tmp_path / "keys")
    switch_on(root)
    lead = ids[yaml.safe_load((root / "programme.yaml").read_text())["lead_coach"]]
    secret = ("AGE ENCRYPTED", "YWdlLWVuY3J5cHRpb24")  # armor, and base64 of age's header
    seal_run = invoke("note", "seal", *texts(root))
    assert seal_run.exit_code == 0, seal_run.stderr
    assert not any(MARKER in p.read_text() for p in texts(root))
    commands = [*runs(root), ["reseal", root, "--identity", lead, "--dry-run"],
                ["reseal", root, "--identity", lead]]
    outputs = [seal_run, invoke("validate", root), invoke("validate", root, "-f", "json")]
    for args in commands:
        res = invoke(*args, "--today", TODAY)
        assert res.exit_code in (0, 1), (args, res.stderr)
        outputs.append(res)
    for res in outputs:
        for text in (MARKER, *secret):
            assert text not in res.stdout and text not in res.stderr, text
    documents = list((root / ".coachctl-cache").glob("*.msgpack"))
    assert documents
    for d in documents:
        data = d.read_bytes()
        assert all(t.encode() not in data for t in (MARKER, *secret)), d.name
