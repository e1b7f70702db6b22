"""Names, departments, schools and file names reach no terminal or spreadsheet raw (issue 10, 6).

A programme whose people and school carry an escape sequence (retitle and clear
the terminal), a bidirectional override and spreadsheet formulas runs through
every command that prints them, in every text, table and CSV format: the
control characters come out escaped, rich markup is shown as typed, and no CSV
cell starts a formula. A file name holding a newline stays on one line of
`--format concise`.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest

from coachctl.render.safe import csv_cell, printable
from tests.conftest import invoke, write_files
from tests.test_qa import TODAY, base_files

ESCAPES = ("\x1b", "\x07", "\x9b", "\u202e")
NAME = "Evil\x1b]0;pwned\x07 Name\x1b[2J\u202e [link=http://x.example]click[/link]"
FORMULAS = {"teacher-a": '=HYPERLINK("http://x.example","y")', "teacher-b": "+1+cmd|'/c calc'!A0",
            "lead": "@SUM(1,2)"}
SCHOOL = "Test \x1b[31mSchool\x9b"


def _yaml_string(text: str) -> str:
    """A double-quoted YAML scalar holding ``text``, control characters as YAML escapes."""
    out = []
    for ch in text:
        if ch in '"\\':
            out.append("\\" + ch)
        elif ord(ch) < 0x20 or 0x7f <= ord(ch) <= 0x9f or ch == "\u202e":
            out.append(f"\\x{ord(ch):02x}" if ord(ch) < 0x100 else f"\\u{ord(ch):04x}")
        else:
            out.append(ch)
    return '"' + "".join(out) + '"'


@pytest.fixture(scope="module")
def hostile(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from tests.conftest import write_programme

    root = write_programme(tmp_path_factory.mktemp("safety") / "prog")
    write_files(root, base_files())
    staff = (root / "staff.yaml").read_text(encoding="utf-8")
    staff = staff.replace("name: Teacher A", f"name: {_yaml_string(NAME)}")
    for who, formula in FORMULAS.items():
        head, sep, rest = staff.partition(f"- id: {who}\n")
        before, dep, after = rest.partition("  department: ")
        staff = head + sep + before + dep + _yaml_string(formula) + after[after.index("\n"):]
    (root / "staff.yaml").write_text(staff, encoding="utf-8")
    settings = (root / "programme.yaml").read_text(encoding="utf-8")
    (root / "programme.yaml").write_text(
        settings.replace("school: Test School", f"school: {_yaml_string(SCHOOL)}"),
        encoding="utf-8")
    res = invoke("validate", root)
    assert res.exit_code == 0, res.stdout  # valid: the names are what someone typed
    return root


TEXT_RUNS = [
    ("stats", "{root}", "--by", "department"),
    ("stats", "{root}", "--by", "school"),
    ("stats", "{root}", "--by", "coach"),
    ("staff", "show", "teacher-a", "{root}"),
    ("staff", "show", "teacher-b", "{root}"),
    ("schedule", "{root}"),
    ("cycle", "status", "{root}", "--cycle", "3"),
    ("qa", "{root}"),
    ("qa", "{root}", "--format", "concise"),
    ("validate", "{root}"),
]
CSV_RUNS = [
    ("stats", "{root}", "--by", "department", "--format", "csv"),
    ("stats", "{root}", "--by", "school", "--format", "csv"),
    ("schedule", "{root}", "--format", "csv"),
    ("cycle", "status", "{root}", "--cycle", "3", "--format", "csv"),
]


def _run(args: tuple[str, ...], root: Path) -> str:
    argv = [a.format(root=root) for a in args]
    if argv[0] not in ("schedule", "validate"):
        argv += ["--today", TODAY]
    res = invoke(*argv)
    assert res.exit_code in (0, 1), (argv, res.stderr)
    return res.stdout + res.stderr


@pytest.mark.parametrize("args", TEXT_RUNS, ids=" ".join)
def test_text_output_escapes_control_characters(hostile: Path, args: tuple[str, ...]) -> None:
    out = _run(args, hostile)
    assert not any(ch in out for ch in ESCAPES), args
    if args[0] in ("staff", "stats", "schedule") and "coach" not in args:
        # what was typed is there to read, escaped, and markup is shown as text
        shown = printable(NAME) if args[:2] == ("staff", "show") and "teacher-a" in args \
            else printable(SCHOOL) if args[0] == "schedule" or "school" in args else None
        if shown:
            assert shown in out, args


@pytest.mark.parametrize("args", CSV_RUNS, ids=" ".join)
def test_csv_never_starts_a_formula(hostile: Path, args: tuple[str, ...]) -> None:
    out = _run(args, hostile)
    assert not any(ch in out for ch in ESCAPES), args
    cells = [c for row in csv.reader(io.StringIO(out)) for c in row]
    assert not [c for c in cells if c[:1] in ("=", "+", "-", "@", "\t", "\r")], args
    if args[2:4] == ("--by", "department"):
        assert "'" + FORMULAS["teacher-a"] in cells


def test_stats_table_shows_department_and_coach_names_escaped(hostile: Path) -> None:
    out = _run(("stats", "{root}", "--by", "department"), hostile)
    assert FORMULAS["teacher-b"] in out  # a table is no spreadsheet: shown as typed


def test_a_newline_in_a_file_name_keeps_concise_output_one_line_per_problem(
        tmp_path: Path) -> None:
    from tests.conftest import write_programme

    root = write_programme(tmp_path / "prog")
    (root / "qa").mkdir(exist_ok=True)
    bad = root / "qa" / "a\nb\x1b[2J.yaml"
    bad.write_text("kind: [\n", encoding="utf-8")
    for cmd in (("validate", root), ("note", "check", bad), ("qa", root, "--today", TODAY)):
        for fmt in ("concise", "text", "github"):
            res = invoke(*cmd, "--format", fmt)
            assert res.exit_code == 1
            assert "\x1b" not in res.stdout + res.stderr
            lines = [line for line in res.stdout.splitlines() if "Y001" in line]
            assert lines or cmd[0] == "qa", (cmd, fmt)  # qa reports validate's errors by count
            for line in lines:
                assert "a\\nb\\x1b[2J.yaml" in line or "a%0Ab\\x1b[2J.yaml" in line, line


@pytest.mark.parametrize(("value", "cell"), [
    ("=1+1", "'=1+1"), ("+44 20", "'+44 20"), ("-x", "'-x"), ("@A1", "'@A1"),
    ("\tx", "'\\tx"), ("\rx", "'\\rx"), ("plain", "plain"), (-3, -3), (0.5, 0.5),
    (True, "yes"), (False, "no"), (None, ""), ("a\x1bb", "a\\x1bb"),
])
def test_csv_cell(value: object, cell: object) -> None:
    assert csv_cell(value) == cell


def test_printable_keeps_ordinary_text() -> None:
    text = "Zoë D'Example-Person, Design & Technology (D&T) – 50% ✓ [x]"
    assert printable(text) == text
    assert printable("a\nb\tc\x00\x7f\u2066") == "a\\nb\\tc\\x00\\x7f\\u2066"
