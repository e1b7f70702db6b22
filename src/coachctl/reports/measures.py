"""Measures beyond completion (issue 13), tallied beside :mod:`coachctl.reports.stats`' counts.

Each is a count or a share; none reads a note's words (a :class:`~coachctl.models.NoteRecord`
holds none). docs/reports.md says where each comes from:

* ``scripted``: complete notes in which the teacher scripted the step, of those that say;
* ``coach_chose``: the directive-drift share, complete notes whose step the coach chose
  alone, of those that say who chose;
* ``two_per_half_term``: of the coachees due a session in an ended half term, the share
  with two or more complete notes dated in it (one share per coachee and half term);
* ``days_to_feedback``: the median of calendar days from ``observed`` to the note's date;
* ``max_load``, ``load_limit``, ``coaches_over``: the most coachees one coach of the row
  was due to coach in one cycle, ``thresholds.max_coachees_per_coach``, and how many of
  the row's coaches were over it in some cycle;
* ``completion_target``: ``thresholds.completion_target``, to read beside ``completion``;
* cycles to secure each step: the median number of cycles a coachee spent on a step that
  was secured, per step across the school (:func:`steps_to_secure`).

A row over several programmes adds the counts up; a limit or target the programmes do not
share is shown empty rather than one of them.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any

from coachctl.programme import Programme
from coachctl.sessions import Session
from coachctl.tables import Table

if TYPE_CHECKING:  # a warm run's measures come from the cache: no record class
    from coachctl.models import NoteRecord

Key = tuple[str, str, str]
"""(programme root, person id, half term or cycle): the same id in two programmes is two
people."""


@dataclass
class Measures:
    """One row's running counts for the measures beyond completion."""

    scripted: int = 0
    said_scripted: int = 0
    coach_chose: int = 0
    said_chooser: int = 0
    due: dict[Key, bool] = field(default_factory=dict)
    """(root, coachee, ended half term) in which the coachee was due a session -> they had
    two or more complete notes dated in it (counted over the programme, not the row)."""
    days: Counter[int] = field(default_factory=Counter)
    """Days from observation to feedback -> complete notes."""
    loads: dict[Key, tuple[int, int]] = field(default_factory=dict)
    """(root, coach, cycle) -> (coachees due, the programme's limit)."""
    targets: set[float] = field(default_factory=set)
    to_secure: dict[str, Counter[int]] = field(default_factory=lambda: defaultdict(Counter))
    """Step id -> {cycles spent on it: runs secured}; kept on the total only."""

    def add(self, other: Measures) -> None:
        self.scripted += other.scripted
        self.said_scripted += other.said_scripted
        self.coach_chose += other.coach_chose
        self.said_chooser += other.said_chooser
        self.due.update(other.due)
        self.days.update(other.days)
        self.loads.update(other.loads)
        self.targets |= other.targets
        for step, cycles in other.to_secure.items():
            self.to_secure[step].update(cycles)

    def encode(self) -> list[Any]:
        """Plain msgpack-able data (a cached report keeps its tallies): see :meth:`decode`."""
        return [self.scripted, self.said_scripted, self.coach_chose, self.said_chooser,
                [[*k, v] for k, v in self.due.items()], [[k, v] for k, v in self.days.items()],
                [[*k, *v] for k, v in self.loads.items()], sorted(self.targets),
                [[step, [[k, v] for k, v in c.items()]] for step, c in self.to_secure.items()]]

    @classmethod
    def decode(cls, data: list[Any]) -> Measures:
        scripted, said_scripted, coach_chose, said_chooser, due, days, loads, targets, steps = data
        out = cls(scripted, said_scripted, coach_chose, said_chooser,
                  {(a, b, c): v for a, b, c, v in due}, Counter({k: v for k, v in days}),
                  {(a, b, c): (n, limit) for a, b, c, n, limit in loads}, set(targets))
        for step, counts in steps:
            out.to_secure[step].update({k: v for k, v in counts})
        return out

    def row(self, complete: int) -> list[Any]:
        """The row's cells, in :data:`coachctl.reports.stats.COLUMNS`' order from
        ``completion_target``."""
        limits = {limit for _, limit in self.loads.values()}
        over = {(root, coach) for (root, coach, _), (n, limit) in self.loads.items()
                if n > limit}
        return [
            _only(self.targets),
            _share(self.scripted, self.said_scripted),
            _share(self.coach_chose, self.said_chooser),
            _share(sum(self.due.values()), len(self.due)),
            median(self.days),
            max((n for n, _ in self.loads.values()), default=None),
            _only(limits),
            len(over) if self.loads else None]


