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


def write_new(path: Path, text: str) -> bool:
    """Atomically create ``path`` with ``text``; return False (writing nothing) if it exists."""
    if path.exists():
        return False
    tmp = _write_temp(path, text)
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


def rewrite(path: Path, text: str, expected: bytes) -> bool:
    """Atomically replace ``path`` with ``text`` if it still holds ``expected``.

    A compare-and-swap for edits such as ``cycle close``: if someone changed
    the file since it was read, nothing is written and False is returned.
    Callers hold :func:`lock`, so the check and the rename cannot interleave
    with another coachctl run.
    """
    try:
        if path.read_bytes() != expected:
            return False
    except FileNotFoundError:
        return False
    tmp = _write_temp(path, text)
    try:
        os.replace(tmp, path)
        return True
    finally:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)


def _write_temp(path: Path, text: str) -> str:
    """A fully written, fsynced temporary file next to ``path``, ready to link or rename."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=TMP_SUFFIX)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as f:
            f.write(text)
            f.flush()
            os.fsync(f.fileno())
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise
    return tmp


def clean_stray_temps(root: Path) -> list[Path]:
    """Remove temporary files an interrupted run left behind; return what was removed."""
    removed = []
    for tmp in root.rglob(f".*{TMP_SUFFIX}"):
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
