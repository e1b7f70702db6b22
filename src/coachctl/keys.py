"""Age identities for sealed notes, kept in the user's config folder, never in a repository.

A person's identity (their secret key) is an age identity file: comment lines,
then one ``AGE-SECRET-KEY-1...`` line, as ``age-keygen`` writes it, so the ``age``
command-line tool reads it too (``age -d -i FILE``). It lives in
``$XDG_CONFIG_HOME/coachctl/identity.txt`` (default ``~/.config/coachctl/``),
created with mode 0600 in a 0700 folder, and is never overwritten. Their public
key (``age1...``) goes in staff.yaml as ``age_key``.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

IDENTITY_FILE = "identity.txt"


class IdentityProblem(Exception):
    """An identity file that is missing, unreadable or holds no age identity."""


def config_dir() -> Path:
    """``$XDG_CONFIG_HOME/coachctl``, or ``~/.config/coachctl``."""
    base = os.environ.get("XDG_CONFIG_HOME") or ""
    return (Path(base) if os.path.isabs(base) else Path.home() / ".config") / "coachctl"


def default_identity() -> Path:
    return config_dir() / IDENTITY_FILE


def fingerprint(public_key: str) -> str:
    """A short, stable name for a public key: 8 hex digits of its SHA-256."""
    return hashlib.sha256(public_key.encode("ascii")).hexdigest()[:8]


@dataclass(frozen=True, slots=True)
class Created:
    path: Path
    public_key: str


def init(path: Path | None = None, *, now: dt.datetime | None = None) -> Created | None:
    """Make a new X25519 identity at ``path`` (default :func:`default_identity`), mode 0600.

    Returns None, writing nothing, if a file is already there: an identity is never
    overwritten (the notes sealed to it would be lost to its owner)."""
    import pyrage

    from coachctl import fsio

    path = path or default_identity()
    if path.exists() or path.is_symlink():
        return None
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    identity = pyrage.x25519.Identity.generate()
    public = str(identity.to_public())
    stamp = (now or dt.datetime.now(dt.UTC)).replace(microsecond=0).isoformat()
    text = f"# created: {stamp}\n# public key: {public}\n{identity}\n"
    if not fsio.write_new(path, text, mode=0o600):
        return None
    return Created(path, public)


def load(paths: list[Path] | None = None) -> list[Any]:
    """The age identities in ``paths`` (default: the user's own identity file).

    Raises :class:`IdentityProblem` with a message naming the file (never its contents)."""
    import pyrage

    out: list[Any] = []
    for path in paths or [default_identity()]:
        try:
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as e:
            why = e.strerror if isinstance(e, OSError) else "not UTF-8 text"
            raise IdentityProblem(f"cannot read the identity file {path}: {why} "
                            "(make one with `coachctl key init`)") from e
        for line in text.splitlines():
            line = line.strip()
            if line.startswith("AGE-SECRET-KEY-"):
                try:
                    out.append(pyrage.x25519.Identity.from_str(line))
                except pyrage.IdentityError as e:
                    raise IdentityProblem(
                        f"{path} holds an age identity that cannot be read") from e
        if not out:
            raise IdentityProblem(
                f"{path} holds no age identity (an AGE-SECRET-KEY-1... line)")
    return out


def public_of(identity: Any) -> str:
    return str(identity.to_public())
