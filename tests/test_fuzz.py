"""Property-based: mutated programmes through every command, in-process.

Starts from a small generated programme with a privacy marker planted in every
free-text field of every note and QA record, then lets hypothesis mutate it
(bytes, deleted and duplicated lines and keys, values of the wrong type, dates
at the ends of the calendar, tabs, tags, aliases, multi-line names, files
deleted, emptied or turned into folders, a notes folder turned into a file) and
runs commands on the result through their Typer apps (CliRunner). For every
command: no exception escapes, the exit code is 0, 1 or 2, no output carries the
marker (except `note check`, which shows a file's lines to the person who named
it), and no file under .coachctl-cache/ carries it.

The suite runs a short, derandomised profile (well under a minute). A longer
campaign: ``COACHCTL_FUZZ=long`` (``COACHCTL_FUZZ_EXAMPLES``, default 3000),
which records what it finds in ``COACHCTL_FUZZ_REPORT`` (a JSON file) instead
of stopping at the first failure. docs/reliability.md has what it found.

Mutations aimed at the reader's defences (integers over 4,300 digits, typed
tags, symlinks out of the programme, prose read as keys or tags) are separate
properties, so a failure names the class it belongs to.
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
import traceback
from collections import Counter
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from coachctl.cli import load_app
from tests.conftest import invoke
from tests.test_privacy import MARKER, plant

TODAY = "2026-11-23"
LONG = os.environ.get("COACHCTL_FUZZ") == "long"
REPORT = os.environ.get("COACHCTL_FUZZ_REPORT")

COMMON = dict(deadline=None, database=None, suppress_health_check=list(HealthCheck))
SUITE = settings(max_examples=50, derandomize=True, **COMMON)  # type: ignore[arg-type]
EXAMPLES = int(os.environ.get("COACHCTL_FUZZ_EXAMPLES", "3000"))
LONG_RUN = settings(max_examples=EXAMPLES, **COMMON)  # type: ignore[arg-type]
PROFILE = LONG_RUN if LONG else SUITE


# --- the programme -----------------------------------------------------------------------

@pytest.fixture(scope="module")
def base(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("fuzz") / "school"
    res = invoke("generate", "programme", root, "--staff", "12", "--model", "hubs",
                 "--today", TODAY)
    assert res.exit_code == 0, res.stderr
    assert plant(root) > 100
    assert invoke("validate", root).exit_code == 0
    shutil.rmtree(root / ".coachctl-cache", ignore_errors=True)
    return root


def targets(root: Path) -> list[str]:
    """Files worth mutating: every kind of file, a few of each of the many."""
    notes = sorted(p.relative_to(root).as_posix() for p in root.glob("notes/*/*.yaml"))
    qa = sorted(p.relative_to(root).as_posix() for p in root.glob("qa/*.yaml"))
    cycles = sorted(p.relative_to(root).as_posix() for p in root.glob("cycles/*.yaml"))
    steps = sorted(p.relative_to(root).as_posix() for p in root.glob("steps/*.yaml"))
    return ["programme.yaml", "staff.yaml", "pairings.yaml", *steps, *cycles,
            *notes[:3], *notes[-3:], *qa[:2]]


# --- mutations ------------------------------------------------------------------------------

BYTES = [b"\x00", b"\t", b":", b"-", b"\n", b"'", b'"', b"{", b"[", b"]", b"&", b"*", b"!",
         b"\xff", b"\xc3", b"#", b" ", b"\r", b"|", b">", b"%", b"@", b"?", b",", b"\x1b"]
VALUES = ["[]", "{}", "null", "~", "true", "no", "0", "-1", "3.5", "1e309", ".nan", "''",
          "14:00", "'2026-09-07'", "2026-02-30", "9999-12-31", "0001-01-01", "2207-07-21",
          "2999-12-31", "1900-01-01", "99", "100", "[a, b]", "{a: 1}", "x" * 300,
          "9" * 40, "yes but no", "'**'", "../../etc/passwd", "\"a\\nb\""]
TAGS = ["!!python/object/apply:os.system [ls]", "!confidential", "!!str", "!!binary",
        "!!map", "!!seq", "!!null", "!custom:x"]
TYPED_TAGS = ["!!int", "!!float", "!!timestamp", "!!bool"]
"""A standard tag forcing a type on a value of another (``!!int abc``)."""
NAMES = [">\n  Oak\n  field\n\n  School", "|\n  two\n  lines\n", '"tab\\there\\u001b[31m"',
         '"=HYPERLINK(\\"x\\")"', '"\\r\\n"']


def _lines(data: bytes) -> list[bytes]:
    return data.split(b"\n")


def _value_line(lines: list[bytes], i: int) -> int | None:
    """The first line at or after i (wrapping) that holds `key: value`."""
    for k in range(len(lines)):
        j = (i + k) % len(lines)
        if b": " in lines[j] and not lines[j].lstrip().startswith(b"#"):
            return j
    return None


def mutate(data: st.DataObject, root: Path, rel: str, kind: str) -> str:
    """Apply one mutation of ``kind`` to ``rel``; return a short description."""
    path = root / rel
    if (not path.is_file() and kind not in ("folder-to-file", "symlink")) or \
            not path.parent.is_dir():
        return f"{kind}: {rel} is no longer a file"  # an earlier mutation took it away
    raw = path.read_bytes() if path.is_file() else b""
    lines = _lines(raw) or [b""]
    i = data.draw(st.integers(0, max(len(lines) - 1, 0)), label="line")
    if kind == "bytes":
        for _ in range(data.draw(st.integers(1, 4), label="n")):
            at = data.draw(st.integers(0, len(raw)), label="at")
            b = data.draw(st.sampled_from(BYTES), label="byte")
            op = data.draw(st.sampled_from(["insert", "replace", "delete"]), label="op")
            raw = raw[:at] + (b if op != "delete" else b"") + raw[at + (op != "insert"):]
        path.write_bytes(raw)
    elif kind in ("delete-line", "duplicate-line", "tab"):
        if kind == "delete-line":
            del lines[i]
        elif kind == "duplicate-line":
            lines.insert(i, lines[i])
        else:
            lines[i] = b"\t" + lines[i]
        path.write_bytes(b"\n".join(lines))
    elif kind in ("value", "tag", "typed-tag", "name", "alias"):
        j = _value_line(lines, i)
        if j is None:
            return f"{kind}: no value in {rel}"
        key, _, value = lines[j].partition(b": ")
        if kind == "value":
            new = data.draw(st.sampled_from(VALUES), label="value").encode()
        elif kind in ("tag", "typed-tag"):
            new = data.draw(st.sampled_from(TAGS if kind == "tag" else TYPED_TAGS),
                            label="tag").encode() + b" " + value
        elif kind == "name":
            new = data.draw(st.sampled_from(NAMES), label="name").encode()
            new = new.replace(b"\n  ", b"\n" + b" " * (len(key) - len(key.lstrip()) + 2))
        else:
            new = data.draw(st.sampled_from([b"&a " + value, b"*a", b"*undefined"]),
                            label="alias")
        lines[j] = key + b": " + new
        path.write_bytes(b"\n".join(lines))
    elif kind == "delete-file":
        if path.is_file():
            path.unlink()
    elif kind == "empty":
        path.write_bytes(b"")
    elif kind == "file-to-folder":
        if path.is_file():
            path.unlink()
        path.mkdir(exist_ok=True)
    elif kind == "folder-to-file":
        folder = path.parent
        if folder != root and folder.is_dir():
            shutil.rmtree(folder)
            folder.write_bytes(b"coach: x\n")
    elif kind in PROSE and not rel.startswith(("notes/", "qa/")):
        return f"{kind}: {rel} is not a note or QA record"  # free text elsewhere is not private
    elif kind == "misplaced-note":
        to = data.draw(st.sampled_from(["cycles", "qa", "steps", "."]), label="to")
        (root / to / path.name).write_bytes(raw)
        path.unlink()
    elif kind == "prose":
        prose = data.draw(st.sampled_from([
            f"{MARKER} next time ask about it", f"{MARKER} prose: more", f"? {MARKER}",
            f"modelled: yes but {MARKER}", f"!confidential {MARKER}", f"- {MARKER}",
            f"  {MARKER} continued"]), label="prose")
        lines.insert(i, prose.encode())
        path.write_bytes(b"\n".join(lines))
    elif kind == "huge-int":
        j = _value_line(lines, i)
        if j is not None:
            key, _, _ = lines[j].partition(b": ")
            lines[j] = key + b": " + b"9" * data.draw(st.integers(4301, 20000), label="digits")
            path.write_bytes(b"\n".join(lines))
    elif kind == "symlink":
        outside = root.parent / "outside.yaml"
        outside.write_text(f"root:x:0:0:{MARKER} outside the programme\n")
        if path.is_symlink() or path.is_file():
            path.unlink()
        elif path.is_dir():
            shutil.rmtree(path)
        path.symlink_to(data.draw(st.sampled_from([outside, root.parent, Path("/dev/null")]),
                                  label="link"))
    return f"{kind} {rel}"


MINE = ["bytes", "delete-line", "duplicate-line", "tab", "value", "tag", "name", "alias",
        "delete-file", "empty", "file-to-folder", "folder-to-file"]
THEIRS = ["huge-int", "symlink", "typed-tag"]
"""Mutations whose defects are in the reader, issue 10 items 3 and 5 (engineer h4's work):
integers over 4,300 digits and typed tags both raise from ``yamlsafe.scalar``."""


# --- commands ---------------------------------------------------------------------------------

def commands(root: Path) -> list[list[str]]:
    note = sorted(root.glob("notes/*/*.yaml"))[-1] if list(root.glob("notes/*/*.yaml")) \
        else root / "notes/cycle-04/x--y.yaml"
    r, n = str(root), str(note)
    out = []
    for fmt in ("text", "concise", "json", "github", "md"):
        out.append(["validate", "--format", fmt, r])
        out.append(["qa", r, "--format", fmt, "--today", TODAY])
    out.append(["qa", r, "--format", "csv", "--today", TODAY])
    for fmt in ("table", "json", "csv"):
        out.append(["stats", r, "--format", fmt, "--today", TODAY])
        out.append(["cycle", "status", r, "--format", fmt, "--today", TODAY])
    out.append(["stats", r, "--format", "md", "--by", "coach", "--today", TODAY])
    out.append(["staff", "show", "aallen", r, "--format", "csv", "--today", TODAY])
    for fmt in ("table", "json", "csv", "ics"):
        out.append(["schedule", r, "--format", fmt])
    out.append(["schedule", r, "--today", TODAY])  # the next Teach Meet's focus
    out += [["stats", r, "--by", "hub", "--today", TODAY],
            ["staff", "show", "aallen", r, "--today", TODAY],
            ["staff", "show", "aallen", r, "--format", "json", "--today", TODAY],
            ["cycle", "start", r, "--today", TODAY, "--dry-run"],
            ["qa-plan", r, "--today", TODAY, "--dry-run"],
            ["qa-plan", r, "--today", TODAY],
            ["cycle", "start", r, "--today", "2026-12-14"],
            ["cycle", "close", r, "--today", TODAY],
            ["note", "new", r, "--coach", "aallen", "--coachee", "cevans", "--today", TODAY],
            ["note", "new", r, "--coach", "aallen", "--coachee", "cevans", "--drop-in",
             "--today", TODAY],
            ["note", "check", n],
            ["note", "check", "--format", "json", n],
            ["schedule", r, "--format", "ics", "-o", str(root / "out.ics")]]
    return out


def run(argv: list[str]) -> tuple[int, str, BaseException | None]:
    res = CliRunner().invoke(load_app(argv[0]), argv[1:], prog_name=f"coachctl {argv[0]}")
    exc = res.exception if not isinstance(res.exception, SystemExit) else None
    return res.exit_code, res.stdout + res.stderr, exc


def cache_leaks(root: Path) -> list[str]:
    folder = root / ".coachctl-cache"
    return [p.name for p in folder.rglob("*") if p.is_file()
            and MARKER.encode() in p.read_bytes()] if folder.is_dir() else []


# --- the properties -----------------------------------------------------------------------------

FOUND: Counter[str] = Counter()
TRIED: Counter[str] = Counter()
FIRST: dict[str, str] = {}
CASES: Counter[str] = Counter()


def check(base: Path, data: st.DataObject, kinds: list[str]) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp) / "school"
        shutil.copytree(base, root, symlinks=True)
        done = [mutate(data, root, data.draw(st.sampled_from(targets(base)), label="file"),
                       data.draw(st.sampled_from(kinds), label="kind"))
                for _ in range(data.draw(st.integers(1, 3), label="mutations"))]
        everything = commands(root)
        chosen = data.draw(st.lists(st.sampled_from(range(len(everything))), min_size=1,
                                    max_size=4 if not LONG else 8, unique=True),
                           label="commands")
        problems = []
        for argv in (everything[k] for k in chosen):
            code, out, exc = run(argv)
            TRIED[" ".join(argv[:2])] += 1
            where = f"{' '.join(a for a in argv if not a.startswith(tmp))} after {done}"
            if exc is not None:
                frame = traceback.extract_tb(exc.__traceback__)[-1]
                problems.append(f"exception {type(exc).__name__} at "
                                f"{Path(frame.filename).name}:{frame.lineno} in {where}")
            elif code not in (0, 1, 2):
                problems.append(f"exit {code} in {where}")
            if MARKER in out and argv[:2] != ["note", "check"]:
                problems.append(f"marker in output of {where}")
        if leaks := cache_leaks(root):
            problems.append(f"marker in cache {leaks} after {done}")
    if LONG and REPORT:
        for p in problems:
            key = p.split(" in ")[0] + " in " + p.split(" in ")[1].split(" after ")[0]
            FOUND[key] += 1
            FIRST.setdefault(key, p)
        CASES[kinds[0]] += 1
        write_report()  # after every case: a campaign stopped early still says what it found
        return
    assert not problems, problems

PROSE = ["misplaced-note", "prose"]
"""Free text where the reader does not expect it: a note in the wrong folder, prose read as
a key, a tag or a yes/no value (issue 10 item 2, engineer h4's work)."""


def write_report() -> None:
    assert REPORT
    Path(REPORT).write_text(json.dumps({"cases": CASES, "commands run": sum(TRIED.values()),
                                        "by command": TRIED, "found": FOUND, "first": FIRST},
                                       indent=1))


@PROFILE
@given(data=st.data())
def test_mutated_programmes_never_crash_or_leak(base: Path, data: st.DataObject) -> None:
    check(base, data, MINE)


@PROFILE
@given(data=st.data())
def test_huge_integers_typed_tags_and_symlinks(base: Path, data: st.DataObject) -> None:
    check(base, data, THEIRS)


@PROFILE
@given(data=st.data())
def test_prose_where_the_reader_does_not_expect_it(base: Path, data: st.DataObject) -> None:
    check(base, data, PROSE)
