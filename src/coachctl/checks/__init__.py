"""Cross-file checks: rules that need more than one file to decide.

Each check is a small function ``check(prog) -> Iterator[Diagnostic]`` that
reads a loaded :class:`~coachctl.loader.Programme` and yields diagnostics with
key-path pointers (located afterwards by :func:`coachctl.loader.locate`).
A check must cope with a partly loaded programme: if a file failed to load,
its data is simply absent, and the file's own diagnostics already say why.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

from coachctl.checks import dates, ids, notes, pairings
from coachctl.diagnostics import Diagnostic
from coachctl.loader import Programme

Check = Callable[[Programme], Iterator[Diagnostic]]

CHECKS: tuple[Check, ...] = (*ids.CHECKS, *dates.CHECKS, *pairings.CHECKS, *notes.CHECKS)


def run(prog: Programme) -> list[Diagnostic]:
    """Every cross-file diagnostic for ``prog`` (not yet located)."""
    return [d for check in CHECKS for d in check(prog)]
