"""Finding programmes and the YAML files in one, without opening anything unusual.

:func:`find_programmes` finds programme folders below a path; :func:`scan_yaml`
walks one programme's files (with their size and mtime, for the cache);
:func:`odd_entry` says what is wrong with a link, pipe or device found in its
place; :func:`read_regular` opens only regular files, without blocking;
:func:`prefetch` asks the kernel for many files at once before they are read.
"""

from __future__ import annotations

import os
import stat as st_mode
from array import array
from collections.abc import Iterable, Iterator
from operator import attrgetter, methodcaller
from pathlib import Path

from coachctl.diagnostics import Diagnostic, make
from coachctl.layout import PROGRAMME_FILE, SINGLETONS, SKIP_DIRS

MAX_READ = 8 * 1024 * 1024 + 1
YAML = (".yaml", ".yml")
Stat = tuple[str, int, int]
"""A file as walked: programme-relative path, size, mtime_ns."""


def find_programmes(path: Path, links: list[Path] | None = None) -> list[Path]:
    """Programme folders at or below ``path`` (a folder holding programme.yaml), sorted.

    A file inside a programme names that programme. A folder below ``path`` that is a
    symbolic link is never followed; with ``links``, the ones that hold a programme.yaml
    are added to it, so the caller can say so rather than skip them in silence.
    """
    if path.is_file():
        for parent in path.resolve().parents:
            if (parent / PROGRAMME_FILE).is_file():
                return [parent]
        return []
    if (path / PROGRAMME_FILE).is_file():
        return [path]
    found = []
    for dirpath, dirnames, filenames in os.walk(path):
        dirnames[:] = sorted(d for d in dirnames if d not in SKIP_DIRS and not d.startswith("."))
        if links is not None:
            links.extend(Path(dirpath, d) for d in dirnames
                         if os.path.islink(os.path.join(dirpath, d))
                         and os.path.isfile(os.path.join(dirpath, d, PROGRAMME_FILE)))
        if PROGRAMME_FILE in filenames:
            found.append(Path(dirpath))
            dirnames[:] = []
    return found


def scan_yaml(root: Path, *, stat: bool = True) -> list[Stat]:
    """Every .yaml/.yml file below ``root``: (posix path relative to it, size, mtime_ns), sorted.

    Without ``stat``, size and mtime are 0 (a stat per file is the floor of a warm run and
    wasted on a cold one). What must be looked at closer has size -1, which no cache entry
    matches: a symbolic link or anything but a regular file named like a programme file,
    and (named without .yaml) a folder that is a symbolic link or cannot be listed, so
    :func:`coachctl.reading.read_chunk` reports it rather than it being skipped in silence.
    """
    return Walk(root, stat=stat).stats()


