"""Reports on a checked programme: completion and quality (stats), QA gaps, staff journeys.

Reports compute only; the CLI renders. They start from the
:class:`~coachctl.validation.Checked` that ``validate`` builds, so they see
exactly what ``validate`` sees, and they work on a partly loaded programme.

The unit every report counts is a :class:`Session`: one pair in force in one
cycle that has started, with the state of its session note. Reports never read
a note's free text: they only ever see :class:`~coachctl.models.NoteRecord`.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from coachctl.checks.notes import note_path
from coachctl.diagnostics import Pointer
from coachctl.journeys import Journey
from coachctl.loader import Programme
from coachctl.models import Cycle, NoteRecord, StaffMember
from coachctl.validation import Checked

SESSION_STATES = ("done", "missed", "stub", "missing")
"""A session's state: its note is complete, marked missed, still a stub, or absent."""
_STATE_OF_NOTE = {"complete": "done", "missed": "missed", "stub": "stub"}


@dataclass(frozen=True, slots=True)
class Session:
    """One planned session: a pair in force in a cycle, and its best note, if any."""

    cycle: int
    coach: str
    coachee: str
    state: str
    note: NoteRecord | None
    pointer: Pointer
    """Where pairings.yaml names this pair's coachee."""

    @property
    def pair(self) -> str:
        return f"{self.coach}--{self.coachee}"

    @property
    def path(self) -> str:
        """The note's file, or where it should be when it is missing."""
        return self.note.path if self.note else note_path(self.cycle, self.coach, self.coachee)


def on_staff_throughout(person: StaffMember | None, cycle: Cycle) -> bool:
    """A pair is planned in a cycle only if each person is on the staff from its first day
    to its last. Someone unknown to staff.yaml counts as present (R001 reports them)."""
    return person is None or ((person.joined is None or person.joined <= cycle.start)
                              and (person.left is None or person.left >= cycle.end))


def started_cycles(prog: Programme, today: dt.date) -> list[Cycle]:
    """Cycles on file that have started by ``today``, in order."""
    return [prog.cycles[n] for n in sorted(prog.cycles) if prog.cycles[n].start <= today]


def current_cycle(prog: Programme, today: dt.date) -> Cycle | None:
    """The cycle running on ``today``, else the latest one started before it."""
    started = started_cycles(prog, today)
    return started[-1] if started else None


def has_ended(cycle: Cycle, today: dt.date) -> bool:
    return cycle.status == "closed" or cycle.end < today


def _best(notes: list[NoteRecord]) -> NoteRecord | None:
    """Of a pair's notes in one cycle (a suffix file may add more), the one that counts."""
    rank = {"complete": 0, "missed": 1, "stub": 2}
    return min(notes, key=lambda n: (rank.get(n.status, 3), n.path), default=None)


def sessions(prog: Programme, today: dt.date, cycles: Iterable[Cycle] | None = None
             ) -> Iterator[Session]:
    """Every planned session in the cycles started by ``today`` (or in ``cycles``).

    Planned: the pair is in force in the cycle (pairings.yaml) and both people
    are on the staff throughout it; a pair that wrote a note is planned anyway,
    so a leaver's last session still counts when it happened.
    """
    by_pair: dict[tuple[int, str, str], list[NoteRecord]] = defaultdict(list)
    for n in prog.notes:
        by_pair[(n.cycle, n.coach, n.coachee)].append(n)
    for cycle in started_cycles(prog, today) if cycles is None else cycles:
        seen: set[tuple[str, str]] = set()
        for pair in prog.pairings.pairs(cycle.number):
            key = (pair.coach, pair.coachee)
            if pair.coach == pair.coachee or key in seen:
                continue
            seen.add(key)
            note = _best(by_pair.get((cycle.number, *key), []))
            if note is None and not (on_staff_throughout(prog.staff.get(pair.coach), cycle)
                                     and on_staff_throughout(prog.staff.get(pair.coachee),
                                                             cycle)):
                continue
            state = _STATE_OF_NOTE.get(note.status, "stub") if note else "missing"
            yield Session(cycle.number, pair.coach, pair.coachee, state, note, pair.pointer)


def validation_warning(checked: Checked) -> str | None:
    """The one line a report prints on stderr when ``validate`` finds errors."""
    n = len(checked.errors)
    if not n:
        return None
    return (f"warning: validate finds {n} error{'s' if n != 1 else ''} in "
            f"{checked.programme.display}; this report covers what could be read")


@dataclass(frozen=True, slots=True)
class StepRun:
    """A coachee's stretch of consecutive complete notes on one action step."""

    coachee: str
    step: str
    cycles: frozenset[int]
    secured: bool
    last: NoteRecord
    """The note that secured the step, or the latest one on it."""


def step_runs(journey: Journey) -> list[StepRun]:
    """Split a journey into runs on one step; a run ends when the step changes or is secured."""
    out: list[StepRun] = []
    run: list[NoteRecord] = []

    def close() -> None:
        if run:
            step = run[0].action_step
            assert step is not None
            out.append(StepRun(journey.coachee, step, frozenset(n.cycle for n in run),
                               run[-1].step_secured, run[-1]))
            run.clear()

    for n in journey.notes:
        if n.action_step is None:
            continue
        if run and n.action_step != run[0].action_step:
            close()
        run.append(n)
        if n.step_secured:
            close()
    close()
    return out
