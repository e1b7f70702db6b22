"""The editor schemas accept exactly what ``coachctl validate`` accepts, file by file.

check-jsonschema reads YAML as YAML 1.2 (ruamel.yaml, timestamps as strings), where ``yes``,
``14:00`` and ``1e3`` are all text; coachctl and an editor set to ``yaml.yamlVersion: "1.1"``
(what ``coachctl init`` writes) read them as YAML 1.1: true, 840 and the text "1e3". So each
file is given to check-jsonschema as the JSON an editor reading YAML 1.1 sees: parsed as
coachctl parses it, a date as its text. Each file, valid example files, the bad-input
fixtures of tests/test_codes.py and one file per YAML trap, must be accepted by both or
rejected by both, cross-file rules aside (validate's S codes against the schema's verdict).

What no schema can catch, because the editor holds the same value either way: a quoted date
("2026-09-17") and an unquoted date where text is expected (text to an editor, rejected by
validate), and a whole number written with a point (4.0: JSON has one kind of number). They
are listed in EDITOR_BLIND, asserted to disagree as documented, and the schemas' field
descriptions tell the writer (coachctl.schemas.yaml_hints).
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

from coachctl.layout import kind_of
from coachctl.reading import read_one
from coachctl.schemas import kinds, schema_json
from tests.conftest import PROGRAMMES
from tests.test_codes import FIXTURES, NOTE, NOTE_PATH, QA

CHECK = Path(sys.executable).parent / "check-jsonschema"
EXAMPLE = PROGRAMMES / "kingsmead-academy"
QA_PATH = "qa/2026-09-24-observation-teacher-a.yaml"
CYCLE_PATH = "cycles/cycle-01.yaml"
STEP = "1a"


def base(rel: str) -> str:
    if rel == NOTE_PATH:
        return NOTE.replace("{STEP}", STEP)
    if rel == QA_PATH:
        return QA
    return (EXAMPLE / rel).read_text(encoding="utf-8")


def swap(rel: str, key: str, value: str) -> tuple[str, str]:
    """``rel``'s base text with the line ``key: ...`` (first, any indent) set to ``value``."""
    text, n = re.subn(rf"(?m)^(\s*(?:- )?){re.escape(key)}:.*$", rf"\g<1>{key}: {value}",
                      base(rel), count=1)
    assert n == 1, (rel, key)
    return rel, text


TRAPS: dict[str, tuple[str, str]] = {
    "bool yes": swap(NOTE_PATH, "modelled", "yes"),
    "bool quoted yes": swap(NOTE_PATH, "modelled", '"yes"'),
    "bool on": swap(NOTE_PATH, "rehearsed", "on"),
    "text no": swap(NOTE_PATH, "coach", "no"),
    "text quoted no": swap(NOTE_PATH, "observation", '"no"'),
    "text 1e3": swap("programme.yaml", "school", "1e3"),
    "int 1e3": swap(NOTE_PATH, "cycle", "1e3"),
    "int 1.0e+1": swap(NOTE_PATH, "cycle", "1.0e+1"),
    "int 4.0": swap(NOTE_PATH, "cycle", "4.0"),
    "int octal 010": swap(NOTE_PATH, "cycle", "010"),
    "int hex 0x4": swap(NOTE_PATH, "cycle", "0x4"),
    "int 1_0": swap(NOTE_PATH, "cycle", "1_0"),
    "int sexagesimal 1:30": swap(NOTE_PATH, "cycle", "1:30"),
    "int quoted": swap(NOTE_PATH, "cycle", '"4"'),
    "float int": swap("programme.yaml", "completion_target", "1"),
    "float 1e3": swap("programme.yaml", "completion_target", "1e3"),
    "float .8": swap("programme.yaml", "completion_target", ".8"),
    "float quoted": swap("programme.yaml", "completion_target", '"0.8"'),
    "clock 14:00": swap("programme.yaml", "coaching_time", "14:00"),
    "clock quoted": swap("programme.yaml", "coaching_time", '"15:30"'),
    "clock 24:00": swap("programme.yaml", "coaching_time", '"24:00"'),
    "date": swap(NOTE_PATH, "date", "2026-09-18"),
    "date quoted": swap(NOTE_PATH, "date", '"2026-09-18"'),
    "date impossible": swap(NOTE_PATH, "date", "2026-02-30"),
    "date with time": swap(NOTE_PATH, "date", "2026-09-18 10:00:00"),
    "date one digit": swap(NOTE_PATH, "date", "2026-9-18"),
    "date null": swap(NOTE_PATH, "date", "~"),
    "text date": swap(NOTE_PATH, "coachee", "2026-09-18"),
    "text null": swap(NOTE_PATH, "coachee", "null"),
    "text empty": swap(NOTE_PATH, "precise_praise", '""'),
    "enum case": swap(NOTE_PATH, "observation", "Lesson"),
    "cycle status yes": swap(CYCLE_PATH, "status", "yes"),
    "qa mode off": swap(QA_PATH, "mode", "off"),
}
EDITOR_BLIND = {"date quoted", "text date", "int 4.0", "int 1.0e+1"}
"""Traps an editor cannot see: validate rejects them, the schema cannot."""


