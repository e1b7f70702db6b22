"""Every writing command meets ordinary I/O errors with a message and exit 2, never a traceback.

The tests run as root, where chmod stops nothing, so the file system's refusals
are simulated at the operating-system calls (``os.open``, ``open``, ``os.mkdir``,
``os.link``, ``os.replace``, ``os.fsync``, ``os.unlink``) for paths inside the test's folder:

* a read-only file system: every call that would create, change or remove a file or
  folder fails with EROFS;
* a full disk: the Nth file written (its data flushed with ``fsync``, or opened
  for writing by a writer that does not flush) fails with ENOSPC;
* a file where a folder should be (``notes/cycle-01`` a file): real, no simulation.

Each case checks the exit code, that the message names what was written and
what was not, and that no file is half-written: every file on disk is either as
it was or exactly as a clean run writes it, and no temporary file is left.
"""

from __future__ import annotations

import builtins
import datetime as dt
import errno
import io
import os
import shutil
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import Result, invoke
from tests.test_cycle import build, snapshot

TODAY = "2026-11-23"
WRITE_FLAGS = os.O_WRONLY | os.O_RDWR | os.O_CREAT | os.O_TRUNC | os.O_APPEND


@dataclass
class Faults:
    """Which refusal to simulate below ``root``: 'erofs', or 'enospc' at write number ``at``."""

    root: str
    kind: str
    at: int = 1
    writes: int = 0

    def inside(self, path: Any) -> bool:
        if isinstance(path, int):
            return False
        try:
            return os.path.abspath(os.fsdecode(path)).startswith(self.root)
        except TypeError:
            return False

    def refuse(self, path: Any) -> None:
        raise OSError(errno.EROFS, os.strerror(errno.EROFS), os.fsdecode(path))

    def count(self, path: Any) -> None:
        if ".coachctl-cache" in os.fsdecode(path):  # the lock and cache need no new blocks
            return
        self.writes += 1
        if self.writes >= self.at:
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), os.fsdecode(path))


@contextmanager
def simulated(monkeypatch: pytest.MonkeyPatch, root: Path, kind: str, at: int = 1
              ) -> Iterator[Faults]:
    faults = Faults(str(root.absolute()), kind, at)
    real_open, real_os_open, real_mkdir = builtins.open, os.open, os.mkdir
    real_link, real_replace, real_rename, real_fsync = os.link, os.replace, os.rename, os.fsync
    real_unlink = os.unlink
    erofs = kind == "erofs"

    def wrapped_open(file: Any, mode: str = "r", *args: Any, **kwargs: Any) -> Any:
        if faults.inside(file) and any(c in mode for c in "wax+"):
            if erofs:
                faults.refuse(file)
            faults.count(file)
        return real_open(file, mode, *args, **kwargs)

    def wrapped_os_open(path: Any, flags: int, *args: Any, **kwargs: Any) -> int:
        if erofs and faults.inside(path) and flags & WRITE_FLAGS:
            faults.refuse(path)
        return real_os_open(path, flags, *args, **kwargs)

    def wrapped_mkdir(path: Any, *args: Any, **kwargs: Any) -> None:
        if erofs and faults.inside(path) and not os.path.isdir(path):
            faults.refuse(path)
        real_mkdir(path, *args, **kwargs)

    def two(real: Callable[..., None]) -> Callable[..., None]:
        def call(src: Any, dst: Any, *args: Any, **kwargs: Any) -> None:
            if erofs and faults.inside(dst):
                faults.refuse(dst)
            real(src, dst, *args, **kwargs)
        return call

    def wrapped_unlink(path: Any, *args: Any, **kwargs: Any) -> None:
        if erofs and faults.inside(path) and os.path.lexists(path):
            faults.refuse(path)
        real_unlink(path, *args, **kwargs)

    def wrapped_fsync(fd: int) -> None:
        path = os.readlink(f"/proc/self/fd/{fd}")
        if not erofs and faults.inside(path):
            faults.count(path)
        real_fsync(fd)

    for target, name, value in ((builtins, "open", wrapped_open), (io, "open", wrapped_open),
                                (os, "open", wrapped_os_open), (os, "mkdir", wrapped_mkdir),
                                (os, "link", two(real_link)), (os, "replace", two(real_replace)),
                                (os, "rename", two(real_rename)), (os, "fsync", wrapped_fsync),
                                (os, "unlink", wrapped_unlink), (os, "remove", wrapped_unlink)):
        monkeypatch.setattr(target, name, value)
    yield faults
    monkeypatch.undo()


