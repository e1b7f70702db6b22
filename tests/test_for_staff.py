"""docs/for-staff.md tells teachers how to fill a note in; doing exactly that works.

Over every kind of file coachctl writes free text into (the stubs of `cycle start`,
`note new` and `note new --drop-in`, the notes and QA records `generate` writes), fill
every free-text field as the guide says (under its `key: |` line, each line indented two
spaces) with sentences holding ': ', ' #', quotes and apostrophes: the file checks
clean, and reads back word for word.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from coachctl.models import TEXT_FIELDS
from tests.conftest import REPO, copy_example, invoke

GUIDE = REPO / "docs/for-staff.md"
SENTENCES = [
    "Try this: count down from five, then wait for silence.",
    "Use the #2 seating plan; it's \"calm\" now, isn't it?",
    "'Twas the best start yet - pupils said: \"more!\"",
    "- a dash first, [brackets], {braces}, & *stars* and 100% # not a comment",
    "@home: the routine held # all lesson",
]
"""Each line is something YAML would misread if typed on the key's own line."""


def fill_text(text: str, key: str, lines: list[str]) -> str:
    """The guide's three steps: at the end of `key: |`, Enter, two spaces, the sentence."""
    out, found = [], False
    it = iter(text.splitlines(keepends=True))
    for line in it:
        out.append(line)
        if line.rstrip("\n") == f"{key}: |":
            found = True
            out += [f"  {s}\n" for s in lines]
            for rest in it:  # text already there (a generated record) is typed over
                if not rest.startswith("  "):
                    out.append(rest)
                    break
    assert found, f"no '{key}: |' line to type under"
    return "".join(out)


def fill_value(text: str, key: str, value: str) -> str:
    """Type a value after `key:`, keeping the reminder comment."""
    new, n = re.subn(rf"^{key}:(?: *)(#.*)?$",
                     lambda m: f"{key}: {value}".ljust(21) + (f" {m.group(1)}" if m.group(1)
                                                              else ""),
                     text, count=1, flags=re.M)
    assert n == 1, key
    return new


def complete(text: str) -> str:
    for key, value in (("observation", "lesson"), ("modelled", "true"), ("rehearsed", "true")):
        if re.search(rf"^{key}: *(#.*)?$", text, re.M):
            text = fill_value(text, key, value)
    return text.replace("status: stub ", "status: complete ", 1)


def check_clean(path: Path) -> None:
    res = invoke("note", "check", "--strict", path)
    assert res.exit_code == 0, res.stdout
    assert res.stdout.startswith("No problems found"), res.stdout


def assert_reads_back(path: Path, keys: list[str]) -> None:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    for key in keys:
        assert data[key] == "".join(s + "\n" for s in SENTENCES), key


@pytest.fixture
def school(tmp_path: Path) -> Path:
    root = tmp_path / "kingsmead"
    copy_example("kingsmead-academy", root)
    assert invoke("cycle", "start", root, "--today", "2026-11-30").exit_code == 0
    return root


NOTE_TEXT = sorted(set(TEXT_FIELDS) - {"feedback"})


def written_stubs(root: Path) -> dict[str, Path]:
    """One stub of each kind coachctl writes for a person to fill in."""
    res = invoke("note", "new", root, "--coach", "sward", "--coachee", "dclarke", "--drop-in",
                 "--today", "2026-12-01")
    assert res.exit_code == 0, res.stderr
    (root / "notes/cycle-05/aosei--dclarke.yaml").rename(root / "started.yaml")
    res = invoke("note", "new", root, "--coach", "aosei", "--coachee", "dclarke",
                 "--today", "2026-12-01")
    assert res.exit_code == 0, res.stderr
    by_note_new = (root / "notes/cycle-05/aosei--dclarke.yaml").read_text(encoding="utf-8")
    assert by_note_new == (root / "started.yaml").read_text(encoding="utf-8")
    (root / "started.yaml").unlink()
    generated_stub = next(p for p in sorted((root / "notes/cycle-04").glob("*.yaml"))
                          if "status: stub " in p.read_text(encoding="utf-8"))
    return {"cycle start / note new": root / "notes/cycle-05/aosei--dclarke.yaml",
            "note new --drop-in": root / "notes/cycle-05/sward--dclarke-dropin-1.yaml",
            "generate (a stub)": generated_stub,
            "cycle start (another pair)": root / "notes/cycle-05/mbrooks--aiqbal.yaml"}


def test_every_free_text_field_of_every_stub_filled_as_the_guide_says(school: Path) -> None:
    for kind, path in written_stubs(school).items():
        text = path.read_text(encoding="utf-8")
        assert "Guide: docs/for-staff.md" in text, kind
        for key in NOTE_TEXT:
            text = fill_text(text, key, SENTENCES)
        path.write_text(complete(text), encoding="utf-8")
        check_clean(path)
        assert_reads_back(path, NOTE_TEXT)
    res = invoke("validate", "--strict", school)
    assert res.exit_code == 0, res.stdout


def test_a_missed_session_filled_as_the_guide_says(school: Path) -> None:
    path = school / "notes/cycle-05/aosei--dclarke.yaml"
    text = fill_text(path.read_text(encoding="utf-8"), "missed_reason", SENTENCES)
    path.write_text(text.replace("status: stub ", "status: missed "), encoding="utf-8")
    check_clean(path)
    assert_reads_back(path, ["missed_reason"])


def test_generated_notes_and_qa_records_typed_over_as_the_guide_says(school: Path) -> None:
    note = school / "notes/cycle-03/aallen--hsharma.yaml"
    qa = sorted((school / "qa").glob("*-observation-*.yaml"))[0]  # the first observation
    text = note.read_text(encoding="utf-8")
    for key in NOTE_TEXT:
        text = fill_text(text, key, SENTENCES)
    note.write_text(text, encoding="utf-8")
    qa.write_text(fill_text(qa.read_text(encoding="utf-8"), "feedback", SENTENCES),
                  encoding="utf-8")
    for path, keys in ((note, NOTE_TEXT), (qa, ["feedback"])):
        check_clean(path)
        assert_reads_back(path, keys)


def test_the_guides_own_example_note_checks_clean(school: Path) -> None:
    guide = GUIDE.read_text(encoding="utf-8")
    section = guide.split("## Typing sentences safely", 1)[1].split("\n## ", 1)[0]
    (example,) = re.findall(r"```yaml\n(.*?)```", section, re.S)
    path = school / "notes/cycle-05/aosei--dclarke.yaml"
    path.write_text(example, encoding="utf-8")
    check_clean(path)
    data = yaml.safe_load(example)
    assert ": " in data["next_steps"] and " #" in data["next_steps"]
    assert '"' in data["precise_praise"] and "'" in data["notes"]


def test_the_guides_conflict_example_is_what_note_check_reports(school: Path) -> None:
    guide = GUIDE.read_text(encoding="utf-8")
    section = guide.split("## When git reports a merge conflict", 1)[1].split("\n## ", 1)[0]
    block = re.findall(r"```\n(.*?)```", section, re.S)[0]
    path = school / "notes/cycle-05/aosei--dclarke.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(re.sub(r"^rehearsed:.*\n", block, text, count=1, flags=re.M),
                    encoding="utf-8")
    res = invoke("note", "check", "--format", "concise", path)
    line = text[:text.index("\nrehearsed:")].count("\n") + 2
    assert res.exit_code == 1
    assert f"aosei--dclarke.yaml:{line}:1: Y012 unresolved merge conflict" in res.stdout
    path.write_text(text, encoding="utf-8")  # resolved: one version kept, markers gone
    check_clean(path)
