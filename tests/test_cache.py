"""The load cache (.coachctl-cache/): every change to a programme is noticed, a broken cache is
ignored and rebuilt, and an unchanged programme is checked without reading a file."""

from __future__ import annotations

import os
import shutil
import time
from pathlib import Path
from typing import Any

import msgpack  # type: ignore[import-untyped]
import pytest

from coachctl import cache, cachecodec, codeprint, loader, reading
from coachctl.validation import check_programme
from tests.conftest import invoke, other_code

NOTE_PATH = "notes/cycle-01/teacher-a--teacher-b.yaml"
NOTE = """\
coach: teacher-a
coachee: teacher-b
cycle: 1
status: stub
date: 2026-09-17
observation: lesson
precise_praise: The countdown brought the room to silence.
modelled: true
rehearsed: true
"""
DAY_NS = 86_400 * 10**9


@pytest.fixture
def prog(programme: Path) -> Path:
    (programme / "cycles").mkdir()
    (programme / "cycles/cycle-01.yaml").write_text(
        "number: 1\nstart: 2026-09-07\nend: 2026-09-25\nstatus: open\n")
    (programme / NOTE_PATH).parent.mkdir(parents=True)
    (programme / NOTE_PATH).write_text(NOTE)
    return programme


def age(root: Path, days: int = 1) -> None:
    """Make every file look written long ago, so the cache may trust its stat alone."""
    when = time.time_ns() - days * DAY_NS
    for path in root.rglob("*.yaml"):
        if cache.DIR not in path.parts:
            os.utime(path, ns=(when, when))


def codes(root: Path, **kw: Any) -> list[tuple[str, str, int, int]]:
    checked = check_programme(root, "prog", **kw)
    return [(d.code, d.path, d.line, d.col) for d in checked.diagnostics]


def fresh(root: Path) -> list[tuple[str, str, int, int]]:
    return codes(root, cache=False)


def forbid_reading(monkeypatch: pytest.MonkeyPatch) -> None:
    """Fail the test if any file is read (parsed, or even hashed) from here on."""
    def boom(*args: object) -> None:
        raise AssertionError("a file was read")

    monkeypatch.setattr(reading, "read_chunk", boom)
    monkeypatch.setattr(cache.Store, "_confirm", boom)