def corpus() -> list[tuple[str, str, str]]:
    """(label, programme-relative path, text) for every file compared."""
    files = [("trap " + name, rel, text) for name, (rel, text) in TRAPS.items()]
    for code, (writes, _) in FIXTURES.items():
        for rel, text in writes.items():
            if code[0] == "S" and isinstance(text, str) and kind_of(rel):
                files.append((f"fixture {code}", rel, text.replace("{STEP}", STEP)))
    for folder in ("", "steps/", "cycles/", "notes/cycle-04/", "qa/", "training/"):
        for path in sorted((EXAMPLE / folder).glob("*.yaml"))[:25]:
            rel = path.relative_to(EXAMPLE).as_posix()
            files.append((f"example {rel}", rel, path.read_text(encoding="utf-8")))
    return files


class EditorLoader(yaml.SafeLoader):
    """YAML 1.1 as coachctl reads it, but a date (a timestamp) kept as its text, as an editor
    keeps it (an impossible one too)."""


def _as_text(loader: EditorLoader, node: yaml.Node) -> str:
    return str(loader.construct_scalar(node))  # type: ignore[arg-type]


EditorLoader.add_constructor("tag:yaml.org,2002:timestamp", _as_text)


def editor_json(text: str) -> Any:
    """What an editor reading YAML 1.1 holds, as JSON data."""
    def plain(value: Any) -> Any:
        if isinstance(value, dict):
            return {str(k): plain(v) for k, v in value.items()}
        if isinstance(value, list):
            return [plain(v) for v in value]
        return value

    return plain(yaml.load(text, Loader=EditorLoader))


def validate_accepts(rel: str, text: str) -> bool:
    _, found = read_one(kind_of(rel), text.encode(), rel)
    return not any(d.code.startswith("S") for d in found)


def schema_accepts(tmp: Path, files: list[tuple[str, str, str]]) -> dict[str, bool]:
    """check-jsonschema's verdict on each file's editor JSON, one run per kind of file."""
    by_name = {kind: name for name, kind in kinds().items()}
    groups: dict[str, list[Path]] = {}
    labels: dict[str, str] = {}
    for i, (label, rel, text) in enumerate(files):
        data = editor_json(text)
        target = tmp / f"{i:04d}.json"
        target.write_text(json.dumps(data), encoding="utf-8")
        groups.setdefault(by_name[kind_of(rel)], []).append(target)  # type: ignore[index]
        labels[target.name] = label
    verdict = {label: True for label in labels.values()}
    for name, paths in groups.items():
        schema = tmp / f"{name}.schema.json"
        schema.write_text(schema_json(name), encoding="utf-8")
        res = subprocess.run([str(CHECK), "--schemafile", str(schema), "-o", "json",
                              *map(str, paths)], capture_output=True, text=True, timeout=300)
        report = json.loads(res.stdout)
        assert report["status"] in ("ok", "fail") and not report.get("parse_errors"), report
        for error in report["errors"]:
            verdict[labels[Path(error["filename"]).name]] = False
    return verdict


@pytest.fixture(scope="module")
def verdicts(tmp_path_factory: pytest.TempPathFactory) -> list[tuple[str, bool, bool]]:
    files = corpus()
    schema = schema_accepts(tmp_path_factory.mktemp("editor-json"), files)
    return [(label, validate_accepts(rel, text), schema[label]) for label, rel, text in files]


def test_schema_and_validate_agree_file_by_file(verdicts: list[tuple[str, bool, bool]]) -> None:
    blind = {f"trap {name}" for name in EDITOR_BLIND}
    differ = [(label, v, s) for label, v, s in verdicts if v != s and label not in blind]
    assert differ == []
    assert sum(v for _, v, _ in verdicts) > 50 and sum(not v for _, v, _ in verdicts) > 15


def test_the_traps_an_editor_cannot_see_are_as_documented(
        verdicts: list[tuple[str, bool, bool]]) -> None:
    found = {label: (v, s) for label, v, s in verdicts}
    for name in EDITOR_BLIND:
        assert found[f"trap {name}"] == (False, True), name


def test_the_schemas_tell_the_writer_what_they_cannot_check() -> None:
    note = json.loads(schema_json("note"))
    assert "without quotes" in note["properties"]["date"]["description"]
    assert "4.0" in note["properties"]["cycle"]["description"]
    cycles = json.loads(schema_json("programme"))["definitions"]["CycleRules"]
    assert "840" in cycles["properties"]["coaching_time"]["description"]


def test_check_jsonschema_on_yaml_reads_yaml_1_2(tmp_path: Path) -> None:
    """Run on the YAML file itself, check-jsonschema reads `modelled: yes` as the text "yes"
    (YAML 1.2), so it rejects a note validate accepts: hence the editor JSON above, and
    `yaml.yamlVersion: "1.1"` in the settings init writes."""
    rel, text = TRAPS["bool yes"]
    (tmp_path / "note.yaml").write_text(text, encoding="utf-8")
    (tmp_path / "note.json").write_text(schema_json("note"), encoding="utf-8")
    res = subprocess.run([str(CHECK), "--schemafile", str(tmp_path / "note.json"),
                          str(tmp_path / "note.yaml")], capture_output=True, text=True,
                         timeout=300)
    assert validate_accepts(rel, text) and res.returncode == 1 and "'yes'" in res.stdout
