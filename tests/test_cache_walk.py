"""The stat walk a warm run is checked by (files.Walk): every change to which files exist,
where they are, or their size or mtime changes the programme's stat key, and nothing else
about how the file system lists a folder does."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from coachctl import cache, files, loader
from tests.test_cache import NOTE_PATH, age, codes, forbid_reading, fresh, prog

__all__ = ["prog"]  # the fixture, shared with test_cache


def key(root: Path) -> bytes:
    return loader.open_store(root, "prog")._stat_key()


def same_size_and_mtime(path: Path, change: Callable[[], Path]) -> Path:
    """Make ``change`` (which gives the file's new path), then give the file back the size
    and mtime it had: only its name or place or content tells."""
    before = path.stat()
    moved = change()
    assert moved.stat().st_size == before.st_size
    os.utime(moved, ns=(before.st_atime_ns, before.st_mtime_ns))
    return moved


def test_a_renamed_file_of_the_same_size_and_mtime_is_noticed(prog: Path) -> None:
    age(prog)
    assert codes(prog) == []
    note = prog / NOTE_PATH
    renamed = note.with_name("teacher-a--teacher-x.yaml")  # same length of name
    same_size_and_mtime(note, lambda: note.rename(renamed))
    after = codes(prog, data=False)
    assert [c for c, *_ in after] == ["P003"] and after == fresh(prog)


def test_a_file_moved_to_another_folder_is_noticed(prog: Path) -> None:
    age(prog)
    assert codes(prog) == []
    note = prog / NOTE_PATH
    moved = prog / "notes/cycle-02" / note.name
    moved.parent.mkdir()
    same_size_and_mtime(note, lambda: note.rename(moved))
    after = codes(prog, data=False)
    assert "P003" in [c for c, *_ in after] and after == fresh(prog)


@pytest.mark.parametrize("change", ["size", "mtime", "name", "folder", "added", "removed",
                                    "a pipe in its place", "a link in its place"])
def test_every_change_a_stat_can_see_changes_the_stat_key(prog: Path, change: str) -> None:
    age(prog)
    note = prog / NOTE_PATH
    before = key(prog)
    if change == "size":
        mtime = note.stat().st_mtime_ns
        note.write_text(note.read_text() + "\n")
        os.utime(note, ns=(0, mtime))
    elif change == "mtime":
        os.utime(note, ns=(0, note.stat().st_mtime_ns + 1))
    elif change == "name":
        note.rename(note.with_name("teacher-a--teacher-c.yaml"))
    elif change == "folder":
        (prog / "notes/cycle-0a").mkdir()
        note.rename(prog / "notes/cycle-0a" / note.name)
    elif change == "added":
        (prog / "notes/cycle-01/empty.yaml").touch()
    elif change == "removed":
        note.unlink()
    else:
        note.unlink()
        if change == "a pipe in its place":
            os.mkfifo(note)
        else:
            note.symlink_to(prog / "staff.yaml")
    assert key(prog) != before


def test_the_stat_key_does_not_depend_on_the_order_a_folder_is_listed_in(
        prog: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    for i in range(20):
        (prog / f"notes/cycle-01/extra-{i:02d}.yaml").write_text(f"n: {i}\n")
    age(prog)
    listed = key(prog)
    scandir = os.scandir

    class Reversed:
        def __init__(self, path: Any) -> None:
            with scandir(path) as it:
                self.entries = list(it)[::-1]

        def __iter__(self) -> Iterator[os.DirEntry[str]]:
            return iter(self.entries)

        def __enter__(self) -> Reversed:
            return self

        def __exit__(self, *exc: object) -> None:
            pass

    monkeypatch.setattr(os, "scandir", Reversed)
    assert key(prog) == listed


def test_an_unchanged_programme_needs_the_walk_alone(
        prog: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A warm validate of an unchanged programme builds no list of every file (that list,
    sorted, was most of what a warm run did beyond the stat calls)."""
    age(prog)
    codes(prog)
    forbid_reading(monkeypatch)

    def boom(self: files.Walk) -> None:
        raise AssertionError("the list of every file was built")

    monkeypatch.setattr(files.Walk, "stats", boom)
    store = loader.open_store(prog, "prog")
    assert store.result() == []
    assert store.files == len([p for p in prog.rglob("*.yaml") if cache.DIR not in p.parts])


def test_the_walk_lists_what_scan_yaml_always_listed(prog: Path) -> None:
    """Folder by folder and in name order, the walk still gives the sorted list of every
    file a full load reads by, sizes and mtimes from one lstat each."""
    (prog / "notes/cycle-01/b.yml").write_text("x: 1\n")
    (prog / "notes-extra.yaml").write_text("y: 2\n")  # sorts between notes and notes/
    walked = files.Walk(prog)
    stats = walked.stats()
    assert [rel for rel, _, _ in stats] == sorted(
        p.relative_to(prog).as_posix() for p in prog.rglob("*.y*ml")
        if cache.DIR not in p.parts)
    assert all((s := (prog / rel).stat()).st_size == size and s.st_mtime_ns == mtime
               for rel, size, mtime in stats)
    assert walked.count == len(stats)
    assert walked.newest == max(m for _, _, m in stats)