# --- every writing command ------------------------------------------------------------

@dataclass(frozen=True)
class Writer:
    """A writing command: how to prepare its folder, and its arguments."""

    name: str
    args: Callable[[Path], list[str | Path]]
    prepare: Callable[[Path], Path]
    many: bool = True
    """It writes several files (a full disk mid-way leaves some written)."""


def _programme(tmp: Path) -> Path:
    return build(tmp / "p", 12)


def _open_cycle(tmp: Path) -> Path:
    root = build(tmp / "p", 12)
    assert invoke("cycle", "start", root, "--today", TODAY).exit_code == 0
    return root


def _experts(tmp: Path) -> Path:
    """Twelve coaches in three departments, two of them expert coaches (for hubs)."""
    staff = [{"id": f"t{i:02d}", "name": f"Teacher {i}", "role": "teacher",
              "department": ("Maths", "English", "Science")[i % 3], "coach": True,
              "joined": dt.date(2025, 9, 1), **({"expert_coach": True} if i <= 2 else {})}
             for i in range(1, 13)]
    return build(tmp / "p", staff=staff)


def _leaver_calendars(tmp: Path) -> Path:
    """A programme whose calendars folder holds the calendars coachctl wrote for t13 and t14,
    who are no longer in its staff.yaml (so --per-person writes twelve and removes two)."""
    root, before = build(tmp / "p", 12), build(tmp / "before", 14)
    for sid in ("t13", "t14"):
        res = invoke("schedule", before, "--staff", sid, "--format", "ics",
                     "-o", root / "calendars" / f"{sid}.ics")
        assert res.exit_code == 0, res.stderr
    return root


def _empty(tmp: Path) -> Path:
    (tmp / "p").mkdir(parents=True)
    return tmp / "p"


WRITERS = [
    Writer("cycle start", lambda p: ["cycle", "start", p, "--today", TODAY], _programme),
    Writer("cycle close", lambda p: ["cycle", "close", p, "--early", "--today", TODAY],
           _open_cycle,
           many=False),
    Writer("note new", lambda p: ["note", "new", p, "--coach", "t01", "--coachee", "t03",
                                  "--unpaired", "--today", TODAY], _open_cycle, many=False),
    Writer("note new --drop-in", lambda p: ["note", "new", p, "--coach", "t01", "--coachee",
                                            "t02", "--drop-in", "--today", TODAY],
           _open_cycle, many=False),
    Writer("staff leave", lambda p: ["staff", "leave", "t01", p, "--date", "2026-12-18",
                                     "--today", TODAY], _open_cycle, many=False),
    Writer("staff add", lambda p: ["staff", "add", p, "--name", "New Person", "--role",
                                   "teacher", "--department", "Maths"], _programme, many=False),
    Writer("pair end", lambda p: ["pair", "end", p, "--coach", "t01", "--coachee", "t02",
                                  "--today", TODAY], _open_cycle, many=False),
    Writer("pair add", lambda p: ["pair", "add", p, "--coach", "t01", "--coachee", "t13",
                                  "--today", TODAY], lambda tmp: build(tmp / "p", 13),
           many=False),
    Writer("pair suggest --all --apply", lambda p: ["pair", "suggest", p, "--all", "--apply",
                                                    "--today", TODAY], _experts, many=False),
    Writer("hub plan --apply", lambda p: ["hub", "plan", p, "--apply", "--today", TODAY],
           _experts, many=False),
    Writer("qa-plan", lambda p: ["qa-plan", p, "--today", TODAY], _programme),
    Writer("init", lambda p: ["init", p / "new", "--today", TODAY], _empty),
    Writer("schema --output", lambda p: ["schema", "--output", p / "schemas"], _empty),
    Writer("schedule -o", lambda p: ["schedule", p, "--format", "ics", "-o", p / "out.ics"],
           _programme, many=False),
    Writer("schedule --per-person", lambda p: ["schedule", p, "--per-person", p / "calendars"],
           _programme),
    Writer("schedule --per-person with leavers' calendars",
           lambda p: ["schedule", p, "--per-person", p / "calendars"], _leaver_calendars),
    Writer("generate programme", lambda p: ["generate", "programme", p / "gen", "--staff", "20",
                                            "--today", TODAY], _empty),
    Writer("generate trust", lambda p: ["generate", "trust", p / "gen", "--schools", "1",
                                        "--years", "1", "--notes-per-year", "30",
                                        "--today", TODAY], _empty),
]