def test_unchanged_programme_is_checked_without_reading_a_file(
        prog: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (prog / NOTE_PATH).write_text(NOTE.replace("2026-09-17", "2026-10-05"))
    age(prog)
    first = codes(prog)
    assert first == [("R007", f"prog/{NOTE_PATH}", 5, 7)]
    assert (prog / cache.DIR / cache.FILES).is_file()
    assert (prog / cache.DIR / cache.RESULT).is_file()
    forbid_reading(monkeypatch)
    assert codes(prog, data=False) == first
    checked = check_programme(prog, "prog")  # with the data too (stats, qa)
    assert [d.code for d in checked.diagnostics] == [c for c, *_ in first]
    assert [n.path for n in checked.programme.notes] == [NOTE_PATH]
    assert checked.programme.staff.keys() == {"lead", "teacher-a", "teacher-b"}


def test_changed_file_is_noticed(prog: Path) -> None:
    age(prog)
    assert codes(prog) == fresh(prog) == []
    (prog / NOTE_PATH).write_text(NOTE.replace("cycle: 1", "cycle: one"))
    after = codes(prog, data=False)
    assert after == fresh(prog)
    assert [c for c, *_ in after] == ["S003"]


def test_edit_in_the_same_clock_tick_with_the_same_size_is_noticed(prog: Path) -> None:
    note = prog / NOTE_PATH
    before = note.stat()
    assert codes(prog) == []
    note.write_text(NOTE.replace("teacher-b", "teacher-x"))  # same size
    os.utime(note, ns=(before.st_atime_ns, before.st_mtime_ns))  # and the same mtime
    assert note.stat().st_size == before.st_size
    assert "R001" in [c for c, *_ in codes(prog, data=False)]
    assert codes(prog) == fresh(prog)


def test_added_and_deleted_files_are_noticed(prog: Path) -> None:
    age(prog)
    assert codes(prog) == []
    extra = prog / "notes/cycle-01/teacher-b--teacher-a.yaml"
    extra.write_text(NOTE.replace("date: 2026-09-17", "date: 2027-01-05")
                     .replace("coach: teacher-a", "coach: teacher-b")
                     .replace("coachee: teacher-b", "coachee: teacher-a"))
    added = codes(prog, data=False)
    assert "R007" in [c for c, *_ in added] and added == fresh(prog)
    extra.unlink()
    (prog / "staff.yaml").unlink()
    deleted = codes(prog, data=False)
    assert ("P001", "prog/staff.yaml", 0, 0) in deleted and deleted == fresh(prog)
    assert codes(prog) == deleted


def test_corrupted_file_is_noticed(prog: Path) -> None:
    age(prog)
    assert codes(prog) == []
    (prog / NOTE_PATH).write_text("coach: teacher-a\ncoachee: [teacher-b\n")
    assert [c for c, *_ in codes(prog, data=False)] == ["Y001"]


@pytest.mark.parametrize("damage", ["truncated", "garbage", "empty", "foreign", "malformed"])
def test_damaged_cache_is_ignored_and_rebuilt(prog: Path, damage: str,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    (prog / NOTE_PATH).write_text(NOTE + "colour: red\n")
    age(prog)
    expected = codes(prog)
    for name in (cache.FILES, cache.RESULT):
        path = prog / cache.DIR / name
        raw = path.read_bytes()
        if damage == "truncated":
            path.write_bytes(raw[: len(raw) // 2])
        elif damage == "garbage":
            path.write_bytes(b"\xc1" + raw[1:])
        elif damage == "empty":
            path.write_bytes(b"")
        elif damage == "foreign":  # well-formed, from another coachctl
            path.write_bytes(_stored([["coachctl", "someone-else"], _doc(raw)[1]]))
        else:  # the right header and digest, nonsense inside
            header = _doc(raw)[0]
            body = ({rel: ["x", 1] for rel in _doc(raw)[1]} if name == cache.FILES
                    else [1, b"k", b"k", [["nonsense"]]])
            path.write_bytes(_stored([header, body]))
    assert codes(prog, data=False) == expected
    assert codes(prog) == expected
    forbid_reading(monkeypatch)  # rebuilt: the next run is a hit again
    assert codes(prog, data=False) == expected
    assert codes(prog) == expected


def _doc(raw: bytes) -> list:  # type: ignore[type-arg]
    """A cache document's content: after its digest."""
    return msgpack.unpackb(raw[cache.DIGEST_SIZE:])  # type: ignore[no-any-return]


def _stored(doc: object) -> bytes:
    packed: bytes = msgpack.packb(doc)
    return cache.digest(packed) + packed


def _qa(root: Path) -> str:
    res = invoke("qa", root, "--format", "json", "--today", "2026-12-01")
    assert res.exit_code in (0, 1), res.stderr
    return res.stdout


def test_a_flipped_bit_anywhere_in_any_cache_file_is_noticed_and_rebuilt(
        prog: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Without a digest, a flip inside a count or a date decodes fine and changes the answer.
    (Each run starts as a new process would, without the code's fingerprint in memory.)"""
    (prog / NOTE_PATH).write_text(NOTE + "colour: red\n")
    (prog / "qa").mkdir()
    (prog / "qa/obs-1.yaml").write_text("kind: observation\ncoach: teacher-a\nby: lead\n"
                                        "date: 2026-09-24\nmode: live\n")
    age(prog)
    expected, expected_qa = codes(prog), _qa(prog)
    names = sorted(p.name for p in (prog / cache.DIR).iterdir())
    assert {cache.FILES, cache.RESULT} < set(names) and len(names) >= 3  # and qa's document
    for name in names:
        path = prog / cache.DIR / name
        good = path.read_bytes()
        for at in sorted({0, 1, cache.DIGEST_SIZE, len(good) - 1,
                          *range(cache.DIGEST_SIZE, len(good), max(1, len(good) // 40))}):
            for bit in (0x01, 0x80):
                path.write_bytes(good[:at] + bytes([good[at] ^ bit]) + good[at + 1:])
                monkeypatch.setattr(cache, "_KNOWN", {})
                assert codes(prog, data=False) == expected, (name, at)
                assert _qa(prog) == expected_qa, (name, at)
                assert codes(prog) == expected, (name, at)
                assert (prog / cache.DIR / name).read_bytes()[:cache.DIGEST_SIZE] == \
                    cache.digest((prog / cache.DIR / name).read_bytes()[cache.DIGEST_SIZE:])


@pytest.mark.parametrize("shape", ["a file", "a dangling link", "a link elsewhere",
                                   "unwritable", "a pipe inside"])
def test_a_cache_that_cannot_be_used_is_never_a_failure(
        prog: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, shape: str) -> None:
    (prog / NOTE_PATH).write_text(NOTE + "colour: red\n")
    expected = invoke("validate", prog, "--no-cache", "--format", "json").json()["diagnostics"]
    folder = prog / cache.DIR
    elsewhere = tmp_path / "elsewhere"
    if shape == "a file":
        folder.write_text("not a folder\n")
    elif shape == "a dangling link":
        folder.symlink_to(tmp_path / "nowhere")
    elif shape == "a link elsewhere":
        elsewhere.mkdir()
        folder.symlink_to(elsewhere)
    elif shape == "a pipe inside":  # reading it would block for ever
        folder.mkdir()
        for name in (cache.FILES, cache.RESULT, cache.CODE):
            os.mkfifo(folder / name)
        monkeypatch.setattr(cache, "_KNOWN", {})  # as a new process: code.msgpack is read
    else:  # tests run as root, where mode bits do not stop a write: refuse it here instead
        def refuse(*args: object, **kwargs: object) -> None:
            raise PermissionError(13, "Permission denied")

        monkeypatch.setattr("tempfile.mkstemp", refuse)  # the cache writes through it
    for _ in range(2):
        for command in (["validate"], ["qa", "--today", "2026-12-01"]):
            res = invoke(*command, prog, "--format", "json")
            assert res.exit_code == 1, res.stderr
            assert "Traceback" not in res.stderr
        assert res.json()["diagnostics"][:0] == []
        assert invoke("validate", prog, "--format", "json").json()["diagnostics"] == expected
    if shape == "a file":
        assert folder.read_text() == "not a folder\n"
    if shape == "a link elsewhere":
        assert list(elsewhere.iterdir()) == []  # nothing written through the link


def test_cache_from_another_coachctl_is_not_used(prog: Path,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    age(prog)
    codes(prog)
    other_code(monkeypatch, lambda code=codeprint.CHECKING: "a later coachctl")
    calls: list[int] = []
    real = reading.read_chunk
    def counted(*args: Any) -> Any:
        calls.append(1)
        return real(*args)

    monkeypatch.setattr(reading, "read_chunk", counted)
    assert codes(prog) == []
    assert calls


def test_fresh_clone_with_restored_cache_hits_by_content(
        prog: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (prog / NOTE_PATH).write_text(NOTE + "colour: red\n")
    age(prog)
    expected = codes(prog)
    clone = tmp_path / "clone"
    shutil.copytree(prog, clone)  # new mtimes everywhere, cache folder restored
    monkeypatch.setattr(reading, "read_chunk", lambda *a: pytest.fail("a file was parsed"))
    assert check_programme(clone, "prog").diagnostics == check_programme(prog, "prog").diagnostics
    assert [c for c, *_ in codes(clone)] == [c for c, *_ in expected]


def test_no_cache_option_reads_everything_and_writes_nothing(prog: Path) -> None:
    (prog / NOTE_PATH).write_text(NOTE + "colour: red\n")
    res = invoke("validate", prog, "--no-cache", "--format", "json")
    assert res.exit_code == 1
    assert not (prog / cache.DIR).exists()
    first, second = (invoke("validate", prog, "--format", "json") for _ in range(2))
    assert (prog / cache.DIR / cache.RESULT).is_file()
    assert res.json()["diagnostics"] == first.json()["diagnostics"] == second.json()["diagnostics"]


def test_partial_load_uses_and_keeps_the_cache(prog: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    age(prog)
    codes(prog)
    forbid_reading(monkeypatch)
    store = loader.open_store(prog, "prog")
    part = loader.load(prog, "prog", only=[NOTE_PATH], store=store)
    assert [n.path for n in part.notes] == [NOTE_PATH]
    assert part.settings is not None and part.diagnostics == []


def test_no_private_text_is_copied_into_the_cache(prog: Path) -> None:
    (prog / NOTE_PATH).write_text(NOTE.replace("The countdown", "SECRET-PRAISE The countdown"))
    (prog / "qa").mkdir()
    (prog / "qa/obs-1.yaml").write_text("kind: observation\ncoach: teacher-a\nby: lead\n"
                                        "date: 2026-09-24\nmode: live\nfeedback: SECRET-FEEDBACK\n")
    checked = check_programme(prog, "prog")
    assert [q.kind for _, q in checked.programme.qa] == ["observation"]
    # that it holds words, never the words
    assert checked.programme.qa[0][1].feedback == cachecodec.WITHHELD
    stored = b"".join(p.read_bytes() for p in (prog / cache.DIR).iterdir())
    assert b"SECRET" not in stored and stored


def test_the_code_fingerprint_is_remembered_against_the_sources(
        prog: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A warm run takes the fingerprint of coachctl's code from code.msgpack while the
    sources' sizes and mtimes are as they were, and computes it again when they are not,
    when they changed too recently to trust, or when the memo is damaged."""
    monkeypatch.setattr(cache, "_KNOWN", {})
    age(prog)
    expected = codes(prog)
    assert (prog / cache.DIR / cache.CODE).is_file()
    computed: list[str] = []
    real = codeprint.fingerprint

    def counted(code: str = codeprint.CHECKING) -> str:
        computed.append(code)
        return real(code)

    monkeypatch.setattr(cache, "fingerprint", counted)
    key, newest = codeprint.sources()
    for what, sources, damage, recomputes in (
            ("unchanged", (key, newest), None, False),
            ("a source edited", (key + "x", newest), None, True),
            ("a source edited just now", (key, time.time_ns()), None, True),
            ("the memo damaged", (key, newest), b"\x00", True)):
        monkeypatch.setattr(cache, "sources", lambda s=sources: s)
        monkeypatch.setattr(cache, "_KNOWN", {})
        memo = prog / cache.DIR / cache.CODE
        if damage:
            memo.write_bytes(memo.read_bytes()[:-1] + damage)
        computed.clear()
        assert codes(prog) == expected, what
        assert bool(computed) is recomputes, what
        monkeypatch.setattr(cache, "sources", lambda: (key, newest))
        monkeypatch.setattr(cache, "_KNOWN", {})
        codes(prog)  # remembered again for the real sources


def test_an_edit_to_coachctl_itself_reaches_a_warm_run(prog: Path, tmp_path: Path) -> None:
    """The promise the fingerprint keeps, attacked from outside: a copy of coachctl whose
    check message is edited in place (same size, the mtime moved as an editor moves it)
    must say the new message on the next warm run, not the cached one."""
    import subprocess
    import sys

    src = tmp_path / "src"
    shutil.copytree(Path(codeprint.__file__).parent, src / "coachctl",
                    ignore=shutil.ignore_patterns("__pycache__"))
    note = prog / NOTE_PATH
    note.write_text(NOTE.replace("rehearsed: true", "rehearsed: maybe"))
    age(prog)
    old = os.path.getmtime(src / "coachctl/schema_errors.py") - 3600
    for path in (src / "coachctl").rglob("*.py"):
        os.utime(path, (old, old))  # settled long before the cache is written
    env = {**os.environ, "PYTHONPATH": str(src)}

    def validate() -> str:
        res = subprocess.run([sys.executable, "-m", "coachctl", "validate", "--format",
                              "concise", str(prog)], capture_output=True, text=True,
                             env=env, timeout=120)
        return res.stdout

    assert "must be true or false" in validate()
    assert "must be true or false" in validate()  # warm: the same, from the cache
    schema = src / "coachctl/schema_errors.py"
    text = schema.read_text(encoding="utf-8")
    schema.write_text(text.replace("must be true or false", "must be TRUE or FALSE"),
                      encoding="utf-8")
    assert "must be TRUE or FALSE" in validate()
