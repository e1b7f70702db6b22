"""No report prints what a coach wrote: counts, dates, ids and step names only.

Copies an example programme, plants a marker in every free-text field of every
session note and QA record (each field of each file its own string, all with
one prefix), and runs every report in every format and grouping, and the HTML
report with and without --anonymise: the prefix appears in no output, stdout
or stderr.

Then the placements where YAML reads prose as something else (a key, a tag, a
complex key, a boolean, a date, a number, an id, an anchor) and notes saved in
the wrong place (a cycle's folder, as a cycle, in staff.yaml, at the root):
validate and qa, in every format, cold and warm, and the cache files, carry
none of it.
"""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest
import yaml

from tests.conftest import PROGRAMMES, REPO, copy_example, dump, invoke
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
    for fmt in ("table", "json", "csv", "md"):
        for by in ("cycle", "school", "department", "hub", "coach", "role"):
            commands.append(["stats", root, "--format", fmt, "--by", by])  # with the open cycle
        if fmt != "md":
            commands.append(["cycle", "status", root, "--format", fmt])
    for fmt in ("text", "concise", "json", "github", "csv", "md"):
        commands.append(["qa", root, "--format", fmt])  # the summary by code comes first
    for who in PEOPLE:
        for fmt in ("table", "json", "csv"):
            commands.append(["staff", "show", who, root, "--format", fmt])
    for fmt in ("table", "json"):
        for mode in ("--all", "--repair"):
            commands.append(["pair", "suggest", root, mode, "--format", fmt])
        commands.append(["hub", "plan", root, "--format", fmt])
    for anonymise in ([], ["--anonymise"]):
        commands.append(["report", root, "-o", "-", *anonymise])  # the HTML page, SVG and all
    for fmt in ("table", "json", "md"):
        commands.append(["training", "plan", root, "--format", fmt])
    for fmt in ("md", "html"):
        commands.append(["bulletin", root, "--cycle", "3", "--format", fmt])
    for fmt in ("table", "json"):  # planned QA; the next Teach Meet titled with its focus
        commands.append(["qa-plan", root, "--format", fmt, "--dry-run"])
    for fmt in ("table", "json", "csv", "ics"):
        commands.append(["schedule", root, "--format", fmt])
    return commands


def test_marker_planted_everywhere(planted: Path) -> None:
    note = next((planted / "notes").rglob("*.yaml")).read_text(encoding="utf-8")
    assert all(f"{key}: {MARKER}" in note for key in NOTE_TEXT)


def test_no_report_prints_free_text(planted: Path) -> None:
    commands = runs(planted)
    assert len(commands) == 24 + 3 + 6 + 33 + 6 + 2 + 3 + 2 + 2 + 4
    for args in commands:
        res = invoke(*args, "--today", TODAY)
        assert res.exit_code in (0, 1), (args, res.stderr)
        assert res.stdout, args
        assert MARKER not in res.stdout and MARKER not in res.stderr, args


def test_the_session_measures_are_among_what_is_checked(planted: Path) -> None:
    """The stats runs above cover issue 13's columns and the per-step table: numbers, ids
    and the library's step wording only."""
    from tests.test_stats import MEASURES

    res = invoke("stats", planted, "--format", "json", "--by", "coach", "--today", TODAY)
    doc = res.json()
    assert set(MEASURES) <= set(doc["columns"]) and doc["steps"]
    assert all(isinstance(r[c], int | float | None) for r in doc["rows"] for c in MEASURES)
    assert MARKER not in res.stdout