class Walk:
    """One programme's files as walked (see :func:`scan_yaml`), kept folder by folder.

    A warm run compares the whole walk with the one its cached result was saved with
    (:meth:`key_parts`) and needs nothing else, so the walk builds no per-file tuple:
    each folder keeps its plain files' names, sizes and mtimes as three lists in name
    order, filled by comprehensions; what has size -1 is listed apart (:attr:`odd`).
    :meth:`stats` gives the sorted list of :data:`Stat` a full load reads by.
    """

    __slots__ = ("count", "folders", "newest", "odd")

    def __init__(self, root: Path, *, stat: bool = True) -> None:
        self.folders: list[tuple[str, list[str], list[int], list[int]]] = []
        """(folder prefix, ``""`` or ending in ``/``; names; sizes; mtimes), walk order."""
        self.odd: list[str] = []
        """Paths with size -1 (mtime 0): what is not a plain file or folder, in walk order."""
        self._walk(str(root), "", stat)
        self._counted()

    def _counted(self) -> None:
        self.count = len(self.odd) + sum(len(names) for _, names, _, _ in self.folders)
        self.newest = max((max(mtimes, default=0) for _, _, _, mtimes in self.folders),
                          default=0)
        """The latest mtime of any file (0 when there is none)."""

    def stats(self) -> list[Stat]:
        """Every file as (path, size, mtime_ns), sorted by path."""
        out: list[Stat] = [(prefix + name, size, mtime)
                           for prefix, names, sizes, mtimes in self.folders
                           for name, size, mtime in zip(names, sizes, mtimes, strict=True)]
        out += [(rel, -1, 0) for rel in self.odd]
        out.sort()
        return out

    def key_parts(self) -> Iterator[bytes]:
        """The walk as byte strings from which :meth:`stats` could be rebuilt (names hold no
        NUL, and each string says its length), so two walks that give different stats never
        give the same parts. In name order: the same tree gives the same parts on any
        file system."""
        yield len(self.folders).to_bytes(8, "little")
        for prefix, names, sizes, mtimes in self.folders:
            yield _bytes(prefix)
            yield _bytes("\0".join(names))
            yield array("q", sizes).tobytes()
            yield array("q", mtimes).tobytes()
        yield _bytes("\0".join(self.odd))

    def _walk(self, folder: str, prefix: str, stat: bool) -> None:
        try:
            it = os.scandir(folder)
        except OSError:
            self.odd.append(prefix.rstrip("/") or ".")
            return
        with it:
            entries = sorted(it, key=_NAME)
        names = [e.name for e in entries]
        if all(map(_IS_YAML, names)):  # a folder of notes: nothing but files, one would hope
            files, others = entries, []
        else:
            files = [e for e in entries if e.name.endswith(YAML)]
            others = [e for e in entries if not e.name.endswith(YAML)]
            names = [e.name for e in files]
        try:
            if stat:
                sts = [e.stat(follow_symlinks=False) for e in files]  # one lstat each
                plain = all(map(st_mode.S_ISREG, {s.st_mode for s in sts}))
            else:
                plain = all(e.is_file(follow_symlinks=False) for e in files)
        except OSError:  # gone since listed, or cannot be stat-ed
            plain = False
        if plain:
            if stat:
                self.folders.append((prefix, names, [s.st_size for s in sts],
                                     [s.st_mtime_ns for s in sts]))
            else:
                zeros = [0] * len(files)
                self.folders.append((prefix, names, zeros, zeros))
        else:  # one at a time: which are plain files, which are not
            others = entries
            names = []
            sizes: list[int] = []
            mtimes: list[int] = []
            self.folders.append((prefix, names, sizes, mtimes))
        for entry in others:
            name = entry.name
            if not plain and name.endswith(YAML):
                try:
                    st = entry.stat(follow_symlinks=False) if stat else None
                    regular = (st_mode.S_ISREG(st.st_mode) if st
                               else entry.is_file(follow_symlinks=False))
                except OSError:
                    self.odd.append(prefix + name)
                    continue
                if regular:
                    names.append(name)
                    sizes.append(st.st_size if st else 0)
                    mtimes.append(st.st_mtime_ns if st else 0)
                    continue
            try:  # anything else: a folder, a link, a pipe or device named like a file
                link = entry.is_symlink()
                folder_like = entry.is_dir()
            except OSError:
                link, folder_like = True, False
            if folder_like:
                if name in SKIP_DIRS or name.startswith("."):
                    continue
                if link:
                    self.odd.append(prefix + name)
                else:
                    self._walk(entry.path, prefix + name + "/", stat)
            elif name.endswith(YAML):  # not a regular file (else taken above)
                self.odd.append(prefix + name)


class Picked(Walk):
    """Only the files named (programme-relative paths), each taken as a :class:`Walk` takes
    it (what is not a regular file, or is gone, with size -1): the key of a store over part
    of a programme (``note check``'s, :func:`part_files`)."""

    __slots__ = ()

    def __init__(self, root: Path, rels: Iterable[str]) -> None:
        self.odd = []
        folders: dict[str, tuple[list[str], list[int], list[int]]] = {}
        for rel in sorted(rels):
            try:
                st = os.lstat(os.path.join(root, rel))
            except OSError:
                st = None
            if st is None or not st_mode.S_ISREG(st.st_mode):
                self.odd.append(rel)
                continue
            folder, _, name = rel.rpartition("/")
            names, sizes, mtimes = folders.setdefault(folder + "/" if folder else "",
                                                      ([], [], []))
            names.append(name)
            sizes.append(st.st_size)
            mtimes.append(st.st_mtime_ns)
        self.folders = [(prefix, *lists) for prefix, lists in folders.items()]
        self._counted()


def part_files(root: Path, only: Iterable[str]) -> list[str]:
    """What checking the files ``only`` names reads: those, and every file they may refer
    to (each of the programme's single files that exists, every cycle's file), sorted."""
    cycles = root / "cycles"
    return sorted(set(only) | {k for k in SINGLETONS if (root / k).is_file()}
                  | ({f"cycles/{p.name}" for p in cycles.iterdir() if p.suffix == ".yaml"}
                     if cycles.is_dir() else set()))


