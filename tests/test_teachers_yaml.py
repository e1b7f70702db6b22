"""The YAML people actually type: sentences with colons and hashes, merge conflicts,
a broken file others depend on, and positions that are never line 0.

Each test runs coachctl end to end on a copy of an example programme, over every
kind of file where the behaviour applies.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from coachctl.models import TEXT_FIELDS
from coachctl.yamlsafe import parse_bytes, plain_value
from tests.conftest import PROGRAMMES, copy_example, invoke

EXAMPLE = "kingsmead-academy"
NOTE = "notes/cycle-03/aallen--hsharma.yaml"
QA = min(p.relative_to(PROGRAMMES / EXAMPLE).as_posix()
         for p in (PROGRAMMES / EXAMPLE / "qa").glob("*-observation-*.yaml"))
"""The example's first observation (whoever the generator chose)."""
NOTE_FREE_TEXT = ("precise_praise", "next_steps", "notes", "missed_reason")
SECRET = "SECRET-WORDS-4d1"
"""Planted in a teacher's sentence: no message may echo it."""

EVERY_KIND = ("programme.yaml", "staff.yaml", "pairings.yaml", "steps/library.yaml",
              "steps/coaching-curriculum.yaml", "steps/sequence.yaml", "cycles/cycle-02.yaml",
              NOTE, QA)


@pytest.fixture
def school(tmp_path: Path) -> Path:
    root = tmp_path / "school"
    copy_example(EXAMPLE, root)
    return root


def diagnostics(root: Path, *args: str | Path) -> list[dict]:  # type: ignore[type-arg]
    res = invoke("validate", "--format", "json", root, *args)
    assert res.exit_code in (0, 1), res.stderr
    return res.json()["diagnostics"]  # type: ignore[no-any-return]


def test_free_text_fields_are_the_private_fields() -> None:
    from coachctl.yamlout import PROMPTS

    assert set(PROMPTS) == set(TEXT_FIELDS) == {*NOTE_FREE_TEXT, "feedback"}


# --- merge conflicts -------------------------------------------------------------------

def conflicted(text: str) -> tuple[str, int]:
    """``text`` with a git conflict around its third line; the first marker's line number."""
    lines = text.splitlines(keepends=True)
    at = 2
    conflict = ["<<<<<<< HEAD\n", lines[at], "=======\n", lines[at], ">>>>>>> their-branch\n"]
    return "".join(lines[:at] + conflict + lines[at + 1:]), at + 1


@pytest.mark.parametrize("rel", EVERY_KIND)
def test_merge_conflict_markers_get_their_own_code_at_the_first_marker(school: Path,
                                                                       rel: str) -> None:
    path = school / rel
    text, line = conflicted(path.read_text(encoding="utf-8"))
    path.write_text(text, encoding="utf-8")
    found = [d for d in diagnostics(school) if d["path"].endswith(rel) and d["code"] != "Y014"]
    assert [d["code"] for d in found] == ["Y012"], found  # Y014: a cycle's notes wait for it
    assert found[0]["line"] == line and found[0]["column"] == 1
    assert "merge conflict" in found[0]["message"]
    assert "delete the three marker lines" in found[0]["hint"]
    assert plain_value(text.encode()) is None  # the fast path hands it to the careful one


def test_a_conflict_with_the_last_marker_already_deleted_is_still_a_conflict() -> None:
    text = "coach: a\n<<<<<<< HEAD\nrehearsed: true\n=======\nrehearsed: false\n"
    (d,) = parse_bytes(text.encode(), "n.yaml").diagnostics
    assert (d.code, d.line) == ("Y012", 2)


def test_note_check_names_the_conflict_too(school: Path) -> None:
    path = school / NOTE
    path.write_text(conflicted(path.read_text(encoding="utf-8"))[0], encoding="utf-8")
    res = invoke("note", "check", "--format", "concise", path)
    assert res.exit_code == 1
    assert re.search(r"aallen--hsharma\.yaml:3:1: Y012 unresolved merge conflict", res.stdout)


# --- sentences typed on the key's line --------------------------------------------------

def typed_on_the_line(text: str, key: str, sentence: str) -> tuple[str, int]:
    """Replace ``key``'s block with ``key: sentence`` on one line; return the text and line."""
    lines = text.splitlines(keepends=True)
    i = next(i for i, line in enumerate(lines) if line.startswith(f"{key}:"))
    end = i + 1
    while end < len(lines) and lines[end].startswith("  "):
        end += 1
    lines[i:end] = [f"{key}: {sentence}\n"]
    return "".join(lines), i + 1


