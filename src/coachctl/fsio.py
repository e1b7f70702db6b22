"""Writing files so that a person's work is never overwritten or left half-written.

Every command that writes goes through :func:`write_new`: the content goes to
a temporary file in the same folder, is flushed to disk, then linked into
place only if nothing is there yet. A crash at any point leaves either no file
or the whole file (plus, at worst, a stray ``.*.tmp`` that the next run removes).

An operating-system error while writing (read-only file system, disk full, a
file where a folder should be) is raised as :class:`WriteError`, which says
which file failed and why, and, for a batch written with :func:`write_all`,
which files were written before it and which were not. The command line turns
it into a clear message and exit 2 (``coachctl.cli.common.writes``).
"""

from __future__ import annotations

import contextlib
import errno
import os
import tempfile
from collections.abc import Iterator, Sequence
from pathlib import Path

TMP_SUFFIX = ".coachctl.tmp"


class WriteError(Exception):
    """Writing ``path`` failed with an OS error; nothing half-written was left behind.

    ``written`` lists the files of the same batch written before the failure,
    ``not_written`` the file that failed and those after it. A writer that does
    not keep lists (a generated folder of thousands of files) gives ``note``
    instead: what was written and what to do.
    """

    def __init__(self, path: Path, error: OSError, *, written: Sequence[Path] = (),
                 not_written: Sequence[Path] = (), note: str | None = None) -> None:
        self.path = path
        self.error = error
        self.written = list(written)
        self.not_written = list(not_written) or [path]
        self.note = note
        super().__init__(f"cannot write {path}: {self.reason}")

    @property
    def reason(self) -> str:
        """Why, in words: the OS's message, or the file standing where a folder should be."""
        if self.error.errno in (errno.EEXIST, errno.ENOTDIR):
            for parent in self.path.parents:
                if parent.exists() and not parent.is_dir():
                    return f"{parent} is a file, not a folder"
        return self.error.strerror or str(self.error)


def write_new(path: Path, text: str, mode: int | None = None) -> bool:
    """Atomically create ``path`` with ``text`` (and ``mode``, default :func:`new_file_mode`);
    return False (writing nothing) if it exists.

    Raises :class:`WriteError` when the file system refuses the write.
    """
    try:
        return _write_new(path, text, mode)
    except OSError as e:
        raise WriteError(path, e) from e


def replace(path: Path, text: str) -> None:
    """Atomically create or replace ``path`` with ``text``: for files the user named as
    output (``schedule -o``, ``schema --output``), never for a person's file. A new file
    gets :func:`new_file_mode`, an existing one keeps its permissions; raises
    :class:`WriteError`."""
    try:
        try:
            mode: int | None = path.stat().st_mode & 0o7777
        except FileNotFoundError:
            mode = None
        tmp = _write_temp(path, text, mode)
        try:
            os.replace(tmp, path)
        finally:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(tmp)
    except OSError as e:
        raise WriteError(path, e) from e


def write_all(files: Sequence[tuple[Path, str]], *, overwrite: bool = False
              ) -> Iterator[tuple[Path, bool]]:
    """Write each file in order (:func:`write_new`, or :func:`replace` if ``overwrite``),
    yielding (path, written); a file that exists is kept (False) unless ``overwrite``.

    On an OS error raises :class:`WriteError` listing what this batch wrote and
    what it did not.
    """
    done: list[Path] = []
    for i, (path, text) in enumerate(files):
        try:
            if overwrite:
                replace(path, text)
                wrote = True
            else:
                wrote = write_new(path, text)
        except WriteError as e:
            raise WriteError(path, e.error, written=done,
                             not_written=[p for p, _ in files[i:]]) from e
        if wrote:
            done.append(path)
        yield path, wrote


def _write_new(path: Path, text: str, mode: int | None) -> bool:
    if path.exists():
        return False
    tmp = _write_temp(path, text, mode)
    try:
        try:
            os.link(tmp, path)  # fails if path exists: no clobbering, even in a race
        except FileExistsError:
            return False
        except OSError:  # file systems without hard links
            if path.exists():
                return False
            os.replace(tmp, path)
        return True
    finally:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)


def rewrite(path: Path, text: str | bytes, expected: bytes) -> bool:
    """Atomically replace ``path`` with ``text`` if it still holds ``expected``.

    A compare-and-swap for edits such as ``cycle close``: if someone changed
    the file since it was read, nothing is written and False is returned.
    Callers hold :func:`lock`, so the check and the rename cannot interleave
    with another coachctl run. The file keeps its permissions, as an editor's save does.
    """
    try:
        if path.read_bytes() != expected:
            return False
        mode = path.stat().st_mode & 0o7777
    except FileNotFoundError:
        return False
    except OSError as e:
        raise WriteError(path, e) from e
    try:
        tmp = _write_temp(path, text, mode)
        try:
            os.replace(tmp, path)
            return True
        finally:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(tmp)
    except OSError as e:
        raise WriteError(path, e) from e


def remove(path: Path, expected: bytes) -> bool:
    """Delete ``path`` if it still holds ``expected`` (a compare-and-delete, under :func:`lock`).

    Unlinking is atomic: the file is there whole or not at all.
    """
    try:
        if path.read_bytes() != expected:
            return False
        path.unlink()
    except FileNotFoundError:
        return False
    except OSError as e:
        raise WriteError(path, e) from e
    return True


def new_file_mode() -> int:
    """The permissions an editor gives a new file: 0666 less the process's umask."""
    mask = os.umask(0)
    os.umask(mask)
    return 0o666 & ~mask


def _write_temp(path: Path, text: str | bytes, mode: int | None = None) -> str:
    """A fully written, fsynced temporary file next to ``path``, ready to link or rename.

    It gets ``mode`` (default: :func:`new_file_mode`), not mkstemp's private 0600.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=TMP_SUFFIX)
    data = text.encode("utf-8") if isinstance(text, str) else text
    try:
        os.fchmod(fd, new_file_mode() if mode is None else mode)
        with os.fdopen(fd, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise
    return tmp


def clean_stray_temps(root: Path, *, recursive: bool = True) -> list[Path]:
    """Remove temporary files an interrupted run left behind; return what was removed."""
    removed = []
    for tmp in (root.rglob if recursive else root.glob)(f".*{TMP_SUFFIX}"):
        with contextlib.suppress(FileNotFoundError):
            tmp.unlink()
            removed.append(tmp)
    return removed


class Locked(Exception):
    """Another coachctl run holds the programme's write lock."""


@contextlib.contextmanager
def lock(root: Path, name: str = "write") -> Iterator[None]:
    """An exclusive, non-blocking lock on a programme for commands that write.

    Uses ``flock`` on a file in the cache folder, so a run killed with SIGKILL
    releases it (the kernel drops the lock with the process). When the cache
    folder cannot hold it (``.coachctl-cache`` is a file, a dangling link, or
    the file system is read-only) the programme folder itself is locked: a
    broken cache never stops a command.
    """
    import fcntl

    folder = root / ".coachctl-cache"
    try:
        folder.mkdir(exist_ok=True)
        fd = os.open(folder / f"{name}.lock", os.O_WRONLY | os.O_CREAT, 0o644)
    except OSError:
        try:
            fd = os.open(root, os.O_RDONLY)
        except OSError as e:
            raise WriteError(root, e) from e
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError as e:
            raise Locked(f"another coachctl run is writing to {root}") from e
        try:
            yield
        finally:
            fcntl.flock(fd, fcntl.LOCK_UN)
    finally:
        os.close(fd)