_NAME = attrgetter("name")
_IS_YAML = methodcaller("endswith", YAML)


def _bytes(text: str) -> bytes:
    """A name as bytes, with its length first (a name the file system gave undecoded as
    UTF-8 comes back as the bytes it was)."""
    data = text.encode("utf-8", "surrogateescape")
    return len(data).to_bytes(8, "little") + data


_KINDS_OF_NODE = ((st_mode.S_ISFIFO, "named pipe (FIFO)"), (st_mode.S_ISSOCK, "socket"),
                  (st_mode.S_ISCHR, "character device"), (st_mode.S_ISBLK, "block device"))


def odd_entry(root: str, rel: str) -> Diagnostic | None:
    """What is wrong with the thing at ``rel`` that is not a plain file or folder, if anything.

    A symbolic link that leaves the programme is never followed (P004); a folder that is a
    link is not read through (P005); a pipe, socket or device is never opened (P006); a
    folder that cannot be listed is Y011. Diagnostics name ``rel``, never a link's target.
    """
    path = os.path.join(root, rel)
    try:
        lst = os.lstat(path)
    except OSError:
        return None  # gone, or unreadable: opening it says so
    mode = lst.st_mode
    if st_mode.S_ISLNK(mode):
        real, base = os.path.realpath(path), os.path.realpath(root)
        if os.path.commonpath([real, base]) != base:
            return make("P004", "a symbolic link to somewhere outside the programme is not "
                        "followed", rel, hint="put the file itself here, or remove the link")
        try:
            mode = os.stat(path).st_mode
        except OSError:
            return None  # a dangling link inside the programme: opening it says so (Y011)
        if st_mode.S_ISDIR(mode):
            return make("P005", "this folder is a symbolic link; coachctl does not read "
                        "through it", rel, hint="move the folder here, or remove the link")
    if st_mode.S_ISDIR(mode):
        try:
            os.scandir(path).close()
        except OSError as e:
            return make("Y011", f"cannot list the folder: {e.strerror}", rel,
                        hint="fix the folder's permissions")
        return None
    for test, what in _KINDS_OF_NODE:
        if test(mode):
            return make("P006", f"this is a {what}, not a file; coachctl does not read it", rel,
                        hint="remove it, or replace it with the file it stands for")
    return None


def read_regular(path: str) -> tuple[os.stat_result, bytes]:
    """A regular file's status and bytes (at most :data:`MAX_READ`); OSError for anything else.

    Opened without blocking, so a named pipe put in a file's place never hangs a run.
    """
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    try:
        st = os.fstat(fd)
        if not st_mode.S_ISREG(st.st_mode):
            raise OSError(0, "not a regular file")
        # to the end, at most MAX_READ, as a file object's read(MAX_READ) would, but that
        # allocates 8 MiB for every 1 KB note (two thirds of the cost of reading one): ask
        # for what fstat says is there and a byte more, then on until nothing comes (the
        # file may have grown since, or a read may come short)
        want = min(st.st_size + 1, MAX_READ)
        data = os.read(fd, want)
        while len(data) < MAX_READ and (more := os.read(
                fd, (want if len(data) < want else MAX_READ) - len(data))):
            data += more
        return st, data
    finally:
        os.close(fd)


def prefetch(paths: Iterable[str]) -> None:
    """Ask the kernel to start reading these files now, all at once, so the reads that
    follow find them in memory: on a cold page cache, reading one file after another waits
    for the disk once per file (measured on 7,993 evicted notes: 1.3 s one by one, 0.3 s
    after this). Give only paths :func:`odd_entry` found nothing wrong with: each is
    opened without blocking, advised only if it is a regular file, and closed. Does
    nothing where ``posix_fadvise`` is missing."""
    advise = getattr(os, "posix_fadvise", None)
    if advise is None:
        return
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0)
    for path in paths:
        try:
            fd = os.open(path, flags)
        except OSError:
            continue  # reading it says why
        try:
            if st_mode.S_ISREG(os.fstat(fd).st_mode):
                advise(fd, 0, 0, os.POSIX_FADV_WILLNEED)
        except OSError:
            pass
        finally:
            os.close(fd)
