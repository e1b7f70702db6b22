"""What a programme folder can hold besides plain files, and inputs that once crashed the reader.

Symbolic links out of the programme are never followed or printed, folders that are links
are reported, a pipe or device named like a file is reported without being opened, a folder
that cannot be listed is a located problem; a huge number is one file's problem, not a crash
of the whole run. And, property-based: any bytes, any mutation of a valid file, give located
diagnostics and never an exception.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pydantic import ValidationError

from coachctl import layout, reading
from coachctl.reading import read_one
from coachctl.yamlsafe import parse_bytes
from tests.conftest import invoke
from tests.test_codes import NOTE_PATH, base

SECRET = "root:x:0:0:SECRET-OUTSIDE"


def _codes(root: Path) -> list[tuple[str, str]]:
    res = invoke("validate", root, "--format", "json")
    return [(d["code"], d["path"][len(root.as_posix()) + 1:])
            for d in res.json()["diagnostics"]]


def _all_formats(root: Path) -> str:
    out = []
    for fmt in ("text", "concise", "json", "github"):
        res = invoke("validate", root, "--format", fmt)
        assert res.exit_code == 1
        out.append(res.stdout + res.stderr)
    return "\n".join(out)


@pytest.mark.parametrize("rel", ["cycles/cycle-09.yaml", NOTE_PATH, "staff.yaml",
                                 "qa/2026-09-24-lead.yaml"])
def test_a_link_out_of_the_programme_is_reported_not_followed(programme: Path,
                                                               tmp_path: Path, rel: str) -> None:
    root = base(programme)
    outside = tmp_path / "passwd"
    outside.write_text(f"{SECRET}\nnumber: 1\n")
    target = root / rel
    target.parent.mkdir(parents=True, exist_ok=True)
    target.unlink(missing_ok=True)
    target.symlink_to(outside)
    assert ("P004", rel) in _codes(root)
    out = _all_formats(root)
    assert "SECRET-OUTSIDE" not in out and str(outside) not in out


def test_a_link_to_a_folder_outside_is_reported(programme: Path, tmp_path: Path) -> None:
    root = base(programme)
    (tmp_path / "elsewhere").mkdir()
    (tmp_path / "elsewhere" / "a--b.yaml").write_text(f"coach: {SECRET}\n")
    (root / "notes/cycle-03").symlink_to(tmp_path / "elsewhere")
    assert ("P004", "notes/cycle-03") in _codes(root)
    assert "SECRET-OUTSIDE" not in _all_formats(root)


def test_a_folder_that_is_a_link_inside_is_reported_not_skipped(programme: Path) -> None:
    root = base(programme)
    (root / "notes/cycle-02").symlink_to(root / "notes/cycle-01")
    codes = _codes(root)
    assert ("P005", "notes/cycle-02") in codes
    assert not [c for c in codes if c[1].startswith("notes/cycle-02/")]  # not read through


def test_a_link_to_a_file_inside_is_read_but_never_excerpted(programme: Path) -> None:
    root = base(programme)
    (root / "cycles/cycle-01.yaml").write_text("number: 1\nstart: 2026-09-07\nend: 2026-09-25\n"
                                              "status: opne\n")
    (root / "cycles/cycle-02.yaml").symlink_to(root / "cycles/cycle-01.yaml")
    res = invoke("validate", root)
    assert res.stdout.count("S003") == 2
    assert res.stdout.count("status: opne") == 1  # the real file's line, not the link's


@pytest.mark.parametrize("rel", [NOTE_PATH, "cycles/cycle-02.yaml", "staff.yaml",
                                 "notes/cycle-01/stray.yml"])
def test_a_fifo_is_reported_not_read(programme: Path, rel: str) -> None:
    """Reading a named pipe would hang for ever; run in a subprocess with a timeout."""
    root = base(programme)
    (root / rel).unlink(missing_ok=True)
    os.mkfifo(root / rel)
    for args in (["validate", "--format", "json", str(root)], ["validate", "--no-cache", str(root)],
                 ["note", "check", str(root / NOTE_PATH)]):
        res = subprocess.run([sys.executable, "-m", "coachctl", *args], capture_output=True,
                             text=True, timeout=60)
        assert "Traceback" not in res.stderr
        if args[0] == "validate":
            assert res.returncode == 1 and "P006" in res.stdout, res.stdout
        elif rel == NOTE_PATH:  # naming the pipe itself: refused as a usage error
            assert res.returncode == 2 and "not a regular file" in res.stderr
        else:  # checking a note beside a pipe: it did not hang, and the note is fine
            assert res.returncode == 0, res.stdout


def test_a_socket_is_reported_not_read(programme: Path) -> None:
    import socket

    root = base(programme)
    path = root / "notes/cycle-01/sock.yaml"
    with socket.socket(socket.AF_UNIX) as s:
        s.bind(str(path))
        assert ("P006", "notes/cycle-01/sock.yaml") in _codes(root)


def test_an_unreadable_notes_folder_is_located(programme: Path,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    """Tests run as root, where mode 000 does not stop a read: refuse the listing instead."""
    root = base(programme)
    folder = str(root / "notes/cycle-01")
    real = os.scandir

    def scandir(path: str = ".") -> object:
        if os.fspath(path) == folder:
            raise PermissionError(13, "Permission denied", folder)
        return real(path)

    monkeypatch.setattr("coachctl.files.os.scandir", scandir)
    for fmt in ("text", "json"):
        res = invoke("validate", root, "--format", fmt, "--no-cache")
        assert res.exit_code == 1
        assert "Traceback" not in res.stdout + res.stderr
    diags = invoke("validate", root, "--format", "json", "--no-cache").json()["diagnostics"]
    found = [d for d in diags if d["code"] == "Y011"]
    assert found and found[0]["path"].endswith("notes/cycle-01")
    assert "Permission denied" in found[0]["message"]


def test_mode_000_folder_as_nobody() -> None:
    """As root, drop to the unprivileged user in a forked child, where mode 000 does stop
    a read, and check the programme there through the library (all of it imported first)."""
    import json
    import shutil
    import tempfile

    from coachctl import privacy, yamlsafe  # noqa: F401 - imported before dropping privileges
    from coachctl.validation import check_programme
    from tests.conftest import write_programme

    if os.geteuid() != 0 or not hasattr(os, "fork"):
        pytest.skip("needs root, to become nobody; see test_mode_000_folder_when_not_root")
    top = Path(tempfile.mkdtemp())
    try:
        root = base(write_programme(top / "prog"))
        for path in [top, *top.rglob("*")]:
            path.chmod(0o755 if path.is_dir() else 0o644)
        (root / "notes/cycle-01").chmod(0)
        check_programme(root, cache=False)  # warm every lazy import in this process
        read, write = os.pipe()
        pid = os.fork()
        if pid == 0:  # pragma: no cover - the child
            try:
                os.setgid(65534)
                os.setuid(65534)
                found = check_programme(root, cache=False).diagnostics
                os.write(write, json.dumps([[d.code, d.path, d.message] for d in found])
                         .encode())
            except BaseException as e:
                os.write(write, json.dumps(repr(e)).encode())
            finally:
                os._exit(0)
        os.close(write)
        with os.fdopen(read) as f:
            answer = json.loads(f.read())
        os.waitpid(pid, 0)
    finally:
        (top / "prog/notes/cycle-01").chmod(0o755)
        shutil.rmtree(top)
    assert isinstance(answer, list), answer  # not an exception
    assert ["Y011", "notes/cycle-01", "cannot list the folder: Permission denied"] in [
        [c, p[len(str(root)) + 1:], m] for c, p, m in answer], answer


def test_mode_000_folder_when_not_root(programme: Path) -> None:
    if os.geteuid() == 0:
        pytest.skip("root reads a mode-000 folder; the monkeypatched test above covers it")
    root = base(programme)
    folder = root / "notes/cycle-01"
    folder.chmod(0)
    try:
        res = invoke("validate", root, "--format", "json")
    finally:
        folder.chmod(0o755)
    assert res.exit_code == 1
    assert "Y011" in {d["code"] for d in res.json()["diagnostics"]}


# --- numbers too long to print --------------------------------------------------------

HUGE = "9" * 5000


@pytest.mark.parametrize("rel,old,new", [
    (NOTE_PATH, "cycle: 1", f"cycle: {HUGE}"),
    (NOTE_PATH, "coach: teacher-a", f"coach: {HUGE}"),
    (NOTE_PATH, "status: complete", f"status: complete\n{HUGE}: 1"),
    (NOTE_PATH, "status: complete", "status: complete\nnotes: 0x" + "f" * 5000),
    ("programme.yaml", "format: 1", f"format: {HUGE}"),
    ("staff.yaml", "staff:", f"staff:\n- {HUGE}"),
    ("cycles/cycle-01.yaml", "number: 1", f"number: -{HUGE}"),
])
def test_a_huge_number_is_one_files_problem(programme: Path, rel: str, old: str,
                                            new: str) -> None:
    root = base(programme)
    path = root / rel
    text = path.read_text()
    assert old in text
    path.write_text(text.replace(old, new, 1))
    res = invoke("validate", root, "--format", "json")
    assert res.exit_code == 1
    diags = res.json()["diagnostics"]
    mine = [d for d in diags if d["path"].endswith(rel)]
    # located, but for Y014: the count of the files that depend on a broken one
    assert mine and all(d["line"] >= 1 for d in mine if d["code"] != "Y014")
    assert all(len(d["message"]) < 300 for d in diags)
    text_out = invoke("validate", root)
    assert text_out.exit_code == 1 and "Traceback" not in text_out.stderr


def test_a_huge_number_in_a_note_does_not_stop_note_check(programme: Path) -> None:
    root = base(programme)
    (root / NOTE_PATH).write_text((root / NOTE_PATH).read_text().replace("cycle: 1",
                                                                         f"cycle: {HUGE}"))
    res = invoke("note", "check", root / NOTE_PATH)
    assert res.exit_code == 1 and "S003" in res.stdout


# --- property-based: never an exception, always located within the file ----------------

VALID_NOTE = (b"coach: teacher-a\ncoachee: teacher-b\ncycle: 1\nstatus: complete\n"
              b"date: 2026-09-17\nobservation: lesson\nprecise_praise: 'Calm: quiet'\n"
              b"action_step: ab-01\nmodelled: true\nrehearsed: false\n"
              b"next_steps: >\n  Count down\n  from five\nnotes: [a, {b: c}, &x d, *x]\n")
YAML_BITS = [b":", b" ", b"\n", b"- ", b"[", b"]", b"{", b"}", b",", b"#", b"&a", b"*a",
             b"!x ", b"!!int ", b"? ", b"|", b">", b"'", b'"', b"\t", b"---\n", b"...",
             b"<<: ", b"%YAML 1.1\n", b"9" * 30, b"0x", b"2026-02-30", b"yes", b"~",
             b"\xef\xbb\xbf", b"\xff", b"\x00", b"\r\n", b"\\", b"@", b"`", b"\xe2\x80\xa8"]

mutations = st.lists(st.tuples(st.integers(0, len(VALID_NOTE)), st.integers(0, 8),
                               st.sampled_from(YAML_BITS)), min_size=1, max_size=6)


def _mutate(data: bytes, edits: list[tuple[int, int, bytes]]) -> bytes:
    for at, cut, bit in edits:
        at = min(at, len(data))
        data = data[:at] + bit + data[at + cut:]
    return data


def _check_located(data: bytes, diagnostics: list) -> None:  # type: ignore[type-arg]
    lines = len(re.findall(rb"\r\n|\r|\n", data)) + 2  # as an editor numbers them
    for d in diagnostics:
        assert d.line == 0 or 1 <= d.line <= lines, d
        assert d.line == 0 or d.col >= 1, d
        assert d.pointer is None, d
        assert len(d.message) < 400, d


PROPERTY = settings(max_examples=int(os.environ.get("COACHCTL_PROPERTY_EXAMPLES", "300")),
                    deadline=None, suppress_health_check=[HealthCheck.too_slow])
"""300 cases per property in the suite; set COACHCTL_PROPERTY_EXAMPLES for a longer run."""


@PROPERTY
@given(st.binary(max_size=400))
def test_any_bytes_parse_to_located_diagnostics(data: bytes) -> None:
    parsed = parse_bytes(data, "f.yaml")
    _check_located(data, parsed.diagnostics)
    assert parsed.value is None or isinstance(parsed.value, dict)


@pytest.mark.parametrize("brk", ["\x85", "\u2028", "\u2029"])
def test_lines_are_numbered_as_an_editor_numbers_them(brk: str) -> None:
    """YAML 1.1 counts NEL, LS and PS as line breaks; editors do not."""
    text = f"coach: a\nnotes: 'first{brk}second'\ncoachee: [b\n"
    parsed = parse_bytes(text.encode(), "f.yaml")
    assert [(d.code, d.line) for d in parsed.diagnostics] == [("Y001", 4)]
    parsed = parse_bytes(f"a: x{brk}  y\nb: 1\nb: 2\n".encode(), "f.yaml")
    assert [(d.code, d.line, d.col) for d in parsed.diagnostics] == [("Y003", 3, 1)]
    assert parsed.diagnostics[0].hint == "'b' is first defined at line 2"
    assert parsed.span(("b",)) == (2, 4, 2, 5)


@PROPERTY
@given(mutations)
def test_mutated_note_parses_to_located_diagnostics(edits: list[tuple[int, int, bytes]]) -> None:
    data = _mutate(VALID_NOTE, edits)
    parsed = parse_bytes(data, "f.yaml")
    _check_located(data, parsed.diagnostics)


@PROPERTY
@given(mutations, st.sampled_from([*sorted(layout.SINGLETONS), "cycles", "notes", "qa", None]))
def test_mutated_file_of_any_kind_reads_to_located_diagnostics(
        edits: list[tuple[int, int, bytes]], kind: str | None) -> None:
    data = _mutate(VALID_NOTE, edits)
    _, diagnostics = read_one(kind, data, "f.yaml")
    _check_located(data, diagnostics)
    if kind in ("notes", "qa", None):
        for d in diagnostics:  # nothing but field names and ids from a possibly private file
            assert "Count down" not in d.message + (d.hint or "")
            assert "Calm" not in d.message + (d.hint or "")


@PROPERTY
@given(mutations)
def test_the_streamed_fast_path_agrees_with_the_composed_one(
        edits: list[tuple[int, int, bytes]]) -> None:
    """Big files are built from parser events: the same value, or None (read carefully)."""
    from coachctl import yamlsafe

    data = _mutate(VALID_NOTE.replace(b"notes: [a, {b: c}, &x d, *x]", b"notes: [a, {b: c}]"),
                   edits)
    composed = yamlsafe.plain_value(data)
    try:
        text = data.decode("utf-8").removeprefix("\ufeff")
    except UnicodeDecodeError:
        return
    streamed = yamlsafe._streamed(text) if b"\t" not in data else None
    if streamed is not None:
        assert streamed == composed
        assert not parse_bytes(data, "f.yaml").diagnostics


def test_a_big_staff_file_takes_the_streamed_path(programme: Path,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    from coachctl import yamlsafe

    monkeypatch.setattr(yamlsafe, "STREAM_BYTES", 0)
    calls: list[int] = []
    real = yamlsafe._streamed
    def counted(text: str) -> Any:
        calls.append(1)
        return real(text)

    monkeypatch.setattr(yamlsafe, "_streamed", counted)
    root = base(programme)
    res = invoke("validate", root, "--no-cache", "--strict")
    assert res.exit_code == 0, res.stdout
    assert calls


def test_mutated_programmes_through_validate(programme: Path) -> None:
    """Whole runs: mutated files in place, validate in-process, exit 1 or 0, no raise, every
    diagnostic (the cross-file ones located afterwards too) within its file."""
    import random

    root = base(programme)
    rng = random.Random(7)
    files = [p for p in root.rglob("*.yaml") if ".coachctl-cache" not in p.parts]
    originals = {p: p.read_bytes() for p in files}
    for _ in range(int(os.environ.get("COACHCTL_PROPERTY_EXAMPLES", "300")) // 12):
        for p, data in originals.items():
            p.write_bytes(data)
        for p in rng.sample(files, 2):
            edits = [(rng.randrange(len(originals[p]) + 1), rng.randrange(6),
                      rng.choice(YAML_BITS)) for _ in range(rng.randrange(1, 5))]
            p.write_bytes(_mutate(originals[p], edits))
        for fmt in ("text", "json"):
            res = invoke("validate", root, "--format", fmt)
            assert res.exit_code in (0, 1), res.stderr
        for d in res.json()["diagnostics"]:  # located within the file, 1-based, or whole-file
            path = Path(d["path"])
            if d["line"] is None or not path.is_file():
                continue
            lines = len(re.findall(rb"\r\n|\r|\n", path.read_bytes())) + 1
            assert 1 <= d["line"] <= lines and d["column"] >= 1, d


# --- big files are located by streaming: the same answer as the careful path ------------

STAFF_EDITS = [b"role: Teacher", b"joined: soon", b"colour: red", b"mentor: Nobody here",
               b"coach: maybe", b"- 7", b"name: ''", b"id: X y"]


@PROPERTY
@given(st.lists(st.tuples(st.integers(0, 2_000), st.integers(0, 12),
                          st.sampled_from([b"\n  " + e for e in STAFF_EDITS] + YAML_BITS)),
                min_size=1, max_size=4))
def test_streamed_locations_agree_with_the_careful_path(
        edits: list[tuple[int, int, bytes]]) -> None:
    from coachctl import yamlsafe
    from coachctl.scaffold import initial_files

    data = _mutate(initial_files("T", 2026)["staff.yaml"].encode(), edits)
    careful = read_one("staff.yaml", data, "staff.yaml")[1]
    value = yamlsafe.plain_value(data)
    if value is not None:
        try:
            layout.model_for("staff.yaml").model_validate(value)
        except ValidationError as exc:
            old = yamlsafe.STREAM_BYTES
            yamlsafe.STREAM_BYTES = 0
            try:
                _, streamed = reading._read_big("staff.yaml", data, "staff.yaml", value, exc)
            finally:
                yamlsafe.STREAM_BYTES = old
            assert streamed == careful
    full = parse_bytes(data, "staff.yaml")
    if full.value is not None:
        wanted = set(list(full.values)[::3])
        spans = yamlsafe.spans_of(data, wanted)
        if spans is not None:
            assert spans.values == {p: full.values[p] for p in wanted}
            assert spans.keys == {p: s for p, s in full.keys.items() if p in wanted}


def test_a_big_staff_file_with_errors_is_located_as_a_small_one(
        programme: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from coachctl import yamlsafe

    root = base(programme)
    staff = root / "staff.yaml"
    staff.write_text(staff.read_text().replace("role: teacher", "role: Teacher")
                     .replace("mentor: teacher-a", "mentor: teacher-z"))
    small = invoke("validate", root, "--no-cache", "--format", "json").json()["diagnostics"]
    assert {d["code"] for d in small} >= {"S003"}
    monkeypatch.setattr(yamlsafe, "STREAM_BYTES", 0)
    real = yamlsafe.parse_bytes

    def careful(data: bytes, path: str) -> yamlsafe.Parsed:
        assert not path.endswith("staff.yaml"), "staff.yaml was read the careful way"
        return real(data, path)

    monkeypatch.setattr(yamlsafe, "parse_bytes", careful)
    assert invoke("validate", root, "--no-cache", "--format", "json").json()["diagnostics"] == small


def test_a_huge_number_in_one_school_leaves_the_trust_checked(tmp_path: Path) -> None:
    from tests.conftest import write_programme

    good = base(write_programme(tmp_path / "trust" / "a"))
    bad = base(write_programme(tmp_path / "trust" / "b"))
    (bad / NOTE_PATH).write_text((bad / NOTE_PATH).read_text().replace("cycle: 1",
                                                                       f"cycle: {HUGE}"))
    res = invoke("validate", tmp_path / "trust", "--format", "json")
    assert res.exit_code == 1
    doc = res.json()
    assert {d["path"] for d in doc["diagnostics"]} == {(bad / NOTE_PATH).as_posix()}
    assert doc["summary"]["files_checked"] == 2 * len(list(good.rglob("*.yaml")))


def test_a_programme_behind_a_link_in_a_trust_is_reported_not_followed(tmp_path: Path) -> None:
    from tests.conftest import write_programme

    base(write_programme(tmp_path / "trust" / "a"))
    elsewhere = base(write_programme(tmp_path / "elsewhere" / "b"))
    (elsewhere / NOTE_PATH).write_text("coach: [broken\n")
    (tmp_path / "trust" / "b").symlink_to(elsewhere)
    res = invoke("validate", tmp_path / "trust")
    assert res.exit_code == 0, res.stdout  # b is not read
    assert "trust/b is a symbolic link to a programme; not followed" in res.stderr