@pytest.mark.parametrize(("rel", "key"), [*((NOTE, k) for k in NOTE_FREE_TEXT), (QA, "feedback")])
def test_an_unquoted_colon_names_the_field_and_the_fix_never_the_words(school: Path, rel: str,
                                                                       key: str) -> None:
    path = school / rel
    text, line = typed_on_the_line(path.read_text(encoding="utf-8"), key,
                                   f"Try this: {SECRET} count down from five")
    path.write_text(text, encoding="utf-8")
    for fmt in ("text", "concise", "json", "github"):
        res = invoke("validate", "--format", fmt, school)
        assert res.exit_code == 1
        assert SECRET not in res.stdout + res.stderr, fmt
    (d,) = [d for d in diagnostics(school) if d["path"].endswith(rel)]
    assert d["code"] == "Y001" and d["line"] == line
    assert f"the text of '{key}' on line {line} has ': ' in it" in d["message"]
    assert f"'{key}: |' on its own line" in d["hint"] and "docs/for-staff.md" in d["hint"]


@pytest.mark.parametrize("sentence", ['"Great" start to the lesson', "'Twas calm all lesson",
                                      "@home the routine held"])
def test_a_sentence_yaml_cannot_read_names_the_field(school: Path, sentence: str) -> None:
    path = school / NOTE
    text, line = typed_on_the_line(path.read_text(encoding="utf-8"), "next_steps", sentence)
    path.write_text(text, encoding="utf-8")
    (d,) = [d for d in diagnostics(school) if d["path"].endswith(NOTE)]
    assert d["code"] == "Y001" and d["line"] == line
    assert "the text of 'next_steps'" in d["message"] and sentence not in d["message"]
    assert "'next_steps: |'" in d["hint"]


def test_a_sentence_running_on_unindented_names_the_field(school: Path) -> None:
    path = school / NOTE
    text, line = typed_on_the_line(path.read_text(encoding="utf-8"), "notes",
                                   "First line of the note\nand a second line")
    path.write_text(text, encoding="utf-8")
    (d,) = [d for d in diagnostics(school) if d["path"].endswith(NOTE)]
    assert d["code"] == "Y001" and d["line"] == line
    assert "runs on to the next line without being indented" in d["message"]


@pytest.mark.parametrize("change", [
    ("next_steps: |\n  ", "next_steps: |\n"),  # the text not indented
    ("next_steps: |\n  ", "next_steps: | "),  # the text on the key's line, after the |
])
def test_a_block_not_laid_out_as_one_says_how(school: Path, change: tuple[str, str]) -> None:
    path = school / NOTE
    text = path.read_text(encoding="utf-8").replace(*change)
    path.write_text(text, encoding="utf-8")
    (d,) = [d for d in diagnostics(school) if d["path"].endswith(NOTE)]
    line = text[:text.index("next_steps: |")].count("\n") + 1
    assert d["code"] == "Y001" and d["line"] == line
    assert d["message"] == (f"the text of 'next_steps' (the block starting on line {line}) "
                            "is not laid out as a block")
    assert "indented by the same two spaces" in d["hint"]


def test_a_line_indented_less_than_the_rest_of_its_block_is_named(school: Path) -> None:
    path = school / NOTE
    text = path.read_text(encoding="utf-8").replace(
        "next_steps: |\n  Script", f"next_steps: |\n  Two lines: {SECRET}\n Script")
    path.write_text(text, encoding="utf-8")
    (d,) = [d for d in diagnostics(school) if d["path"].endswith(NOTE)]
    block = text[:text.index("next_steps: |")].count("\n") + 1
    assert d["code"] == "Y001" and d["line"] == block
    assert d["message"].endswith(f"'next_steps' (the block starting on line {block}) is not "
                                 "laid out as a block")
    assert SECRET not in d["message"] + d["hint"]
    # a line indented less that looks like a key of its own: that line is named
    text = text.replace(" Script", " Script: it")
    path.write_text(text, encoding="utf-8")
    (d,) = [d for d in diagnostics(school) if d["path"].endswith(NOTE)]
    assert (d["code"], d["line"], d["column"]) == ("Y001", block + 2, 1)
    assert f"(the block starting on line {block}), is indented differently" in d["message"]


