"""Cross-file checks: rules that need more than one file to decide.

Each check is a small function ``check(prog) -> Iterator[Diagnostic]`` that
reads a loaded :class:`~coachctl.loader.Programme` and yields diagnostics with
key-path pointers (located afterwards by :func:`coachctl.loader.locate`).
A check must cope with a partly loaded programme: if a file failed to load,
its data is simply absent, and the file's own diagnostics already say why.

What a broken file's absence would make every other file report (each note of a
cycle whose file has a syntax error "unknown cycle") is not reported file by
file: :func:`run` holds those follow-on diagnostics back and says once, on the
broken file, how many files could not be checked against it (Y014).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Collection, Iterator

from coachctl.checks import dates, ids, notes, pairings
from coachctl.diagnostics import Diagnostic, make
from coachctl.loader import Programme

Check = Callable[[Programme], Iterator[Diagnostic]]

CHECKS: tuple[Check, ...] = (*ids.CHECKS, *dates.CHECKS, *pairings.CHECKS, *notes.CHECKS)

_CYCLE_FILE = re.compile(r"^cycles/cycle-0*(\d+)\.ya?ml$")


def run(prog: Programme, named: Collection[str] | None = None) -> list[Diagnostic]:
    """Every cross-file diagnostic for ``prog`` (not yet located), less follow-ons.

    ``named`` (display paths, as in ``note check``): the files the caller reports on.
    Each of them that a follow-on was held back from gets its own Y014, since the
    summary on the broken file is not among them.
    """
    found = [d for check in CHECKS for d in check(prog)]
    return hold_back(prog, found, named)


def _cause(prog: Programme, d: Diagnostic, cycle_of: dict[str, int]) -> str | None:
    """The unread file ``d`` follows from, if it is a follow-on of one."""
    if d.code != "R003":
        return None
    for rel in prog.unread:
        m = _CYCLE_FILE.match(rel)
        if rel.startswith("cycles/") and (m is None or int(m.group(1)) == cycle_of.get(d.path)):
            return rel
    return None


def hold_back(prog: Programme, found: list[Diagnostic],
              named: Collection[str] | None = None) -> list[Diagnostic]:
    """Replace the follow-ons of unread files by one Y014 each (see the module's doc)."""
    if not any(rel.startswith("cycles/") for rel in prog.unread):
        return found
    cycle_of = {prog.path(n.path): n.cycle for n in prog.notes}
    kept: list[Diagnostic] = []
    held: dict[str, list[Diagnostic]] = {}
    for d in found:
        cause = _cause(prog, d, cycle_of)
        if cause is None:
            kept.append(d)
        else:
            held.setdefault(cause, []).append(d)
    for cause, ds in held.items():
        files = sorted({d.path for d in ds})
        cycles = sorted({cycle_of[p] for p in files if p in cycle_of})
        which = (f"cycle {cycles[0]}" if len(cycles) == 1
                 else "cycles " + ", ".join(map(str, cycles)))
        plural = "s" if len(files) != 1 else ""
        if named is None:
            kept.append(make(
                "Y014", f"{len(files)} note{plural} of {which} not checked against it, because "
                "this file could not be read", prog.path(cause),
                hint=f"fix this file's own error; the {len(ds)} 'cycle has no file' error"
                     f"{'s' if len(ds) != 1 else ''} (R003) they would show are held back"))
        else:
            kept += [make("Y014", f"not fully checked: {prog.path(cause)}, which this note "
                          "depends on, could not be read", path, ("cycle",),
                          hint="run `coachctl validate` on the programme and fix that file's "
                               "own error first")
                     for path in files if path in named]
    return kept
