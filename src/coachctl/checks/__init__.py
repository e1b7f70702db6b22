"""Cross-file checks: rules that need more than one file to decide.

Each check is a small function ``check(prog) -> Iterator[Diagnostic]`` that
reads a loaded :class:`~coachctl.programme.Programme` and yields diagnostics with
key-path pointers (located afterwards by :func:`coachctl.loader.locate`).
A check must cope with a partly loaded programme: if a file failed to load,
its data is simply absent, and the file's own diagnostics already say why.

Each module declares the codes its checks emit beside them, as
:class:`~coachctl.codes.Code` constants named by their code (``R011 = Code("R011",
...)``: severity, title, explanation, a failing example, the fix), passes the constant
to :func:`~coachctl.diagnostics.make`, and lists its codes in ``CODES`` and its checks
in ``CHECKS``, and those of them that may report on a session note or QA record also in
``ON_RECORDS``. :mod:`coachctl.registry` collects the codes, :func:`all_checks` the checks,
:func:`record_checks` those ``note check`` runs on notes and QA records.

What a broken file's absence would make every other file report (each note of a
cycle whose file has a syntax error "unknown cycle") is not reported file by
file: :func:`run` holds those follow-on diagnostics back and says once, on the
broken file, how many files could not be checked against it (Y014). The files
others are checked against, and what they would bring, are in :data:`FOLLOW_ONS`.
Where the checks skip quietly what they cannot check (staff ids without
staff.yaml), ``validate`` adds nothing to the file's own error; ``note check``
(``named``) reports a Y014 on each file named, so an unchecked note is never
passed clean.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterator

from coachctl.diagnostics import Diagnostic, make
from coachctl.layout import CYCLE_FILE
from coachctl.programme import Programme

Check = Callable[[Programme], Iterator[Diagnostic]]


def all_checks() -> tuple[Check, ...]:
    """Every check, in the order they run. Imported here, on first use: a warm run, whose
    result comes from the cache, runs none)."""
    from coachctl.checks import dates, ids, notes, pairings, sealing

    return (*ids.CHECKS, *dates.CHECKS, *pairings.CHECKS, *notes.CHECKS, *sealing.CHECKS)


RECORD_KINDS = ("notes", "qa")
"""The kinds of file (:func:`coachctl.layout.kind_of`) a person names to ``note check``."""


def record_checks() -> tuple[Check, ...]:
    """The checks that may report on a session note or a QA record (each module's
    ``ON_RECORDS``), in the order :func:`all_checks` runs them; the others report on the
    shared files alone (staff.yaml, pairings.yaml, programme.yaml, steps, cycles)."""
    from coachctl.checks import dates, ids, notes, pairings, sealing

    return (*ids.ON_RECORDS, *dates.ON_RECORDS, *pairings.ON_RECORDS, *notes.ON_RECORDS,
            *sealing.ON_RECORDS)


def run(prog: Programme, named: Collection[str] | None = None, *,
        records_only: bool = False) -> list[Diagnostic]:
    """Every cross-file diagnostic for ``prog`` (not yet located), less follow-ons.

    ``named`` (display paths, as in ``note check``): the files the caller reports on.
    Each of them that a follow-on was held back from gets its own Y014, since the
    summary on the broken file is not among them. ``records_only``: the caller reports
    only on notes and QA records, so only :func:`record_checks` run (what they find on
    those files is what every check finds on them).
    """
    found = [d for check in (record_checks() if records_only else all_checks())
             for d in check(prog)]
    return hold_back(prog, found, named)


FOLLOW_ONS: dict[str, tuple[str, ...]] = {
    "staff.yaml": ("R001", "R005"),
    "steps/library.yaml": ("R002", "R008"),
    "steps/coaching-curriculum.yaml": ("R002",),
    "pairings.yaml": ("R010",),
    "cycles/": ("R003", "R007"),
}
"""For each file others are checked against, the codes its absence would bring them."""


def _dependents(prog: Programme, rel: str) -> list[str]:
    """The notes and QA records (display paths) checked against ``rel``, a shared file."""
    notes, qa = prog.notes, prog.all_qa
    if rel == "staff.yaml":
        return [prog.path(n.path) for n in notes] + [prog.path(r) for r, _ in qa]
    if rel == "steps/library.yaml":
        return [prog.path(n.path) for n in notes if n.action_step is not None]
    if rel == "steps/coaching-curriculum.yaml":
        return [prog.path(r) for r, q in qa if q.focus is not None]
    if rel == "pairings.yaml":
        return [prog.path(n.path) for n in notes if n.observation != "drop-in"]
    if rel.startswith("cycles/"):
        m = CYCLE_FILE.match(rel)
        return [prog.path(n.path) for n in notes if n.cycle not in prog.cycles
                and (m is None or int(m.group(1)) == n.cycle)]
    return []


def _what(prog: Programme, rel: str, paths: set[str]) -> str:
    """'76 notes of cycle 3', '412 notes and 60 QA records'."""
    qa = {prog.path(r) for r, _ in prog.all_qa}
    n_qa = sum(p in qa for p in paths)
    n_notes = len(paths) - n_qa
    parts = []
    if n_notes:
        where = ""
        if rel.startswith("cycles/"):
            cycles = sorted({n.cycle for n in prog.notes if prog.path(n.path) in paths})
            where = (f" of cycle {cycles[0]}" if len(cycles) == 1
                     else " of cycles " + ", ".join(map(str, cycles)))
        parts.append(f"{n_notes} note{'s' if n_notes != 1 else ''}{where}")
    if n_qa:
        parts.append(f"{n_qa} QA record{'s' if n_qa != 1 else ''}")
    return " and ".join(parts)


def hold_back(prog: Programme, found: list[Diagnostic],
              named: Collection[str] | None = None) -> list[Diagnostic]:
    """Replace the follow-ons of unread files by one Y014 each (see the module's doc)."""
    causes = [rel for rel in prog.unread if rel in FOLLOW_ONS or rel.startswith("cycles/")]
    if not causes:
        return found
    depends: dict[str, tuple[set[str], tuple[str, ...]]] = {
        rel: (set(_dependents(prog, rel)),
              FOLLOW_ONS["cycles/" if rel.startswith("cycles/") else rel]) for rel in causes}
    held: dict[str, list[str]] = {rel: [] for rel in causes}
    kept: list[Diagnostic] = []
    for d in found:
        cause = next((rel for rel, (paths, codes) in depends.items()
                      if d.code in codes and d.path in paths), None)
        if cause is None:
            kept.append(d)
        else:
            held[cause].append(d.code)
    for rel, (paths, _) in depends.items():
        if not paths:
            continue
        if named is None:
            n = len(held[rel])
            if not n:  # the checks skipped them quietly: the file's own error says it all
                continue
            also = (f"; the {n} follow-on error{'s' if n != 1 else ''} they would show "
                    f"({', '.join(sorted(set(held[rel])))}) are held back")
            kept.append(make(
                "Y014", f"{_what(prog, rel, paths)} not checked against it, because "
                "this file could not be read", prog.path(rel),
                hint=f"fix this file's own error{also}"))
        else:
            kept += [make("Y014", f"not fully checked: {prog.path(rel)}, which this file "
                          "depends on, could not be read", path,
                          hint="run `coachctl validate` on the programme and fix that file's "
                               "own error first")
                     for path in sorted(paths) if path in named]
    return kept
