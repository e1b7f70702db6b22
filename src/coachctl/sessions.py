"""Sessions: which pairs are due to meet in a cycle, and how far each got.

One definition serves every command, so ``cycle start`` writes a stub for
exactly the sessions that ``cycle status``, ``stats``, ``qa`` and
``staff show`` count:

* A pair is **due** in a cycle when pairings.yaml has it in force for that
  cycle and both people are on the staff on the cycle's feedback day (its
  last coaching day, when the feedback meeting happens). A due pair whose
  coach or coachee is not on the staff then is *left out* (and reported by
  ``cycle start``), unless a note was written anyway: a session that happened
  always counts.
* A **session** is a due pair in one cycle with the state of its best note:
  ``done`` (complete), ``missed``, ``stub`` or ``missing`` (no file). A pair
  with several notes in a cycle (a drop-in file beside the main note) counts
  once, by its best note.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from coachctl.calendar import SchoolCalendar
from coachctl.diagnostics import Pointer
from coachctl.layout import note_path
from coachctl.programme import Programme

if TYPE_CHECKING:  # the records are built by the loader, not here
    from coachctl import models as m

SESSION_STATES = ("done", "missed", "stub", "missing")
_STATE_OF_NOTE = {"complete": "done", "missed": "missed", "stub": "stub"}
_RANK = {"complete": 0, "missed": 1, "stub": 2}


def feedback_day(cal: SchoolCalendar, rules: m.CycleRules, start: dt.date,
                 end: dt.date) -> dt.date:
    """A cycle's last coaching day (its end if it has none): when feedback meetings happen."""
    days = cal.weekday_dates(start, end, rules.coaching_day)
    return days[-1] if days else end


@dataclass
class Pairs:
    """The pairs due in a cycle, and what the lead coach should know about them."""

    pairs: list[m.Pair]
    left_out: list[tuple[m.Pair, str]] = field(default_factory=list)
    """Pairs dropped because someone is not on the staff on the feedback day, and who."""
    uncoached: list[str] = field(default_factory=list)
    """Staff on roll with no coach this cycle (staff who only coach are not listed)."""
    overloaded: list[tuple[str, int]] = field(default_factory=list)
    """Coaches with more coachees than thresholds.max_coachees_per_coach, and how many."""


def pairs_in(prog: Programme, number: int, day: dt.date) -> Pairs:
    """Pairs due in cycle ``number``, leaving out anyone not on the staff on ``day``."""
    out = Pairs([])
    seen: set[tuple[str, str]] = set()
    for pair in prog.pairings.pairs(number):
        if pair.coach == pair.coachee or (pair.coach, pair.coachee) in seen:
            continue  # R006 and R015 report these
        seen.add((pair.coach, pair.coachee))
        gone = next((who for who in (pair.coach, pair.coachee)
                     if who in prog.staff and not prog.staff[who].active_on(day)), None)
        if gone is None:
            out.pairs.append(pair)
        else:
            out.left_out.append((pair, gone))
    coached = {p.coachee for p in out.pairs}
    coaches = {p.coach for p in out.pairs}
    ever_coached = {p.coachee for p in prog.pairings.pairs()}
    lead = prog.settings.lead_coach if prog.settings else None
    out.uncoached = sorted(
        s.id for s in prog.staff.values()
        if s.active_on(day) and s.id not in coached and s.id != lead
        and not (s.id in coaches and s.id not in ever_coached))
    from coachctl.models import Thresholds

    limit = (prog.settings.thresholds if prog.settings else Thresholds()).max_coachees_per_coach
    load = Counter(p.coach for p in out.pairs)
    out.overloaded = sorted((c, n) for c, n in load.items() if n > limit)
    return out


@dataclass(frozen=True, slots=True)
class Session:
    """One pair due in one cycle, and its best note, if any."""

    cycle: int
    coach: str
    coachee: str
    state: str
    """done, missed, stub or missing."""
    note: m.NoteRecord | None
    pointer: Pointer
    """Where pairings.yaml names this pair's coachee."""

    @property
    def pair(self) -> str:
        return f"{self.coach}--{self.coachee}"

    @property
    def path(self) -> str:
        """The note's file, or where it should be when it is missing."""
        return self.note.path if self.note else note_path(self.cycle, self.coach, self.coachee)

    @property
    def happened(self) -> bool:
        """The observation and feedback took place: a complete note with a date."""
        return self.state == "done" and self.note is not None and self.note.date is not None


def best_note(notes: Iterable[m.NoteRecord]) -> m.NoteRecord | None:
    """Of a pair's notes in one cycle, the one that counts: complete, then missed, then stub."""
    return min(notes, key=lambda n: (_RANK.get(n.status, 3), n.path), default=None)


def counts(sessions: Iterable[Session]) -> dict[str, int]:
    found = Counter(s.state for s in sessions)
    return {state: found.get(state, 0) for state in SESSION_STATES}


def sessions(prog: Programme, cycles: Iterable[m.Cycle]) -> Iterator[Session]:
    """Every session due in ``cycles``, in cycle order then pairings order.

    Without a readable programme.yaml (no calendar), a cycle's feedback day is
    taken to be its last day.
    """
    settings = prog.settings
    cal = SchoolCalendar(settings.calendar) if settings else None
    by_pair: dict[tuple[int, str, str], list[m.NoteRecord]] = defaultdict(list)
    for n in prog.notes:
        by_pair[(n.cycle, n.coach, n.coachee)].append(n)
    for cycle in cycles:
        day = (feedback_day(cal, settings.cycles, cycle.start, cycle.end)
               if cal and settings else cycle.end)
        due = pairs_in(prog, cycle.number, day)
        written = [p for p, _ in due.left_out if (cycle.number, p.coach, p.coachee) in by_pair]
        for pair in (*due.pairs, *written):
            note = best_note(by_pair.get((cycle.number, pair.coach, pair.coachee), []))
            state = _STATE_OF_NOTE.get(note.status, "stub") if note else "missing"
            yield Session(cycle.number, pair.coach, pair.coachee, state, note, pair.pointer)


def started_cycles(prog: Programme, today: dt.date) -> list[m.Cycle]:
    """Cycles on file that have started by ``today``, in order."""
    return [prog.cycles[n] for n in sorted(prog.cycles) if prog.cycles[n].start <= today]


def current_cycle(prog: Programme, today: dt.date) -> m.Cycle | None:
    """The cycle running on ``today``, else the latest one started before it."""
    started = started_cycles(prog, today)
    return started[-1] if started else None


def default_cycle(prog: Programme, today: dt.date) -> int | None:
    """The cycle a command means when none is named: the current one, else the first on file."""
    running = current_cycle(prog, today)
    return running.number if running else min(prog.cycles, default=None)


def has_ended(cycle: m.Cycle, today: dt.date) -> bool:
    return cycle.status == "closed" or cycle.end < today