def _share(part: int, whole: int) -> float | None:
    return round(part / whole, 3) if whole else None


def _only(values: set[Any]) -> Any:
    """The one value every programme of the row agrees on, else None."""
    return next(iter(values)) if len(values) == 1 else None


def median(counts: Counter[int]) -> float | None:
    """The median of values held as {value: how many}."""
    n = sum(counts.values())
    if not n:
        return None
    middle = ((n - 1) // 2, n // 2)
    found: list[int] = []
    seen = 0
    for value in sorted(counts):
        seen += counts[value]
        while len(found) < 2 and seen > middle[len(found)]:
            found.append(value)
    return (found[0] + found[1]) / 2


class Tracker:
    """Feeds one programme's sessions and notes into the rows' :class:`Measures`."""

    def __init__(self, prog: Programme, today: dt.date) -> None:
        self.root = str(prog.root)
        self.prog = prog
        from coachctl.models import Thresholds

        settings = prog.settings
        thresholds = settings.thresholds if settings else Thresholds()
        self.limit = thresholds.max_coachees_per_coach
        self.target = thresholds.completion_target
        terms = settings.calendar.terms if settings else []
        self.ended = [(t.name, t.start, t.end) for t in terms if t.end < today]
        self.load: Counter[tuple[str, int]] = Counter()
        self.feedback: Counter[tuple[str, str]] = Counter()
        """(coachee, ended half term) -> complete notes dated in it, of the cycles counted."""

    def count(self, planned: Iterable[Session], notes: Iterable[NoteRecord]) -> None:
        """What a row's cells depend on beyond the row: each coach's coachees due in each
        cycle, and each coachee's feedback sessions in each half term, over the programme
        (grouping by cycle or coach must not cut a coach's load or a half term apart)."""
        self.load.update((s.coach, s.cycle) for s in planned)
        for n in notes:
            term = self.half_term(n.date) if n.date is not None else None
            if term is not None:
                self.feedback[(n.coachee, term)] += 1

    def half_term(self, day: dt.date) -> str | None:
        return next((name for name, start, end in self.ended if start <= day <= end), None)

    def session(self, m: Measures, s: Session) -> None:
        m.targets.add(self.target)
        m.loads[(self.root, s.coach, str(s.cycle))] = (self.load[(s.coach, s.cycle)], self.limit)
        start = self.prog.cycles[s.cycle].start if s.cycle in self.prog.cycles else None
        term = self.half_term(start) if start else None
        if term is not None:
            m.due[(self.root, s.coachee, term)] = self.feedback[(s.coachee, term)] >= 2

    def note(self, m: Measures, n: NoteRecord) -> None:
        """A complete note of an ended cycle."""
        if n.scripted is not None:
            m.said_scripted += 1
            m.scripted += n.scripted
        if n.step_chosen_by is not None:
            m.said_chooser += 1
            m.coach_chose += n.step_chosen_by == "coach"
        if n.date is not None and n.observed is not None and n.observed <= n.date:
            m.days[(n.date - n.observed).days] += 1

    def step_names(self, m: Measures) -> dict[str, str]:
        steps = self.prog.steps
        return {s: steps[s].step for s in m.to_secure if s in steps}


STEP_COLUMNS = ("step", "name", "secured", "median_cycles", "longest")


def steps_to_secure(names: Sequence[dict[str, str]], total: Measures) -> Table:
    """Cycles to secure each step, across the school (or trust): one row per step secured at
    least once, the steps that take longest first."""
    named: dict[str, str] = {}
    for part in names:
        named.update(part)
    found = sorted(((median(c) or 0.0, sum(c.values()), step, max(c))
                    for step, c in total.to_secure.items() if c),
                   key=lambda r: (-r[0], -r[1], r[2]))
    rows: list[Sequence[Any]] = [[step, named.get(step), secured, middle, longest]
                                 for middle, secured, step, longest in found]
    return Table("stats.steps", STEP_COLUMNS, rows, plain=("median_cycles",),
                 title="Cycles to secure each step, ended cycles",
                 caption="secured: times a coachee secured the step; median_cycles: cycles "
                         "spent on the step before securing it, the median; longest: the most")


def steps_table(table: Table) -> Table:
    """Cycles to secure each step (the stats table's ``steps``), as its own table for a
    terminal: the steps that take longest first."""
    columns = [c for c in STEP_COLUMNS if c != "name"]  # the library's wording: in JSON
    rows: list[Sequence[Any]] = [[r[c] for c in columns] for r in table.meta.get("steps") or ()]
    return replace(steps_to_secure([], Measures()), columns=columns, rows=rows)
