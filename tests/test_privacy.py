"""No report prints what a coach wrote: counts, dates, ids and step names only.

Copies an example programme, plants a marker in every free-text field of every
session note and QA record (each field of each file its own string, all with
one prefix), and runs every report in every format and grouping, and the HTML
report with and without --anonymise: the prefix appears in no output, stdout
or stderr.
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
    for anonymise in ([], ["--anonymise"]):
        commands.append(["report", root, "-o", "-", *anonymise])  # the HTML page, SVG and all
    return commands


def test_marker_planted_everywhere(planted: Path) -> None:
    note = next((planted / "notes").rglob("*.yaml")).read_text(encoding="utf-8")
    assert all(f"{key}: {MARKER}" in note for key in NOTE_TEXT)


def test_no_report_prints_free_text(planted: Path) -> None:
    commands = runs(planted)
    assert len(commands) == 18 + 3 + 4 + 16 + 2
    for args in commands:
        res = invoke(*args, "--today", TODAY)
        assert res.exit_code in (0, 1), (args, res.stderr)
        assert res.stdout, args
        assert MARKER not in res.stdout and MARKER not in res.stderr, args


def test_no_cache_document_holds_free_text(planted: Path) -> None:
    """What reports cache (qa's gaps, the report's tallies) holds counts and ids only."""
    for args in (["report", planted, "-o", "-"], ["qa", planted]):
        assert invoke(*args, "--today", TODAY).exit_code in (0, 1)
    documents = sorted((planted / ".coachctl-cache").glob("*.msgpack"))
    assert {"report.msgpack", "qa.msgpack"} <= {d.name for d in documents}
    for doc in documents:
        assert MARKER.encode() not in doc.read_bytes(), doc.name