@pytest.mark.parametrize(("rel", "key"), [*((NOTE, k) for k in NOTE_FREE_TEXT), (QA, "feedback")])
def test_a_hash_that_cuts_a_sentence_short_is_an_error(school: Path, rel: str, key: str) -> None:
    path = school / rel
    text, line = typed_on_the_line(path.read_text(encoding="utf-8"), key,
                                   f"Count down from five #{SECRET} then wait")
    if key == "missed_reason":
        text = text.replace("status: complete", "status: missed")
    path.write_text(text, encoding="utf-8")
    for fmt in ("text", "concise", "json", "github"):
        res = invoke("validate", "--format", fmt, school)
        assert res.exit_code == 1 and SECRET not in res.stdout + res.stderr, fmt
    found = [d for d in diagnostics(school) if d["path"].endswith(rel)]
    assert [(d["code"], d["line"]) for d in found] == [("Y013", line)]
    assert f"'{key}' stops at ' #'" in found[0]["message"]
    assert f"'{key}: |'" in found[0]["hint"]
    res = invoke("note", "check", "--format", "concise", path)
    assert res.exit_code == 1 and "Y013" in res.stdout


def test_a_comment_after_an_empty_field_or_a_quoted_sentence_is_fine(school: Path) -> None:
    path = school / NOTE
    text, _ = typed_on_the_line(path.read_text(encoding="utf-8"), "notes", "   # to do")
    text, _ = typed_on_the_line(text, "next_steps", "'Count down: five, four' # agreed")
    path.write_text(text, encoding="utf-8")
    assert [d for d in diagnostics(school) if d["path"].endswith(NOTE)] == []


# --- a broken file others depend on -----------------------------------------------------

def test_a_broken_cycle_file_is_reported_once_with_its_consequences(school: Path) -> None:
    cycle = school / "cycles/cycle-03.yaml"
    cycle.write_text(cycle.read_text().replace("start: ", "start: ["), encoding="utf-8")
    notes = len(list((school / "notes/cycle-03").glob("*.yaml")))
    found = diagnostics(school)
    assert sorted(d["code"] for d in found) == ["Y001", "Y014"], found  # no R003 per note
    (summary,) = [d for d in found if d["code"] == "Y014"]
    assert summary["path"].endswith("cycles/cycle-03.yaml") and summary["line"] is None
    assert summary["message"] == (f"{notes} notes of cycle 3 not checked against it, because "
                                  "this file could not be read")
    assert f"the {notes} follow-on errors they would show (R003) are held back" in summary["hint"]
    text = invoke("validate", "--format", "concise", school).stdout
    assert "R003" not in text and f"{school.as_posix()}/cycles/cycle-03.yaml: Y014" in text

    res = invoke("note", "check", "--format", "concise", school / NOTE)
    assert res.exit_code == 1
    assert "Y014 not fully checked" in res.stdout and "cycles/cycle-03.yaml" in res.stdout


def test_a_broken_staff_file_is_one_error_and_never_passes_a_note(school: Path) -> None:
    staff = school / "staff.yaml"
    staff.write_text(staff.read_text().replace("staff:\n", "staff: [\n", 1), encoding="utf-8")
    notes = len(list((school / "notes").rglob("*.yaml")))
    records = len(list((school / "qa").rglob("*.yaml")))
    found = diagnostics(school)
    assert [d["code"] for d in found] == ["Y001"], found  # R001 is skipped, not reported
    assert notes > 300 and records > 100
    res = invoke("note", "check", "--format", "concise", school / NOTE, school / QA)
    assert res.exit_code == 1  # never passed clean while the people it names are unchecked
    assert res.stdout.count("Y014 not fully checked") == 2 and "staff.yaml" in res.stdout


def test_a_missing_cycle_file_still_reports_each_note(school: Path) -> None:
    (school / "cycles/cycle-03.yaml").unlink()
    codes = [d["code"] for d in diagnostics(school)]
    assert "Y014" not in codes and codes.count("R003") > 50


# --- no position 0 ----------------------------------------------------------------------

def test_no_diagnostic_is_ever_at_line_or_column_0(school: Path) -> None:
    staff = school / "staff.yaml"
    staff.write_text(staff.read_text().replace("staff:\n", "staff:\n- [\n", 1), encoding="utf-8")
    (school / "notes/cycle-04/empty.yaml").write_text("# nothing yet\n", encoding="utf-8")
    commands: tuple[list[str | Path], ...] = (["qa", school, "--today", "2026-11-23"],
                                              ["validate", school])
    for command in commands:
        for fmt in ("text", "concise", "github", "json"):
            res = invoke(*command, "--format", fmt)
            assert res.exit_code == 1, (command, fmt, res.stderr)
            assert not re.search(r":0:|:\d+:0:|line=0|col=0", res.stdout), (command, fmt)
            if fmt == "json":
                for d in res.json()["diagnostics"]:
                    for key in ("line", "column", "end_line", "end_column"):
                        assert d[key] is None or d[key] >= 1, d
            if fmt == "concise":
                assert re.search(r"staff\.yaml: Q001 |empty\.yaml: Y007 ", res.stdout)
