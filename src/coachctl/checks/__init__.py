"""Cross-file checks: rules that need more than one file to decide.

Each check is a small function ``check(prog) -> Iterator[Diagnostic]`` that
reads a loaded :class:`~coachctl.loader.Programme` and yields diagnostics with
key-path pointers (located afterwards by :func:`coachctl.loader.locate`).
A check must cope with a partly loaded programme: if a file failed to load,
its data is simply absent, and the file's own diagnostics already say why.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

from coachctl.diagnostics import Diagnostic
from coachctl.loader import Programme

Check = Callable[[Programme], Iterator[Diagnostic]]


def all_checks() -> tuple[Check, ...]:
    """Every check, in the order they run. Imported here, on first use: a warm run, whose
    result comes from the cache, runs none (and a report that needs ``note_path`` from
    :mod:`coachctl.checks.notes` should not import them all)."""
    from coachctl.checks import dates, ids, notes, pairings, sealing

    return (*ids.CHECKS, *dates.CHECKS, *pairings.CHECKS, *notes.CHECKS, *sealing.CHECKS)


def run(prog: Programme) -> list[Diagnostic]:
    """Every cross-file diagnostic for ``prog`` (not yet located)."""
    return [d for check in all_checks() for d in check(prog)]