def clean_run(writer: Writer, tmp: Path) -> tuple[Path, dict[str, bytes]]:
    root = writer.prepare(tmp / "clean")
    before = snapshot(root)
    res = invoke(*writer.args(root))
    assert res.exit_code == 0, res.stdout + res.stderr
    after = snapshot(root)
    assert after != before, "the command wrote nothing"
    return root, after


def assert_nothing_half_written(root: Path, before: dict[str, bytes],
                                clean: dict[str, bytes]) -> dict[str, bytes]:
    """Every file is as it was or as a clean run writes it; no temporary file is left."""
    now = snapshot(root)
    for rel, data in now.items():
        assert not rel.endswith(".tmp"), f"temporary file left: {rel}"
        assert data == before.get(rel) or data == clean.get(rel), f"{rel} is half-written"
    return now


def failed(res: Result, why: str) -> None:
    assert res.exit_code == 2, res.stdout + res.stderr
    assert "Traceback" not in res.stderr
    assert "coachctl: error: cannot write" in res.stderr, res.stderr
    assert why in res.stderr, res.stderr


def run_with(writer: Writer, tmp: Path, monkeypatch: pytest.MonkeyPatch, kind: str,
             at: int = 1) -> tuple[Result, Path, dict[str, bytes], dict[str, bytes]]:
    """Run the command under a simulated fault, after a clean run of it in tmp/clean:
    (result, the folder, its files before, its files after), checking nothing is half-written."""
    _, clean = clean_run(writer, tmp)
    root = writer.prepare(tmp / kind)
    before = snapshot(root)
    with simulated(monkeypatch, root, kind, at=at):
        res = invoke(*writer.args(root))
    failed(res, os.strerror(errno.EROFS if kind == "erofs" else errno.ENOSPC))
    now = assert_nothing_half_written(root, before, clean)
    return res, root, before, now


@pytest.mark.parametrize("writer", WRITERS, ids=lambda w: w.name)
def test_read_only_file_system(writer: Writer, tmp_path: Path,
                               monkeypatch: pytest.MonkeyPatch) -> None:
    res, _, before, now = run_with(writer, tmp_path, monkeypatch, "erofs")
    assert now == before
    if "generate" not in writer.name:
        assert "written: 0 file(s)" in res.stderr
        assert "not written:" in res.stderr