def test_writers_print_no_free_text(tmp_path: Path) -> None:
    """The commands that edit a programme (their diffs, refusals and lists) print none of
    it either: a dry run, a refusal on a note someone wrote, and a real run."""
    root = tmp_path / "school"
    copy_example("ashby-vale-school", root)
    plant(root)
    commands: list[list[str | Path]] = [
        ["staff", "leave", "slloyd", root, "--date", "2026-11-20", "--dry-run"],
        ["staff", "leave", "slloyd", root, "--date", "2026-11-20"],  # refused: notes typed in
        ["staff", "leave", "slloyd", root, "--date", "2026-12-20", "--dry-run"],
        ["cycle", "close", root, "--cycle", "4", "--early", "--dry-run"],
        ["cycle", "close", root, "--cycle", "4", "--early"],
        ["note", "new", root, "--coach", "slloyd", "--coachee", "hcarter", "--cycle", "4"],
        ["note", "new", root, "--coach", "zprice", "--coachee", "hcarter", "--cycle", "3"],
        ["staff", "import", root, REPO / "tests/fixtures/mis-staff-export.csv", "--dry-run"],
        ["staff", "import", root, REPO / "tests/fixtures/mis-staff-export.csv"],
        ["pair", "suggest", root, "--all", "--apply", "--dry-run"],
        ["pair", "end", root, "--coach", "slloyd", "--coachee", "hcarter", "--dry-run"],
        ["hub", "plan", root, "--apply", "--dry-run"],
    ]
    for args in commands:
        res = invoke(*args, "--today", TODAY)
        assert res.exit_code in (0, 1, 2), (args, res.stderr)
        assert res.stdout or res.stderr, args
        assert MARKER not in res.stdout and MARKER not in res.stderr, args
    clean: tuple[list[str | Path], ...] = (
        ["staff", "add", root, "--name", "Rosa Lindqvist", "--role", "ect",
         "--department", "Science", "--dry-run"],
        ["year", "start", root, "--to", tmp_path / "next", "--dry-run"],
        ["year", "start", root, "--to", tmp_path / "next"],
        ["staff", "show", "nwright", root, tmp_path / "next", "--format", "json"])
    for args in clean:
        res = invoke(*args)
        assert res.exit_code == 0, (args, res.stdout, res.stderr)
        assert MARKER not in res.stdout + res.stderr, args
    assert not list((tmp_path / "next").rglob("notes"))
    assert MARKER not in "".join(p.read_text() for p in (tmp_path / "next").rglob("*.yaml"))


def _show(who: str, root: Path) -> list[str | Path]:
    return ["staff", "show", who, root, "--today", TODAY]


def test_the_cache_holds_no_free_text(planted: Path) -> None:
    """Every record the cache keeps (notes, QA records, every other file) is plain data
    without a free-text field, so a cache shared with CI leaks nothing either."""
    records = sorted([*(planted / "notes").rglob("*.yaml"), *(planted / "qa").glob("*.yaml")])
    commands: tuple[list[str | Path], ...] = (["validate", planted],
                                              ["qa", planted, "--today", TODAY],
                                              ["stats", planted, "--today", TODAY],
                                              ["cycle", "status", planted, "--today", TODAY],
                                              *(_show(who, planted) for who in PEOPLE),
                                              ["note", "check", *records])  # kept apart
    for args in commands:
        assert invoke(*args).exit_code in (0, 1)
    documents = list((planted / ".coachctl-cache").glob("*.msgpack"))
    assert {d.name for d in documents} >= {"files.msgpack", "result.msgpack", "qa.msgpack",
                                           "stats-by-cycle.msgpack", "cycle-status.msgpack",
                                           *(f"staff-show-{who}.msgpack" for who in PEOPLE),
                                           "note-check.msgpack", "note-check-files.msgpack"}
    assert not [d.name for d in documents if MARKER.encode() in d.read_bytes()]


def test_sentences_yaml_misreads_are_located_without_their_words(tmp_path: Path) -> None:
    """A sentence typed on its key's line, with ': ' (a syntax error) or ' #' (cut short),
    in every free-text field: validate and qa name the field and line, never the words."""
    root = tmp_path / "school"
    copy_example("ashby-vale-school", root)
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
    for fmt in ("text", "concise", "json", "github", "md"):
        commands: tuple[list[str | Path], ...] = (["validate", root],
                                                  ["qa", root, "--today", TODAY])
        for args in commands:
            res = invoke(*args, "--format", fmt)
            assert res.exit_code == 1, (args, fmt)
            assert MARKER not in res.stdout and MARKER not in res.stderr, (args, fmt)
    codes = [d["code"] for d in invoke("validate", root, "--format", "json").json()["diagnostics"]]
    assert codes.count("Y001") == 5 and codes.count("Y013") == 5, codes


# --- prose that YAML reads as something else, and notes saved in the wrong place ---------

