"""A fingerprint of coachctl's code: what a cache document written by other code misses on.

A developer's edit to a check must not be hidden by a cache written before it,
while editing a command or a report, which only use the result, keeps the cache.
"""

from __future__ import annotations

import functools
import os
import re
from pathlib import Path

try:  # hashlib's own blake2b (hashlib.blake2b is this), without OpenSSL's ~2 ms import
    from _blake2 import blake2b as blake2b  # cache.py digests with it too
except ImportError:  # pragma: no cover - an interpreter built without it
    from hashlib import blake2b as blake2b

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
    h = blake2b(f"{SCHEMA}:{__version__}".encode(), digest_size=16)
    for path in _sources(code):
        h.update(str(path.relative_to(_BASE)).encode() + b"\0" + path.read_bytes())
    return h.hexdigest()


_IMPORT = re.compile(r"^[ \t]*(?:from\s+(coachctl[\w.]*)\s+import\s+(\([^)]*\)|[^\n]*)"
                     r"|import\s+(coachctl[\w.]*))", re.M)
"""``from coachctl.X import a, b`` (on one line, or in parentheses) or ``import coachctl.X``."""


_BASE = Path(__file__).parent.parent


def _sources(root: str) -> list[Path]:
    """The files of ``root`` and of every coachctl module it imports, found by reading them."""
    seen: dict[str, Path] = {}
    todo = [root, "coachctl"]
    while todo:
        name = todo.pop()
        if name in seen:
            continue
        path = _modules().get(name)
        if path is None:
            continue
        seen[name] = path
        todo.extend(_imports(path))
    return sorted(seen.values())


@functools.cache
def _tree() -> list[tuple[str, Path, int, int]]:
    """Every coachctl module as (dotted name, file, size, mtime_ns), from one walk of the
    package (a name that is a package's attribute rather than a module is not in it)."""
    found: list[tuple[str, Path, int, int]] = []
    todo = [_BASE / "coachctl"]
    while todo:
        folder = todo.pop()
        package = folder.relative_to(_BASE).as_posix().replace("/", ".")
        with os.scandir(folder) as entries:
            for e in entries:
                if e.is_dir(follow_symlinks=False):
                    if not e.name.startswith((".", "__")):
                        todo.append(Path(e.path))
                elif e.name.endswith(".py"):
                    st = e.stat()
                    name = package if e.name == "__init__.py" else f"{package}.{e.name[:-3]}"
                    found.append((name, Path(e.path), st.st_size, st.st_mtime_ns))
    return sorted(found)


@functools.cache
def _modules() -> dict[str, Path]:
    return {name: path for name, path, _, _ in _tree()}


@functools.cache
def sources() -> tuple[str, int]:
    """coachctl's sources as the file system describes them - a key over the version and
    every module's path, size and mtime - and the newest mtime: what a remembered
    fingerprint is valid for (:meth:`coachctl.cache.Store.fingerprint`), since a stat
    walk of the package costs a fraction of reading and hashing it."""
    h = blake2b(f"{SCHEMA}:{__version__}:{_BASE}".encode(), digest_size=16)
    for name, _, size, mtime_ns in _tree():
        h.update(f"{name}\0{size}\0{mtime_ns}\0".encode())
    return h.hexdigest(), max((t[3] for t in _tree()), default=0)


@functools.cache
def _imports(path: Path) -> list[str]:
    """The coachctl names a module's source imports (modules, or names in them)."""
    out: list[str] = []
    for frm, names, plain in _IMPORT.findall(path.read_text(encoding="utf-8")):
        if plain:
            out.append(plain)
            continue
        out.append(frm)
        names = names.split("#")[0] if not names.startswith("(") else names.strip("()")
        out.extend(f"{frm}.{n.split()[0]}" for n in names.split(",") if n.strip())
    return out
