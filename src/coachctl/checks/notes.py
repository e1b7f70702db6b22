"""Session notes agree with cycle, pairing, sequence and path (P003, R007, R008, R010, R012,
R026)."""

from __future__ import annotations

from collections.abc import Iterator

from coachctl.codes import Code, E, W
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


R007 = Code("R007", E, "note dated outside its cycle",
            "A note's date must lie between its cycle's start and end (inclusive).",
            "cycle: 2\ndate: 2026-12-01   # cycle 2 ends 2026-11-12\n",
            "Fix the date or the cycle number.")


def in_cycle(prog: Programme) -> Iterator[Diagnostic]:
    """R007: a note's date lies within its cycle."""
    for n in prog.notes:
        c = prog.cycles.get(n.cycle)
        if c and n.date and not (c.start <= n.date <= c.end):
            yield make(R007, f"dated {n.date}, outside cycle {n.cycle} ({c.start} to {c.end})",
                       prog.path(n.path), ("date",))


R008 = Code("R008", W, "step outside the school's sequence",
            "The step exists in the library but is not in the school's sequence "
            "(steps/sequence.yaml); coaching that drifts from the sequence is a QA concern.",
            "action_step: lv-09   # in library.yaml, not in sequence.yaml\n",
            "Choose a step from the sequence, or add it to the sequence.")


def in_sequence(prog: Programme) -> Iterator[Diagnostic]:
    """R008: a note's step is one of the school's sequence (warning)."""
    if prog.sequence is None:
        return
    seq, steps = set(prog.sequence.steps), prog.steps
    for n in prog.notes:
        if n.action_step and n.action_step in steps and n.action_step not in seq:
            yield make(R008, f"action step '{n.action_step}' is not in the school's sequence",
                       prog.path(n.path), ("action_step",), subject=n.coachee)


R010 = Code("R010", W, "note's coach is not the paired coach",
            "The note's coach does not coach this coachee in that cycle according to "
            "pairings.yaml.", "coach: cdavies   # pairings.yaml: asmith coaches bjones\n",
            "Fix the note, or update pairings.yaml from that cycle.")


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
            yield make(R010, f"'{n.coach}' is not paired with '{n.coachee}' in cycle "
                       f"{n.cycle}", prog.path(n.path), ("coach",), subject=n.coachee)


R026 = Code("R026", E, "observation dated after its feedback or outside the cycle",
            "A note's `observed` date is the day of the observation (the drop-in or lesson) its "
            "feedback follows: it must be on or before the note's `date` and within the note's "
            "cycle, or the days from observation to feedback that stats reports are wrong.",
            "cycle: 4\ndate: 2026-11-26\nobserved: 2026-11-30   # after the feedback\n",
            "Write the day the lesson was seen (YYYY-MM-DD), on or before the feedback date, "
            "or leave `observed:` empty.")


def observed_before(prog: Programme) -> Iterator[Diagnostic]:
    """R026: an observation is on or before its feedback, and within the note's cycle."""
    for n in prog.notes:
        if n.observed is None:
            continue
        c = prog.cycles.get(n.cycle)
        if n.date is not None and n.observed > n.date:
            yield make(R026, f"observed {n.observed}, after the feedback on {n.date}",
                       prog.path(n.path), ("observed",), subject=n.coachee)
        elif c and not (c.start <= n.observed <= c.end):
            yield make(R026, f"observed {n.observed}, outside cycle {n.cycle} "
                       f"({c.start} to {c.end})", prog.path(n.path), ("observed",),
                       subject=n.coachee)


_REQUIRED_WHEN_COMPLETE = ("date", "observation", "action_step", "modelled", "rehearsed")


R012 = Code("R012", E, "complete note lacks content",
            "A note marked `status: complete` must say when it happened, what was observed and "
            "which action step was agreed, and whether it was modelled and rehearsed.",
            "status: complete\naction_step: null\n",
            "Fill in the missing keys, or leave the note as `status: stub`.")


def complete(prog: Programme) -> Iterator[Diagnostic]:
    """R012: a complete note says when, what was observed, the step, and modelling/rehearsal."""
    for n in prog.notes:
        if n.status == "complete":
            missing = [k for k in _REQUIRED_WHEN_COMPLETE if getattr(n, k) is None]
            if missing:
                yield make(R012, f"marked complete but {', '.join(missing)} "
                           f"{'is' if len(missing) == 1 else 'are'} not filled in",
                           prog.path(n.path), ("status",))


CHECKS = (placement, in_cycle, in_sequence, paired, complete, observed_before)
ON_RECORDS = CHECKS
CODES = (R007, R008, R010, R012, R026)