PLACED_NOTE = "notes/cycle-01/teacher-a--teacher-b.yaml"
_NOTE_HEAD = "coach: teacher-a\ncoachee: teacher-b\ncycle: 1\nstatus: stub\n"
PLACEMENTS: dict[str, dict[str, str]] = {
    # an unindented continuation line of free text becomes a key (S001)
    "unknown key": {PLACED_NOTE: _NOTE_HEAD + "next_steps: Try the countdown\n"
                    f"{MARKER} ask about her anxiety: maybe\n"},
    # the same prose twice becomes a duplicate key (Y003, with a hint naming the key)
    "duplicate key": {PLACED_NOTE: _NOTE_HEAD + f"{MARKER} it's hard: 1\n{MARKER} it's hard: 2\n"},
    "tag": {PLACED_NOTE: _NOTE_HEAD + f"notes: !{MARKER}-confidential she was upset\n"},
    "complex key": {PLACED_NOTE: _NOTE_HEAD + f"? [{MARKER} she cried]\n: 1\n"},
    "flow key": {PLACED_NOTE: _NOTE_HEAD + f"{{{MARKER} she cried: 1}}: 2\n"},
    "boolean field": {PLACED_NOTE: _NOTE_HEAD + f"modelled: yes but {MARKER} cried so we "
                      "stopped\n"},
    "boolean field, quoted prose": {PLACED_NOTE: _NOTE_HEAD + f"rehearsed: \"{MARKER}'s "
                                    "choice\"\n"},
    "date field": {PLACED_NOTE: _NOTE_HEAD + f"date: {MARKER} the tuesday after\n"},
    "number field": {PLACED_NOTE: _NOTE_HEAD.replace("cycle: 1", f"cycle: {MARKER} three")},
    "id field": {PLACED_NOTE: _NOTE_HEAD + f"action_step: {MARKER} behaviour again\n"},
    "choice field": {PLACED_NOTE: _NOTE_HEAD + f"observation: {MARKER} went badly\n"},
    "who chose the step": {PLACED_NOTE: _NOTE_HEAD + f"step_chosen_by: {MARKER} she did\n"},
    "observed date": {PLACED_NOTE: _NOTE_HEAD + f"observed: {MARKER} the monday before\n"},
    "scripted": {PLACED_NOTE: _NOTE_HEAD + f"scripted: yes, {MARKER} wrote it out\n"},
    "anchor name": {PLACED_NOTE: _NOTE_HEAD + f"notes: &{MARKER}-x upset\n"
                    f"next_steps: *{MARKER}-y\n"},
    "syntax error": {PLACED_NOTE: _NOTE_HEAD + f"next_steps: [{MARKER} she said\n"},
    "note in a cycle's folder": {
        "cycles/cycle-04/teacher-a--teacher-b.yaml":
            _NOTE_HEAD + f"precise_praise: {MARKER} calm voice\nrehearsed: {MARKER} no\n"},
    "note saved as a cycle": {
        "cycles/cycle-05.yaml": _NOTE_HEAD + f"precise_praise: {MARKER} calm voice\n"
                                f"modelled: {MARKER} sort of\n"},
    "note pasted into staff.yaml": {
        "staff.yaml": f"precise_praise: {MARKER} calm voice\nstaff: {MARKER} oops\n"},
    "note at the root": {"staff-notes.yaml": _NOTE_HEAD + f"notes: {MARKER} upset\n"},
    "QA record in the wrong folder": {
        "steps/2026-09-24-teacher-a.yaml": "kind: observation\ncoach: teacher-a\nby: lead\n"
                                           f"date: {MARKER}\nfeedback: {MARKER} the pace\n"},
}


def _outputs(root: Path, named: tuple[Path, ...] = ()) -> list[tuple[list[str | Path], str]]:
    """Every place a validate or qa run over ``root``, and a note check of the files
    ``named``, writes: stdout, stderr, the cache."""
    seen: list[tuple[list[str | Path], str]] = []
    for _ in range(2):  # cold, then warm from the cache
        for fmt in ("text", "concise", "json", "github", "md"):
            commands: tuple[list[str | Path], ...] = (["validate", root, "--format", fmt],
                             ["qa", root, "--format", fmt, "--today", TODAY])
            if named and fmt != "md":  # the person's own lines are shown them, not kept
                commands += (["note", "check", "--format", fmt, *named],)
            for args in commands:
                res = invoke(*args)
                assert res.exit_code in (0, 1), (args, res.stdout, res.stderr)
                seen.append((args, res.stdout + res.stderr))
    cache_dir = root / ".coachctl-cache"
    assert cache_dir.is_dir()
    for f in sorted(cache_dir.iterdir()):
        seen.append(([f.name], f.read_bytes().decode("latin-1")))
    return seen


