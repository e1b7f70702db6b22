"""A fingerprint of coachctl's code: what a cache document written by other code misses on.

A developer's edit to a check must not be hidden by a cache written before it,
while editing a command or a report, which only use the result, keeps the cache.
"""

from __future__ import annotations

import functools
import hashlib
import re
from pathlib import Path

from coachctl import __version__

SCHEMA = 1
"""The cache's own layout; raise it when what a document holds changes shape."""


CHECKING = "coachctl.validation"
"""The module whose code (with what it imports) reading and checking a programme runs."""


@functools.cache
def fingerprint(code: str = CHECKING) -> str:
    """This coachctl: its version plus the source of every module that ``code`` uses
    (the module and what it imports, transitively); by default, reading and checking.

    A developer's edit to a check must not be hidden by a cache written before it,
    while editing a command or a report, which only use the result, keeps the cache.
    A report that caches what it derives names its own module, which imports the checks.
    """
    h = hashlib.blake2b(f"{SCHEMA}:{__version__}".encode(), digest_size=16)
    for path in _sources(code):
        h.update(str(path.relative_to(_BASE)).encode() + b"\0" + path.read_bytes())
    return h.hexdigest()


_IMPORT = re.compile(r"^[ \t]*(?:from\s+(coachctl[\w.]*)\s+import\s+(\([^)]*\)|[^\n]*)"
                     r"|import\s+(coachctl[\w.]*))", re.M)
"""``from coachctl.X import a, b`` (on one line, or in parentheses) or ``import coachctl.X``."""


_BASE = Path(__file__).parent.parent


def _sources(root: str) -> list[Path]:
    """The files of ``root`` and of every coachctl module it imports, found by reading them."""
    base = _BASE
    seen: dict[str, Path] = {}
    todo = [root, "coachctl"]
    while todo:
        name = todo.pop()
        if name in seen:
            continue
        stem = base / name.replace(".", "/")
        path = stem / "__init__.py" if stem.is_dir() else stem.with_suffix(".py")
        if not path.is_file():
            continue
        seen[name] = path
        for frm, names, plain in _IMPORT.findall(path.read_text(encoding="utf-8")):
            if plain:
                todo.append(plain)
                continue
            todo.append(frm)
            names = names.split("#")[0] if not names.startswith("(") else names.strip("()")
            todo.extend(f"{frm}.{n.split()[0]}" for n in names.split(",") if n.strip())
    return sorted(seen.values())
