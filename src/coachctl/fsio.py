"""Writing files so that a person's work is never overwritten or left half-written.

Every command that writes goes through :func:`write_new`: the content goes to
a temporary file in the same folder, is flushed to disk, then linked into
place only if nothing is there yet. A crash at any point leaves either no file
or the whole file (plus, at worst, a stray ``.*.tmp`` that the next run removes).
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path

TMP_SUFFIX = ".coachctl.tmp"


def write_new(path: Path, text: str, mode: int | None = None) -> bool:
    """Atomically create ``path`` with ``text`` (and ``mode``, default :func:`new_file_mode`);
    return False (writing nothing) if it exists."""
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
    tmp = _write_temp(path, text, mode)
    try:
        os.replace(tmp, path)
        return True
    finally:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)


def replace(path: Path, text: str) -> None:
    """Atomically write ``path``, replacing what is there: for files coachctl owns outright
    (``schema --output``), never for a person's file. A new file gets :func:`new_file_mode`;
    an existing one keeps its permissions."""
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
    releases it (the kernel drops the lock with the process).
    """
    import fcntl

    folder = root / ".coachctl-cache"
    folder.mkdir(exist_ok=True)
    with open(folder / f"{name}.lock", "w") as f:
        try:
            fcntl.flock(f, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError as e:
            raise Locked(f"another coachctl run is writing to {root}") from e
        try:
            yield
        finally:
            fcntl.flock(f, fcntl.LOCK_UN)
