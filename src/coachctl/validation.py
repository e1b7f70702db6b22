"""Validate programmes: load every file, run the cross-file checks, locate every problem.

This is the entry point every command that reads a programme goes through,
so ``cycle start``, ``stats`` and ``qa`` see exactly what ``validate`` sees.
"""

from __future__ import annotations

from collections.abc import Callable, Collection
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from coachctl import checks
from coachctl.diagnostics import Diagnostic, Summary, summarise
from coachctl.loader import load, locate, open_store
from coachctl.programme import Programme

if TYPE_CHECKING:
    from coachctl.cache import Store


@dataclass
class Checked:
    """A loaded programme and every diagnostic about it, located and sorted."""

    programme: Programme
    diagnostics: list[Diagnostic] = field(default_factory=list)

    @property
    def errors(self) -> list[Diagnostic]:
        return [d for d in self.diagnostics if d.severity == "error"]


def check_programme(root: Path, display: str | None = None, *,
                    progress: Callable[[int], None] | None = None,
                    on_total: Callable[[int], None] | None = None,
                    cache: bool = True, data: bool = True,
                    only: Collection[str] | None = None, store: Store | None = None) -> Checked:
    """Load and check a programme, reusing .coachctl-cache/ unless ``cache`` is False.

    With ``data=False`` the caller wants only diagnostics and the file count, so an
    unchanged programme is not loaded at all, and the Programme returned is always
    empty (a trust's notes are not held in memory while its other programmes load).
    With ``only`` (programme-relative paths) just those files are checked, against
    the files they refer to: the fast path of ``note check``. A caller that has already
    opened the programme's cache (to look for what it derives) passes it as ``store``.
    """
    if only is not None:
        prog = load(root, display, only=only)
        named = {prog.path(rel) for rel in only}
        found = locate([d for d in prog.diagnostics + checks.run(prog, named)
                        if d.path in named], prog)
        return Checked(prog, sorted(found, key=Diagnostic.sort_key))
    if store is None and cache:
        store = open_store(root, display)
    if store and not data and (cached := store.result()) is not None:
        return Checked(Programme(root, store.display, files=store.files), cached)
    prog = load(root, display, progress=progress, on_total=on_total, store=store)
    diags = store.result() if store else None
    if diags is None:
        diags = locate(prog.diagnostics + checks.run(prog), prog)
        diags.sort(key=Diagnostic.sort_key)
        if store:
            store.save_result(diags)
    if not data:
        prog = Programme(root, prog.display, files=prog.files)
    return Checked(prog, diags)


def summary_of(results: list[Checked]) -> Summary:
    return summarise((d for r in results for d in r.diagnostics),
                     sum(r.programme.files for r in results))
