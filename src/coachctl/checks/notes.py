"""Session notes agree with cycle, pairing, sequence and path (P003, R007, R008, R010, R012)."""

from __future__ import annotations

from collections.abc import Iterator

from coachctl.diagnostics import Diagnostic, make
from coachctl.layout import note_path
from coachctl.programme import Programme


def placement(prog: Programme) -> Iterator[Diagnostic]:
    """P003: a note lives at notes/cycle-NN/COACH--COACHEE[-SUFFIX].yaml."""
    for n in prog.notes:
        folder, _, name = n.path.rpartition("/")
        expected = note_path(n.cycle, n.coach, n.coachee)
        exp_folder, _, exp_name = expected.rpartition("/")
        stem = exp_name.removesuffix(".yaml")
        if folder != exp_folder or not (name == exp_name or name.startswith(stem + "-")):
            yield make("P003", f"a cycle {n.cycle} note for {n.coach} and {n.coachee} "
                       "belongs elsewhere", prog.path(n.path), ("cycle",),
                       hint=f"git mv it to {expected} (a drop-in may add a suffix: "
                            f"{stem}-dropin-2.yaml)")


def in_cycle(prog: Programme) -> Iterator[Diagnostic]:
    """R007: a note's date lies within its cycle."""
    for n in prog.notes:
        c = prog.cycles.get(n.cycle)
        if c and n.date and not (c.start <= n.date <= c.end):
            yield make("R007", f"dated {n.date}, outside cycle {n.cycle} ({c.start} to {c.end})",
                       prog.path(n.path), ("date",))


def in_sequence(prog: Programme) -> Iterator[Diagnostic]:
    """R008: a note's step is one of the school's sequence (warning)."""
    if prog.sequence is None:
        return
    seq, steps = set(prog.sequence.steps), prog.steps
    for n in prog.notes:
        if n.action_step and n.action_step in steps and n.action_step not in seq:
            yield make("R008", f"action step '{n.action_step}' is not in the school's sequence",
                       prog.path(n.path), ("action_step",), subject=n.coachee)


def paired(prog: Programme) -> Iterator[Diagnostic]:
    """R010: the note's coach coaches its coachee in that cycle (drop-ins excepted)."""
    if not (prog.pairings.groups or prog.pairings.reciprocal):
        return
    by_cycle: dict[int, set[tuple[str, str]]] = {}
    for n in prog.notes:
        if n.observation == "drop-in" or n.coach == n.coachee:
            continue
        pairs = by_cycle.get(n.cycle)
        if pairs is None:
            pairs = by_cycle[n.cycle] = {(p.coach, p.coachee)
                                         for p in prog.pairings.pairs(n.cycle)}
        if (n.coach, n.coachee) not in pairs:
            yield make("R010", f"'{n.coach}' is not paired with '{n.coachee}' in cycle "
                       f"{n.cycle}", prog.path(n.path), ("coach",), subject=n.coachee)


_REQUIRED_WHEN_COMPLETE = ("date", "observation", "action_step", "modelled", "rehearsed")


def complete(prog: Programme) -> Iterator[Diagnostic]:
    """R012: a complete note says when, what was observed, the step, and modelling/rehearsal."""
    for n in prog.notes:
        if n.status == "complete":
            missing = [k for k in _REQUIRED_WHEN_COMPLETE if getattr(n, k) is None]
            if missing:
                yield make("R012", f"marked complete but {', '.join(missing)} "
                           f"{'is' if len(missing) == 1 else 'are'} not filled in",
                           prog.path(n.path), ("status",))


CHECKS = (placement, in_cycle, in_sequence, paired, complete)