@pytest.mark.parametrize("writer", WRITERS, ids=lambda w: w.name)
def test_disk_full_part_way_lists_what_was_written(writer: Writer, tmp_path: Path,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    at = 4 if writer.many else 1
    res, root, before, now = run_with(writer, tmp_path, monkeypatch, "enospc", at)
    new = sorted(set(now) - set(before))
    if "generate" in writer.name:
        assert f"{at - 1} file(s) were written" in res.stderr
        return
    assert f"written: {at - 1} file(s)" in res.stderr, res.stderr
    assert len(new) == at - 1
    for rel in new:  # each file written is listed, as the user can find it
        assert rel.rsplit("/", 1)[-1] in res.stderr
    if writer.name == "cycle start":  # the cycle file comes last: a re-run completes the work
        assert "cycles/cycle-01.yaml" not in now
        assert invoke(*writer.args(root)).exit_code == 0
        assert snapshot(root) == snapshot(tmp_path / "clean" / "p")


def test_a_file_where_the_notes_folder_should_be(tmp_path: Path) -> None:
    root = build(tmp_path / "p", 12)
    (root / "notes").mkdir()
    (root / "notes" / "cycle-01").write_text("not a folder\n")
    before = snapshot(root)
    res = invoke("cycle", "start", root, "--today", TODAY)
    assert res.exit_code == 2, res.stdout + res.stderr
    assert "notes/cycle-01 is a file, not a folder" in res.stderr
    assert "written: 0 file(s)" in res.stderr and "not written: 13 file(s)" in res.stderr
    assert snapshot(root) == before


def test_note_new_where_the_cycle_folder_is_a_file(tmp_path: Path) -> None:
    root = _open_cycle(tmp_path)
    shutil.rmtree(root / "notes" / "cycle-01")
    (root / "notes" / "cycle-01").write_text("not a folder\n")
    res = invoke("note", "new", root, "--coach", "t01", "--coachee", "t02", "--today", TODAY)
    assert res.exit_code == 2, res.stdout + res.stderr
    assert "notes/cycle-01 is a file, not a folder" in res.stderr
    assert "not written: 1 file(s)" in res.stderr


def test_schema_output_that_is_a_file(tmp_path: Path) -> None:
    (tmp_path / "schemas").write_text("x")
    res = invoke("schema", "--output", tmp_path / "schemas")
    assert res.exit_code == 2
    assert "is not a folder" in res.stderr


def test_schedule_output_in_a_missing_folder_is_created_atomically(tmp_path: Path) -> None:
    root = build(tmp_path / "p", 4)
    res = invoke("schedule", root, "--format", "csv", "-o", tmp_path / "out" / "s.csv")
    assert res.exit_code == 0, res.stderr
    assert (tmp_path / "out" / "s.csv").read_text().startswith("start,")


def test_removing_a_leavers_calendar_on_a_read_only_file_system(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Nothing to write, two calendars to remove: the first refused is named with what was
    not removed, and both stay whole."""
    root = _leaver_calendars(tmp_path)
    res = invoke("schedule", root, "--per-person", root / "calendars")
    assert res.exit_code == 0 and "removed 2 calendars" in res.stderr, res.stderr
    _leaver_calendars(tmp_path)  # the two again, the twelve up to date
    before = snapshot(root)
    with simulated(monkeypatch, root, "erofs"):
        res = invoke("schedule", root, "--per-person", root / "calendars")
    failed(res, os.strerror(errno.EROFS))
    assert "t13.ics: Read-only file system" in res.stderr
    assert "written: 0 file(s)" in res.stderr and "not written: 2 file(s)" in res.stderr
    assert snapshot(root) == before


def test_every_writing_command_is_covered() -> None:
    """A new writing command joins WRITERS (and so every test above)."""
    import inspect

    from coachctl.cli import COMMANDS

    wrapped = set()
    for name, (module, _) in COMMANDS.items():
        source = inspect.getsource(__import__(module, fromlist=["app"]))
        if "@writes" in source:
            wrapped.add(name)
    covered = {w.name.split()[0] for w in WRITERS}
    assert wrapped <= covered, wrapped - covered
    assert {"cycle", "note", "init", "schema", "schedule", "generate"} <= wrapped


def test_write_errors_and_writers_print_no_note_text(tmp_path: Path,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    """What the writers and their error messages print holds paths and counts, never what a
    note says (the privacy marker of tests/test_privacy.py, planted in every free-text field)."""
    from tests.conftest import PROGRAMMES
    from tests.test_privacy import MARKER, plant

    root = tmp_path / "school"
    shutil.copytree(PROGRAMMES / "ashby-vale-school", root)
    assert plant(root) > 500
    day = "2026-12-14"
    runs = [("cycle", "start", root, "--today", day, "--dry-run"),
            ("cycle", "status", root, "--today", day, "--format", "json"),
            ("schedule", root, "--format", "ics"), ("schedule", root, "--format", "csv"),
            ("schedule", root, "--format", "json"),
            ("schedule", root, "--per-person", tmp_path / "cal", "--dry-run"),
            ("schedule", root, "--per-person", tmp_path / "cal")]
    outputs = [invoke(*args) for args in runs]
    assert not any(MARKER.encode() in p.read_bytes() for p in (tmp_path / "cal").iterdir())
    with simulated(monkeypatch, root, "enospc", at=3):
        outputs.append(invoke("cycle", "start", root, "--today", day))
    assert outputs[-1].exit_code == 2 and "written: 2 file(s)" in outputs[-1].stderr
    with simulated(monkeypatch, root, "erofs"):
        outputs.append(invoke("cycle", "close", root, "--today", day))
        outputs.append(invoke("note", "new", root, "--coach", "gallen", "--coachee", "erees",
                              "--drop-in", "--today", day))
    assert [r.exit_code for r in outputs[-2:]] == [2, 2]
    for res in outputs:
        assert MARKER not in res.stdout + res.stderr


@pytest.mark.parametrize("cache", ["file", "dangling-link"])
@pytest.mark.parametrize("writer", [w for w in WRITERS if w.name.startswith(("cycle", "note"))],
                         ids=lambda w: w.name)
def test_a_broken_cache_folder_never_stops_a_writer(tmp_path: Path, writer: Writer,
                                                    cache: str) -> None:
    """The write lock falls back to the programme folder; the cache is simply not kept."""
    _, expected = clean_run(writer, tmp_path)
    root = writer.prepare(tmp_path / cache)
    shutil.rmtree(root / ".coachctl-cache", ignore_errors=True)
    if cache == "file":
        (root / ".coachctl-cache").write_text("not a folder\n")
    else:
        (root / ".coachctl-cache").symlink_to(tmp_path / "nowhere")
    res = invoke(*writer.args(root))
    assert res.exit_code == 0, res.stdout + res.stderr
    assert snapshot(root) == expected