@pytest.mark.parametrize("placement", sorted(PLACEMENTS))
def test_no_output_or_cache_carries_prose_from_a_note(programme: Path, placement: str) -> None:
    from tests.conftest import write_files
    from tests.test_codes import base

    root = base(programme)
    write_files(root, PLACEMENTS[placement])
    first = invoke("validate", root, "--format", "json")
    assert first.json()["diagnostics"], first.stdout  # each placement is a problem to report
    named = tuple(root / rel for rel in PLACEMENTS[placement])
    for args, out in _outputs(root, named):
        if args[0] == "note" and args[3] == "text":
            continue  # a person checking their own note is shown its lines (test_note.py)
        assert MARKER not in out, (placement, args, out)
    assert (root / ".coachctl-cache" / "note-check.msgpack").is_file()


def test_hidden_text_still_says_what_and_where(programme: Path) -> None:
    """Redaction keeps the message useful: the field, the kind of problem, the line."""
    from tests.conftest import write_files
    from tests.test_codes import base

    root = base(programme)
    write_files(root, PLACEMENTS["boolean field"])
    d = next(d for d in invoke("validate", root, "--format", "json").json()["diagnostics"]
             if d["path"].endswith(PLACED_NOTE))
    assert d["code"] == "S003" and d["line"] == 5
    assert d["message"].startswith("modelled must be true or false")
    assert "<text hidden>" in d["message"]


def test_ids_and_near_miss_field_names_are_still_shown(programme: Path) -> None:
    from tests.conftest import write_files
    from tests.test_codes import base

    root = base(programme)
    write_files(root, {PLACED_NOTE: _NOTE_HEAD + "rehersed: true\naction_step: Behaviour-01\n"})
    diags = invoke("validate", root, "--format", "json").json()["diagnostics"]
    by_code = {d["code"]: d for d in diags}
    assert by_code["S001"]["message"] == "unknown key 'rehersed'"
    assert by_code["S001"]["hint"] == "did you mean 'rehearsed'?"
    assert by_code["S003"]["hint"] == "only the case is wrong: write 'behaviour-01'"


def test_staff_yaml_is_not_private_and_keeps_its_excerpts(programme: Path) -> None:
    (programme / "staff.yaml").write_text(
        (programme / "staff.yaml").read_text().replace("role: teacher", "role: Teacher", 1))
    res = invoke("validate", programme)
    assert res.exit_code == 1
    assert "role: Teacher" in res.stdout  # the source line, as before
    assert "only the case is wrong: write 'teacher'" in res.stdout


def test_no_cache_document_holds_free_text(planted: Path) -> None:
    """What reports cache (qa's gaps, the report's and stats' tallies) holds counts and ids
    only."""
    commands: tuple[list[str | Path], ...] = (["report", planted, "-o", "-"], ["qa", planted],
                                              ["stats", planted, "--by", "coach"])
    for args in commands:
        assert invoke(*args, "--today", TODAY).exit_code in (0, 1)
    documents = sorted((planted / ".coachctl-cache").glob("*.msgpack"))
    assert {"report.msgpack", "qa.msgpack", "stats-by-coach.msgpack"} <= {
        d.name for d in documents}
    for doc in documents:
        assert MARKER.encode() not in doc.read_bytes(), doc.name


def test_sealed_notes_leak_neither_text_nor_ciphertext(tmp_path: Path) -> None:
    """With sealing on: sealing, resealing and every report print no free text and no
    ciphertext, and the cache holds neither (a sealed block is treated as private)."""
    from tests.sealing import give_keys, switch_on, texts

    root = tmp_path / "school"
    copy_example("ashby-vale-school", root)
    plant(root)
    ids = give_keys(root, tmp_path / "keys")
    switch_on(root)
    lead = ids[yaml.safe_load((root / "programme.yaml").read_text())["lead_coach"]]
    secret = ("AGE ENCRYPTED", "YWdlLWVuY3J5cHRpb24")  # armor, and base64 of age's header
    seal_run = invoke("note", "seal", *texts(root))
    assert seal_run.exit_code == 0, seal_run.stderr
    assert not any(MARKER in p.read_text() for p in texts(root))
    commands: list[list[str | Path]] = [*runs(root), ["reseal", root, "--identity", lead,
                                                      "--dry-run"],
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
